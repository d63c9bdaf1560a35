/**
 * What a request gets when the database cannot serve it now, answered before any query is tried.
 *
 * - PostgreSQL unreachable (decision 0016): the first request that fails for lack of a
 *   connection closes the gate; while it is closed every API call answers 503
 *   `database_unavailable` (JSON) and every page a short Vietnamese page that reloads itself; a
 *   probe every half second opens it again as soon as the database answers.
 * - The pool busy (decision 0032): a request waits at most the pool's wait for a place on it
 *   (db/admission.ts), holds that place until its answer is sent, and past the wait answers 503
 *   `database_busy` — before it has read or written anything.
 *
 * Nothing is half-written: each change runs in a transaction, and a transaction cut by an
 * outage is rolled back by PostgreSQL.
 */
import type { NextFunction, Request, Response } from "express";
import type { Logger } from "pino";
import { isDatabaseBusy } from "../../db/admission";
import { isConnectionFailure, type DatabaseHandle } from "../../db/client";
import { isAppError } from "../errors";
import { answerUnavailable } from "./unavailable";

export { RETRY_AFTER_SECONDS } from "./unavailable";

export type DatabaseGate = {
  /** False while the database is known to be unreachable. */
  readonly open: boolean;
  /** Closes the gate when `error` says the database cannot be reached; true when it did say so. */
  noteFailure(error: unknown): boolean;
  /**
   * In front of every route that reads the database: answers at once while the gate is closed,
   * else waits (bounded) for a place on the pool and holds it until the answer is sent, or
   * answers `database_busy`.
   */
  admit(req: Request, res: Response, next: NextFunction): void;
  /** An error handler: a connection failure or a refused wait becomes the 503 answer; anything else goes on. */
  answerFailure(error: unknown, req: Request, res: Response, next: NextFunction): void;
  /**
   * Asks the database now, on its own connection (the readiness check): at most `timeoutMs`, and
   * at once while the gate is closed. `no_answer`: connected, but no answer in time — said, but
   * not taken for an outage (requests still try; a connection that really fails closes the gate).
   */
  check(timeoutMs: number): Promise<{ state: "up"; latencyMs: number } | { state: "unreachable" | "no_answer" }>;
  stop(): void;
};

export function createDatabaseGate(database: DatabaseHandle, logger: Logger, options: { probeEveryMs?: number } = {}): DatabaseGate {
  const probeEveryMs = options.probeEveryMs ?? 500;
  let closedSince: number | null = null;
  let probe: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const reopen = () => {
    if (closedSince === null) return;
    logger.info({ downForMs: Date.now() - closedSince }, "database reachable again");
    closedSince = null;
  };

  // At once, then every half second. The database answering on the health check's own
  // connection is not enough: the pool's connections that the outage cut are touched first
  // (twice at most), so they fail here rather than close the gate again on the next requests.
  const probeNow = () => {
    if (stopped) return;
    const back = async () => {
      await withTimeout(database.ping(), 1_000);
      if ((await withTimeout(database.touchPool(), 2_000)) > 0) await withTimeout(database.touchPool(), 2_000);
    };
    back().then(reopen, () => {
      if (stopped) return;
      probe = setTimeout(probeNow, probeEveryMs);
      probe.unref();
    });
  };

  // Refusals are logged once, then counted into a line every 10 s while they go on (not one per request).
  let refusalsUnlogged = 0;
  let refusalLog: ReturnType<typeof setTimeout> | undefined;
  const noteRefusal = () => {
    if (refusalLog) {
      refusalsUnlogged += 1;
      return;
    }
    const { max, waitMs } = database.pool.stats();
    logger.warn({ max, waitMs }, "database pool busy: requests that waited too long for a connection are answered database_busy");
    refusalLog = setTimeout(function flush() {
      if (refusalsUnlogged === 0) return void (refusalLog = undefined);
      logger.warn({ refused: refusalsUnlogged, max, waitMs }, "database pool still busy: requests answered database_busy in the last 10 s");
      refusalsUnlogged = 0;
      refusalLog = setTimeout(flush, 10_000);
      refusalLog.unref();
    }, 10_000);
    refusalLog.unref();
  };

  const gate: DatabaseGate = {
    get open() {
      return closedSince === null;
    },
    noteFailure(error) {
      if (!isConnectionFailure(error)) return false;
      if (closedSince === null) {
        closedSince = Date.now();
        // The reason only: a failed query's text and parameters (a session id…) stay out of the log.
        logger.error({ reason: reasonOf(error) }, "database unreachable: requests are answered 503 until it is back");
        probeNow();
      }
      return true;
    },
    admit(req, res, next) {
      if (closedSince !== null) return answerUnavailable(req, res, "database_unavailable");
      database.pool.acquire().then(
        (release) => {
          // A client gone while it waited: its place goes back at once, nothing is done for it.
          if (req.socket.destroyed) return release();
          const held = database.pool.hold(release);
          res.once("finish", held.end);
          res.once("close", held.end);
          held.run(next);
        },
        (error: unknown) => {
          if (!isBusy(error)) return next(error);
          noteRefusal();
          if (!req.socket.destroyed) answerUnavailable(req, res, "database_busy");
        },
      );
    },
    answerFailure(error, req, res, next) {
      if (res.headersSent) return next(error);
      if (isBusy(error)) return answerUnavailable(req, res, "database_busy");
      if (!gate.noteFailure(error)) return next(error);
      answerUnavailable(req, res, "database_unavailable");
    },
    async check(timeoutMs) {
      if (closedSince !== null) return { state: "unreachable" };
      const started = performance.now();
      try {
        await withTimeout(database.ping(), timeoutMs);
        return { state: "up", latencyMs: Math.round(performance.now() - started) };
      } catch (error) {
        if ((error as { code?: unknown }).code === "PING_TIMEOUT") return { state: "no_answer" };
        // Any failure of the ping itself (refused, reset, closed) is an outage: the gate closes.
        if (!gate.noteFailure(error)) gate.noteFailure(Object.assign(new Error((error as Error).message ?? "ping failed"), { code: "CONNECTION_CLOSED" }));
        return { state: "unreachable" };
      }
    },
    stop() {
      stopped = true;
      clearTimeout(probe);
      clearTimeout(refusalLog);
    },
  };
  return gate;
}

/** A refused wait for the pool: the driver's own error, or the refusal the server had it throw, through drizzle's wrapping. */
export function isBusy(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (isAppError(e) && e.code === "database_busy") return true;
  }
  return isDatabaseBusy(error);
}

/** What the driver said, without the query: "CONNECTION_CLOSED", "57P01 terminating connection…". */
export function reasonOf(error: unknown): string {
  let e = error;
  while (e && typeof e === "object" && (e as { cause?: unknown }).cause) e = (e as { cause?: unknown }).cause;
  const { code, message } = (e ?? {}) as { code?: unknown; message?: unknown };
  return [code, message].filter((x) => typeof x === "string" && x).join(" ");
}

/**
 * `promise`, or a rejection after `ms`. The rejection waits for the event loop's next check
 * phase, after the pending I/O: a loop that was blocked longer than `ms` reads the answer that
 * did come in time instead of calling it late.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => setImmediate(() => reject(Object.assign(new Error(`no answer within ${ms} ms`), { code: "PING_TIMEOUT" }))), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
