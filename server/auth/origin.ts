import type { NextFunction, Request, Response } from "express";
import { AppError } from "../errors";
import { refuse } from "../http/guards";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** An absent Origin (a non-browser client) is allowed; a present one must be our host. */
export function isSameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (!origin) return true;
  if (!host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * Refuses state-changing requests that a browser sent from another site (CSRF), by the
 * Origin header and, when it is missing, by Sec-Fetch-Site.
 */
export function rejectCrossOrigin(req: Request, res: Response, next: NextFunction) {
  if (SAFE_METHODS.has(req.method)) return next();
  const origin = req.get("origin");
  const fetchSite = req.get("sec-fetch-site");
  const crossSite = origin ? !isSameOrigin(origin, req.get("host")) : fetchSite === "cross-site";
  if (!crossSite) return next();
  refuse(req, res, new AppError("cross_origin"));
}
