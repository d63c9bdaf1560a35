/**
 * One section per report: a chart where people would rather look than read, the report's tables
 * beside it (server/reports/tables.ts), and its downloads. The same sections make the page and
 * the printed A4 summary (`print`: one column, compact tables, no links).
 */
import type { ReactNode } from "react";
import { t } from "../../../server/i18n";
import { outOfOrderLabel } from "../../../server/queue/reasons";
import { reasonLabel, valueLabel } from "../../../server/ratings/rules";
import type { Report, ReportKind, ReportOf, ReportTable, ResolvedFilter } from "../../../server/reports/types";
import { AppointmentsChart, ArrivalsChart, ChannelChart, OnTimeChart, OutcomeChart, SatisfactionChart, WaitsChart } from "./charts";
import { formatInstant, formatInt } from "./format";
import { ReportTableView } from "./report-table";

export type ReportsByKind = { [K in ReportKind]: ReportOf<K> };
export type TablesByKind = Record<ReportKind, ReportTable[]>;

/** The reports of `runReports`, by kind. */
export function byKind(reports: Report[]): ReportsByKind {
  return Object.fromEntries(reports.map((r) => [r.kind, r])) as ReportsByKind;
}

/** The order of the sections on the page and on paper. */
export const SECTION_ORDER = ["tickets", "arrivals", "waits", "satisfaction", "dossiers", "out_of_order", "appointments"] as const satisfies readonly ReportKind[];

/** Whether a report has nothing to show in its range (then its section says so instead of empty charts). */
export function isEmpty(report: Report): boolean {
  switch (report.kind) {
    case "tickets":
      return report.total.issued === 0;
    case "arrivals":
      return report.peakHour === null;
    case "waits":
      return report.total.wait.count === 0 && report.total.service.count === 0;
    case "satisfaction":
      return report.total.count === 0;
    case "dossiers":
      return report.total.received === 0 && report.total.returned === 0 && report.total.open === 0 && report.total.refused === 0 && report.total.stopped === 0;
    case "out_of_order":
      return report.total.calls === 0;
    case "appointments":
      return report.total.booked === 0;
  }
}

type Props = { reports: ReportsByKind; tables: TablesByKind; filter: ResolvedFilter; query: string; print?: boolean };

export function ReportSections(props: Props) {
  return (
    <>
      {SECTION_ORDER.map((kind) => (
        <Section key={kind} kind={kind} {...props} />
      ))}
    </>
  );
}

const link = "rounded-md border border-slate-300 bg-white px-2.5 py-1 text-sm font-medium text-brand-800 hover:bg-slate-50 whitespace-nowrap";

function Section({ kind, reports, tables, filter, query, print = false }: Props & { kind: ReportKind }) {
  const report = reports[kind];
  const title = t(`reportsPage.section.${kind}`);
  const empty = isEmpty(report);
  const chart = empty ? null : chartOf(report, filter);
  const extra = empty ? null : extraOf(report, print);
  return (
    <section
      aria-labelledby={`section-${kind}`}
      data-testid={`section-${kind}`}
      className={print ? "report-print-section mt-5" : "mt-6 rounded-xl bg-white p-4 ring-1 ring-slate-200"}
    >
      <header className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={`section-${kind}`} className={print ? "border-b border-slate-400 pb-1 text-[13pt] font-bold" : "text-lg font-bold"}>
          {title}
        </h2>
        {print ? null : (
          <div className="flex gap-2">
            <a href={`/reports/${kind}/csv${query}`} className={link} aria-label={t("reportsPage.csvOf", { title })} data-testid={`csv-${kind}`} download>
              {t("reportsPage.csv")}
            </a>
            <a href={`/reports/${kind}/xlsx${query}`} className={link} aria-label={t("reportsPage.xlsxOf", { title })} data-testid={`xlsx-${kind}`} download>
              {t("reportsPage.xlsx")}
            </a>
          </div>
        )}
      </header>
      {empty ? (
        <p className="mt-3 rounded-lg bg-slate-50 p-4 text-center text-slate-600" data-testid={`empty-${kind}`}>
          {t("reportsPage.empty")}
        </p>
      ) : (
        <>
          <div className={print ? "mt-2 space-y-3" : chart ? "mt-3 grid gap-5 xl:grid-cols-[minmax(0,5fr)_minmax(0,4fr)]" : "mt-3"}>
            {chart ? <div className="min-w-0 print:break-inside-avoid">{chart}</div> : null}
            <div className="min-w-0 space-y-4">
              {tables[kind].map((table, i) => (
                <ReportTableView key={i} table={table} compact={print} testId={`table-${kind}-${i}`} />
              ))}
            </div>
          </div>
          {extra}
        </>
      )}
    </section>
  );
}

function chartOf(report: Report, filter: ResolvedFilter): ReactNode {
  switch (report.kind) {
    case "tickets":
      return (
        <div className="grid gap-2 md:grid-cols-2 xl:grid-cols-1 print:grid-cols-2">
          <Captioned caption={t("reportsPage.chart.channel")}>
            <ChannelChart report={report} />
          </Captioned>
          <Captioned caption={t("reportsPage.chart.outcome")}>
            <OutcomeChart report={report} />
          </Captioned>
        </div>
      );
    case "arrivals":
      return (
        <Captioned caption={t("reportsPage.chart.arrivalsCaption", { days: formatInt(report.days) })}>
          <ArrivalsChart report={report} />
        </Captioned>
      );
    case "waits": {
      const by = t(`reports.by.${filter.by}`);
      return (
        <Captioned caption={t("reportsPage.chart.waitsCaption", { by })}>
          <WaitsChart report={report} byLabel={by} />
        </Captioned>
      );
    }
    case "satisfaction":
      return (
        <div className="grid gap-4 md:grid-cols-2">
          <SatisfactionChart report={report} />
          <div>
            <h3 className="text-sm font-semibold text-slate-700">{t("reportsPage.chart.reasons")}</h3>
            {report.reasons.length === 0 ? (
              <p className="mt-1 text-sm text-slate-600">{t("reportsPage.chart.noReasons")}</p>
            ) : (
              <ol className="mt-1 space-y-1 text-sm" data-testid="satisfaction-reasons">
                {report.reasons.map((r) => (
                  <li key={r.reason} className="flex justify-between gap-3 border-b border-slate-100 pb-1">
                    <span>{reasonLabel(r.reason)}</span>
                    <b className="tabular-nums">{formatInt(r.count)}</b>
                  </li>
                ))}
              </ol>
            )}
          </div>
        </div>
      );
    case "dossiers":
      return report.series.some((p) => p.returned > 0) ? (
        <Captioned caption={t("reportsPage.chart.onTimeCaption", { granularity: t(`reportsPage.granularity.${filter.granularity}`) })}>
          <OnTimeChart report={report} granularity={filter.granularity} />
        </Captioned>
      ) : null;
    case "appointments":
      return (
        <Captioned caption={t("reportsPage.chart.appointments")}>
          <AppointmentsChart report={report} />
        </Captioned>
      );
    case "out_of_order":
      return null;
  }
}

/** Below a section: the recent out-of-order calls, the latest comments (fewer on paper). */
function extraOf(report: Report, print: boolean): ReactNode {
  const cell = print ? "px-2 py-0.5" : "px-3 py-1.5";
  if (report.kind === "out_of_order" && report.recent.length > 0) {
    const shown = report.recent.slice(0, print ? 10 : 30);
    return (
      <div className="mt-4 min-w-0 overflow-x-auto">
        <h3 className="text-sm font-semibold text-slate-700">{t("reportsPage.chart.recent")}</h3>
        <table className={`mt-1 w-full text-left ${print ? "text-[9pt]" : "text-sm"}`} data-testid="ooo-recent">
          <thead className="bg-slate-50 text-slate-700">
            <tr>
              <th className={cell}>{t("reportsPage.col.at")}</th>
              <th className={cell}>{t("reportsPage.col.code")}</th>
              <th className={cell}>{t("reportsPage.col.officer")}</th>
              <th className={cell}>{t("reportsPage.col.counter")}</th>
              <th className={cell}>{t("reportsPage.col.reason")}</th>
              <th className={cell}>{t("reportsPage.col.note")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {shown.map((r, i) => (
              <tr key={i} className="print:break-inside-avoid">
                <td className={`${cell} whitespace-nowrap tabular-nums`}>{formatInstant(r.at)}</td>
                <td className={`${cell} font-mono font-semibold`}>{r.code}</td>
                <td className={cell}>{r.officer}</td>
                <td className={`${cell} tabular-nums`}>{r.counter ?? "—"}</td>
                <td className={cell}>{t(outOfOrderLabel(r.reason))}</td>
                <td className={`${cell} text-slate-600`}>{r.note ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {report.recent.length > shown.length ? <p className="mt-1 text-xs text-slate-500">{t("reportsPage.chart.recentMore", { shown: shown.length, total: report.recent.length })}</p> : null}
      </div>
    );
  }
  if (report.kind === "satisfaction" && report.comments.length > 0 && !print) {
    return (
      <div className="mt-4">
        <h3 className="text-sm font-semibold text-slate-700">{t("reportsPage.chart.comments")}</h3>
        <ul className="mt-1 divide-y divide-slate-100 text-sm" data-testid="satisfaction-comments">
          {report.comments.slice(0, 10).map((c, i) => (
            <li key={i} className="flex flex-wrap gap-x-3 py-1.5">
              <span className="whitespace-nowrap text-slate-500 tabular-nums">{formatInstant(c.at)}</span>
              <span className={c.value === "unsatisfied" ? "font-medium text-red-800" : "font-medium text-green-800"}>{valueLabel(c.value)}</span>
              <span className="min-w-0 flex-1">{c.text}</span>
              {c.officer ? <span className="text-slate-500">{c.officer}</span> : null}
            </li>
          ))}
        </ul>
      </div>
    );
  }
  return null;
}

function Captioned({ caption, children }: { caption: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <p className="mb-1 text-sm text-slate-600">{caption}</p>
      {children}
    </div>
  );
}
