/**
 * The 503 answers of a server that cannot serve a request now — the database unreachable
 * (decision 0016), the pool busy past its wait, the process still starting (decision 0032):
 * JSON `{ error: { code, message } }` for the API and for clients asking for JSON; for a
 * browser, a short page in Vietnamese that reloads itself once the server is ready, never a
 * bare status code. Always with `Retry-After`, never cached.
 */
import type { Request, Response } from "express";
import { AppError } from "../errors";
import { t, type MessageKey } from "../i18n";

/** Seconds a client is told to wait before trying again. */
export const RETRY_AFTER_SECONDS = 3;

export type UnavailableCode = "database_unavailable" | "database_busy" | "starting";

const PAGE: Record<UnavailableCode, { title: MessageKey; body: MessageKey }> = {
  database_unavailable: { title: "unavailable.title", body: "unavailable.body" },
  database_busy: { title: "busy.title", body: "busy.body" },
  starting: { title: "starting.title", body: "starting.body" },
};

export function answerUnavailable(req: Request, res: Response, code: UnavailableCode) {
  res.set("Retry-After", String(RETRY_AFTER_SECONDS));
  res.set("Cache-Control", "no-store");
  const error = new AppError(code);
  if (req.originalUrl.startsWith("/api/") || req.accepts(["html", "json"]) !== "html" || req.method !== "GET") {
    res.status(error.status).json(error.toJSON());
    return;
  }
  const { title, body } = PAGE[code];
  res
    .status(error.status)
    .type("html")
    .send(
      `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
        // With scripts: reload once /readyz says the server is ready (a reload while it is down
        // would show the browser's own error page). Without: a plain refresh every few seconds.
        `<noscript><meta http-equiv="refresh" content="${RETRY_AFTER_SECONDS + 2}"></noscript>` +
        `<script nonce="${res.locals.cspNonce ?? ""}">${RETRY_SCRIPT}</script><title>${escapeHtml(t(title))} · ${escapeHtml(t("app.name"))}</title>` +
        `<link rel="stylesheet" href="/unavailable.css"></head><body><main data-testid="unavailable" data-code="${code}">` +
        `<h1>${escapeHtml(t(title))}</h1><p>${escapeHtml(t(body))}</p>` +
        `<p class="retry">${escapeHtml(t("unavailable.retrying"))}</p></main></body></html>`,
    );
}

const RETRY_SCRIPT =
  "(function(){var d=2000;function go(){fetch('/readyz',{cache:'no-store'}).then(function(r){r.ok?location.reload():later()},later)}" +
  "function later(){d=Math.min(d*1.5,30000);setTimeout(go,d)}setTimeout(go,d)})()";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
