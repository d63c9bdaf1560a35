/**
 * Which proxies may tell the client's address (X-Forwarded-For): `TRUST_PROXY`, in Express's
 * `trust proxy` words — `loopback` (the default: a proxy on this machine), addresses and subnets
 * (`10.0.0.0/8`), comma-separated. Several nodes behind one balancer on another machine need its
 * address here, or every client would seem to come from it (and share its throttles). One rule for
 * Express's `req.ip` and for the address of a socket's handshake.
 */
import type { IncomingMessage } from "node:http";
import proxyaddr from "proxy-addr";

export type TrustProxy = ReturnType<typeof proxyaddr.compile>;

/** Throws a TypeError naming the word it does not understand. */
export const trustProxy = (setting: string): TrustProxy => proxyaddr.compile(setting.split(",").map((s) => s.trim()).filter(Boolean));

/** The client's address as Express computes `req.ip` with the same rule. */
export const clientAddress = (req: IncomingMessage, trust: TrustProxy): string => proxyaddr(req, trust);
