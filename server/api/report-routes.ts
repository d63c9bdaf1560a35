/**
 * /api/v1 routes of the reports: all seven for a filter, or one (JSON with its tables, or its
 * CSV / XLSX file with ?format=). The filter is the reports' URL parameters (server/reports/filter.ts).
 */
import type { Request, Response } from "express";
import { AppError } from "../errors";
import { reportCsv, reportFileName, reportWorkbook } from "../reports/export";
import { resolveReportFilter } from "../reports/filter";
import { reportKind, runReport, runReports } from "../reports/service";
import { reportTables } from "../reports/tables";
import type { ApiRoute } from "./route";

type Format = "json" | "csv" | "xlsx";

function formatOf(req: Request, allowed: Format[]): Format {
  const value = typeof req.query.format === "string" ? req.query.format : "json";
  if (!(allowed as string[]).includes(value)) throw new AppError("report_filter_invalid", { name: "format", value: value.slice(0, 20) });
  return value as Format;
}

function sendFile(res: Response, name: string, type: string, body: string | Buffer) {
  res.set({ "Content-Type": type, "Content-Disposition": `attachment; filename="${name}"`, "Cache-Control": "no-store" });
  res.send(body);
}

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

export const reportRoutes: ApiRoute[] = [
  // All seven reports of a filter (?period=&date=&from=&to=&centre=&field=&counter=&officer=&procedure=&by=); ?format=xlsx: one workbook.
  {
    method: "get",
    path: "/reports",
    access: "reports.read",
    as: "user",
    handle: async ({ req, res, actor, services }) => {
      const format = formatOf(req, ["json", "xlsx"]);
      const filter = await resolveReportFilter(services, actor, req.query as Record<string, unknown>);
      const reports = await runReports(services, actor, filter);
      if (format === "xlsx") return sendFile(res, reportFileName("all", filter, "xlsx"), XLSX, await reportWorkbook(filter, reports, { now: services.now?.() }));
      return { filter, reports: reports.map((report) => ({ report, tables: reportTables(report, filter) })) };
    },
  },
  // One report: JSON with its tables; ?format=csv or xlsx: the file.
  {
    method: "get",
    path: "/reports/:kind",
    access: "reports.read",
    as: "user",
    handle: async ({ req, res, actor, services }) => {
      const kind = reportKind(String(req.params.kind));
      const format = formatOf(req, ["json", "csv", "xlsx"]);
      const filter = await resolveReportFilter(services, actor, req.query as Record<string, unknown>);
      const report = await runReport(services, actor, kind, filter);
      const now = services.now?.();
      if (format === "csv") return sendFile(res, reportFileName(kind, filter, "csv"), "text/csv; charset=utf-8", reportCsv(filter, report, { now }));
      if (format === "xlsx") return sendFile(res, reportFileName(kind, filter, "xlsx"), XLSX, await reportWorkbook(filter, [report], { now }));
      return { filter, report, tables: reportTables(report, filter) };
    },
  },
];
