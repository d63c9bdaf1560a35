import { clock } from "../../server/context";
import { t } from "../../server/i18n";
import { runReports } from "../../server/reports/service";
import { reportTables } from "../../server/reports/tables";
import type { ReportKind, ReportTable } from "../../server/reports/types";
import { formatDateTime } from "../../server/time";
import { KeyFigures } from "../components/reports/key-figures";
import { ReportSections, byKind, type TablesByKind } from "../components/reports/sections";
import { filterChoices, requireFilter } from "../lib/reports.server";
import { reportSearchParams } from "../../server/reports/filter";
import "../components/reports/print.css";
import type { Route } from "./+types/reports.in";

export const meta: Route.MetaFunction = ({ data: d }) => [{ title: `${t("reportsPage.printTitle")} · ${d?.filter.label ?? ""} · ${t("app.name")}` }];

/** The printable A4 summary of the reports of the URL's filter. */
export async function loader({ context, request }: Route.LoaderArgs) {
  const { user, actor, filter } = await requireFilter(context, request);
  const [all, choices] = await Promise.all([runReports(context.services, actor, filter), filterChoices(context, actor, filter)]);
  const reports = byKind(all);
  const tables = Object.fromEntries(Object.values(reports).map((r) => [r.kind, reportTables(r, filter)])) as Record<ReportKind, ReportTable[]>;
  const centre = filter.centreId === null ? null : (choices.centres.find((c) => c.id === filter.centreId)?.name ?? user.centreName);
  return { filter, centre, reports, tables: tables as TablesByKind, query: `?${reportSearchParams(filter)}`, generatedAt: clock(context.services).toISOString() };
}

export default function ReportPrint({ loaderData }: Route.ComponentProps) {
  const { filter, centre, reports, tables, query, generatedAt } = loaderData;
  return (
    <div className="min-h-screen bg-slate-200 py-6 print:bg-white print:py-0">
      <div className="mx-auto mb-4 flex w-[210mm] justify-between gap-2 print:hidden">
        <a href={`/reports${query}`} className="rounded-lg border border-slate-400 bg-white px-4 py-2 font-semibold hover:bg-slate-50">
          {t("reportsPage.back")}
        </a>
        <button type="button" onClick={() => window.print()} className="rounded-lg bg-brand-700 px-5 py-2 font-semibold text-white hover:bg-brand-800" data-testid="print-button">
          {t("reportsPage.printNow")}
        </button>
      </div>
      <article
        data-testid="report-print"
        className="report-print mx-auto w-[210mm] bg-white px-[15mm] py-[15mm] text-[10pt] leading-snug text-black shadow print:w-auto print:p-0 print:shadow-none"
      >
        <header className="border-b-2 border-slate-800 pb-2">
          <p className="text-[10pt] font-semibold uppercase">{centre ?? t("reports.line.deployment")}</p>
          <h1 className="mt-1 text-[16pt] font-bold">{t("reportsPage.printTitle")}</h1>
          <p className="text-[12pt] font-semibold" data-testid="print-range">
            {filter.label}
          </p>
          <p className="text-[10pt] text-slate-700">{filter.lines.join(" · ")}</p>
          <p className="mt-1 text-[9pt] text-slate-600">{t("reportsPage.generatedAt", { at: formatDateTime(generatedAt) })}</p>
        </header>
        <div className="mt-3">
          <KeyFigures reports={reports} compact />
        </div>
        <ReportSections reports={reports} tables={tables} filter={filter} query={query} print />
        <p className="mt-4 border-t border-slate-300 pt-1 text-[8pt] text-slate-500">{t("reportsPage.printFooter")}</p>
      </article>
    </div>
  );
}
