import { clock } from "../../server/context";
import { reportFileName, reportWorkbook } from "../../server/reports/export";
import { runReport } from "../../server/reports/service";
import { asPageError, download, reportKind, requireFilter, XLSX_TYPE } from "../lib/reports.server";
import type { Route } from "./+types/reports.xlsx";

/** One report, as filtered, as an Excel workbook (title rows with the centre, range and narrowings). */
export async function loader({ context, request, params }: Route.LoaderArgs) {
  const { actor, filter } = await requireFilter(context, request);
  const kind = reportKind(params.kind);
  try {
    const report = await runReport(context.services, actor, kind, filter);
    const file = await reportWorkbook(filter, [report], { now: clock(context.services) });
    return download(new Uint8Array(file), XLSX_TYPE, reportFileName(kind, filter, "xlsx"));
  } catch (error) {
    throw asPageError(error);
  }
}
