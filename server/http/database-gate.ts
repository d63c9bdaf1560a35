/**
 * What a request gets while PostgreSQL cannot be reached: an answer at once, not a wait for the
 * driver's timeouts. The first request that fails for lack of a connection closes the gate;
 * while it is closed every API call answers 503 `database_unavailable` (JSON) and every page a
 * short Vietnamese page that reloads itself once the server answers; a probe every half second opens it again
 * as soon as the database answers. Nothing is half-written: each change runs in a transaction,
 * and a transaction cut by the outage is rolled back by PostgreSQL.
 */
import type { NextFunction, Request, Response } from "express";
import type { Logger } from "pino";
import { isConnectionFailure, type DatabaseHandle } from "../../db/client";
import { AppError } from "../errors";
import { t } from "../i18n";

/** Seconds a client is told to wait before trying again. */
export const RETRY_AFTER_SECONDS = 3;

export type DatabaseGate = {
  /** False while the database is known to be unreachable. */
  readonly open: boolean;
  /** Closes the gate when `error` says the database cannot be reached; true when it did say so. */
  noteFailure(error: unknown): boolean;
  /** Answers at once while the gate is closed (before any query is tried). */
  refuseWhileClosed(req: Request, res: Response, next: NextFunction): void;
  /** An error handler: a connection failure becomes the 503 answer; anything else goes on. */
  answerFailure(error: unknown, req: Request, res: Response, next: NextFunction): void;
  /** Checks the database now (the health endpoints): at most `timeoutMs`, and at once while closed. */
  check(timeoutMs: number): Promise<{ up: boolean; latencyMs?: number }>;
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

  // At once (a connection the restart left stale fails once while the database is already back), then every half second.
  const probeNow = () => {
    if (stopped) return;
    withTimeout(database.ping(), 1_000).then(reopen, () => {
      if (stopped) return;
      probe = setTimeout(probeNow, probeEveryMs);
      probe.unref();
    });
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
    refuseWhileClosed(req, res, next) {
      if (closedSince === null) return next();
      unavailable(req, res);
    },
    answerFailure(error, req, res, next) {
      if (!gate.noteFailure(error) || res.headersSent) return next(error);
      unavailable(req, res);
    },
    async check(timeoutMs) {
      if (closedSince !== null) return { up: false };
      const started = performance.now();
      try {
        await withTimeout(database.ping(), timeoutMs);
        return { up: true, latencyMs: Math.round(performance.now() - started) };
      } catch (error) {
        // A ping that times out says as much as a refused connection.
        if (!gate.noteFailure(error)) gate.noteFailure(Object.assign(new Error("ping timed out"), { code: "CONNECT_TIMEOUT" }));
        return { up: false };
      }
    },
    stop() {
      stopped = true;
      clearTimeout(probe);
    },
  };
  return gate;
}

/**
 * The 503: JSON for the API and for clients asking for JSON; for a browser, a page in
 * Vietnamese that reloads itself (no script needed), never a bare status code.
 */
function unavailable(req: Request, res: Response) {
  res.set("Retry-After", String(RETRY_AFTER_SECONDS));
  res.set("Cache-Control", "no-store");
  const error = new AppError("database_unavailable");
  if (req.originalUrl.startsWith("/api/") || req.accepts(["html", "json"]) !== "html" || req.method !== "GET") {
    res.status(error.status).json(error.toJSON());
    return;
  }
  res
    .status(error.status)
    .type("html")
    .send(
      `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
        // With scripts: reload once /healthz answers (a reload while the server is down would show
        // the browser's own error page). Without: a plain refresh every few seconds.
        `<noscript><meta http-equiv="refresh" content="${RETRY_AFTER_SECONDS + 2}"></noscript>` +
        `<script nonce="${res.locals.cspNonce ?? ""}">${RETRY_SCRIPT}</script><title>${escapeHtml(t("unavailable.title"))} · ${escapeHtml(t("app.name"))}</title>` +
        `<link rel="stylesheet" href="/unavailable.css"></head><body><main data-testid="unavailable">` +
        `<h1>${escapeHtml(t("unavailable.title"))}</h1><p>${escapeHtml(t("unavailable.body"))}</p>` +
        `<p class="retry">${escapeHtml(t("unavailable.retrying"))}</p></main></body></html>`,
    );
}

/** What the driver said, without the query: "CONNECTION_CLOSED", "57P01 terminating connection…". */
function reasonOf(error: unknown): string {
  let e = error;
  while (e && typeof e === "object" && (e as { cause?: unknown }).cause) e = (e as { cause?: unknown }).cause;
  const { code, message } = (e ?? {}) as { code?: unknown; message?: unknown };
  return [code, message].filter((x) => typeof x === "string" && x).join(" ");
}

const RETRY_SCRIPT =
  "(function(){var d=2000;function go(){fetch('/healthz',{cache:'no-store'}).then(function(r){r.ok?location.reload():later()},later)}" +
  "function later(){d=Math.min(d*1.5,30000);setTimeout(go,d)}setTimeout(go,d)})()";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(Object.assign(new Error(`timed out after ${ms} ms`), { code: "CONNECT_TIMEOUT" })), ms);
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
