import { useEffect, useRef, useState } from "react";
import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import { vi as viLocale } from "date-fns/locale";
import type { PublicQueueEvent } from "../../server/realtime/events";
import { getPublicSnapshot } from "../../server/queue/snapshot";
import { audioContext, browserPlayer, currentVoice, soundAllowed, watchVoices, type Voice } from "../lib/announce.client";
import { CallAnnouncer, callKey, missedCallsToAnnounce, type CallPlayer } from "../lib/announcer";
import { fieldWaitMinutes } from "../../server/queue/estimate";
import { fieldServed } from "../../server/queue/availability";
import { requireDevice } from "../lib/guards.server";
import { t } from "../../server/i18n";
import { TIME_ZONE } from "../../server/time";
import { nowCalling } from "../lib/board";
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
  // One call at a time, each once: a live event and the same call found after a reconnect are one.
  // The player is made at the first call: it exists in the browser only (announce.client.ts).
  const [announcer] = useState(() => {
    let player: CallPlayer | undefined;
    return new CallAnnouncer({ play: (call) => (player ??= browserPlayer()).play(call) });
  });
  // A screen set to some fields shows and says only their calls (its choice comes with each snapshot).
  const shownRef = useRef<number[] | null>(loaderData.snapshot.screenFieldIds ?? null);
  const shows = (fieldId: number) => !shownRef.current || shownRef.current.includes(fieldId);
  const sound = useSound();
  const { snapshot, connection } = useLiveSnapshot(loaderData.snapshot, {
    // How this screen is heard, for the device list: recorded clips, a speech voice, or nothing until someone touches it.
    modes: !sound.allowed ? { voice: "silent" } : sound.voice?.kind === "speech" ? { voice: "speech", voiceName: sound.voice.name } : { voice: "clips" },
    onEvent: (event: PublicQueueEvent) => {
      if (event.type !== "ticket.called" && event.type !== "ticket.recalled") return;
      if (!shows(event.ticket.fieldId)) return;
      setFlashId(event.ticket.id);
      announcer.announce({ key: callKey(event.ticket.id, event.seq), code: event.ticket.code, counterNumber: event.counter.number });
    },
    // Back after a loss: the calls made meanwhile are in "Vừa gọi" (the fresh snapshot), and those
    // still waiting for their citizen and recent are said aloud, once each.
    onMissedCalls: (all) => {
      const calls = all.filter((c) => shows(c.ticket.fieldId));
      const toSay = missedCallsToAnnounce(calls, Date.now());
      for (const call of toSay) announcer.announce(call);
      const lastId = calls.at(-1)?.ticket.id;
      if (lastId !== undefined) setFlashId(lastId);
    },
  });
  useEffect(() => {
    if (flashId === null) return;
    const timer = setTimeout(() => setFlashId(null), FLASH_MS);
    return () => clearTimeout(timer);
  }, [flashId]);

  const screenFields = snapshot.screenFieldIds ?? null;
  useEffect(() => {
    shownRef.current = screenFields;
  }, [screenFields]);
  const onScreen = (fieldId: number) => !screenFields || screenFields.includes(fieldId);
  const calls = snapshot.recentCalls.filter((c) => onScreen(c.ticket.fieldId));
  const latest = nowCalling({ ...snapshot, recentCalls: calls });
  // Two rows of five: a TV back from a cut still lists the calls it missed.
  const earlier = calls.filter((c) => c !== latest).slice(0, 10);
  const open = snapshot.counters.filter((c) => c.status !== "closed" && (!screenFields || c.fieldIds.some(onScreen)));
  const fieldName = (id: number) => snapshot.fields.find((f) => f.id === id)?.name ?? "";

  // Sizes follow the screen's height, so a 1280×720 TV shows all that a 1920×1080 one does.
  return (
    <div data-connection={connection} data-testid="display" className="flex h-screen flex-col overflow-hidden bg-slate-950 text-white">
      {connection === "offline" || connection === "restarting" ? (
        <div
          role="alert"
          data-testid="offline-banner"
          className={`px-8 py-[1vh] text-center text-[clamp(1rem,2.4vh,1.5rem)] font-semibold ${connection === "restarting" ? "bg-amber-600" : "bg-red-700"}`}
        >
          {connection === "restarting" ? t("display.restarting") : t("display.offline")}
        </div>
      ) : null}
      <header className="flex items-center justify-between gap-6 border-b border-slate-800 bg-brand-900 px-[2.5vw] py-[1.4vh]">
        <div className="flex min-w-0 items-center gap-[1.2vw]">
          <span aria-hidden className="grid size-[6vh] shrink-0 place-items-center rounded-xl bg-red-700 text-[3.6vh] font-black text-yellow-300">
            1
          </span>
          <h1 className="truncate text-[clamp(1.4rem,3.8vh,2.5rem)] font-bold">{snapshot.centre.name}</h1>
        </div>
        <div className="flex items-center gap-[1.5vw]">
          <SoundStatus allowed={sound.allowed} voice={sound.voice} />
          <Clock />
        </div>
      </header>

      <main className="grid min-h-0 flex-1 grid-cols-[1.15fr_1fr] gap-[2vw] p-[2.2vh]">
        <section className="flex min-h-0 flex-col gap-[2vh]">
          <div
            data-testid="latest-call"
            className={`flex min-h-0 flex-1 flex-col items-center justify-center rounded-3xl bg-slate-900 p-[2vh] ring-2 ring-slate-800 ${
              latest && flashId === latest.ticket.id ? "animate-call-flash ring-yellow-400" : ""
            }`}
          >
            {latest ? (
              <>
                <p className="text-[clamp(1.4rem,4.4vh,3rem)] text-slate-300">{t("display.nowCalling")}</p>
                <p className="my-[0.5vh] text-[clamp(5rem,21vh,15rem)] leading-none font-black tracking-tight text-yellow-300 tabular-nums">
                  {latest.ticket.code}
                </p>
                <p className="text-[clamp(2rem,5.6vh,3.75rem)] font-bold">
                  {t("display.toCounter")} <span className="text-yellow-300">{latest.counterNumber}</span>
                </p>
                <p className="mt-[1vh] text-[clamp(1.1rem,2.8vh,1.875rem)] text-slate-400">{fieldName(latest.ticket.fieldId)}</p>
              </>
            ) : (
              <p className="text-center text-[clamp(1.5rem,4.4vh,3rem)] text-slate-400">
                {snapshot.recentCalls.length > 0 ? t("display.idleAfterCalls") : t("display.idle")}
              </p>
            )}
          </div>
          <div>
            <h2 className="mb-[1vh] text-[clamp(1rem,2.4vh,1.5rem)] font-semibold text-slate-400">{t("display.recent")}</h2>
            {earlier.length === 0 ? <p className="text-[clamp(1rem,2.4vh,1.5rem)] text-slate-500">{t("display.recentNone")}</p> : null}
            <ul className="grid grid-cols-5 gap-[0.8vw]" data-testid="recent-calls">
              {earlier.map((c) => (
                <li key={c.ticket.id} className="rounded-2xl bg-slate-900 px-[0.6vw] py-[1vh] text-center ring-1 ring-slate-800">
                  <span className="block text-[clamp(1.4rem,3.7vh,2.25rem)] font-bold tabular-nums">{c.ticket.code}</span>
                  <span className="text-[clamp(0.9rem,1.9vh,1.25rem)] text-slate-400">{t("display.counter", { n: c.counterNumber })}</span>
                </li>
              ))}
            </ul>
          </div>
        </section>

        <section className="flex min-h-0 flex-col">
          <h2 className="mb-[1vh] text-[clamp(1rem,2.4vh,1.5rem)] font-semibold text-slate-400">{t("display.counters")}</h2>
          {open.length === 0 ? <p className="text-[clamp(1.1rem,2.8vh,1.875rem)] text-slate-500">{t("display.noCounterOpen")}</p> : null}
          <ul className={`grid min-h-0 flex-1 gap-[1vh] ${counterGrid(open.length)}`}>
            {open.map((c) => (
              <li
                key={c.id}
                data-testid={`counter-${c.number}`}
                className={`flex min-h-0 items-center justify-between rounded-2xl px-[1.4vw] ring-1 ${
                  c.current && c.current.id === flashId ? "animate-call-flash bg-slate-800 ring-yellow-400" : "bg-slate-900 ring-slate-800"
                }`}
              >
                <span className="text-[clamp(1.1rem,2.9vh,1.875rem)] font-semibold text-slate-300">{t("display.counter", { n: c.number })}</span>
                <span className={`tabular-nums ${c.current ? "text-[clamp(1.5rem,4.6vh,3rem)] font-black text-white" : "text-[clamp(0.9rem,2.1vh,1.5rem)] text-slate-500"}`}>
                  {c.current ? c.current.code : c.status === "paused" ? t("display.counterPaused") : t("display.counterIdle")}
                </span>
              </li>
            ))}
          </ul>
        </section>
      </main>

      <Notice notice={snapshot.centre.notice} />
      <footer className="border-t border-slate-800 bg-slate-900 px-[2vw] py-[1.2vh]">
        <h2 className="sr-only">{t("display.waitingByField")}</h2>
        <ul className="flex flex-wrap justify-center gap-x-[2vw] gap-y-[0.5vh] text-[clamp(0.95rem,2.3vh,1.5rem)]">
          {snapshot.fields
            .filter((f) => f.isOpen && onScreen(f.id))
            .map((f) => (
              <li key={f.id} data-testid={`field-waiting-${f.code}`}>
                <span className="text-slate-400">{f.name}: </span>
                <span className="font-bold tabular-nums">{t("counter.people", { n: f.waiting })}</span>
                {fieldServed(f.id, snapshot.counters) ? (
                  <FieldEstimate minutes={fieldWaitMinutes(f, snapshot.counters)} />
                ) : (
                  <span className="ml-2 font-semibold text-amber-300">({t("display.unserved")})</span>
                )}
              </li>
            ))}
        </ul>
      </footer>
    </div>
  );
}

/**
 * Counter tiles keep one height whatever their number (a lone open counter is not a tall
 * column): at least five rows of two; three columns past sixteen counters.
 */
function counterGrid(count: number): string {
  const columns = count > 16 ? 3 : 2;
  const rows = Math.min(8, Math.max(5, Math.ceil(count / columns)));
  const rowClass = { 5: "grid-rows-5", 6: "grid-rows-6", 7: "grid-rows-7", 8: "grid-rows-8" }[rows];
  return `${columns === 3 ? "grid-cols-3" : "grid-cols-2"} ${rowClass}`;
}

/** The supervisor's notice, scrolling along the bottom while it lasts. */
function Notice({ notice }: { notice: { text: string; until: string | null } | null }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!notice?.until) return;
    const left = Date.parse(notice.until) - Date.now();
    const timer = setTimeout(() => setNow(Date.now()), Math.max(0, Math.min(left + 100, 2 ** 31 - 1)));
    return () => clearTimeout(timer);
  }, [notice?.until]);
  if (!notice || (notice.until && Date.parse(notice.until) <= now)) return null;
  return (
    <div role="marquee" aria-label={t("display.notice")} data-testid="notice" className="overflow-hidden bg-yellow-300 py-[0.8vh] text-[clamp(1.1rem,3vh,2rem)] font-semibold text-slate-950">
      <p className="inline-block animate-notice-scroll whitespace-nowrap motion-reduce:animate-none motion-reduce:whitespace-normal motion-reduce:px-[2vw]">{notice.text}</p>
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
      <p className="text-[clamp(1.6rem,4.6vh,3rem)] leading-tight font-bold tabular-nums" suppressHydrationWarning>
        {format(zoned, "HH:mm")}
      </p>
      <p className="text-[clamp(0.9rem,2.2vh,1.5rem)] text-brand-100" suppressHydrationWarning>
        {weekday.charAt(0).toUpperCase() + weekday.slice(1)}, {format(zoned, "dd/MM/yyyy")}
      </p>
    </div>
  );
}

/**
 * Whether calls are heard, and how: browsers keep sound off until someone touches the page (a
 * TV set up once gets a button for that), and a machine without a Vietnamese speech voice says
 * the calls with the recorded clips. Both are said on the screen, never left to guess.
 */
function useSound() {
  const [allowed, setAllowed] = useState(true);
  const [voice, setVoice] = useState<Voice | null>(null);
  useEffect(() => {
    const ctx = audioContext();
    if (!ctx) return;
    void ctx.resume().catch(() => {});
    const check = () => setAllowed(soundAllowed());
    const timer = setTimeout(check, 800);
    ctx.addEventListener("statechange", check);
    const pickVoice = () => setVoice(currentVoice());
    pickVoice();
    const stopWatching = watchVoices(pickVoice);
    return () => {
      clearTimeout(timer);
      ctx.removeEventListener("statechange", check);
      stopWatching();
    };
  }, []);
  return { allowed, voice };
}

function SoundStatus({ allowed, voice }: { allowed: boolean; voice: Voice | null }) {
  if (!allowed) {
    // In the header, beside the clock: it never covers a counter. The icon is drawn, not a font glyph.
    return (
      <button
        type="button"
        data-testid="enable-sound"
        onClick={() => void audioContext()?.resume()}
        className="flex items-center gap-2 rounded-full bg-yellow-400 px-[1.2vw] py-[0.8vh] text-[clamp(0.9rem,2vh,1.25rem)] font-bold text-slate-900 shadow-lg"
      >
        <SpeakerIcon />
        {t("display.enableSound")}
      </button>
    );
  }
  if (!voice) return null;
  return (
    <p data-testid="voice" data-voice={voice.kind} className="flex items-center gap-2 text-[clamp(0.8rem,1.7vh,1.1rem)] text-brand-100">
      <SpeakerIcon />
      {voice.kind === "speech" ? t("display.voiceSpeech", { name: voice.name }) : t("display.voiceClips")}
    </p>
  );
}

function SpeakerIcon() {
  return (
    <svg aria-hidden viewBox="0 0 24 24" className="size-[2.6vh]" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
      <path d="M11 5 6 9H2v6h4l5 4V5z" />
      <path d="M15.5 8.5a5 5 0 0 1 0 7M19 5a10 10 0 0 1 0 14" />
    </svg>
  );
}
