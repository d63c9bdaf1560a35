/**
 * What every live page does when the server cannot be reached (the network gone, the server
 * restarting, the database away): it keeps the page and says so, never a browser error page
 * or a bare status code. The socket side is in use-live-snapshot.ts; this module holds the
 * rest: waiting for the server before a reload, and actions that answer "not sent" inline.
 */
import type { ShouldRevalidateFunctionArgs } from "react-router";
import type { ActionReply } from "./actions.server";

/**
 * Whether the server is ready to serve within `ms`: `/readyz` (started, database answering), not
 * `/healthz`, which answers as soon as the process lives — before its migrations, during an outage.
 */
export async function serverAnswers(ms = 2_000): Promise<boolean> {
  try {
    const res = await fetch("/readyz", { cache: "no-store", signal: AbortSignal.timeout(ms) });
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * Reloads the page once the server answers, trying again with a growing pause (2 s up to
 * 30 s): a reload while it is down would show the browser's own error page. Returns a cancel.
 */
export function reloadWhenHealthy(options: { firstDelayMs?: number } = {}): () => void {
  let delay = options.firstDelayMs ?? 2_000;
  let timer: ReturnType<typeof setTimeout>;
  let cancelled = false;
  const attempt = async () => {
    if (cancelled) return;
    if (await serverAnswers()) {
      if (!cancelled) window.location.reload();
      return;
    }
    delay = Math.min(delay * 1.5, 30_000);
    timer = setTimeout(attempt, delay);
  };
  timer = setTimeout(attempt, delay);
  return () => {
    cancelled = true;
    clearTimeout(timer);
  };
}

/** An action's answer when it could not reach the server: a refusal of the form that was sent, marked offline. */
export type OfflineReply = ActionReply & { offline: true };

export function offlineReply(form: string, message: string): OfflineReply {
  return { form, offline: true, result: { status: "error", error: { "": [message] } } };
}

/**
 * A live page's `clientAction`: the server's answer; or, when the request failed and the
 * server does not answer its health check, an answer that says the action was not sent —
 * shown where the page shows its answers, with the form still there to try again. Any other
 * failure goes on to the error boundary as before.
 */
export async function actionOrOffline<T>(
  { request, serverAction }: { request: Request; serverAction: () => Promise<T> },
  options: { form: (data: FormData) => string; message: string },
): Promise<T | OfflineReply> {
  const form = options.form(await request.clone().formData());
  try {
    return await serverAction();
  } catch (error) {
    if (await serverAnswers()) throw error;
    return offlineReply(form, options.message);
  }
}

/** A live page's `shouldRevalidate`: no reload of its data after an action that never reached the server. */
export function revalidateUnlessOffline({ actionResult, defaultShouldRevalidate }: ShouldRevalidateFunctionArgs): boolean {
  if (actionResult && typeof actionResult === "object" && "offline" in actionResult) return false;
  return defaultShouldRevalidate;
}

/**
 * A live page's `clientLoader` (run at hydration too): the server's data; when it cannot be had
 * because the server does not answer, the data the page already shows (its banner says it is
 * offline) rather than an error page. The page reloads its data once it is back.
 */
export function keepShownData<T>() {
  let shown: T | undefined;
  const clientLoader = async ({ serverLoader }: { serverLoader: () => Promise<T> }): Promise<T> => {
    try {
      return (shown = await serverLoader());
    } catch (error) {
      if (shown === undefined || (await serverAnswers())) throw error;
      return shown;
    }
  };
  return Object.assign(clientLoader, { hydrate: true as const });
}

/** A staff page's `clientAction` whose forms name themselves by their `intent` (app/lib/actions.server.ts). */
export const intentOrOffline =
  (message: string) =>
  <T>(args: { request: Request; serverAction: () => Promise<T> }) =>
    actionOrOffline(args, { form: (form) => String(form.get("intent") ?? ""), message });
