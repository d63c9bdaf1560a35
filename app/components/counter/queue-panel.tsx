/** The right side of the console: the counter's fields with their waiting counts, its queue in call order, today's no-shows. */
import type { FetcherWithComponents } from "react-router";
import { t } from "../../../server/i18n";
import type { QueuedTicket } from "../../../server/queue/read";
import type { CentreSnapshot, CounterSummary } from "../../../server/realtime/events";
import { formatTime } from "../../../server/time";
import type { ActionReply } from "../../lib/actions.server";

export function QueuePanel({
  counter,
  snapshot,
  queue,
  canCall,
  fetcher,
  onCallSpecific,
}: {
  counter: CounterSummary;
  snapshot: CentreSnapshot;
  queue: { waiting: QueuedTicket[]; noShows: QueuedTicket[] };
  /** The counter may call now (open, nobody at it). */
  canCall: boolean;
  fetcher: FetcherWithComponents<ActionReply>;
  onCallSpecific: (ticketId: number) => void;
}) {
  const served = snapshot.fields.filter((f) => counter.fieldIds.includes(f.id));
  const busy = fetcher.state !== "idle";
  return (
    <aside className="flex min-h-0 flex-col gap-3">
      <div className="rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
        <h2 className="text-base font-semibold">{t("counter.fields")}</h2>
        <ul className="mt-1 divide-y divide-slate-100">
          {served.map((f) => (
            <li key={f.id} className="flex items-center justify-between gap-3 py-1.5">
              <span>
                <span className="mr-2 inline-block w-7 rounded bg-slate-100 text-center font-mono font-bold">{f.prefix}</span>
                {f.name}
              </span>
              <span data-testid={`waiting-${f.code}`} className="text-lg font-bold tabular-nums">
                {f.waiting}
              </span>
            </li>
          ))}
        </ul>
        <p className="mt-1 flex justify-between border-t border-slate-200 pt-2 font-semibold">
          <span>{t("counter.waitingTotal")}</span>
          <span data-testid="waiting-total" className="tabular-nums">
            {t("counter.people", { n: served.reduce((n, f) => n + f.waiting, 0) })}
          </span>
        </p>
      </div>
      <div className="flex max-h-[22rem] min-h-0 flex-col rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
        <h2 className="text-base font-semibold">{t("counter.queue")}</h2>
        <p className="text-sm text-slate-500">{t("counter.queue.order")}</p>
        {queue.waiting.length === 0 ? <p className="mt-2 text-slate-500">{t("counter.queueEmpty")}</p> : null}
        <ol className="mt-1 min-h-0 divide-y divide-slate-100 overflow-y-auto" data-testid="counter-queue">
          {queue.waiting.map((q, i) => (
            <li key={q.id} data-next={i === 0 || undefined} className="flex items-center justify-between gap-2 py-1.5">
              <button
                type="button"
                disabled={!canCall}
                onClick={() => onCallSpecific(q.id)}
                title={t("counter.callSpecific")}
                className="flex items-center gap-2 rounded px-1 text-left hover:bg-slate-50 disabled:cursor-default disabled:hover:bg-transparent"
              >
                <span className="font-mono text-lg font-bold">{q.code}</span>
                {i === 0 ? (
                  <span data-testid="next-marker" className="rounded bg-brand-700 px-1.5 text-xs font-semibold text-white">
                    {t("counter.queue.next")}
                  </span>
                ) : null}
                {q.priority > 0 ? <span className="rounded bg-amber-100 px-1.5 text-xs font-semibold text-amber-900">{t("common.priority")}</span> : null}
                {q.transferredFromCounterId ? (
                  <span className="rounded bg-violet-100 px-1.5 text-xs font-semibold text-violet-900">
                    {t("counter.transferredFrom", { n: q.fromCounterNumber ?? "?" })}
                  </span>
                ) : null}
              </button>
              <span className="text-sm whitespace-nowrap text-slate-500">{formatTime(q.issuedAt)}</span>
            </li>
          ))}
        </ol>
      </div>
      {queue.noShows.length > 0 ? (
        <div className="rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
          <h2 className="text-base font-semibold">{t("counter.noShows")}</h2>
          <ul className="mt-1 divide-y divide-slate-100" data-testid="no-shows">
            {queue.noShows.map((q) => (
              <li key={q.id} className="flex items-center justify-between gap-2 py-1.5">
                <span className="font-mono text-lg font-bold">{q.code}</span>
                <fetcher.Form method="post">
                  <input type="hidden" name="intent" value="rejoin" />
                  <input type="hidden" name="ticketId" value={q.id} />
                  <button type="submit" disabled={busy} className="rounded-md border border-slate-300 px-2.5 py-1 text-sm hover:bg-slate-50">
                    {t("counter.rejoin")}
                  </button>
                </fetcher.Form>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </aside>
  );
}
