/**
 * What a request must look like before anything reads it: a known method; for a page form, a
 * declared length within the limit, a form content type, UTF-8 and no compression. Refused
 * with a clear message and a 4xx, never a 500.
 */
import type { NextFunction, Request, Response } from "express";
import { AppError, type ErrorCode } from "../errors";

/** Forms and JSON bodies alike: no form of the product comes near it. */
export const BODY_LIMIT_BYTES = 64 * 1024;

const METHODS = new Set(["GET", "HEAD", "POST"]);
const FORM_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data"]);

/** Answers a refusal in the caller's language: JSON for the API (and JSON clients), plain text otherwise. */
export function refuse(req: Request, res: Response, error: AppError) {
  if (req.originalUrl.startsWith("/api/") || req.accepts(["html", "json"]) === "json") {
    res.status(error.status).json(error.toJSON());
  } else {
    res.status(error.status).type("text/plain; charset=utf-8").send(error.message);
  }
}

export function allowedMethods(req: Request, res: Response, next: NextFunction) {
  if (METHODS.has(req.method)) return next();
  res.set("Allow", [...METHODS].join(", "));
  refuse(req, res, new AppError("method_not_allowed"));
}

/** For the pages' forms (the API's JSON has its own parser with the same limit). */
export function pageBodies(req: Request, res: Response, next: NextFunction) {
  if (req.method !== "POST") return next();
  const problem = bodyProblem(req);
  if (!problem) return next();
  // The body is not read: the connection is closed after the answer, so it is not read later either.
  res.set("Connection", "close");
  refuse(req, res, new AppError(problem, { kb: BODY_LIMIT_BYTES / 1024 }));
}

function bodyProblem(req: Request): ErrorCode | null {
  const length = req.get("content-length");
  if (length === undefined) return req.get("transfer-encoding") ? "length_required" : null;
  if (!/^\d+$/.test(length)) return "bad_request";
  if (Number(length) > BODY_LIMIT_BYTES) return "payload_too_large";
  if (Number(length) === 0) return null;
  const encoding = req.get("content-encoding");
  if (encoding && encoding.toLowerCase() !== "identity") return "unsupported_media_type";
  const [type = "", ...params] = (req.get("content-type") ?? "").split(";").map((p) => p.trim().toLowerCase());
  if (!FORM_TYPES.has(type)) return "unsupported_media_type";
  const charset = params.find((p) => p.startsWith("charset="))?.slice("charset=".length).replace(/"/g, "");
  if (charset && charset !== "utf-8" && charset !== "utf8") return "unsupported_media_type";
  return null;
}

/**
 * An error raised before a handler ran (the JSON parser, a malformed %-escape in the path): its
 * 4xx status becomes one of our codes; anything else is not the client's fault.
 */
export function clientErrorOf(error: unknown): AppError | null {
  const status = (error as { status?: unknown; statusCode?: unknown })?.status ?? (error as { statusCode?: unknown })?.statusCode;
  if (typeof status !== "number" || status < 400 || status >= 500) return null;
  const byStatus: Record<number, ErrorCode> = { 411: "length_required", 413: "payload_too_large", 415: "unsupported_media_type" };
  return new AppError(byStatus[status] ?? "bad_request", { kb: BODY_LIMIT_BYTES / 1024 });
}
