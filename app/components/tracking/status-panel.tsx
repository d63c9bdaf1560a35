import { t } from "../../../server/i18n";
import { formatTime } from "../../../server/time";
import type { TrackingView } from "../../../server/tracking/view";

/** Where the citizen's ticket is, in plain words: waiting (and how long), called (where to), absent, served, cancelled, expired. */
export function TicketStatusPanel({ view }: { view: TrackingView }) {
  if (view.status === "called") {
    const left = view.recallsBeforeNoShow - view.recallCount;
    return (
      <section className="rounded-2xl bg-amber-300 p-5 text-center text-slate-950 shadow-sm ring-4 ring-amber-400" role="alert" data-testid="track-status" data-status="called">
        <p className="text-sm font-semibold tracking-wide uppercase">{t("track.status.called")}</p>
        <p className="mt-1 text-4xl leading-tight font-black" data-testid="track-call">
          {t("track.callTo", { number: view.counter?.number ?? "" })}
        </p>
        {view.counter ? <p className="mt-2 text-base">{t("track.callToHint", { name: view.counter.name })}</p> : null}
        {view.recallCount > 0 ? (
          <div className="mt-3 rounded-xl bg-white/70 px-3 py-2 text-left text-base" data-testid="track-recalled">
            <p className="font-bold">{t("track.recalled", { n: view.recallCount })}</p>
            <p>{left > 0 ? t("track.recallsLeft", { n: left }) : t("track.recallsNone")}</p>
          </div>
        ) : null}
      </section>
    );
  }
  if (view.status === "waiting") {
    return (
      <section className="rounded-2xl bg-white p-5 text-center shadow-sm ring-1 ring-slate-200" data-testid="track-status" data-status="waiting">
        <p className="text-sm font-semibold text-brand-700">{t("track.status.waiting")}</p>
        {view.estimatedWaitMinutes === null ? (
          <>
            {view.peopleAhead ? <p className="mt-1 text-2xl font-bold">{t("track.ahead", { n: view.peopleAhead })}</p> : null}
            <p className="mt-2 rounded-xl bg-amber-50 px-3 py-2 text-base text-amber-950 ring-1 ring-amber-200" data-testid="track-estimate">
              {t("track.unserved")}
            </p>
          </>
        ) : (
          <>
            <p className="mt-1 text-[1.7rem] leading-tight font-black" data-testid="track-ahead" data-ahead={view.peopleAhead ?? 0}>
              {view.peopleAhead ? t("track.ahead", { n: view.peopleAhead }) : t("track.aheadNone")}
            </p>
            {view.peopleAhead ? (
              <p className="mt-1 text-lg" data-testid="track-estimate">
                {t("track.estimate", { m: view.estimatedWaitMinutes })}
              </p>
            ) : null}
          </>
        )}
        <p className="mt-3 text-sm text-slate-600">{t("track.waitingHint")}</p>
      </section>
    );
  }
  if (view.status === "done") {
    return (
      <section className="rounded-2xl bg-white p-5 text-center shadow-sm ring-1 ring-emerald-300" data-testid="track-status" data-status="done">
        <p className="text-sm font-semibold text-emerald-800">{t("track.status.done")}</p>
        <p className="mt-1 text-lg">{t("track.done", { time: formatTime(view.finishedAt ?? view.issuedAt) })}</p>
        {view.ratingPath ? (
          <>
            <a
              href={view.ratingPath}
              className="mt-4 block rounded-xl bg-brand-700 px-4 py-4 text-xl font-bold text-white shadow hover:bg-brand-800"
              data-testid="track-rate"
            >
              {t("track.rate")}
            </a>
            <p className="mt-2 text-sm text-slate-600">{t("track.rateHint")}</p>
          </>
        ) : null}
      </section>
    );
  }
  const text =
    view.status === "no_show"
      ? [t("track.noShow"), view.rejoinUntil ? t("track.rejoinUntil", { time: formatTime(view.rejoinUntil) }) : t("track.rejoinOver")]
      : [view.status === "cancelled" ? t("track.cancelled") : t("track.expired")];
  return (
    <section className="rounded-2xl bg-white p-5 shadow-sm ring-1 ring-red-200" data-testid="track-status" data-status={view.status}>
      <p className="text-center text-sm font-semibold text-red-800">{t(`track.status.${view.status}`)}</p>
      {text.map((line) => (
        <p key={line} className="mt-2 text-base">
          {line}
        </p>
      ))}
    </section>
  );
}
