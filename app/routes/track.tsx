import { useEffect, useRef, useState } from "react";
import { data, isRouteErrorResponse, useRevalidator, useRouteError } from "react-router";
import { isAppError } from "../../server/errors";
import { t } from "../../server/i18n";
import { formatDateTime, formatTime } from "../../server/time";
import type { TrackingView } from "../../server/tracking/view";
import { TicketStatusPanel } from "../components/tracking/status-panel";
import { audioContext, chime } from "../lib/announce.client";
import { useHydrated } from "../lib/hydrated";
import { keepShownData, reloadWhenHealthy } from "../lib/offline";
import { useTrackingLive } from "../lib/use-tracking-live";
import type { Route } from "./+types/track";

export const meta: Route.MetaFunction = ({ data: loaded }) => [
  { title: `${loaded?.view ? `${loaded.view.code} · ` : ""}${t("track.title")} · ${t("app.name")}` },
  { name: "robots", content: "noindex" },
];

// The token is the key to the page: never cached by a browser or a proxy, never sent on as a referrer.
export const headers: Route.HeadersFunction = () => ({ "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" });

export async function loader({ params, context }: Route.LoaderArgs) {
  try {
    const view = await context.services.tracking.view({ token: params.token, address: context.clientAddress });
    return { view, token: params.token, at: (context.services.now?.() ?? new Date()).toISOString() };
  } catch (error) {
    if (isAppError(error)) throw data({ message: error.message, code: error.code }, { status: error.status });
    throw error;
  }
}

// Reloaded on each event of the centre: when the server does not answer, the page keeps what it shows.
export const clientLoader = keepShownData<Awaited<ReturnType<Route.ClientLoaderArgs["serverLoader"]>>>();

/** States after which nothing more happens to the ticket: the page stops listening. */
const FINAL = new Set(["done", "cancelled", "expired"]);

export default function Track({ loaderData }: Route.ComponentProps) {
  const { view, token, at } = loaderData;
  const revalidator = useRevalidator();
  const connection = useTrackingLive(token, !FINAL.has(view.status), () => void revalidator.revalidate());
  const sound = useCallAlert(view);

  return (
    <main className="min-h-screen bg-slate-100 pb-8">
      <header className="bg-brand-800 px-4 pt-5 pb-16 text-white">
        <p className="text-sm text-brand-100">{view.centreName}</p>
        <h1 className="text-lg font-semibold">{t("track.title")}</h1>
      </header>
      <div className="mx-auto -mt-12 w-full max-w-md space-y-3 px-4">
        <section className="rounded-2xl bg-white p-5 text-center shadow-sm ring-1 ring-slate-200" aria-labelledby="ticket-code">
          <p className="text-sm text-slate-600">{t("track.yourNumber")}</p>
          <p id="ticket-code" className="text-6xl leading-tight font-black text-brand-800 tabular-nums" data-testid="track-code">
            {view.code}
          </p>
          <p className="text-lg font-semibold">{view.fieldName}</p>
          <p className="mt-1 text-sm text-slate-500">{t("track.issuedAt", { time: formatDateTime(view.issuedAt) })}</p>
        </section>
        <TicketStatusPanel view={view} />
        {view.dossiers.length > 0 ? (
          <section className="rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid="track-dossiers">
            <h2 className="text-sm font-semibold text-slate-600">{t("track.dossier")}</h2>
            <ul className="mt-1 space-y-1">
              {view.dossiers.map((d) => (
                <li key={d.code} className="flex flex-wrap items-baseline justify-between gap-2">
                  <span className="font-mono text-lg font-bold">{d.code}</span>
                  <a href={d.lookupPath} className="text-brand-700 underline">
                    {t("track.dossierLookup")}
                  </a>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        {!FINAL.has(view.status) && sound.supported ? (
          sound.on ? (
            <p className="rounded-xl bg-emerald-50 px-4 py-2 text-center text-sm font-medium text-emerald-900 ring-1 ring-emerald-200" data-testid="sound-on">
              {t("track.sound.on")}
            </p>
          ) : (
            <div className="text-center">
              <button
                type="button"
                onClick={sound.enable}
                className="w-full rounded-xl bg-white px-4 py-3 font-semibold text-brand-800 shadow-sm ring-1 ring-brand-600"
                data-testid="sound-enable"
              >
                🔔 {t("track.sound.enable")}
              </button>
              <p className="mt-1 text-xs text-slate-500">{t("track.sound.hint")}</p>
            </div>
          )
        ) : null}
        <LiveLine connection={FINAL.has(view.status) ? null : connection} at={at} href={`/t/${token}`} />
      </div>
    </main>
  );
}

function LiveLine({ connection, at, href }: { connection: ReturnType<typeof useTrackingLive> | null; at: string; href: string }) {
  const label = connection === "online" ? "track.live" : connection === "connecting" ? "track.connecting" : connection === "restarting" ? "track.restarting" : "track.offline";
  const dot = connection === "online" ? "bg-emerald-500" : connection === "connecting" ? "bg-slate-400" : "animate-pulse bg-amber-500";
  return (
    <p className="flex flex-wrap items-center justify-center gap-x-2 gap-y-1 text-center text-sm text-slate-600" data-testid="track-live" data-connection={connection ?? "final"}>
      {connection ? (
        <>
          <span aria-hidden className={`inline-block h-2.5 w-2.5 rounded-full ${dot}`} />
          <span>{t(label)}</span>
          <span aria-hidden>·</span>
        </>
      ) : null}
      <span>{t("track.updatedAt", { time: formatTime(at) })}</span>
      {connection !== null && connection !== "online" ? (
        // Works without JavaScript too: the page is whole as the server sends it.
        <a href={href} className="font-semibold text-brand-700 underline">
          {t("track.refresh")}
        </a>
      ) : null}
    </p>
  );
}

/**
 * When the ticket is called (or called again): a chime and a vibration where the phone allows.
 * Browsers keep sound off until the person touches the page, hence the button that enables it.
 */
function useCallAlert(view: TrackingView) {
  const hydrated = useHydrated();
  const supported = hydrated && ("AudioContext" in window || "vibrate" in navigator);
  const [on, setOn] = useState(false);
  const seen = useRef({ status: view.status, recalls: view.recallCount });
  useEffect(() => {
    const before = seen.current;
    seen.current = { status: view.status, recalls: view.recallCount };
    const called = view.status === "called" && (before.status !== "called" || view.recallCount > before.recalls);
    if (!called) return;
    navigator.vibrate?.([400, 200, 400, 200, 400]);
    // Only once sound was enabled: an AudioContext made without a touch stays mute anyway.
    const ctx = on ? audioContext() : null;
    if (ctx?.state === "running") void chime(ctx);
  }, [view.status, view.recallCount, on]);
  const enable = () => {
    const ctx = audioContext();
    void ctx?.resume().then(() => chime(ctx));
    navigator.vibrate?.(120);
    setOn(true);
  };
  return { supported, on, enable };
}

export function ErrorBoundary() {
  const error = useRouteError();
  const known = isRouteErrorResponse(error) && error.status < 500;
  const said = known ? (error.data as { message?: string } | undefined)?.message : undefined;
  const title = known ? (error.status === 429 ? t("track.throttled.title") : t("track.notFound.title")) : t("errorPage.unavailable.title");
  useEffect(() => (known ? undefined : reloadWhenHealthy()), [known]);
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col items-center justify-center gap-3 p-6 text-center" data-testid="track-error">
      <h1 className="text-2xl font-bold">{title}</h1>
      <p role="alert" className="text-lg text-slate-700">
        {said ?? t("track.unavailable")}
      </p>
    </main>
  );
}
