import { useEffect, useState } from "react";
import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import { vi as viLocale } from "date-fns/locale";
import type { PublicQueueEvent } from "../../server/realtime/events";
import { getPublicSnapshot } from "../../server/queue/snapshot";
import { audioContext, playChime, speakCall } from "../lib/announce.client";
import { fieldWaitMinutes } from "../../server/queue/estimate";
import { requireDevice } from "../lib/guards.server";
import { t } from "../../server/i18n";
import { TIME_ZONE } from "../../server/time";
import { useLiveSnapshot } from "../lib/use-live-snapshot";
import type { Route } from "./+types/display";

export const meta: Route.MetaFunction = () => [{ title: `${t("display.nowCalling")} · ${t("app.name")}` }];

const FLASH_MS = 8_000;

export async function loader({ context }: Route.LoaderArgs) {
  const { actor } = requireDevice(context, "calls.announce");
  return { snapshot: await getPublicSnapshot(context.services, actor) };
}

export default function Display({ loaderData }: Route.ComponentProps) {
  const [flashId, setFlashId] = useState<number | null>(null);
  const { snapshot, connection } = useLiveSnapshot(loaderData.snapshot, {
    onEvent: (event: PublicQueueEvent) => {
      if (event.type !== "ticket.called" && event.type !== "ticket.recalled") return;
      setFlashId(event.ticket.id);
      playChime();
      speakCall(event.ticket.code, event.counter.number);
    },
  });
  useEffect(() => {
    if (flashId === null) return;
    const timer = setTimeout(() => setFlashId(null), FLASH_MS);
    return () => clearTimeout(timer);
  }, [flashId]);

  const latest = snapshot.recentCalls[0];
  const earlier = snapshot.recentCalls.slice(1);
  const fieldName = (id: number) => snapshot.fields.find((f) => f.id === id)?.name ?? "";

  return (
    <div data-connection={connection} data-testid="display" className="flex h-screen flex-col overflow-hidden bg-slate-950 text-white">
      {connection === "offline" ? (
        <div role="alert" data-testid="offline-banner" className="bg-red-700 px-8 py-3 text-center text-2xl font-semibold">
          {t("display.offline")}
        </div>
      ) : null}
      <header className="flex items-center justify-between border-b border-slate-800 bg-brand-900 px-10 py-5">
        <div className="flex items-center gap-5">
          <span aria-hidden className="grid h-16 w-16 place-items-center rounded-xl bg-red-700 text-4xl font-black text-yellow-300">1</span>
          <h1 className="text-4xl font-bold">{snapshot.centre.name}</h1>
        </div>
        <Clock />
      </header>

      <main className="grid min-h-0 flex-1 grid-cols-[1.15fr_1fr] gap-8 p-8">
        <section className="flex min-h-0 flex-col gap-6">
          <div
            data-testid="latest-call"
            className={`flex flex-1 flex-col items-center justify-center rounded-3xl bg-slate-900 p-8 ring-2 ring-slate-800 ${
              latest && flashId === latest.ticket.id ? "animate-call-flash ring-yellow-400" : ""
            }`}
          >
            {latest ? (
              <>
                <p className="text-5xl text-slate-300">{t("display.nowCalling")}</p>
                <p className="my-2 text-[15rem] leading-none font-black tracking-tight text-yellow-300 tabular-nums">{latest.ticket.code}</p>
                <p className="text-6xl font-bold">
                  {t("display.toCounter")} <span className="text-yellow-300">{latest.counterNumber}</span>
                </p>
                <p className="mt-4 text-3xl text-slate-400">{fieldName(latest.ticket.fieldId)}</p>
              </>
            ) : (
              <p className="text-5xl text-slate-400">{t("display.idle")}</p>
            )}
          </div>
          <div>
            <h2 className="mb-3 text-2xl font-semibold text-slate-400">{t("display.recent")}</h2>
            {earlier.length === 0 ? <p className="text-2xl text-slate-500">{t("display.recentNone")}</p> : null}
            <ul className="grid grid-cols-5 gap-4">
              {earlier.map((c) => (
                <li key={c.ticket.id} className="rounded-2xl bg-slate-900 px-4 py-3 text-center ring-1 ring-slate-800">
                  <span className="block text-4xl font-bold tabular-nums">{c.ticket.code}</span>
                  <span className="text-xl text-slate-400">{t("display.counter", { n: c.counterNumber })}</span>
                </li>
              ))}
            </ul>
          </div>
        </section>

        <section className="flex min-h-0 flex-col">
          <h2 className="mb-3 text-2xl font-semibold text-slate-400">{t("display.counters")}</h2>
          <ul className="grid flex-1 auto-rows-fr grid-cols-2 gap-3">
            {snapshot.counters.map((c) => (
              <li
                key={c.id}
                data-testid={`counter-${c.number}`}
                className={`flex items-center justify-between rounded-2xl px-6 ring-1 ${
                  c.current && c.current.id === flashId ? "animate-call-flash bg-slate-800 ring-yellow-400" : "bg-slate-900 ring-slate-800"
                }`}
              >
                <span className="text-3xl font-semibold text-slate-300">{t("display.counter", { n: c.number })}</span>
                <span className={`tabular-nums ${c.current ? "text-5xl font-black text-white" : "text-2xl text-slate-500"}`}>
                  {c.current
                    ? c.current.code
                    : c.status === "closed"
                      ? t("display.counterClosed")
                      : c.status === "paused"
                        ? t("display.counterPaused")
                        : t("display.counterIdle")}
                </span>
              </li>
            ))}
          </ul>
        </section>
      </main>

      <footer className="border-t border-slate-800 bg-slate-900 px-8 py-4">
        <h2 className="sr-only">{t("display.waitingByField")}</h2>
        <ul className="flex flex-wrap justify-center gap-x-8 gap-y-2 text-2xl">
          {snapshot.fields
            .filter((f) => f.isOpen)
            .map((f) => (
              <li key={f.id} data-testid={`field-waiting-${f.code}`}>
                <span className="text-slate-400">{f.name}: </span>
                <span className="font-bold tabular-nums">{t("counter.people", { n: f.waiting })}</span>
                <FieldEstimate minutes={fieldWaitMinutes(f, snapshot.counters)} />
              </li>
            ))}
        </ul>
      </footer>
      <SoundGate />
    </div>
  );
}

function FieldEstimate({ minutes }: { minutes: number | null }) {
  if (!minutes) return null;
  return <span className="ml-2 text-slate-400">({t("display.estimate", { m: minutes })})</span>;
}

function Clock() {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(timer);
  }, []);
  const zoned = new TZDate(now.getTime(), TIME_ZONE);
  const weekday = format(zoned, "EEEE", { locale: viLocale });
  return (
    <div className="text-right" suppressHydrationWarning>
      <p className="text-5xl font-bold tabular-nums" suppressHydrationWarning>
        {format(zoned, "HH:mm")}
      </p>
      <p className="text-2xl text-brand-100" suppressHydrationWarning>
        {weekday.charAt(0).toUpperCase() + weekday.slice(1)}, {format(zoned, "dd/MM/yyyy")}
      </p>
    </div>
  );
}

/** Browsers keep sound off until someone touches the page; a TV set up once gets a button for that. */
function SoundGate() {
  const [needed, setNeeded] = useState(false);
  useEffect(() => {
    const ctx = audioContext();
    if (!ctx) return;
    void ctx.resume().catch(() => {});
    const check = () => setNeeded(ctx.state !== "running");
    const timer = setTimeout(check, 800);
    ctx.addEventListener("statechange", check);
    return () => {
      clearTimeout(timer);
      ctx.removeEventListener("statechange", check);
    };
  }, []);
  if (!needed) return null;
  return (
    <button
      type="button"
      onClick={() => void audioContext()?.resume()}
      className="fixed right-8 bottom-24 rounded-full bg-yellow-400 px-6 py-3 text-xl font-bold text-slate-900 shadow-lg"
    >
      🔔 {t("display.enableSound")}
    </button>
  );
}
