import { clock } from "../../server/context";
import { t } from "../../server/i18n";
import { formatDateTime } from "../../server/time";
import { reportSearchParams } from "../../server/reports/filter";
import { runReports } from "../../server/reports/service";
import { reportTables } from "../../server/reports/tables";
import type { ReportKind, ReportTable } from "../../server/reports/types";
import { ReportFilterForm, formValuesOf, type FormValues } from "../components/reports/filter-form";
import { KeyFigures } from "../components/reports/key-figures";
import { ReportSections, byKind, type TablesByKind } from "../components/reports/sections";
import { StaffHeader } from "../components/staff-header";
import { filterChoices, filterParams, readFilter } from "../lib/reports.server";
import type { Route } from "./+types/reports";

export const meta: Route.MetaFunction = ({ data: d }) => [{ title: `${t("reportsPage.title")}${d?.filter ? ` · ${d.filter.label}` : ""} · ${t("app.name")}` }];

export async function loader({ context, request }: Route.LoaderArgs) {
  const { user, actor, filter, error } = await readFilter(context, request);
  const choices = await filterChoices(context, actor, filter);
  if (!filter) {
    const typed = Object.fromEntries(filterParams(new URL(request.url))) as FormValues;
    return { user, filter: null, error, values: typed, choices, reports: null, tables: null, query: "", generatedAt: null };
  }
  const reports = byKind(await runReports(context.services, actor, filter));
  const tables = Object.fromEntries(Object.values(reports).map((r) => [r.kind, reportTables(r, filter)])) as Record<ReportKind, ReportTable[]>;
  return { user, filter, error: null, values: formValuesOf(filter), choices, reports, tables: tables as TablesByKind, query: `?${reportSearchParams(filter)}`, generatedAt: clock(context.services).toISOString() };
}

const topLink = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-semibold text-brand-800 hover:bg-slate-50 whitespace-nowrap";

export default function Reports({ loaderData }: Route.ComponentProps) {
  const { user, filter, error, values, choices, reports, tables, query, generatedAt } = loaderData;
  return (
    <div className="min-h-screen">
      <StaffHeader user={user} />
      <main className="mx-auto max-w-[1800px] p-5">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div className="min-w-0">
            <h1 className="text-2xl font-bold" data-testid="report-title">
              {filter ? t("reportsPage.heading", { range: filter.label }) : t("reportsPage.title")}
            </h1>
            {filter ? (
              <p className="mt-0.5 text-slate-600" data-testid="report-lines">
                {filter.lines.join(" · ")}
              </p>
            ) : null}
          </div>
          {filter ? (
            <div className="flex flex-wrap items-center gap-2">
              <a href={`/reports/xlsx${query}`} className={topLink} data-testid="workbook-link" download>
                {t("reportsPage.workbook")}
              </a>
              <a href={`/reports/in${query}`} className={topLink} data-testid="print-link">
                {t("reportsPage.print")}
              </a>
            </div>
          ) : null}
        </div>
        {error ? (
          <p role="alert" className="mt-3 rounded-lg bg-red-50 px-4 py-3 text-red-900 ring-1 ring-red-200" data-testid="report-error">
            {error}
          </p>
        ) : null}
        <div className="mt-3">
          <ReportFilterForm key={query || JSON.stringify(values)} values={values} choices={choices} />
        </div>
        {filter && reports && tables ? (
          <>
            <div className="mt-4">
              <KeyFigures reports={reports} />
            </div>
            <ReportSections reports={reports} tables={tables} filter={filter} query={query} />
            {generatedAt ? <p className="mt-4 text-right text-xs text-slate-500">{t("reportsPage.generatedAt", { at: formatDateTime(generatedAt) })}</p> : null}
          </>
        ) : null}
      </main>
    </div>
  );
}
