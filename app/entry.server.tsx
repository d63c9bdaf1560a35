// React Router's default Node entry, with two changes: the request's CSP nonce (made by the
// Express server, server/http/security.ts) goes on every script React Router renders, and a
// page whose data could not be loaded for lack of a database answers 503.
import { PassThrough } from "node:stream";
import { createReadableStreamFromReadable } from "@react-router/node";
import { isbot } from "isbot";
import type { RenderToPipeableStreamOptions } from "react-dom/server";
import { renderToPipeableStream } from "react-dom/server";
import { isRouteErrorResponse, ServerRouter, type AppLoadContext, type EntryContext } from "react-router";
import { RETRY_AFTER_SECONDS } from "../server/http/database-gate";
import { NonceProvider } from "./lib/nonce";

export const streamTimeout = 5_000;

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  routerContext: EntryContext,
  loadContext: AppLoadContext,
) {
  if (request.method.toUpperCase() === "HEAD") {
    return new Response(null, { status: responseStatusCode, headers: responseHeaders });
  }
  const nonce = loadContext.cspNonce;
  // A loader that failed because the database is unreachable: a 503 the browser may retry, not a 500.
  const errors = Object.values(routerContext.staticHandlerContext.errors ?? {});
  if (errors.some((error) => loadContext.services.databaseGate.noteFailure(error))) {
    responseStatusCode = 503;
    responseHeaders.set("Retry-After", String(RETRY_AFTER_SECONDS));
  }

  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const userAgent = request.headers.get("user-agent");
    // Bots and SPA mode wait for all content; people get the shell as soon as it is ready.
    const readyOption: keyof RenderToPipeableStreamOptions = (userAgent && isbot(userAgent)) || routerContext.isSpaMode ? "onAllReady" : "onShellReady";
    let timeoutId: ReturnType<typeof setTimeout> | undefined = setTimeout(() => abort(), streamTimeout + 1000);

    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <ServerRouter context={routerContext} url={request.url} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        [readyOption]() {
          shellRendered = true;
          const body = new PassThrough({
            final(callback) {
              clearTimeout(timeoutId);
              timeoutId = undefined;
              callback();
            },
          });
          const stream = createReadableStreamFromReadable(body);
          responseHeaders.set("Content-Type", "text/html");
          pipe(body);
          resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Errors while rendering the shell reject above and are logged by React Router.
          if (shellRendered) loadContext.services?.logger.error({ err: error }, "page rendering failed");
        },
      },
    );
  });
}

/**
 * Errors React Router reports while handling a request: a 4xx it answered itself (a POST to a
 * page without a form, a path that does not exist) is the client's business, not a log line;
 * a lost database connection closes the database gate (logged there once).
 */
export function handleError(error: unknown, { request, context }: { request: Request; context: AppLoadContext }) {
  if (isRouteErrorResponse(error) && error.status < 500) return;
  if (request.signal.aborted) return;
  // The database gone: the next requests are answered at once (server/http/database-gate.ts), the page retries.
  if (context.services?.databaseGate.noteFailure(error)) return;
  // Through the server's logger, so the line carries the request's id.
  if (context.services) context.services.logger.error({ err: error }, "page request failed");
  else console.error(error);
}
