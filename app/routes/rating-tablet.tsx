import { useEffect, useRef, useState } from "react";
import { useFetcher } from "react-router";
import { t } from "../../server/i18n";
import { getPublicSnapshot } from "../../server/queue/snapshot";
import { RATING_VALUES, reasonLabel, tabletRatingInput, UNSATISFIED_REASONS, valueLabel } from "../../server/ratings/rules";
import { rateFromTablet, tabletState } from "../../server/ratings/service";
import { replyText } from "../components/action-message";
import { Face, VALUE_STYLE } from "../components/rating/faces";
import { respond, type ActionReply, readForm } from "../lib/actions.server";
import { requireDevice } from "../lib/guards.server";
import { useHydrated } from "../lib/hydrated";
import { actionOrOffline } from "../lib/offline";
import { useLiveSnapshot } from "../lib/use-live-snapshot";
import type { Route } from "./+types/rating-tablet";

export const meta: Route.MetaFunction = () => [{ title: `${t("rating.tablet.title")} · ${t("app.name")}` }];

/** Seconds the thanks (or a refusal) stays before the tablet is ready for the next citizen. */
const THANKS_SECONDS = 6;
/** Seconds without a touch before a question left unanswered goes away (the citizen walked off). */
const UNTOUCHED_SECONDS = 60;

export async function loader({ context }: Route.LoaderArgs) {
  const { actor } = requireDevice(context, "rating.collect");
  const [snapshot, state] = await Promise.all([getPublicSnapshot(context.services, actor), tabletState(context.services, actor)]);
  return { snapshot, counter: state.counter, pending: state.pending };
}

export async function action({ context, request }: Route.ActionArgs) {
  const { actor } = requireDevice(context, "rating.collect");
  return respond(await readForm(request), tabletRatingInput, { form: "rate" }, async (input) => {
    const { ticket } = await rateFromTablet(context.services, actor, input);
    return { rated: ticket.code };
  });
}

/** A tap that cannot reach the server says so on the tablet, and the citizen may tap again. */
export const clientAction = (args: Route.ClientActionArgs) => actionOrOffline(args, { form: () => "rate", message: t("rating.tablet.offline") });
// The tablet follows the queue by its socket; what it asks is its own state, never reloaded under the citizen's finger.
export const shouldRevalidate = () => false;

type Stage = "idle" | "ask" | "reasons" | "done";
type Reply = ActionReply<{ rated: string; offline: true }>;

export default function RatingTablet({ loaderData }: Route.ComponentProps) {
  const { counter } = loaderData;
  const [ticket, setTicket] = useState(loaderData.pending ? { id: loaderData.pending.id, code: loaderData.pending.code } : null);
  const [stage, setStage] = useState<Stage>(loaderData.pending ? "ask" : "idle");
  const [reasons, setReasons] = useState<string[]>([]);
  const [comment, setComment] = useState("");
  const [notSent, setNotSent] = useState<string | undefined>(undefined);
  // Each touch starts the minute again.
  const [touches, setTouches] = useState(0);
  const fetcher = useFetcher<Reply>();
  const hydrated = useHydrated();
  const screen = hydrated ? `${window.innerWidth}x${window.innerHeight}` : undefined;

  const ask = (next: { id: number; code: string }) => {
    setTicket(next);
    setStage("ask");
    setReasons([]);
    setComment("");
    setNotSent(undefined);
    setTouches((n) => n + 1);
  };
  const { snapshot, connection } = useLiveSnapshot(loaderData.snapshot, {
    // A visit just finished at this counter: its citizen is asked (a question not yet answered gives way to it).
    onEvent: (event) => {
      if (event.type === "ticket.finished" && counter && event.counter.id === counter.id) ask({ id: event.ticket.id, code: event.ticket.code });
    },
    modes: { counter: counter ? String(counter.number) : "none", ...(screen ? { screen } : {}) },
  });

  // Back after a loss: a visit finished meanwhile at this counter is asked about (the socket's events of that time are gone).
  const lost = useRef(false);
  const idleNow = useRef(stage === "idle");
  useEffect(() => {
    idleNow.current = stage === "idle";
  });
  const pendingTicket = useRef<(pending: { id: number; code: string }) => void>(() => {});
  useEffect(() => {
    pendingTicket.current = (pending) => idleNow.current && ask(pending);
  });
  useEffect(() => {
    if (connection === "offline" || connection === "restarting") lost.current = true;
    if (connection !== "online" || !lost.current) return;
    lost.current = false;
    void fetch("/api/v1/ratings/tablet", { cache: "no-store" })
      .then((res) => (res.ok ? (res.json() as Promise<{ data: { pending: { id: number; code: string } | null } }>) : null))
      .then((body) => body?.data.pending && pendingTicket.current(body.data.pending))
      .catch(() => {});
  }, [connection]);

  // The server's answer: thanks, or why not (already rated, too late); an answer that never left stays on the question.
  const reply = fetcher.data;
  const [seenReply, setSeenReply] = useState(reply);
  const [done, setDone] = useState<{ ok: boolean; text: string } | null>(null);
  if (fetcher.state === "idle" && reply !== seenReply) {
    setSeenReply(reply);
    if (reply?.offline) setNotSent(replyText(reply)?.text);
    else if (reply) {
      setDone(reply.result.status === "error" ? { ok: false, text: replyText(reply)?.text ?? t("error.internal") } : { ok: true, text: t("rating.thanks") });
      setStage("done");
    }
  }

  // Back to the start by itself: after the thanks, and when nobody touches a question for a minute.
  useEffect(() => {
    if (stage === "idle") return;
    const timer = setTimeout(
      () => {
        setStage("idle");
        setTicket(null);
        setDone(null);
      },
      (stage === "done" ? THANKS_SECONDS : UNTOUCHED_SECONDS) * 1000,
    );
    return () => clearTimeout(timer);
  }, [stage, touches]);

  const offline = connection === "offline" || connection === "restarting";
  const busy = !hydrated || fetcher.state !== "idle";

  return (
    <main
      data-testid="rating-tablet"
      data-stage={stage}
      onPointerDown={() => setTouches((n) => n + 1)}
      className="flex h-screen flex-col overflow-hidden bg-gradient-to-b from-brand-800 to-brand-900 text-white select-none"
    >
      {offline ? (
        <p role="status" data-testid="offline-banner" className="bg-amber-400 px-8 py-2 text-center text-xl font-semibold text-slate-900">
          {connection === "restarting" ? t("rating.tablet.restarting") : t("rating.tablet.offline")}
        </p>
      ) : null}
      <header className="flex items-center justify-between px-10 pt-6 pb-2">
        <p className="text-xl text-brand-100">{snapshot.centre.name}</p>
        {counter ? (
          <p className="rounded-full bg-white/15 px-5 py-1.5 text-2xl font-bold" data-testid="tablet-counter">
            {t("rating.tablet.counter", { n: counter.number })}
          </p>
        ) : null}
      </header>

      {!counter ? (
        <section className="grid flex-1 place-items-center px-16 text-center">
          <p className="text-4xl leading-snug font-semibold">{t("rating.tablet.unbound")}</p>
        </section>
      ) : stage === "idle" || !ticket ? (
        <section className="flex flex-1 flex-col items-center justify-center px-16 text-center" data-testid="tablet-idle">
          <Face value="very_satisfied" className="size-32 text-brand-100" />
          <h1 className="mt-8 text-5xl font-black">{t("rating.tablet.idle")}</h1>
          <p className="mt-6 max-w-3xl text-2xl leading-relaxed text-brand-100">{t("rating.tablet.idleHint")}</p>
        </section>
      ) : stage === "ask" ? (
        <section className="flex flex-1 flex-col items-center justify-center px-10 text-center" data-testid="tablet-ask">
          <p className="text-3xl text-brand-100">{t("rating.ticketLabel")}</p>
          <p className="text-8xl leading-none font-black tabular-nums" data-testid="tablet-ticket">
            {ticket.code}
          </p>
          <h1 className="mt-6 text-4xl font-bold">{t("rating.ask")}</h1>
          <fetcher.Form method="post" className="mt-10 grid w-full max-w-6xl grid-cols-3 gap-8">
            <input type="hidden" name="ticketId" value={ticket.id} />
            {RATING_VALUES.map((value) =>
              value === "unsatisfied" ? (
                <button
                  key={value}
                  type="button"
                  disabled={busy}
                  onClick={() => setStage("reasons")}
                  className={`flex h-72 flex-col items-center justify-center gap-5 rounded-3xl text-4xl font-bold shadow-2xl disabled:opacity-60 ${VALUE_STYLE[value].button}`}
                >
                  <Face value={value} className="size-32" />
                  {valueLabel(value)}
                </button>
              ) : (
                <button
                  key={value}
                  type="submit"
                  name="value"
                  value={value}
                  disabled={busy}
                  className={`flex h-72 flex-col items-center justify-center gap-5 rounded-3xl text-4xl font-bold shadow-2xl disabled:opacity-60 ${VALUE_STYLE[value].button}`}
                >
                  <Face value={value} className="size-32" />
                  {valueLabel(value)}
                </button>
              ),
            )}
          </fetcher.Form>
          {notSent ? <NotSent text={notSent} /> : null}
        </section>
      ) : stage === "reasons" ? (
        <section className="flex flex-1 flex-col px-12 pb-6" data-testid="tablet-reasons">
          <h1 className="text-4xl font-bold">
            {t("rating.reasons.title")} <span className="ml-2 text-2xl font-semibold text-brand-100">{t("rating.ticket", { code: ticket.code })}</span>
          </h1>
          <p className="mt-1 text-xl text-brand-100">{t("rating.reasons.hint")}</p>
          <fetcher.Form method="post" className="mt-4 flex flex-1 flex-col">
            <input type="hidden" name="ticketId" value={ticket.id} />
            <input type="hidden" name="value" value="unsatisfied" />
            <div className="grid grid-cols-2 gap-3">
              {UNSATISFIED_REASONS.map((key) => (
                <label
                  key={key}
                  className="flex min-h-16 items-center gap-4 rounded-2xl bg-white/10 px-5 py-3 text-2xl font-semibold ring-2 ring-white/30 has-checked:bg-orange-500 has-checked:ring-orange-200"
                >
                  <input
                    type="checkbox"
                    name="reasons"
                    value={key}
                    checked={reasons.includes(key)}
                    onChange={(e) => setReasons(e.target.checked ? [...reasons, key] : reasons.filter((r) => r !== key))}
                    className="size-7 accent-orange-600"
                  />
                  {reasonLabel(key)}
                </label>
              ))}
            </div>
            <label className="mt-4 block text-xl font-semibold">
              {t("rating.comment")}
              <textarea
                name="comment"
                rows={2}
                maxLength={500}
                value={comment}
                onChange={(e) => setComment(e.target.value)}
                placeholder={t("rating.commentPlaceholder")}
                className="mt-2 block w-full rounded-2xl bg-white px-5 py-3 text-2xl text-slate-900"
              />
            </label>
            <div className="mt-4 flex gap-6">
              <button type="button" onClick={() => setStage("ask")} className="rounded-2xl bg-white/15 px-10 py-4 text-2xl font-semibold ring-1 ring-white/40">
                {t("rating.back")}
              </button>
              <button
                type="submit"
                disabled={busy || (reasons.length === 0 && comment.trim() === "")}
                className="flex-1 rounded-2xl bg-orange-500 py-4 text-3xl font-bold text-white shadow-xl disabled:bg-white/20 disabled:text-white/60"
              >
                {fetcher.state !== "idle" ? t("rating.sending") : t("rating.send")}
              </button>
            </div>
            {notSent ? <NotSent text={notSent} /> : null}
          </fetcher.Form>
        </section>
      ) : (
        <section className="flex flex-1 flex-col items-center justify-center px-16 text-center" data-testid="tablet-done">
          {done?.ok ? <Face value="very_satisfied" className="size-36 text-emerald-300" /> : null}
          <h1 role={done?.ok ? "status" : "alert"} className="mt-8 text-5xl leading-tight font-black">
            {done?.text}
          </h1>
          {done?.ok ? <p className="mt-6 text-2xl text-brand-100">{t("rating.thanksHint")}</p> : null}
        </section>
      )}
    </main>
  );
}

function NotSent({ text }: { text: string }) {
  return (
    <p role="alert" className="mt-4 rounded-2xl bg-amber-300 px-6 py-3 text-center text-2xl font-semibold text-slate-900">
      {text}
    </p>
  );
}
