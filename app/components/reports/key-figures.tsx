/** The figures a supervisor reads first, at the top of the reports page and of the printed summary. */
import { t } from "../../../server/i18n";
import type { ArrivalsReport, DossiersReport, SatisfactionReport, TicketsReport, WaitsReport } from "../../../server/reports/types";
import { formatDuration, formatHourRange, formatInt, formatNumber, formatShare } from "./format";

export type KeyReports = { tickets: TicketsReport; waits: WaitsReport; arrivals: ArrivalsReport; satisfaction: SatisfactionReport; dossiers: DossiersReport };

/** A part over a whole for display (null when the whole is nothing): both counts come from the report. */

export function KeyFigures({ reports, compact = false }: { reports: KeyReports; compact?: boolean }) {
  const { tickets, waits, arrivals, satisfaction, dossiers } = reports;
  const peak = arrivals.peakHour === null ? null : arrivals.hours.find((h) => h.hour === arrivals.peakHour);
  const figures: Array<{ id: string; label: string; value: string; hint?: string }> = [
    { id: "issued", label: t("reportsPage.key.issued"), value: formatInt(tickets.total.issued) },
    { id: "served", label: t("reportsPage.key.served"), value: formatInt(tickets.total.served), hint: tickets.total.servedShare !== null ? t("reportsPage.key.servedShare", { share: formatShare(tickets.total.servedShare) }) : undefined },
    { id: "no-show", label: t("reportsPage.key.noShowRate"), value: formatShare(tickets.total.noShowShare), hint: t("reportsPage.key.noShowOf", { n: formatInt(tickets.total.noShow) }) },
    { id: "mean-wait", label: t("reportsPage.key.meanWait"), value: formatDuration(waits.total.wait.meanSeconds) },
    { id: "p90-wait", label: t("reportsPage.key.p90Wait"), value: formatDuration(waits.total.wait.p90Seconds), hint: t("reportsPage.key.p90Hint") },
    { id: "satisfaction", label: t("reportsPage.key.satisfaction"), value: formatShare(satisfaction.total.satisfactionRate), hint: t("reportsPage.key.ratings", { n: formatInt(satisfaction.total.count) }) },
    { id: "on-time", label: t("reportsPage.key.onTime"), value: formatShare(dossiers.total.onTimeRate), hint: t("reportsPage.key.returned", { n: formatInt(dossiers.total.returned) }) },
    { id: "peak", label: t("reportsPage.key.peak"), value: peak ? formatHourRange(peak.hour) : "—", hint: peak ? t("reportsPage.key.peakPerDay", { n: formatNumber(peak.perDay) }) : undefined },
  ];
  return (
    <section aria-label={t("reportsPage.key.label")} className={`grid gap-3 ${compact ? "grid-cols-4 gap-2" : "grid-cols-2 md:grid-cols-4 2xl:grid-cols-8"}`} data-testid="key-figures">
      {figures.map((f) => (
        <div key={f.id} className={`rounded-xl bg-white ring-1 ring-slate-200 ${compact ? "px-2 py-1.5" : "px-4 py-3"}`} data-testid={`key-${f.id}`}>
          <p className={`font-medium text-slate-600 ${compact ? "text-[8.5pt]" : "text-sm"}`}>{f.label}</p>
          <p className={`font-bold whitespace-nowrap text-slate-900 tabular-nums ${compact ? "text-[13pt]" : "text-2xl"}`} data-testid={`key-${f.id}-value`}>
            {f.value}
          </p>
          {f.hint ? <p className={`text-slate-500 ${compact ? "text-[7.5pt]" : "text-xs"}`}>{f.hint}</p> : null}
        </div>
      ))}
    </section>
  );
}
