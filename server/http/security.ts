/**
 * Response headers every answer carries (helmet): a Content-Security-Policy whose scripts need
 * this response's nonce, no framing, HSTS when the cookies are Secure (the site is on HTTPS),
 * and `Cache-Control: no-store` on anything answered to a signed-in person or a device.
 */
import { randomBytes } from "node:crypto";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import helmet from "helmet";

declare module "express-serve-static-core" {
  interface Locals {
    cspNonce?: string;
  }
}

export function securityHeaders(options: { secure: boolean; strictScripts: boolean }): RequestHandler[] {
  const nonce: RequestHandler = (_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString("base64");
    next();
  };
  const scriptNonce = (_req: unknown, res: unknown) => `'nonce-${(res as Response).locals.cspNonce}'`;
  const headers = helmet({
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
    strictTransportSecurity: options.secure ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: "same-origin" },
    xFrameOptions: { action: "deny" },
  });
  return [nonce, headers];
}

/** Shared counter PCs: nothing answered to a session or a device is kept by a browser or a proxy. */
export function noStoreWhenSignedIn(_req: Request, res: Response, next: NextFunction) {
  const auth = res.locals.auth;
  if (auth?.user || auth?.device) res.set("Cache-Control", "no-store");
  next();
}
