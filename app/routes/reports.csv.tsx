import { clock } from "../../server/context";
import { reportCsv, reportFileName } from "../../server/reports/export";
import { runReport } from "../../server/reports/service";
import { asPageError, download, reportKind, requireFilter } from "../lib/reports.server";
import type { Route } from "./+types/reports.csv";

/** One report, as filtered, as CSV (UTF-8 with a BOM, for Excel). */
export async function loader({ context, request, params }: Route.LoaderArgs) {
  const { actor, filter } = await requireFilter(context, request);
  const kind = reportKind(params.kind);
  try {
    const report = await runReport(context.services, actor, kind, filter);
    return download(reportCsv(filter, report, { now: clock(context.services) }), "text/csv; charset=utf-8", reportFileName(kind, filter, "csv"));
  } catch (error) {
    throw asPageError(error);
  }
}
