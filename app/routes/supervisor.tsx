import { useEffect, useRef, useState } from "react";
import { data, useRevalidator } from "react-router";
import { z } from "zod";
import { can } from "../../server/auth/permissions";
import { kioskActivity } from "../../server/devices/service";
import { t } from "../../server/i18n";
import { plainText } from "../../server/input";
import { fieldServed } from "../../server/queue/availability";
import { fieldWaitMinutes } from "../../server/queue/estimate";
import { id } from "../../server/queue/inputs";
import { listOutOfOrderCalls, listWaitingTickets } from "../../server/queue/read";
import { listTransferTargets, rerouteTicket } from "../../server/queue/transfer";
import { cancelTicket } from "../../server/queue/waiting";
import { outOfOrderLabel, PAUSE_REASONS, type OutOfOrderReason } from "../../server/queue/reasons";
import { getStaffSnapshot } from "../../server/queue/snapshot";
import { supervisionBoard } from "../../server/supervision/board";
import { moveOfficer, postNotice, setCounterFields, signOfficerOut, steerCounterPause } from "../../server/supervision/steering";
import { formatTime } from "../../server/time";
import { LiveBadge } from "../components/live-badge";
import { StaffHeader } from "../components/staff-header";
import { Alerts, CounterRows, duration, minutesSince, NoticeForm } from "../components/supervisor/board-parts";
import { SteerPanel } from "../components/supervisor/steer-panel";
import { WaitingTickets } from "../components/supervisor/waiting-tickets";
import { readForm, respond, type Answer } from "../lib/actions.server";
import { requireUser } from "../lib/guards.server";
import { keepShownData } from "../lib/offline";
import { useLiveSnapshot } from "../lib/use-live-snapshot";
import type { Route } from "./+types/supervisor";

export const meta: Route.MetaFunction = () => [{ title: `${t("supervisor.title")} · ${t("app.name")}` }];

const reason = plainText(200).optional();
const schemas = {
  "steer-pause": z.object({ intent: z.literal("steer-pause"), counterId: id, reason: z.enum(PAUSE_REASONS, { error: t("error.pause_reason_required") }), note: reason }),
  "steer-open": z.object({ intent: z.literal("steer-open"), counterId: id }),
  move: z.object({ intent: z.literal("move"), officerId: id, toCounterId: id, activeTicket: z.enum(["finish", "requeue"]).optional(), reason }),
  fields: z.object({ intent: z.literal("fields"), counterId: id, fieldIds: z.array(id).default([]), reason }),
  "sign-out": z.object({ intent: z.literal("sign-out"), counterId: id, activeTicket: z.enum(["finish", "requeue"]).optional(), reason: plainText(200, { required: t("error.steer_reason_required") }) }),
  notice: z.object({ intent: z.literal("notice"), text: plainText(1000).default(""), minutes: z.number().int().min(1).max(1440).optional() }),
  reroute: z.object({
    intent: z.literal("reroute"),
    ticketId: id,
    to: z.string({ error: t("error.transfer_target_required") }).regex(/^(field|counter):\d{1,10}$/, { error: t("error.transfer_target_required") }),
    note: plainText(500).optional(),
  }),
  cancel: z.object({ intent: z.literal("cancel"), ticketId: id, reason: plainText(500, { required: t("error.steer_reason_required") }) }),
};
type Intent = keyof typeof schemas;

export async function loader({ context, request }: Route.LoaderArgs) {
  const { user, actor } = requireUser(context, request, "board.watch");
  const maySteerQueue = can(actor, "queue.steer");
  const [snapshot, outOfOrder, kiosks, board, waiting, targets] = await Promise.all([
    getStaffSnapshot(context.services, actor),
    listOutOfOrderCalls(context.services, actor),
    kioskActivity(context.services, actor),
    supervisionBoard(context.services, actor),
    listWaitingTickets(context.services, actor),
    maySteerQueue ? listTransferTargets(context.services, actor) : Promise.resolve(null),
  ]);
  return {
    user,
    snapshot,
    board,
    maySteer: can(actor, "counters.steer"),
    mayPostNotice: can(actor, "notices.post"),
    outOfOrder: outOfOrder.map((o) => ({ ...o, at: o.at.toISOString() })),
    refusedTaps: Object.fromEntries(kiosks.map((k) => [k.id, k.refusedToday])),
    waiting: waiting.map((w) => ({ ...w, issuedAt: w.issuedAt.toISOString() })),
    targets,
  };
}

export async function action({ context, request }: Route.ActionArgs) {
  const { actor } = requireUser(context, request, "board.watch");
  const { services } = context;
  const formData = await readForm(request);
  const intent = String(formData.get("intent")) as Intent;
  if (!(intent in schemas)) throw data({ message: t("error.bad_request") }, { status: 400 });
  return respond(formData, schemas[intent] as z.ZodType<Record<string, unknown>>, { form: intent }, async (value): Promise<Answer> => {
    switch (intent) {
      case "steer-pause": {
        const v = value as z.output<(typeof schemas)["steer-pause"]>;
        const { counter } = await steerCounterPause(services, actor, { counterId: v.counterId, paused: true, reason: v.reason, note: v.note });
        return { message: t("supervisor.steer.paused", { counter: counter.name }) };
      }
      case "steer-open": {
        const v = value as z.output<(typeof schemas)["steer-open"]>;
        const { counter } = await steerCounterPause(services, actor, { counterId: v.counterId, paused: false });
        return { message: t("supervisor.steer.reopened", { counter: counter.name }) };
      }
      case "move": {
        const v = value as z.output<(typeof schemas)["move"]>;
        const moved = await moveOfficer(services, actor, v);
        return { message: t("supervisor.steer.moved", { name: moved.to.officerName ?? "", counter: moved.to.name }) };
      }
      case "fields": {
        const v = value as z.output<(typeof schemas)["fields"]>;
        const { counter } = await setCounterFields(services, actor, v);
        return { message: t("supervisor.steer.fieldsSaved", { counter: counter.name }) };
      }
      case "sign-out": {
        const v = value as z.output<(typeof schemas)["sign-out"]>;
        const { counter } = await signOfficerOut(services, actor, v);
        return { message: t("supervisor.steer.signedOut", { counter: counter.name }) };
      }
      case "reroute": {
        const v = value as z.output<(typeof schemas)["reroute"]>;
        const [kind, target] = v.to.split(":") as ["field" | "counter", string];
        const to = kind === "field" ? { fieldId: Number(target) } : { counterId: Number(target) };
        const { ticket } = await rerouteTicket(services, actor, { ticketId: v.ticketId, to, note: v.note });
        return { message: t("supervisor.rerouted", { code: ticket.code }) };
      }
      case "cancel": {
        const v = value as z.output<(typeof schemas)["cancel"]>;
        const { ticket } = await cancelTicket(services, actor, { ticketId: v.ticketId, reason: v.reason });
        return { message: t("supervisor.withdrawn", { code: ticket.code }) };
      }
      case "notice": {
        const v = value as z.output<(typeof schemas)["notice"]>;
        const posted = await postNotice(services, actor, { text: v.text, minutes: v.minutes ?? null });
        return { message: posted.notice ? t("supervisor.notice.posted") : t("supervisor.notice.removed") };
      }
    }
  });
}

/** The reason's label, and the officer's note after it. */
function describeReason({ reason, note }: { reason: OutOfOrderReason | null; note: string | null }) {
  const label = reason ? t(outOfOrderLabel(reason)) : "";
  return [label, note].filter(Boolean).join(" — ");
}

/** The board's figures and alerts follow the queue: read again a moment after events, and every half minute. */
const REFRESH_MS = 30_000;
const AFTER_EVENT_MS = 800;

// While the server cannot be reached, the board keeps what it shows (its badge says it is offline).
export const clientLoader = keepShownData<Awaited<ReturnType<Route.ClientLoaderArgs["serverLoader"]>>>();

export default function Supervisor({ loaderData }: Route.ComponentProps) {
  const revalidator = useRevalidator();
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  const refresh = () => {
    if (pending.current) return;
    pending.current = setTimeout(() => {
      pending.current = null;
      if (document.visibilityState !== "hidden") void revalidator.revalidate();
    }, AFTER_EVENT_MS);
  };
  const { snapshot, connection } = useLiveSnapshot(loaderData.snapshot, { onEvent: refresh });
  const [now, setNow] = useState(() => Date.parse(loaderData.board.at));
  useEffect(() => {
    const tick = setInterval(() => setNow(Date.now()), 15_000);
    const reload = setInterval(() => void revalidator.revalidate(), REFRESH_MS);
    return () => {
      clearInterval(tick);
      clearInterval(reload);
      if (pending.current) clearTimeout(pending.current);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  // Fresh figures bring the server's time with them.
  const [boardAt, setBoardAt] = useState(loaderData.board.at);
  if (boardAt !== loaderData.board.at) {
    setBoardAt(loaderData.board.at);
    setNow(Date.parse(loaderData.board.at));
  }
  const [steering, setSteering] = useState<number | null>(null);
  const { board } = loaderData;
  const fieldName = (fieldId: number) => snapshot.fields.find((f) => f.id === fieldId)?.name ?? "";
  const figures = (counterId: number) => board.counters.find((c) => c.id === counterId);

  return (
    <div className="min-h-screen">
      <StaffHeader user={loaderData.user} centreName={snapshot.centre.name}>
        <LiveBadge connection={connection} />
      </StaffHeader>
      <main className="mx-auto max-w-[1880px] p-4">
        <h1 className="sr-only">{t("supervisor.title")}</h1>
        <Alerts alerts={board.alerts} now={now} />
        {/* Side by side on a hall screen (1920); on a counter PC (1366) the counters take the width and the rest follows in two columns. */}
        <div className="mt-3 grid gap-4 2xl:grid-cols-[minmax(0,1.55fr)_minmax(0,1fr)]">
          <div className="flex min-w-0 flex-col gap-4">
            <section className="rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200" aria-labelledby="counters-title">
              <h2 id="counters-title" className="text-xl font-bold">
                {t("supervisor.counters")}
              </h2>
              <table className="mt-2 w-full text-left">
                <thead className="text-sm text-slate-500">
                  <tr className="[&>th]:py-1.5 [&>th]:pr-3 [&>th]:font-medium [&>th]:whitespace-nowrap">
                    <th>{t("supervisor.counter")}</th>
                    <th>{t("supervisor.officer")}</th>
                    <th>{t("supervisor.state")}</th>
                    <th>{t("supervisor.current")}</th>
                    <th className="text-right">{t("supervisor.servedToday")}</th>
                    <th className="text-right">{t("supervisor.meanService")}</th>
                    {loaderData.maySteer ? <th /> : null}
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {snapshot.counters.map((c) => (
                    <CounterRows
                      key={c.id}
                      counter={c}
                      figures={figures(c.id)}
                      now={now}
                      fieldName={fieldName}
                      maySteer={loaderData.maySteer}
                      open={steering === c.id}
                      onToggle={() => setSteering(steering === c.id ? null : c.id)}
                      panel={<SteerPanel counter={c} counters={snapshot.counters} fields={snapshot.fields} />}
                    />
                  ))}
                </tbody>
              </table>
            </section>
            <WaitingTickets tickets={loaderData.waiting} fieldName={fieldName} targets={loaderData.targets} now={now} />
          </div>
          <div className="grid content-start gap-4 lg:grid-cols-2 2xl:grid-cols-1">
            <section className="rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200" aria-labelledby="fields-title">
              <h2 id="fields-title" className="text-xl font-bold">
                {t("supervisor.fields")}
              </h2>
              <table className="mt-2 w-full text-left">
                <thead className="text-sm text-slate-500">
                  <tr className="[&>th]:py-1.5 [&>th]:font-medium [&>th]:whitespace-nowrap">
                    <th />
                    <th className="pl-3 text-right">{t("supervisor.waiting")}</th>
                    <th className="pl-3 text-right">{t("supervisor.longestWait")}</th>
                    <th className="pl-3 text-right">{t("supervisor.estimate")}</th>
                    <th className="pl-3 text-right">{t("supervisor.openCounters")}</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {snapshot.fields.map((f) => {
                    const minutes = fieldWaitMinutes(f, snapshot.counters);
                    const figures = board.fields.find((b) => b.id === f.id);
                    const oldest = figures?.oldestWaitingSince;
                    const booked = figures?.appointments;
                    const open = snapshot.counters.filter((c) => c.staffed && c.status === "open" && c.fieldIds.includes(f.id)).length;
                    return (
                      <tr key={f.id} data-testid={`supervisor-field-${f.code}`}>
                        <td className="py-1.5">
                          {f.name}
                          {f.isOpen && !fieldServed(f.id, snapshot.counters) ? (
                            <span className={`ml-2 rounded px-1.5 py-0.5 text-xs font-semibold ${f.waiting > 0 ? "bg-red-100 text-red-900" : "bg-amber-100 text-amber-900"}`}>
                              {t("supervisor.unserved")}
                            </span>
                          ) : null}
                          {booked ? (
                            <span className="block text-xs text-slate-500" data-testid="field-appointments">
                              {t("supervisor.appointments", booked)}
                            </span>
                          ) : null}
                        </td>
                        <td className="pl-3 text-right font-bold tabular-nums">{f.waiting}</td>
                        <td className="pl-3 text-right text-sm tabular-nums">{f.waiting > 0 && oldest ? duration(minutesSince(oldest, now)) : "—"}</td>
                        <td className="pl-3 text-right text-sm whitespace-nowrap" title={minutes === null ? t("supervisor.noEstimate") : undefined}>
                          {minutes === null ? "—" : t("supervisor.minutes", { m: minutes })}
                        </td>
                        <td className="pl-3 text-right tabular-nums">{open}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </section>
            {loaderData.mayPostNotice ? <NoticeForm notice={board.notice} /> : null}
            <section className="rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200" aria-labelledby="devices-title">
              <h2 id="devices-title" className="text-xl font-bold">
                {t("supervisor.devices")}
              </h2>
              {board.devices.length === 0 ? <p className="mt-2 text-slate-500">{t("supervisor.devicesNone")}</p> : null}
              <ul className="mt-2 divide-y divide-slate-100" data-testid="devices">
                {board.devices.map((d) => (
                  <li key={d.id} className="py-1.5" data-online={d.online}>
                    <div className="flex items-baseline justify-between gap-3">
                      <span>
                        <span className={`mr-2 inline-block size-2.5 rounded-full ${d.online ? "bg-emerald-500" : "bg-red-500"}`} aria-hidden />
                        {d.name}
                        <span className="ml-2 text-sm text-slate-500">{t(`pair.kind.${d.kind}`)}</span>
                      </span>
                      <span className={`text-sm whitespace-nowrap ${d.online ? "text-slate-500" : "font-semibold text-red-800"}`}>
                        {d.online
                          ? d.since
                            ? t("supervisor.deviceConnectedSince", { time: formatTime(d.since) })
                            : t("supervisor.deviceOnline")
                          : d.since
                            ? t("supervisor.deviceOfflineSince", { time: formatTime(d.since) })
                            : t("supervisor.kioskNeverSeen")}
                        {d.kind === "kiosk" && (loaderData.refusedTaps[d.id] ?? 0) > 0 ? ` · ${t("supervisor.kioskRefused", { n: loaderData.refusedTaps[d.id]! })}` : ""}
                      </span>
                    </div>
                    {d.modes.length > 0 ? <p className="ml-4.5 text-sm text-slate-500">{d.modes.join(" · ")}</p> : null}
                  </li>
                ))}
              </ul>
            </section>
            <section className="rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200" aria-labelledby="ooo-title">
              <h2 id="ooo-title" className="text-xl font-bold">
                {t("supervisor.outOfOrder")}
              </h2>
              {loaderData.outOfOrder.length === 0 ? <p className="mt-2 text-slate-500">{t("supervisor.outOfOrderNone")}</p> : null}
              <ul className="mt-2 divide-y divide-slate-100" data-testid="out-of-order">
                {loaderData.outOfOrder.map((o, i) => (
                  <li key={i} className="py-2">
                    <span className="font-mono font-bold">{o.code}</span>
                    <span className="ml-2 text-sm text-slate-500">
                      {formatTime(o.at)} · {t("display.counter", { n: o.counterNumber ?? "?" })} · {o.officerName}
                    </span>
                    <span className="block">{describeReason(o)}</span>
                  </li>
                ))}
              </ul>
            </section>
          </div>
        </div>
      </main>
    </div>
  );
}
