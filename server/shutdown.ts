import type { ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { DatabaseHandle } from "../db/client";
import type { MotcuaServer } from "./app";
import type { Lifecycle } from "./http/health";

/** How long a shutdown may take before the process exits anyway (with 1). */
export const SHUTDOWN_DEADLINE_MS = 10_000;

/**
 * SIGTERM and SIGINT stop the process without dropping anyone (decision 0017): the port closes
 * at once; every request already inside gets its real answer, with `Connection: close` so that
 * its client does not send the next one down a connection about to close; then the screens are
 * told the server is restarting and their connections close, which they take as a network loss
 * and reconnect to the next process; then the database closes and the process exits 0 (1 past
 * the deadline). Call it right after `listen`: it counts the requests from then on.
 * Its own module so that the fault tests run this very shutdown (tests/helpers/app-process.ts).
 */
export function stopOnSignals(deps: { server: MotcuaServer; database: DatabaseHandle; logger: Logger; deadlineMs?: number; lifecycle?: Lifecycle }) {
  const { server, database, logger } = deps;
  const { httpServer } = server;
  // Socket.IO's long-polling requests are the screens' connections, closed with the sockets.
  const inFlight = new Set<ServerResponse>();
  let draining = false;
  let drained: (() => void) | null = null;
  httpServer.prependListener("request", (req, res) => {
    if (req.url?.startsWith("/socket.io/")) return;
    if (draining) res.setHeader("Connection", "close");
    inFlight.add(res);
    res.once("close", () => {
      inFlight.delete(res);
      if (inFlight.size === 0) drained?.();
    });
  });

  let stopping = false;
  async function shutdown(signal: string) {
    if (stopping) return;
    stopping = true;
    // /readyz says so from now on: a balancer stops sending new requests here.
    if (deps.lifecycle) deps.lifecycle.phase = "stopping";
    logger.info({ signal, inFlight: inFlight.size }, "shutting down");
    const force = setTimeout(() => {
      logger.error({ inFlight: inFlight.size }, "shutdown took too long; exiting");
      process.exit(1);
    }, deps.deadlineMs ?? SHUTDOWN_DEADLINE_MS);
    force.unref();
    draining = true;
    for (const res of inFlight) if (!res.headersSent) res.setHeader("Connection", "close");
    // No new connections; the idle keep-alive ones close now (Node closes them in close()).
    httpServer.close();
    if (inFlight.size > 0) await new Promise<void>((resolve) => (drained = resolve));
    // A response already under way when the signal came kept its connection open: it is idle now.
    httpServer.closeIdleConnections();
    // Screens are told the server is restarting, then their connections close (server/realtime);
    // this resolves once the HTTP server has no connection left.
    await server.close();
    await database.close();
    logger.info("stopped");
    process.exit(0);
  }
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}
