import { useRevalidator } from "react-router";
import { kioskActivity } from "../../server/devices/service";
import { listOutOfOrderCalls } from "../../server/queue/read";
import { getStaffSnapshot } from "../../server/queue/snapshot";
import { outOfOrderLabel, pauseLabel, type OutOfOrderReason, type PauseReason } from "../../server/queue/reasons";
import { LiveBadge } from "../components/live-badge";
import { StaffHeader } from "../components/staff-header";
import { fieldWaitMinutes } from "../../server/queue/estimate";
import { fieldServed } from "../../server/queue/availability";
import { requireUser } from "../lib/guards.server";
import { t } from "../../server/i18n";
import { formatTime } from "../../server/time";
import { keepShownData } from "../lib/offline";
import { useLiveSnapshot } from "../lib/use-live-snapshot";
import type { Route } from "./+types/supervisor";

export const meta: Route.MetaFunction = () => [{ title: `${t("supervisor.title")} · ${t("app.name")}` }];

export async function loader({ context, request }: Route.LoaderArgs) {
  const { user, actor } = requireUser(context, request, "board.watch");
  const [snapshot, outOfOrder, kiosks] = await Promise.all([
    getStaffSnapshot(context.services, actor),
    listOutOfOrderCalls(context.services, actor),
    kioskActivity(context.services, actor),
  ]);
  return {
    user,
    snapshot,
    outOfOrder: outOfOrder.map((o) => ({ ...o, at: o.at.toISOString() })),
    kiosks: kiosks.map((k) => ({ ...k, lastSeenAt: k.lastSeenAt?.toISOString() ?? null })),
  };
}

/** The reason's label, and the officer's note after it. */
function describeReason({ reason, note }: { reason: OutOfOrderReason | null; note: string | null }) {
  const label = reason ? t(outOfOrderLabel(reason)) : "";
  return [label, note].filter(Boolean).join(" — ");
}

// While the server cannot be reached, the board keeps what it shows (its badge says it is offline).
export const clientLoader = keepShownData<Awaited<ReturnType<Route.ClientLoaderArgs["serverLoader"]>>>();

export default function Supervisor({ loaderData }: Route.ComponentProps) {
  const revalidator = useRevalidator();
  const { snapshot, connection } = useLiveSnapshot(loaderData.snapshot, {
    onEvent: (event) => {
      if (event.type === "ticket.called") void revalidator.revalidate();
    },
  });
  const fieldName = (fieldId: number) => snapshot.fields.find((f) => f.id === fieldId)?.name ?? "";
  return (
    <div className="min-h-screen">
      <StaffHeader user={loaderData.user} centreName={snapshot.centre.name}>
        <LiveBadge connection={connection} />
      </StaffHeader>
      <main className="mx-auto grid max-w-7xl grid-cols-[1.2fr_1fr] gap-5 p-5">
        <section className="rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
          <h1 className="text-xl font-bold">{t("supervisor.counters")}</h1>
          <table className="mt-2 w-full text-left">
            <thead className="text-sm text-slate-500">
              <tr>
                <th className="py-1.5">{t("supervisor.counter")}</th>
                <th>{t("supervisor.officer")}</th>
                <th>{t("supervisor.state")}</th>
                <th>{t("supervisor.current")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {snapshot.counters.map((c) => (
                <tr key={c.id} data-testid={`supervisor-counter-${c.number}`}>
                  <td className="py-1.5 font-semibold">{c.name}</td>
                  <td>{c.officerName ?? "—"}</td>
                  <td>
                    {c.status === "paused"
                      ? t("counter.state.paused", { reason: c.pauseReason ? t(pauseLabel(c.pauseReason as PauseReason)) : "" })
                      : t(`counter.state.${c.status}`)}
                  </td>
                  <td>
                    {c.current ? (
                      <span>
                        <span className="font-mono font-bold">{c.current.code}</span>
                        <span className="ml-2 text-sm text-slate-500">
                          {fieldName(c.current.fieldId)}
                          {c.current.calledAt ? ` · ${t("supervisor.since")} ${formatTime(c.current.calledAt)}` : ""}
                        </span>
                      </span>
                    ) : (
                      "—"
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="flex flex-col gap-5">
          <div className="rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
            <h2 className="text-xl font-bold">{t("supervisor.fields")}</h2>
            <table className="mt-2 w-full text-left">
              <thead className="text-sm text-slate-500">
                <tr>
                  <th className="py-1.5" />
                  <th className="pl-4 text-right">{t("supervisor.waiting")}</th>
                  <th className="pl-4 text-right">{t("supervisor.issued")}</th>
                  <th className="pl-4 text-right">{t("supervisor.estimate")}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {snapshot.fields.map((f) => {
                  const minutes = fieldWaitMinutes(f, snapshot.counters);
                  return (
                    <tr key={f.id} data-testid={`supervisor-field-${f.code}`}>
                      <td className="py-1.5">
                        {f.name}
                        {f.isOpen && !fieldServed(f.id, snapshot.counters) ? (
                          <span className={`ml-2 rounded px-1.5 py-0.5 text-xs font-semibold ${f.waiting > 0 ? "bg-red-100 text-red-900" : "bg-amber-100 text-amber-900"}`}>
                            {t("supervisor.unserved")}
                          </span>
                        ) : null}
                      </td>
                      <td className="pl-4 text-right font-bold tabular-nums">{f.waiting}</td>
                      <td className="pl-4 text-right tabular-nums">{f.issuedToday}</td>
                      <td className="pl-4 text-right text-sm">{minutes === null ? t("supervisor.noEstimate") : t("supervisor.minutes", { m: minutes })}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <div className="rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
            <h2 className="text-xl font-bold">{t("supervisor.kiosks")}</h2>
            {loaderData.kiosks.length === 0 ? <p className="mt-2 text-slate-500">{t("supervisor.kiosksNone")}</p> : null}
            <ul className="mt-2 divide-y divide-slate-100" data-testid="kiosks">
              {loaderData.kiosks.map((k) => (
                <li key={k.id} className="flex items-baseline justify-between gap-3 py-1.5">
                  <span>
                    {k.name}
                    <span className="ml-2 text-sm text-slate-500">
                      {k.lastSeenAt ? t("supervisor.kioskSeen", { time: formatTime(k.lastSeenAt) }) : t("supervisor.kioskNeverSeen")}
                    </span>
                  </span>
                  <span className={`text-sm whitespace-nowrap ${k.refusedToday > 0 ? "font-semibold text-amber-800" : "text-slate-500"}`}>
                    {t("supervisor.kioskRefused", { n: k.refusedToday })}
                  </span>
                </li>
              ))}
            </ul>
          </div>
          <div className="rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
            <h2 className="text-xl font-bold">{t("supervisor.outOfOrder")}</h2>
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
          </div>
        </section>
      </main>
    </div>
  );
}
