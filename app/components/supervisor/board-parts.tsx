/** Parts of the supervisor's board: the alerts strip, a counter's rows, the notice form. */
import type { ReactNode } from "react";
import { useFetcher } from "react-router";
import { t } from "../../../server/i18n";
import { pauseLabel, type PauseReason } from "../../../server/queue/reasons";
import type { CounterSummary } from "../../../server/realtime/events";
import type { AlertKind } from "../../../server/supervision/alerts";
import { formatTime } from "../../../server/time";
import type { ActionReply } from "../../lib/actions.server";

const ALERT_TEXT: Record<AlertKind, Parameters<typeof t>[0]> = {
  long_wait: "supervisor.alert.long_wait",
  unserved_field: "supervisor.alert.unserved_field",
  counter_paused: "supervisor.alert.counter_paused",
  counter_idle: "supervisor.alert.counter_idle",
  device_offline: "supervisor.alert.device_offline",
  dossier_due: "supervisor.alert.dossier_due",
  dossier_late: "supervisor.alert.dossier_late",
};

/** "12 phút" or "1 giờ 05 phút". */
export function duration(minutes: number) {
  if (minutes < 60) return t("supervisor.minutes", { m: minutes });
  return t("supervisor.hours", { h: Math.floor(minutes / 60), m: String(minutes % 60).padStart(2, "0") });
}
export const minutesSince = (iso: string, now: number) => Math.max(0, Math.floor((now - Date.parse(iso)) / 60_000));


export function Alerts({ alerts, now }: { alerts: Array<{ key: string; kind: AlertKind; since: string; subject: string; severity: "high" | "medium" }>; now: number }) {
  if (alerts.length === 0) {
    return (
      <p className="rounded-xl bg-emerald-50 px-4 py-2 text-emerald-900 ring-1 ring-emerald-200" data-testid="alerts">
        {t("supervisor.alert.none")}
      </p>
    );
  }
  return (
    <section aria-labelledby="alerts-title" data-testid="alerts">
      <h2 id="alerts-title" className="sr-only">
        {t("supervisor.alerts")}
      </h2>
      <ul className="flex flex-wrap gap-2">
        {alerts.map((a) => (
          <li
            key={a.key}
            data-testid={`alert-${a.kind}`}
            className={`rounded-xl px-3 py-2 ring-1 ${a.severity === "high" ? "bg-red-50 text-red-950 ring-red-300" : "bg-amber-50 text-amber-950 ring-amber-300"}`}
          >
            {a.kind === "dossier_due" || a.kind === "dossier_late" ? (
              <a href={`/dossiers/so-theo-doi?q=${encodeURIComponent(a.subject)}`} className="font-semibold underline underline-offset-2">
                {t(ALERT_TEXT[a.kind], { subject: a.subject })}
              </a>
            ) : (
              <span className="font-semibold">{t(ALERT_TEXT[a.kind], { subject: a.subject })}</span>
            )}
            <span className="ml-2 text-sm">{t("supervisor.alert.since", { time: formatTime(a.since), duration: duration(minutesSince(a.since, now)) })}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function CounterRows({
  counter: c,
  figures,
  now,
  fieldName,
  maySteer,
  open,
  onToggle,
  panel,
}: {
  counter: CounterSummary;
  figures?: { servedToday: number; meanServiceSeconds: number | null; statusSince: string | null };
  now: number;
  fieldName: (id: number) => string;
  maySteer: boolean;
  open: boolean;
  onToggle: () => void;
  panel: ReactNode;
}) {
  return (
    <>
      <tr data-testid={`supervisor-counter-${c.number}`} className={`[&>td]:py-1.5 [&>td]:pr-3 [&>td]:align-top ${open ? "bg-brand-50" : ""}`}>
        <td>
          <span className="font-semibold whitespace-nowrap">{c.name}</span>
          <span className="block max-w-72 truncate text-xs text-slate-500" title={c.fieldIds.map(fieldName).join(", ")}>
            {c.fieldIds.map(fieldName).join(", ") || t("admin.centre.noFields")}
          </span>
        </td>
        <td className="whitespace-nowrap">{c.officerName ?? "—"}</td>
        <td className="text-sm whitespace-nowrap">
          <span className={c.status === "paused" ? "font-semibold text-amber-800" : c.status === "open" ? "text-emerald-800" : "text-slate-500"}>
            {c.status === "paused"
              ? t("counter.state.paused", { reason: c.pauseReason ? t(pauseLabel(c.pauseReason as PauseReason)) : "" })
              : t(`counter.state.${c.status}`)}
          </span>
          {figures?.statusSince && c.staffed ? (
            <span className="block text-xs whitespace-nowrap text-slate-500">
              {t("supervisor.stateSince", { time: formatTime(figures.statusSince), duration: duration(minutesSince(figures.statusSince, now)) })}
            </span>
          ) : null}
        </td>
        <td>
          {c.current ? (
            <span>
              <span className="font-mono font-bold">{c.current.code}</span>
              <span className="ml-2 text-sm text-slate-500">
                {fieldName(c.current.fieldId)}
                {c.current.calledAt ? ` · ${duration(minutesSince(c.current.calledAt, now))}` : ""}
              </span>
            </span>
          ) : (
            "—"
          )}
        </td>
        <td className="text-right tabular-nums">{figures?.servedToday ?? 0}</td>
        <td className="text-right text-sm tabular-nums">{figures?.meanServiceSeconds ? t("supervisor.minutes", { m: Math.round(figures.meanServiceSeconds / 60) }) : "—"}</td>
        {maySteer ? (
          <td className="text-right">
            <button
              type="button"
              onClick={onToggle}
              aria-expanded={open}
              aria-label={`${t("supervisor.steer.open")} ${c.name}`}
              className={`rounded-md border px-2.5 py-1 text-sm font-medium whitespace-nowrap ${open ? "border-brand-600 bg-brand-700 text-white" : "border-slate-300 hover:bg-slate-50"}`}
            >
              {open ? t("supervisor.steer.collapse") : t("supervisor.steer.open")}
            </button>
          </td>
        ) : null}
      </tr>
      {open ? (
        <tr>
          <td colSpan={7} className="bg-brand-50 px-2 pb-3">
            {panel}
          </td>
        </tr>
      ) : null}
    </>
  );
}

export function NoticeForm({ notice }: { notice: { text: string; until: string | null } | null }) {
  const fetcher = useFetcher<ActionReply>({ key: "notice" });
  const reply = fetcher.state === "idle" ? fetcher.data : undefined;
  const error = reply?.result.status === "error" ? Object.values(reply.result.error ?? {}).flat()[0] : undefined;
  return (
    <section className="rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200" aria-labelledby="notice-title">
      <h2 id="notice-title" className="text-xl font-bold">
        {t("supervisor.notice.title")}
      </h2>
      {notice ? (
        <p className="mt-2 rounded-lg bg-brand-50 px-3 py-2" data-testid="current-notice">
          {notice.text}
          <span className="block text-sm text-slate-600">{notice.until ? t("supervisor.notice.until", { time: formatTime(notice.until) }) : t("supervisor.notice.untilRemoved")}</span>
        </p>
      ) : (
        <p className="mt-1 text-sm text-slate-500">{t("supervisor.notice.none")}</p>
      )}
      <fetcher.Form method="post" className="mt-2 flex flex-wrap items-end gap-2">
        <input type="hidden" name="intent" value="notice" />
        <label className="min-w-60 flex-1 text-sm font-medium">
          {t("supervisor.notice.text")}
          <input name="text" maxLength={300} className="mt-1 w-full rounded-md border border-slate-300 px-2.5 py-1.5 text-base" />
        </label>
        <label className="text-sm font-medium">
          {t("supervisor.notice.minutes")}
          <select name="minutes" defaultValue="60" className="mt-1 block rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-base">
            <option value="30">{t("supervisor.minutes", { m: 30 })}</option>
            <option value="60">{t("supervisor.hours", { h: 1, m: "00" })}</option>
            <option value="240">{t("supervisor.hours", { h: 4, m: "00" })}</option>
            <option value="">{t("supervisor.notice.untilRemoved")}</option>
          </select>
        </label>
        <button type="submit" className="rounded-md bg-brand-700 px-3 py-1.5 font-semibold text-white hover:bg-brand-800">
          {t("supervisor.notice.post")}
        </button>
      </fetcher.Form>
      {notice ? (
        <fetcher.Form method="post" className="mt-2">
          <input type="hidden" name="intent" value="notice" />
          <input type="hidden" name="text" value="" />
          <button type="submit" className="rounded-md border border-slate-300 px-3 py-1.5 hover:bg-slate-50">
            {t("supervisor.notice.remove")}
          </button>
        </fetcher.Form>
      ) : null}
      {reply?.message ? (
        <p role="status" className="mt-1 text-sm text-emerald-800">
          {reply.message}
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="mt-1 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </section>
  );
}
