import { useEffect, useRef, useState } from "react";
import { useFetcher, useRevalidator } from "react-router";
import { z } from "zod";
import { asc, eq } from "drizzle-orm";
import { users } from "../../db/schema";
import type { CentreSnapshot, CounterSummary } from "../../server/realtime/events";
import { AppError } from "../../server/errors";
import { setCounterPaused, signInToCounter, signOutOfCounter } from "../../server/queue/counters";
import { callInput, cancelInput, finishInput, id, pauseInput, signOutInput, transferInput, transferTarget } from "../../server/queue/inputs";
import { getCentreSnapshot, getCounterQueue, type QueuedTicket } from "../../server/queue/read";
import { OUT_OF_ORDER_REASONS, OUTCOMES, PAUSE_REASONS, outOfOrderLabel, outcomeLabel, pauseLabel, type PauseReason } from "../../server/queue/reasons";
import {
  callNextTicket,
  callSpecificTicket,
  cancelTicket,
  finishTicket,
  markNoShow,
  recallTicket,
  rejoinTicket,
  transferTicket,
} from "../../server/queue/service";
import { LiveBadge } from "../components/live-badge";
import { StaffHeader } from "../components/staff-header";
import { attempt, requireUser } from "../lib/guards.server";
import { t } from "../../server/i18n";
import { formatTime } from "../../server/time";
import { useLiveSnapshot } from "../lib/use-live-snapshot";
import type { Route } from "./+types/counter";

export const meta: Route.MetaFunction = () => [{ title: `${t("counter.title")} · ${t("app.name")}` }];

const STAFF = ["officer", "supervisor"] as const;

export async function loader({ context, request }: Route.LoaderArgs) {
  const user = requireUser(context, request, [...STAFF]);
  const { db } = context.services;
  const snapshot = await getCentreSnapshot(context.services, user.centreId);
  const mine = snapshot.counters.find((c) => c.officerId === user.id);
  const queue = mine ? await getCounterQueue(db, { centreId: user.centreId, counterId: mine.id, userId: user.id }) : { waiting: [], noShows: [] };
  const officers = await db
    .select({ id: users.id, fullName: users.fullName })
    .from(users)
    .where(eq(users.centreId, user.centreId))
    .orderBy(asc(users.fullName));
  return { user, snapshot, queue, officers: officers.filter((o) => o.id !== user.id) };
}

const intents = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("sign-in"), counterId: id }),
  signOutInput.extend({ intent: z.literal("sign-out") }),
  pauseInput.extend({ intent: z.literal("pause") }),
  z.object({ intent: z.literal("resume") }),
  z.object({ intent: z.literal("call-next"), counterId: id }),
  callInput.extend({ intent: z.literal("call"), counterId: id }),
  z.object({ intent: z.literal("recall"), ticketId: id }),
  z.object({ intent: z.literal("no-show"), ticketId: id }),
  z.object({ intent: z.literal("rejoin"), ticketId: id }),
  cancelInput.extend({ intent: z.literal("cancel"), ticketId: id }),
  transferInput.extend({ intent: z.literal("transfer"), ticketId: id }),
  finishInput.extend({ intent: z.literal("finish"), ticketId: id }),
]);

export async function action({ context, request }: Route.ActionArgs) {
  const user = requireUser(context, request, [...STAFF]);
  const { services } = context;
  return attempt(async () => {
    const parsed = intents.safeParse(Object.fromEntries(await request.formData()));
    if (!parsed.success) throw new AppError("bad_request");
    const input = parsed.data;
    const ok = (message: string) => ({ ok: true as const, message });
    const userId = user.id;
    switch (input.intent) {
      case "sign-in": {
        const { counter } = await signInToCounter(services, { userId, centreId: user.centreId, counterId: input.counterId });
        return ok(t("counter.signedIn", { counter: counter.number }));
      }
      case "sign-out":
        await signOutOfCounter(services, { userId, activeTicket: input.activeTicket });
        return ok(t("counter.signedOut"));
      case "pause":
        await setCounterPaused(services, { userId, paused: true, reason: input.reason });
        return ok(t("counter.paused"));
      case "resume":
        await setCounterPaused(services, { userId, paused: false });
        return ok(t("counter.resumed"));
      case "call-next": {
        const { ticket } = await callNextTicket(services, { userId, counterId: input.counterId });
        return ok(t("counter.called", { code: ticket.code }));
      }
      case "call": {
        const { ticket } = await callSpecificTicket(services, { userId, ...input });
        return ok(t("counter.calledSpecific", { code: ticket.code }));
      }
      case "recall": {
        const { ticket } = await recallTicket(services, { userId, ticketId: input.ticketId });
        return ok(t("counter.recalled", { code: ticket.code, n: ticket.recallCount }));
      }
      case "no-show": {
        const { ticket } = await markNoShow(services, { userId, ticketId: input.ticketId });
        return ok(t("counter.noShowDone", { code: ticket.code }));
      }
      case "rejoin": {
        const { ticket } = await rejoinTicket(services, { userId, centreId: user.centreId, ticketId: input.ticketId });
        return ok(t("counter.rejoined", { code: ticket.code }));
      }
      case "cancel": {
        const { ticket } = await cancelTicket(services, { userId, centreId: user.centreId, ticketId: input.ticketId, reason: input.reason });
        return ok(t("counter.cancelled", { code: ticket.code }));
      }
      case "transfer": {
        const { ticket } = await transferTicket(services, { userId, ticketId: input.ticketId, to: transferTarget(input), note: input.note });
        return ok(t("counter.transferred", { code: ticket.code }));
      }
      case "finish": {
        const { ticket } = await finishTicket(services, { userId, centreId: user.centreId, ...input });
        return ok(t("counter.finished", { code: ticket.code }));
      }
    }
  });
}

type ActionData = { ok: true; message: string } | { ok: false; error: string; code: string };

export default function CounterPage({ loaderData }: Route.ComponentProps) {
  const { user } = loaderData;
  const revalidator = useRevalidator();
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  // The counter's own lists (waiting, no-shows) are reloaded when the centre's queue changes.
  const { snapshot, connection } = useLiveSnapshot(loaderData.snapshot, {
    onEvent: () => {
      if (pending.current) clearTimeout(pending.current);
      pending.current = setTimeout(() => void revalidator.revalidate(), 250);
    },
  });
  const mine = snapshot.counters.find((c) => c.officerId === user.id);
  return (
    <div className="flex min-h-screen flex-col">
      <StaffHeader user={user} centreName={snapshot.centre.name}>
        <LiveBadge connection={connection} />
      </StaffHeader>
      {mine ? (
        <Console counter={mine} snapshot={snapshot} queue={loaderData.queue} officers={loaderData.officers} />
      ) : (
        <ChooseCounter snapshot={snapshot} />
      )}
    </div>
  );
}

function ActionMessage({ data }: { data: ActionData | undefined }) {
  if (!data) return null;
  return (
    <p
      role={data.ok ? "status" : "alert"}
      data-testid="action-message"
      className={`rounded-lg px-4 py-2 text-base ${data.ok ? "bg-emerald-50 text-emerald-900 ring-1 ring-emerald-200" : "bg-red-50 text-red-900 ring-1 ring-red-200"}`}
    >
      {data.ok ? data.message : data.error}
    </p>
  );
}

function ChooseCounter({ snapshot }: { snapshot: CentreSnapshot }) {
  const fetcher = useFetcher<ActionData>();
  const fieldName = (fieldId: number) => snapshot.fields.find((f) => f.id === fieldId)?.name ?? "";
  return (
    <main className="mx-auto w-full max-w-7xl flex-1 p-6">
      <h1 className="text-2xl font-bold">{t("counter.choose")}</h1>
      <p className="mt-1 text-slate-600">{t("counter.choose.hint")}</p>
      <div className="mt-3 empty:hidden">
        <ActionMessage data={fetcher.data} />
      </div>
      <ul className="mt-4 grid grid-cols-2 gap-3 lg:grid-cols-3 xl:grid-cols-5">
        {snapshot.counters.map((c) => (
          <li key={c.id} className="flex flex-col rounded-xl bg-white p-3.5 shadow-sm ring-1 ring-slate-200">
            <span className="text-xl font-bold">{c.name}</span>
            <span className="mt-1 flex-1 text-sm text-slate-600">
              {c.fieldIds.length === snapshot.fields.length && snapshot.fields.length > 1
                ? t("counter.allFields")
                : c.fieldIds.map(fieldName).join(", ")}
            </span>
            <span className={`mt-2 text-sm ${c.officerId ? "text-amber-700" : "text-emerald-700"}`}>
              {c.officerName ? t("counter.takenBy", { name: c.officerName }) : t("counter.free")}
            </span>
            <fetcher.Form method="post" className="mt-3">
              <input type="hidden" name="intent" value="sign-in" />
              <input type="hidden" name="counterId" value={c.id} />
              <button
                type="submit"
                disabled={c.officerId !== null || fetcher.state !== "idle"}
                className="w-full rounded-lg bg-brand-700 py-2 font-semibold text-white hover:bg-brand-800 disabled:bg-slate-300 disabled:text-slate-600"
              >
                {t("counter.signIn")} {c.number}
              </button>
            </fetcher.Form>
          </li>
        ))}
      </ul>
    </main>
  );
}

type Dialog = "transfer" | "call" | "pause" | "sign-out" | null;

function Console({
  counter,
  snapshot,
  queue,
  officers,
}: {
  counter: CounterSummary;
  snapshot: CentreSnapshot;
  queue: { waiting: QueuedTicket[]; noShows: QueuedTicket[] };
  officers: Array<{ id: number; fullName: string }>;
}) {
  const fetcher = useFetcher<ActionData>();
  const busy = fetcher.state !== "idle";
  const current = counter.current;
  const paused = counter.status === "paused";
  const [dialog, setDialogState] = useState<Dialog>(null);
  // The answer to the open dialog's own submission (not to an action sent before it opened).
  const [dialogResult, setDialogResult] = useState<ActionData | undefined>(undefined);
  const dialogSubmitting = useRef(false);
  const setDialog = (next: Dialog) => {
    dialogSubmitting.current = false;
    setDialogResult(undefined);
    setDialogState(next);
  };
  const [callTicketId, setCallTicketId] = useState<number | null>(null);
  const field = (fieldId: number) => snapshot.fields.find((f) => f.id === fieldId);
  const className = (classId: number | null) => snapshot.priorityClasses.find((p) => p.id === classId)?.name;
  const served = snapshot.fields.filter((f) => counter.fieldIds.includes(f.id));

  const submit = (data: Record<string, string | number>) => {
    dialogSubmitting.current = dialog !== null;
    return fetcher.submit(data, { method: "post" });
  };
  const finishForm = useRef<HTMLFormElement>(null);

  const keys = useRef<Record<string, () => void>>({});
  keys.current = {
    F2: () => !current && !paused && submit({ intent: "call-next", counterId: counter.id }),
    F3: () => current && submit({ intent: "recall", ticketId: current.id }),
    F4: () => current && finishForm.current?.requestSubmit(),
    F6: () => current && setDialog("transfer"),
    F7: () => current && submit({ intent: "no-show", ticketId: current.id }),
    F8: () => !current && !paused && (setCallTicketId(null), setDialog("call")),
    F9: () => (paused ? submit({ intent: "resume" }) : setDialog("pause")),
  };
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const act = keys.current[event.key];
      if (!act) return;
      event.preventDefault();
      if (document.querySelector("dialog[open]")) return;
      act();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  // A dialog closes once its own action went through, or shows why it did not.
  useEffect(() => {
    if (fetcher.state !== "idle" || !dialogSubmitting.current) return;
    dialogSubmitting.current = false;
    if (fetcher.data?.ok) setDialog(null);
    else setDialogResult(fetcher.data);
  }, [fetcher.state, fetcher.data]);

  const actionButton = (label: string, key: string, enabled: boolean, tone = "bg-white text-slate-900 ring-1 ring-slate-300 hover:bg-slate-50") => (
    <button
      type="button"
      disabled={busy || !enabled}
      onClick={() => keys.current[key]?.()}
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
              {paused
                ? t("counter.state.paused", { reason: counter.pauseReason ? t(pauseLabel(counter.pauseReason as PauseReason)) : "" })
                : t("counter.state.open")}
            </span>
          </div>
          <div className="flex gap-2">
            <button
              type="button"
              disabled={busy}
              onClick={() => keys.current.F9?.()}
              className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50"
            >
              {paused ? t("counter.resume") : t("counter.pause")} <kbd>F9</kbd>
            </button>
            <button
              type="button"
              disabled={busy}
              onClick={() => (current ? setDialog("sign-out") : submit({ intent: "sign-out" }))}
              className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50"
            >
              {t("counter.signOut")}
            </button>
          </div>
        </div>

        <div className="min-h-11 empty:hidden">
          <ActionMessage data={fetcher.data} />
        </div>

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
              <label className="flex flex-1 flex-col text-sm font-medium">
                {t("counter.note")}
                <input name="note" maxLength={1000} placeholder={t("counter.notePlaceholder")} className="mt-1 rounded-lg border border-slate-300 px-3 py-2 text-base" />
              </label>
            </fetcher.Form>
          ) : null}
        </div>

        <div className="grid grid-cols-3 gap-2.5">
          {actionButton(t("counter.callNext"), "F2", !current && !paused, "bg-brand-700 text-white hover:bg-brand-800")}
          {actionButton(t("counter.recall"), "F3", Boolean(current))}
          {actionButton(t("counter.finish"), "F4", Boolean(current), "bg-emerald-700 text-white hover:bg-emerald-800")}
          {actionButton(t("counter.transfer"), "F6", Boolean(current))}
          {actionButton(t("counter.noShow"), "F7", Boolean(current))}
          {actionButton(t("counter.callSpecific"), "F8", !current && !paused)}
        </div>
        {current ? (
          <p className="text-sm text-slate-500">{t("counter.noShowAfter", { n: field(current.fieldId)?.recallsBeforeNoShow ?? 0 })}</p>
        ) : null}
      </section>

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
          {queue.waiting.length === 0 ? <p className="mt-2 text-slate-500">{t("counter.queueEmpty")}</p> : null}
          <ul className="mt-1 min-h-0 divide-y divide-slate-100 overflow-y-auto" data-testid="counter-queue">
            {queue.waiting.map((q) => (
              <li key={q.id} className="flex items-center justify-between gap-2 py-1.5">
                <button
                  type="button"
                  disabled={Boolean(current) || paused}
                  onClick={() => {
                    setCallTicketId(q.id);
                    setDialog("call");
                  }}
                  title={t("counter.callSpecific")}
                  className="flex items-center gap-2 rounded px-1 text-left hover:bg-slate-50 disabled:cursor-default disabled:hover:bg-transparent"
                >
                  <span className="font-mono text-lg font-bold">{q.code}</span>
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
          </ul>
        </div>
        {queue.noShows.length > 0 ? (
          <div className="rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
            <h2 className="text-base font-semibold">{t("counter.noShows")}</h2>
            <ul className="mt-1 divide-y divide-slate-100" data-testid="no-shows">
              {queue.noShows.map((q) => (
                <li key={q.id} className="flex items-center justify-between gap-2 py-1.5">
                  <span className="font-mono text-lg font-bold">{q.code}</span>
                  <button
                    type="button"
                    disabled={busy}
                    onClick={() => submit({ intent: "rejoin", ticketId: q.id })}
                    className="rounded-md border border-slate-300 px-2.5 py-1 text-sm hover:bg-slate-50"
                  >
                    {t("counter.rejoin")}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </aside>

      {dialog === "transfer" && current ? (
        <Modal title={t("counter.transfer.title", { code: current.code })} onClose={() => setDialog(null)} error={dialogResult}>
          <TransferForm
            ticketId={current.id}
            fields={snapshot.fields.filter((f) => f.isOpen && f.id !== current.fieldId)}
            counters={snapshot.counters.filter((c) => c.id !== counter.id && c.officerId !== null && c.status !== "closed")}
            officers={officers}
            busy={busy}
            onSubmit={(data) => submit(data)}
          />
        </Modal>
      ) : null}
      {dialog === "call" ? (
        <Modal title={t("counter.call.title")} onClose={() => setDialog(null)} error={dialogResult}>
          <CallForm counterId={counter.id} waiting={queue.waiting} initialTicketId={callTicketId} busy={busy} onSubmit={(data) => submit(data)} />
        </Modal>
      ) : null}
      {dialog === "pause" ? (
        <Modal title={t("counter.pause.title")} onClose={() => setDialog(null)} error={dialogResult}>
          <form
            onSubmit={(event) => {
              event.preventDefault();
              submit(Object.fromEntries(new FormData(event.currentTarget)) as Record<string, string>);
            }}
          >
            <input type="hidden" name="intent" value="pause" />
            <fieldset className="flex flex-col gap-2">
              {PAUSE_REASONS.map((r, i) => (
                <label key={r} className="flex items-center gap-2 text-base">
                  <input type="radio" name="reason" value={r} defaultChecked={i === 0} data-autofocus={i === 0 ? "" : undefined} /> {t(pauseLabel(r))}
                </label>
              ))}
            </fieldset>
            <button type="submit" disabled={busy} className="mt-4 w-full rounded-lg bg-amber-600 py-2.5 font-semibold text-white hover:bg-amber-700">
              {t("counter.pause.submit")}
            </button>
          </form>
        </Modal>
      ) : null}
      {dialog === "sign-out" && current ? (
        <Modal title={t("counter.signOut.title", { code: current.code })} onClose={() => setDialog(null)} error={dialogResult}>
          <p className="text-base">{t("counter.signOut.question")}</p>
          <div className="mt-4 flex flex-col gap-2">
            <button
              type="button"
              data-autofocus
              disabled={busy}
              onClick={() => submit({ intent: "sign-out", activeTicket: "finish" })}
              className="rounded-lg bg-emerald-700 py-2.5 font-semibold text-white hover:bg-emerald-800"
            >
              {t("counter.signOut.finish")}
            </button>
            <button
              type="button"
              disabled={busy}
              onClick={() => submit({ intent: "sign-out", activeTicket: "requeue" })}
              className="rounded-lg border border-slate-300 py-2.5 font-semibold hover:bg-slate-50"
            >
              {t("counter.signOut.requeue")}
            </button>
          </div>
        </Modal>
      ) : null}
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

/** A modal on the native <dialog>: focus is trapped and Esc closes it. */
function Modal({ title, onClose, error, children }: { title: string; onClose: () => void; error: ActionData | undefined; children: React.ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const body = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    // showModal focuses the first control (the close button); the form's first field is what the officer needs.
    const first = (selector: string) => body.current?.querySelector<HTMLElement>(selector);
    (first("[data-autofocus]") ?? first("select, input:not([type=hidden]), textarea, button"))?.focus();
  }, []);
  return (
    <dialog
      ref={ref}
      onClose={onClose}
      aria-label={title}
      className="m-auto w-full max-w-lg rounded-2xl p-0 shadow-2xl backdrop:bg-slate-900/40"
    >
      <div className="p-6">
        <div className="flex items-start justify-between gap-4">
          <h2 className="text-xl font-bold">{title}</h2>
          <button type="button" onClick={() => ref.current?.close()} className="rounded px-2 text-slate-500 hover:bg-slate-100">
            {t("counter.dialog.cancel")} <kbd>Esc</kbd>
          </button>
        </div>
        {error && !error.ok ? (
          <p role="alert" className="mt-3 rounded-lg bg-red-50 px-3 py-2 text-red-900 ring-1 ring-red-200">
            {error.error}
          </p>
        ) : null}
        <div ref={body} className="mt-4">
          {children}
        </div>
      </div>
    </dialog>
  );
}

function TransferForm({
  ticketId,
  fields,
  counters,
  officers,
  busy,
  onSubmit,
}: {
  ticketId: number;
  fields: CentreSnapshot["fields"];
  counters: CounterSummary[];
  officers: Array<{ id: number; fullName: string }>;
  busy: boolean;
  onSubmit: (data: Record<string, string>) => void;
}) {
  const [kind, setKind] = useState<"fieldId" | "counterId" | "officerId">("fieldId");
  const options =
    kind === "fieldId"
      ? fields.map((f) => ({ value: f.id, label: `${f.prefix} · ${f.name}` }))
      : kind === "counterId"
        ? counters.map((c) => ({ value: c.id, label: `${c.name}${c.officerName ? ` — ${c.officerName}` : ""}` }))
        : officers.map((o) => ({ value: o.id, label: o.fullName }));
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit(Object.fromEntries(new FormData(event.currentTarget)) as Record<string, string>);
      }}
    >
      <input type="hidden" name="intent" value="transfer" />
      <input type="hidden" name="ticketId" value={ticketId} />
      <div className="flex gap-2" role="radiogroup">
        {(
          [
            ["fieldId", t("counter.transfer.toField")],
            ["counterId", t("counter.transfer.toCounter")],
            ["officerId", t("counter.transfer.toOfficer")],
          ] as const
        ).map(([value, label]) => (
          <label
            key={value}
            className={`flex-1 cursor-pointer rounded-lg border px-2 py-2 text-center text-sm font-medium has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-brand-600 ${kind === value ? "border-brand-600 bg-brand-50 font-semibold text-brand-800" : "border-slate-300"}`}
          >
            <input type="radio" name="transferKind" className="sr-only" checked={kind === value} onChange={() => setKind(value)} />
            {label}
          </label>
        ))}
      </div>
      <select name={kind} key={kind} data-autofocus required className="mt-3 w-full rounded-lg border border-slate-300 px-3 py-2 text-base" aria-label={t("counter.transfer.choose")}>
        <option value="">{t("counter.transfer.choose")}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <label className="mt-3 block text-sm font-medium">
        {t("counter.transfer.note")}
        <textarea name="note" rows={2} maxLength={500} className="mt-1 w-full rounded-lg border border-slate-300 px-3 py-2 text-base" />
      </label>
      <p className="mt-2 text-sm text-slate-500">{t("counter.transfer.keepsPlace")}</p>
      <button type="submit" disabled={busy} className="mt-4 w-full rounded-lg bg-brand-700 py-2.5 font-semibold text-white hover:bg-brand-800">
        {t("counter.transfer.submit")}
      </button>
    </form>
  );
}

function CallForm({
  counterId,
  waiting,
  initialTicketId,
  busy,
  onSubmit,
}: {
  counterId: number;
  waiting: QueuedTicket[];
  initialTicketId: number | null;
  busy: boolean;
  onSubmit: (data: Record<string, string>) => void;
}) {
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit(Object.fromEntries(new FormData(event.currentTarget)) as Record<string, string>);
      }}
    >
      <input type="hidden" name="intent" value="call" />
      <input type="hidden" name="counterId" value={counterId} />
      <label className="block text-sm font-medium">
        {t("counter.call.ticket")}
        <select
          name="ticketId"
          required
          defaultValue={initialTicketId ?? ""}
          data-autofocus={initialTicketId === null ? "" : undefined}
          className="mt-1 w-full rounded-lg border border-slate-300 px-3 py-2 text-base"
        >
          <option value="">{t("counter.transfer.choose")}</option>
          {waiting.map((q) => (
            <option key={q.id} value={q.id}>
              {q.code} · {formatTime(q.issuedAt)}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="mt-3">
        <legend className="text-sm font-medium">{t("counter.call.reason")}</legend>
        <div className="mt-1 flex flex-col gap-1.5">
          {OUT_OF_ORDER_REASONS.map((r, i) => (
            <label key={r} className="flex items-center gap-2 text-base">
              <input type="radio" name="reason" value={r} data-autofocus={initialTicketId !== null && i === 0 ? "" : undefined} /> {t(outOfOrderLabel(r))}
            </label>
          ))}
        </div>
      </fieldset>
      <label className="mt-3 block text-sm font-medium">
        {t("counter.call.note")}
        <input name="note" maxLength={500} className="mt-1 w-full rounded-lg border border-slate-300 px-3 py-2 text-base" />
      </label>
      <button type="submit" disabled={busy} className="mt-4 w-full rounded-lg bg-brand-700 py-2.5 font-semibold text-white hover:bg-brand-800">
        {t("counter.call.submit")}
      </button>
    </form>
  );
}
