import type { NextFunction, Request, Response } from "express";
import type { Database } from "../../db/client";
import type { Device } from "../../db/schema";
import { validateDeviceToken } from "../devices/service";
import { DEVICE_COOKIE, SESSION_COOKIE, clearCookie, readCookie, setCookie } from "./cookies";
import { validateSessionToken, type Session, type SessionUser } from "./session";

export type RequestAuth = { user: SessionUser | null; session: Session | null; device: Device | null };

declare module "express-serve-static-core" {
  interface Locals {
    auth?: RequestAuth;
  }
}

/**
 * Reads the session and device cookies once per page or API request, slides the session's
 * expiry (re-sending its cookie) and clears cookies that are no longer valid.
 */
export function authenticate(db: Database, cookie: { secure: boolean }) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const auth: RequestAuth = { user: null, session: null, device: null };
      const sessionToken = readCookie(req.headers.cookie, SESSION_COOKIE);
      if (sessionToken) {
        const result = await validateSessionToken(db, sessionToken);
        if (result) {
          auth.user = result.user;
          auth.session = result.session;
          if (result.refreshed) res.append("Set-Cookie", setCookie(SESSION_COOKIE, sessionToken, result.session.expiresAt, cookie));
        } else {
          res.append("Set-Cookie", clearCookie(SESSION_COOKIE, cookie));
        }
      }
      const deviceToken = readCookie(req.headers.cookie, DEVICE_COOKIE);
      if (deviceToken) {
        auth.device = await validateDeviceToken(db, deviceToken);
        if (!auth.device) res.append("Set-Cookie", clearCookie(DEVICE_COOKIE, cookie));
      }
      res.locals.auth = auth;
      next();
    } catch (error) {
      next(error);
    }
  };
}
