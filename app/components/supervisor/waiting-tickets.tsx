/** Today's waiting tickets on the supervisor's board: each may be sent elsewhere or withdrawn, with a reason. */
import { useState } from "react";
import { useFetcher } from "react-router";
import { t } from "../../../server/i18n";
import type { TransferTargets } from "../../../server/queue/transfer";
import { formatTime } from "../../../server/time";
import type { ActionReply } from "../../lib/actions.server";

export type WaitingTicket = {
  id: number;
  code: string;
  fieldId: number;
  priority: number;
  issuedAt: string;
  targetCounterId: number | null;
  targetOfficerId: number | null;
};

const SHOWN = 12;

export function WaitingTickets({
  tickets,
  fieldName,
  targets,
  now,
}: {
  tickets: WaitingTicket[];
  fieldName: (id: number) => string;
  targets: TransferTargets | null;
  now: number;
}) {
  const [open, setOpen] = useState<number | null>(null);
  const [all, setAll] = useState(false);
  const shown = all ? tickets : tickets.slice(0, SHOWN);
  return (
    <section className="rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200" aria-labelledby="waiting-title">
      <h2 id="waiting-title" className="text-xl font-bold">
        {t("supervisor.waitingTickets", { n: tickets.length })}
      </h2>
      {tickets.length === 0 ? <p className="mt-2 text-slate-500">{t("supervisor.waitingNone")}</p> : null}
      <ul className="mt-2 divide-y divide-slate-100" data-testid="waiting-tickets">
        {shown.map((ticket) => (
          <li key={ticket.id} className="py-1.5" data-testid={`waiting-${ticket.code}`}>
            <div className="flex items-baseline gap-3">
              <span className="w-16 font-mono font-bold">{ticket.code}</span>
              <span className="flex-1 text-sm">
                {fieldName(ticket.fieldId)}
                {ticket.priority > 0 ? <span className="ml-2 rounded bg-amber-100 px-1.5 text-xs font-semibold text-amber-900">{t("supervisor.priority")}</span> : null}
                {ticket.targetCounterId || ticket.targetOfficerId ? <span className="ml-2 text-xs text-slate-500">{t("supervisor.sentTo")}</span> : null}
              </span>
              <span className="text-sm whitespace-nowrap text-slate-500 tabular-nums">
                {formatTime(ticket.issuedAt)} · {t("supervisor.minutes", { m: Math.max(0, Math.floor((now - Date.parse(ticket.issuedAt)) / 60_000)) })}
              </span>
              {targets ? (
                <button
                  type="button"
                  onClick={() => setOpen(open === ticket.id ? null : ticket.id)}
                  aria-expanded={open === ticket.id}
                  aria-label={`${t("supervisor.ticketActions")} ${ticket.code}`}
                  className="rounded-md border border-slate-300 px-2 py-0.5 text-sm hover:bg-slate-50"
                >
                  {open === ticket.id ? t("supervisor.steer.collapse") : t("supervisor.ticketActions")}
                </button>
              ) : null}
            </div>
            {targets && open === ticket.id ? <TicketActions ticket={ticket} targets={targets} onDone={() => setOpen(null)} /> : null}
          </li>
        ))}
      </ul>
      {tickets.length > SHOWN ? (
        <button type="button" onClick={() => setAll(!all)} className="mt-2 text-sm font-medium text-brand-800 underline">
          {all ? t("supervisor.waitingFewer") : t("supervisor.waitingAll", { n: tickets.length })}
        </button>
      ) : null}
    </section>
  );
}

function TicketActions({ ticket, targets, onDone }: { ticket: WaitingTicket; targets: TransferTargets; onDone: () => void }) {
  const fetcher = useFetcher<ActionReply>({ key: `ticket-${ticket.id}` });
  const reply = fetcher.state === "idle" ? fetcher.data : undefined;
  const error = reply?.result.status === "error" ? Object.values(reply.result.error ?? {}).flat()[0] : undefined;
  const [answered, setAnswered] = useState(reply);
  if (reply !== answered) {
    setAnswered(reply);
    if (reply?.message) onDone();
  }
  return (
    <div className="mt-2 grid gap-3 rounded-lg bg-slate-50 p-3 md:grid-cols-2">
      <fetcher.Form method="post">
        <input type="hidden" name="intent" value="reroute" />
        <input type="hidden" name="ticketId" value={ticket.id} />
        <label className="block text-sm font-medium">
          {t("supervisor.rerouteTo")}
          <select name="to" required className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-base">
            <optgroup label={t("counter.transfer.toField")}>
              {targets.fields
                .filter((f) => f.id !== ticket.fieldId)
                .map((f) => (
                  <option key={`f${f.id}`} value={`field:${f.id}`}>
                    {f.name}
                  </option>
                ))}
            </optgroup>
            <optgroup label={t("counter.transfer.toCounter")}>
              {targets.counters.map((c) => (
                <option key={`c${c.id}`} value={`counter:${c.id}`}>
                  {c.name} · {c.officerName}
                </option>
              ))}
            </optgroup>
          </select>
        </label>
        <label className="mt-2 block text-sm font-medium">
          {t("supervisor.steer.note")}
          <input name="note" maxLength={500} className="mt-1 w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-base" />
        </label>
        <button type="submit" className="mt-2 rounded-md bg-brand-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-brand-800">
          {t("supervisor.reroute")}
        </button>
      </fetcher.Form>
      <fetcher.Form method="post">
        <input type="hidden" name="intent" value="cancel" />
        <input type="hidden" name="ticketId" value={ticket.id} />
        <label className="block text-sm font-medium">
          {t("supervisor.steer.reasonRequired")}
          <input name="reason" required maxLength={500} className="mt-1 w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-base" />
        </label>
        <button type="submit" className="mt-2 rounded-md bg-red-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-red-800">
          {t("supervisor.withdraw", { code: ticket.code })}
        </button>
      </fetcher.Form>
      {error ? (
        <p role="alert" className="text-sm text-red-700 md:col-span-2">
          {error}
        </p>
      ) : null}
    </div>
  );
}
