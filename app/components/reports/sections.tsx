/**
 * One section per report: a chart where people would rather look than read, the report's tables
 * beside it (server/reports/tables.ts), and its downloads. The same sections make the page and
 * the printed A4 summary (`print`: one column, compact tables, no links).
 */
import type { ReactNode } from "react";
import { t } from "../../../server/i18n";
import type { Report, ReportKind, ReportOf, ReportTable, ResolvedFilter } from "../../../server/reports/types";
import { AppointmentsChart, ArrivalsChart, ChannelChart, OnTimeChart, OutcomeChart, SatisfactionChart, WaitsChart } from "./charts";
import { formatInt } from "./format";
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

/** A table narrow and short enough to stand beside its chart; the others go below, full width. */
const fitsBeside = (table: ReportTable) => table.columns.length <= 4 && table.rows.length <= 24;
/** Below the chart, shown at once: a breakdown (it has a total row) or a short table; a long list opens on demand (and is left off paper). */
const shownAtOnce = (table: ReportTable) => table.total !== undefined || table.rows.length <= 12;

function Section({ kind, reports, tables, filter, query, print = false }: Props & { kind: ReportKind }) {
  const report = reports[kind];
  const title = t(`reportsPage.section.${kind}`);
  const empty = isEmpty(report);
  const chart = empty ? null : chartOf(report, filter);
  const all = tables[kind].map((table, i) => ({ table, testId: `table-${kind}-${i}` }));
  const beside = chart ? all.filter((x) => fitsBeside(x.table)).slice(0, 1) : [];
  const below = all.filter((x) => !beside.includes(x));
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
          {chart ? (
            <div className={beside.length > 0 ? (print ? "mt-2 grid grid-cols-[minmax(0,3fr)_minmax(0,2fr)] gap-4" : "mt-3 grid gap-5 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]") : "mt-3"}>
              <div className="min-w-0 print:break-inside-avoid">{chart}</div>
              {beside.length > 0 ? (
                <div className="min-w-0 space-y-4">
                  {beside.map((x) => (
                    <ReportTableView key={x.testId} table={x.table} compact={print} testId={x.testId} />
                  ))}
                </div>
              ) : null}
            </div>
          ) : null}
          {below.map((x) =>
            shownAtOnce(x.table) ? (
              <div key={x.testId} className={print ? "mt-2" : "mt-4"}>
                <ReportTableView table={x.table} compact={print} testId={x.testId} />
              </div>
            ) : print ? null : (
              <details key={x.testId} className="mt-3 rounded-lg ring-1 ring-slate-200" data-testid={`${x.testId}-details`}>
                <summary className="cursor-pointer px-3 py-2 text-sm font-semibold text-brand-800">{t("reportsPage.moreRows", { title: x.table.title, n: formatInt(x.table.rows.length) })}</summary>
                <div className="px-3 pb-3">
                  <ReportTableView table={x.table} testId={x.testId} />
                </div>
              </details>
            ),
          )}
        </>
      )}
    </section>
  );
}

function chartOf(report: Report, filter: ResolvedFilter): ReactNode {
  switch (report.kind) {
    case "tickets":
      return (
        <div className="grid gap-4 md:grid-cols-2 print:grid-cols-2">
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
      const by = t(`reports.by.${report.by}`);
      return (
        <Captioned caption={t("reportsPage.chart.waitsCaption", { by })}>
          <WaitsChart report={report} byLabel={by} />
        </Captioned>
      );
    }
    case "satisfaction":
      return <SatisfactionChart report={report} />;
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

function Captioned({ caption, children }: { caption: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <p className="mb-1 text-sm text-slate-600">{caption}</p>
      {children}
    </div>
  );
}
