/** A report's table (from server/reports/tables.ts) as HTML: Vietnamese headers, cells formatted by their column's kind. */
import { t } from "../../../server/i18n";
import type { ReportColumn, ReportTable } from "../../../server/reports/types";
import { formatCell } from "./format";

/** A duration's cell says its unit ("8 phút 30 giây"), so its header need not ("… (phút)", the unit of the exports' numbers). */
const header = (c: ReportColumn) => (c.kind === "duration" ? c.header.replace(/\s*\(phút\)$/, "") : c.header);

/** A short text (an hour, a day, a code) is kept on one line. */
const short = (value: unknown) => typeof value === "string" && value.length <= 16;

export function ReportTableView({ table, compact = false, testId }: { table: ReportTable; compact?: boolean; testId?: string }) {
  const cell = compact ? "px-2 py-1" : "px-3 py-1.5";
  const numeric = (kind: string) => kind !== "text";
  return (
    <div className="min-w-0 overflow-x-auto print:overflow-visible">
      <table className={`w-full border-collapse text-left ${compact ? "text-[9pt]" : "text-sm"}`} data-testid={testId}>
        <caption className="pb-1 text-left text-sm font-semibold text-slate-700">{table.title}</caption>
        <thead className="bg-slate-50 text-slate-700">
          <tr>
            {table.columns.map((c) => (
              <th key={c.key} scope="col" className={`${cell} border-b border-slate-200 font-semibold ${numeric(c.kind) ? "text-right" : ""}`}>
                {header(c)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {table.rows.length === 0 ? (
            <tr>
              <td colSpan={table.columns.length} className={`${cell} text-center text-slate-500`}>
                {t("reportsPage.empty")}
              </td>
            </tr>
          ) : (
            table.rows.map((row, i) => (
              <tr key={i} className="print:break-inside-avoid">
                {table.columns.map((c, j) => (
                  <td key={c.key} className={`${cell} ${numeric(c.kind) ? "text-right whitespace-nowrap tabular-nums" : short(row[c.key]) ? "whitespace-nowrap" : j === 0 && !compact ? "min-w-36" : ""}`}>
                    {formatCell(c.kind, row[c.key])}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
        {table.total && table.rows.length > 0 ? (
          <tfoot className="border-t-2 border-slate-300 font-semibold">
            <tr>
              {table.columns.map((c, i) => (
                <td key={c.key} className={`${cell} ${numeric(c.kind) ? "text-right whitespace-nowrap tabular-nums" : ""}`}>
                  {i === 0 && (table.total![c.key] == null || table.total![c.key] === "") ? t("reportsPage.total") : formatCell(c.kind, table.total![c.key])}
                </td>
              ))}
            </tr>
          </tfoot>
        ) : null}
      </table>
    </div>
  );
}
