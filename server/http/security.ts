/**
 * Response headers every answer carries (helmet): on pages, a Content-Security-Policy whose
 * scripts need this response's nonce; on data (the API, health, metrics), one that allows
 * nothing, the same for every answer and so worked out once at start; no framing, HSTS when the
 * cookies are Secure (the site is on HTTPS), and `Cache-Control: no-store` on anything answered
 * to a signed-in person or a device.
 */
import { randomBytes } from "node:crypto";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import helmet from "helmet";

declare module "express-serve-static-core" {
  interface Locals {
    cspNonce?: string;
  }
}

export function securityHeaders(options: { secure: boolean; strictScripts: boolean }): RequestHandler {
  const common = {
    strictTransportSecurity: options.secure ? { maxAge: 31_536_000, includeSubDomains: true } : (false as const),
    referrerPolicy: { policy: "same-origin" as const },
    xFrameOptions: { action: "deny" as const },
  };
  const scriptNonce = (_req: unknown, res: unknown) => `'nonce-${(res as Response).locals.cspNonce}'`;
  const pageHeaders = helmet({
    ...common,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        // Development: Vite's hot-reload preamble is an inline script without our nonce.
        scriptSrc: options.strictScripts ? ["'self'", scriptNonce] : ["'self'", "'unsafe-inline'"],
        styleSrc: options.strictScripts ? ["'self'"] : ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:"],
        fontSrc: ["'self'"],
        // Socket.IO is same-origin (its WebSocket included).
        connectSrc: ["'self'"],
        mediaSrc: ["'self'", "data:"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
  });
  // Data, not a document: opened as a page it may load and run nothing, and nobody may frame it.
  const dataHeaders = headersOf(helmet({ ...common, contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } } }));
  return (req, res, next) => {
    if (answersData(req.path)) {
      for (const [name, value] of dataHeaders) res.setHeader(name, value);
      return next();
    }
    res.locals.cspNonce = randomBytes(16).toString("base64");
    pageHeaders(req, res, next);
  };
}

/** The API, the health checks and the metrics answer JSON or text, never a page. */
const answersData = (path: string) => path.startsWith("/api/") || path === "/healthz" || path === "/readyz" || path === "/metrics";

/** The headers a helmet set up without per-request values sets, worked out once. */
function headersOf(middleware: ReturnType<typeof helmet>): Array<[string, string]> {
  const headers: Array<[string, string]> = [];
  const recorder = { setHeader: (name: string, value: unknown) => void headers.push([name, String(value)]), removeHeader: () => {} };
  let ran = false;
  middleware({} as Request, recorder as unknown as Response, () => void (ran = true));
  if (!ran) throw new Error("helmet did not set its headers in one synchronous pass");
  return headers;
}

/** Shared counter PCs: nothing answered to a session or a device is kept by a browser or a proxy. */
export function noStoreWhenSignedIn(_req: Request, res: Response, next: NextFunction) {
  const auth = res.locals.auth;
  if (auth?.user || auth?.device) res.set("Cache-Control", "no-store");
  next();
}
