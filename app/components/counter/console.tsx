/** The officer's console at a counter: the ticket being served, every action on one key, the queue beside it. */
import type { DossierCard as DossierCardData } from "../../../server/dossiers/steps";
import { visitOutcome } from "../../../server/dossiers/workflow";
import { DossierPanel, type ProcedureOption } from "./dossier-panel";
import { useEffect, useRef, useState } from "react";
import { useFetcher } from "react-router";
import { t } from "../../../server/i18n";
import type { QueuedTicket } from "../../../server/queue/read";
import { OUTCOMES, outcomeLabel, pauseLabel, type PauseReason } from "../../../server/queue/reasons";
import type { TransferTargets } from "../../../server/queue/transfer";
import type { CentreSnapshot, CounterSummary } from "../../../server/realtime/events";
import { formatTime } from "../../../server/time";
import type { ActionReply } from "../../lib/actions.server";
import { ActionMessage } from "../action-message";
import { CallDialog, PauseDialog, SignOutDialog, TransferDialog } from "./dialogs";
import { QueuePanel } from "./queue-panel";

type Dialog = "transfer" | "call" | "pause" | "sign-out" | null;
/** A dialog shows its own refusals; the console's message row shows everything else. */
const DIALOG_FORMS = new Set<string>(["transfer", "call", "pause", "sign-out"]);

export function Console({
  counter,
  snapshot,
  queue,
  targets,
  procedures,
  dossiers,
  offline,
}: {
  counter: CounterSummary;
  snapshot: CentreSnapshot;
  queue: { waiting: QueuedTicket[]; noShows: QueuedTicket[] };
  targets: TransferTargets;
  procedures: ProcedureOption[];
  dossiers: DossierCardData[];
  /** The server cannot be reached: the keys wait (an action would not be sent), the message row says why. */
  offline: boolean;
}) {
  const fetcher = useFetcher<ActionReply>({ key: "counter" });
  const busy = fetcher.state !== "idle" || offline;
  const current = counter.current;
  const dossierOutcome = visitOutcome(dossiers.map((d) => ({ state: d.state, refused: d.letters.includes("refusal") || d.letters.includes("stop") })));
  const paused = counter.status === "paused";
  const [dialog, setDialogState] = useState<Dialog>(null);
  // The answer to the open dialog's own submission (not to an action sent before it opened).
  const [dialogReply, setDialogReply] = useState<ActionReply | undefined>(undefined);
  // While a dialog's submission is on its way: the answer that was there before it (not its own).
  const [sentOver, setSentOver] = useState<{ before: ActionReply | undefined } | null>(null);
  const setDialog = (next: Dialog) => {
    setSentOver(null);
    setDialogReply(undefined);
    setDialogState(next);
  };
  // A dialog closes once its own action went through, or keeps the answer to show why it did not.
  const answered = sentOver && fetcher.state === "idle" && fetcher.data !== sentOver.before ? fetcher.data : undefined;
  if (answered) {
    setSentOver(null);
    if (answered.result.status === "error") setDialogReply(answered);
    else setDialogState(null);
  }
  const [callTicketId, setCallTicketId] = useState<number | null>(null);
  const field = (fieldId: number) => snapshot.fields.find((f) => f.id === fieldId);
  const className = (classId: number | null) => snapshot.priorityClasses.find((p) => p.id === classId)?.name;
  const submit = (data: Record<string, string | number>) => fetcher.submit(data, { method: "post" });
  const finishForm = useRef<HTMLFormElement>(null);
  const canCall = !current && !paused;
  // Both the live counts and the counter's list (which also has tickets sent to it) say nobody waits.
  const nobodyWaiting = queue.waiting.length === 0 && snapshot.fields.every((f) => !counter.fieldIds.includes(f.id) || f.waiting === 0);
  const recallsLeft = current ? Math.max(0, (field(current.fieldId)?.recallsBeforeNoShow ?? 0) - current.recallCount) : 0;
  // A refusal answers the queue as it was: once the queue has moved on, it is no longer true.
  const [replySeq, setReplySeq] = useState({ reply: fetcher.data, seq: snapshot.seq });
  if (replySeq.reply !== fetcher.data) setReplySeq({ reply: fetcher.data, seq: snapshot.seq });
  const stale = fetcher.data?.result.status === "error" && snapshot.seq > replySeq.seq;

  const keys: Record<string, () => void> = {
    F2: () => canCall && !nobodyWaiting && submit({ intent: "call-next", counterId: counter.id }),
    F3: () => current && submit({ intent: "recall", ticketId: current.id }),
    F4: () => current && finishForm.current?.requestSubmit(),
    F6: () => current && setDialog("transfer"),
    F7: () => current && submit({ intent: "no-show", ticketId: current.id }),
    F8: () => canCall && (setCallTicketId(null), setDialog("call")),
    F9: () => (paused ? submit({ intent: "resume" }) : setDialog("pause")),
  };
  const keysRef = useRef(keys);
  const offlineRef = useRef(offline);
  useEffect(() => {
    keysRef.current = keys;
    offlineRef.current = offline;
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const act = keysRef.current[event.key];
      if (!act) return;
      event.preventDefault();
      if (document.querySelector("dialog[open]") || offlineRef.current) return;
      act();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const dialogProps = { fetcher, reply: dialogReply, onSubmitting: () => setSentOver({ before: fetcher.data }), onClose: () => setDialog(null) };
  const actionButton = (label: string, key: string, enabled: boolean, tone = "bg-white text-slate-900 ring-1 ring-slate-300 hover:bg-slate-50") => (
    <button
      type="button"
      disabled={busy || !enabled}
      onClick={() => keys[key]?.()}
      className={`flex items-center justify-center gap-2 rounded-xl px-3 py-3 text-base font-semibold shadow-sm disabled:opacity-40 ${tone}`}
    >
      {label} <kbd>{key}</kbd>
    </button>
  );

  return (
    <main className="mx-auto grid w-full max-w-7xl flex-1 grid-cols-[1fr_24rem] gap-4 p-4">
      <section className="flex min-w-0 flex-col gap-3">
        <div className="flex items-center justify-between gap-3">
          <div className="flex items-center gap-3">
            <h1 className="text-2xl font-bold">{counter.name}</h1>
            <span
              data-testid="counter-state"
              className={`rounded-full px-3 py-1 text-sm font-medium ${paused ? "bg-amber-100 text-amber-900" : "bg-emerald-100 text-emerald-900"}`}
            >
              {paused ? t("counter.state.paused", { reason: counter.pauseReason ? t(pauseLabel(counter.pauseReason as PauseReason)) : "" }) : t("counter.state.open")}
            </span>
          </div>
          <div className="flex gap-2">
            <button type="button" disabled={busy} onClick={() => keys.F9?.()} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50 disabled:opacity-40">
              {paused ? t("counter.resume") : t("counter.pause")} <kbd>F9</kbd>
            </button>
            <button
              type="button"
              disabled={busy}
              onClick={() => (current ? setDialog("sign-out") : submit({ intent: "sign-out" }))}
              className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50 disabled:opacity-40"
            >
              {t("counter.signOut")}
            </button>
          </div>
        </div>

        {offline ? (
          <div className="min-h-11">
            <p role="alert" data-testid="offline-actions" className="rounded-lg bg-amber-50 px-4 py-2 text-base text-amber-950 ring-1 ring-amber-300">
              {t("counter.offlineActions")}
            </p>
          </div>
        ) : (
          <ActionMessage reply={stale || (fetcher.data?.result.status === "error" && DIALOG_FORMS.has(fetcher.data.form)) ? undefined : fetcher.data} />
        )}

        <div className="rounded-2xl bg-white p-5 shadow-sm ring-1 ring-slate-200" aria-live="polite">
          <h2 className="text-sm font-semibold tracking-wide text-slate-500 uppercase">{t("counter.current")}</h2>
          {current ? (
            <div className="mt-1 flex items-start justify-between gap-4">
              <div className="flex items-end gap-5">
                <span data-testid="current-ticket" className="text-7xl leading-none font-black text-brand-800 tabular-nums">
                  {current.code}
                </span>
                <span className="pb-1 text-base text-slate-700">
                  <span className="block text-lg font-semibold">{field(current.fieldId)?.name}</span>
                  <span className="block text-slate-500">
                    {t("counter.issuedAt", { time: formatTime(current.issuedAt) })}
                    {current.calledAt ? ` · ${t("counter.calledAt", { time: formatTime(current.calledAt) })}` : ""}
                  </span>
                </span>
              </div>
              <div className="flex flex-col items-end gap-1 text-right">
                <ServiceTimer since={current.calledAt} />
                {current.priorityClassId ? (
                  <span className="rounded bg-amber-100 px-2 py-0.5 text-sm font-semibold text-amber-900">
                    {t("common.priority")}: {className(current.priorityClassId)}
                  </span>
                ) : null}
                {current.recallCount > 0 ? (
                  <span data-testid="recall-count" className="rounded bg-sky-100 px-2 py-0.5 text-sm font-semibold text-sky-900">
                    {t("counter.recallCount", { n: current.recallCount })}
                  </span>
                ) : null}
              </div>
            </div>
          ) : (
            <p data-testid="current-ticket" className="mt-2 text-3xl text-slate-400">
              {t("counter.none")}
            </p>
          )}
          {current?.transferredFromCounterId || current?.transferNote ? (
            <p data-testid="transfer-note" className="mt-3 rounded-lg bg-violet-50 px-3 py-2 text-violet-900 ring-1 ring-violet-200">
              <span className="font-semibold">
                {current.transferredFromCounterId
                  ? t("counter.transferredFrom", { n: snapshot.counters.find((c) => c.id === current.transferredFromCounterId)?.number ?? "?" })
                  : t("counter.transferredFromUnknown")}
              </span>
              {current.transferNote ? `: ${current.transferNote}` : ""}
            </p>
          ) : null}
          {current ? (
            <fetcher.Form method="post" ref={finishForm} className="mt-3 flex items-end gap-3">
              <input type="hidden" name="intent" value="finish" />
              <input type="hidden" name="ticketId" value={current.id} />
              {dossierOutcome ? (
                // The visit's dossiers decide how it ends (the server does the same).
                <p className="flex flex-col text-sm font-medium" data-testid="finish-outcome">
                  {t("counter.outcome")}
                  <span className="mt-1 rounded-lg bg-slate-100 px-3 py-2 text-base font-semibold">{t(outcomeLabel(dossierOutcome))}</span>
                </p>
              ) : (
                <label className="flex flex-col text-sm font-medium">
                  {t("counter.outcome")}
                  <select name="outcome" defaultValue="done" className="mt-1 rounded-lg border border-slate-300 px-2 py-2 text-base">
                    {OUTCOMES.map((o) => (
                      <option key={o} value={o}>
                        {t(outcomeLabel(o))}
                      </option>
                    ))}
                  </select>
                </label>
              )}
              <label className="flex flex-1 flex-col text-sm font-medium">
                {t("counter.note")}
                <input name="note" maxLength={1000} placeholder={t("counter.notePlaceholder")} className="mt-1 rounded-lg border border-slate-300 px-3 py-2 text-base" />
              </label>
            </fetcher.Form>
          ) : null}
        </div>

        <div className="grid grid-cols-3 gap-2.5">
          {actionButton(canCall && nobodyWaiting ? t("counter.nobodyWaiting") : t("counter.callNext"), "F2", canCall && !nobodyWaiting, "bg-brand-700 text-white hover:bg-brand-800")}
          {actionButton(t("counter.recall"), "F3", Boolean(current))}
          {actionButton(t("counter.finish"), "F4", Boolean(current), "bg-emerald-700 text-white hover:bg-emerald-800")}
          {actionButton(t("counter.transfer"), "F6", Boolean(current))}
          {actionButton(recallsLeft > 0 ? t("counter.noShowNeeds", { n: recallsLeft }) : t("counter.noShow"), "F7", Boolean(current))}
          {actionButton(t("counter.callSpecific"), "F8", canCall)}
        </div>
        {current ? <p className="text-sm text-slate-500">{t("counter.noShowAfter", { n: field(current.fieldId)?.recallsBeforeNoShow ?? 0 })}</p> : null}
        {current && procedures.length ? <DossierPanel key={current.id} ticket={current} procedures={procedures} dossiers={dossiers} /> : null}
      </section>

      <QueuePanel
        counter={counter}
        snapshot={snapshot}
        queue={queue}
        canCall={canCall && !busy}
        fetcher={fetcher}
        onCallSpecific={(ticketId) => {
          setCallTicketId(ticketId);
          setDialog("call");
        }}
      />

      {dialog === "transfer" && current ? <TransferDialog ticket={current} targets={targets} {...dialogProps} /> : null}
      {dialog === "call" ? <CallDialog counterId={counter.id} waiting={queue.waiting} initialTicketId={callTicketId} {...dialogProps} /> : null}
      {dialog === "pause" ? <PauseDialog {...dialogProps} /> : null}
      {dialog === "sign-out" && current ? <SignOutDialog code={current.code} {...dialogProps} /> : null}
    </main>
  );
}

function ServiceTimer({ since }: { since: string | null }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  if (!since) return null;
  const seconds = Math.max(0, Math.floor((now - Date.parse(since)) / 1000));
  const mm = String(Math.floor(seconds / 60)).padStart(2, "0");
  const ss = String(seconds % 60).padStart(2, "0");
  return (
    <span className="text-sm text-slate-500" suppressHydrationWarning>
      {t("counter.serviceTime")}:{" "}
      <span data-testid="service-timer" className="font-mono text-2xl font-bold text-slate-800 tabular-nums" suppressHydrationWarning>
        {mm}:{ss}
      </span>
    </span>
  );
}
