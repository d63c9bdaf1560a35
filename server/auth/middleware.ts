import type { NextFunction, Request, Response } from "express";
import type { Database } from "../../db/client";
import type { Device } from "../../db/schema";
import { validateDeviceToken } from "../devices/service";
import { clearCookie, readCookie, type CookieOptions } from "./cookies";
import type { SessionCache } from "./session-cache";
import { validateSessionToken, type Session, type SessionPolicy, type SessionUser } from "./session";

export type RequestAuth = { user: SessionUser | null; session: Session | null; device: Device | null };

declare module "express-serve-static-core" {
  interface Locals {
    auth?: RequestAuth;
  }
}

/**
 * Reads the session and device cookies once per page or API request (the request counts as
 * the session's activity) and clears cookies that are no longer valid. A session read a moment
 * ago may come from `sessions` (server/auth/session-cache.ts).
 */
export function authenticate(db: Database, options: CookieOptions & { sessionPolicy: SessionPolicy; now?: () => Date; sessions?: SessionCache }) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const auth: RequestAuth = { user: null, session: null, device: null };
      const sessionToken = readCookie(req.headers.cookie, "session", options);
      if (sessionToken) {
        const result = await validateSessionToken(db, sessionToken, { policy: options.sessionPolicy, now: options.now?.(), cache: options.sessions });
        if (result) {
          auth.user = result.user;
          auth.session = result.session;
        } else {
          res.append("Set-Cookie", clearCookie("session", options));
        }
      }
      const deviceToken = readCookie(req.headers.cookie, "device", options);
      if (deviceToken) {
        auth.device = await validateDeviceToken(db, deviceToken);
        if (!auth.device) res.append("Set-Cookie", clearCookie("device", options));
      }
      res.locals.auth = auth;
      next();
    } catch (error) {
      next(error);
    }
  };
}
