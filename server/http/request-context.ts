/**
 * A request id for everything one request (or one socket message) does: given back in the
 * `X-Request-Id` header and added by the logger to every line written meanwhile
 * (AsyncLocalStorage follows the request through every await).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import type { NextFunction, Request, Response } from "express";

const storage = new AsyncLocalStorage<{ requestId: string }>();

export const currentRequestId = () => storage.getStore()?.requestId;

/** Runs `work` as a request of its own (a socket message, one run of a background step). */
export const asRequest = <T>(work: () => T): T => storage.run({ requestId: randomUUID() }, work);

export function requestContext(_req: Request, res: Response, next: NextFunction) {
  const requestId = randomUUID();
  res.set("X-Request-Id", requestId);
  storage.run({ requestId }, next);
}
