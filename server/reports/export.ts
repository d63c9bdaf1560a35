/**
 * A report's exports: CSV for Excel set to Vietnamese (UTF-8 with a BOM, `;` between fields,
 * decimal comma, CRLF, RFC 4180 quoting) and an XLSX workbook (exceljs) with one sheet per report.
 * Both carry the title rows (report, centre, range, each narrowing, when generated) and the
 * tables of server/reports/tables.ts; durations in minutes, shares in percent. Decision 0026.
 */
import ExcelJS from "exceljs";
import { t, type MessageKey } from "../i18n";
import { formatDateTime } from "../time";
import { reportName, reportTables } from "./tables";
import type { Report, ReportColumn, ReportKind, ReportTable, ResolvedFilter } from "./types";

type Options = { now?: Date };

/** The title rows of a report: its name, the centre and each narrowing, the range, when generated. */
export function titleRows(filter: ResolvedFilter, kind: ReportKind, now = new Date()): string[] {
  return [t("reports.export.title", { report: reportName(kind).toUpperCase() }), ...filter.lines, t("reports.export.range", { label: filter.label }), t("reports.export.generated", { at: formatDateTime(now) }), t("reports.export.durations")];
}

/** A column's header in an export: shares are written in percent. */
const exportHeader = (c: ReportColumn) => (c.kind === "share" ? `${c.header} (%)` : c.header);

/** The value an export writes: minutes for a duration, percent for a share (CSV), numbers as they are. */
function exportValue(c: ReportColumn, value: string | number | null | undefined, percent: boolean): string | number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (c.kind === "duration") return value / 60;
  if (c.kind === "share" && percent) return value * 100;
  return value;
}

// CSV --------------------------------------------------------------------------------------

const SEPARATOR = ";";

/** RFC 4180: a field with a separator (either), a quote or a line break is quoted, its quotes doubled. */
export function csvField(value: string): string {
  return /[;,"\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A number as Excel set to Vietnamese reads it: no grouping, a decimal comma; one decimal for minutes and percents. */
function csvNumber(c: ReportColumn, value: number): string {
  const digits = c.kind === "int" ? 0 : c.kind === "number" ? 2 : 1;
  const fixed = Number.isInteger(value) && c.kind === "int" ? String(value) : value.toFixed(digits);
  return fixed.replace(".", ",");
}

function csvCell(c: ReportColumn, value: string | number | null | undefined): string {
  const v = exportValue(c, value, true);
  if (v === null) return "";
  return typeof v === "number" ? csvNumber(c, v) : csvField(v);
}

function csvTable(table: ReportTable): string[] {
  const lines = [csvField(table.title), table.columns.map((c) => csvField(exportHeader(c))).join(SEPARATOR)];
  for (const row of [...table.rows, ...(table.total ? [table.total] : [])]) lines.push(table.columns.map((c) => csvCell(c, row[c.key])).join(SEPARATOR));
  return lines;
}

/** One report as CSV: a BOM, its title rows, then each of its tables after an empty line. */
export function reportCsv(filter: ResolvedFilter, report: Report, options: Options = {}): string {
  const lines = titleRows(filter, report.kind, options.now).map(csvField);
  for (const table of reportTables(report, filter)) lines.push("", ...csvTable(table));
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

// XLSX -------------------------------------------------------------------------------------

const NUMBER_FORMAT: Record<ReportColumn["kind"], string | undefined> = { text: undefined, int: "#,##0", share: "0.0%", duration: "0.0", number: "0.00" };
const THIN = { style: "thin" as const };

/** Sheet names: at most 31 characters, none of : \ / ? * [ ]. */
const sheetName = (kind: ReportKind) => reportName(kind).replace(/[:\\/?*[\]]/g, "-").slice(0, 31);

/** The reports as one workbook: a sheet per report, its title rows, then its tables (header frozen, number formats, a total row). */
export async function reportWorkbook(filter: ResolvedFilter, reports: Report[], options: Options = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = t("app.name");
  wb.created = options.now ?? new Date();
  for (const report of reports) {
    const tables = reportTables(report, filter);
    const width = Math.max(...tables.map((tb) => tb.columns.length), 2);
    const ws = wb.addWorksheet(sheetName(report.kind), { pageSetup: { paperSize: 9, orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
    ws.columns = Array.from({ length: width }, (_, i) => ({ width: i === 0 ? 34 : 16 }));
    const titles = titleRows(filter, report.kind, options.now);
    titles.forEach((text, i) => {
      const row = ws.getRow(i + 1);
      row.getCell(1).value = text;
      ws.mergeCells(i + 1, 1, i + 1, width);
      row.font = i === 0 ? { bold: true, size: 14 } : { italic: i === titles.length - 1 };
    });
    let r = titles.length + 2;
    let frozen = 0;
    for (const table of tables) {
      ws.getRow(r).getCell(1).value = table.title;
      ws.getRow(r).font = { bold: true, size: 12 };
      r += 1;
      const head = ws.getRow(r);
      table.columns.forEach((c, i) => (head.getCell(i + 1).value = exportHeader(c)));
      head.font = { bold: true };
      head.alignment = { vertical: "middle", horizontal: "center", wrapText: true };
      head.height = 32;
      table.columns.forEach((_, i) => (head.getCell(i + 1).fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE2E8F0" } }));
      if (frozen === 0) frozen = r;
      const start = r;
      const body = [...table.rows, ...(table.total ? [table.total] : [])];
      body.forEach((cells, index) => {
        r += 1;
        const row = ws.getRow(r);
        table.columns.forEach((c, i) => {
          const cell = row.getCell(i + 1);
          cell.value = exportValue(c, cells[c.key], false);
          const format = NUMBER_FORMAT[c.kind];
          if (format) cell.numFmt = format;
        });
        if (table.total && index === body.length - 1) row.font = { bold: true };
      });
      for (let y = start; y <= r; y++) for (let x = 1; x <= table.columns.length; x++) ws.getCell(y, x).border = { top: THIN, left: THIN, bottom: THIN, right: THIN };
      r += 2;
    }
    ws.views = [{ state: "frozen", ySplit: frozen }];
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The file name of an export: `bao-cao-cho-doi-2026-11-01-2026-11-30.csv`. */
export function reportFileName(kind: ReportKind | "all", filter: Pick<ResolvedFilter, "from" | "to">, extension: "csv" | "xlsx"): string {
  return `${t(`reports.export.filename.${kind}` as MessageKey)}-${filter.from}-${filter.to}.${extension}`;
}
