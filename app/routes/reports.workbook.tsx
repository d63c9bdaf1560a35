import { clock } from "../../server/context";
import { reportFileName, reportWorkbook } from "../../server/reports/export";
import { runReports } from "../../server/reports/service";
import { asPageError, download, requireFilter, XLSX_TYPE } from "../lib/reports.server";
import type { Route } from "./+types/reports.workbook";

/** Every report, as filtered, in one Excel workbook (one sheet per report). */
export async function loader({ context, request }: Route.LoaderArgs) {
  const { actor, filter } = await requireFilter(context, request);
  try {
    const file = await reportWorkbook(filter, await runReports(context.services, actor, filter), { now: clock(context.services) });
    return download(new Uint8Array(file), XLSX_TYPE, reportFileName("all", filter, "xlsx"));
  } catch (error) {
    throw asPageError(error);
  }
}
