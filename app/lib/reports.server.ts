/**
 * What the reports pages and their exports load: the filter of the URL (server/reports/filter.ts)
 * and the reports it asks for (server/reports/service.ts). A filter the service refuses is not a
 * crash: the page shows its Vietnamese message with the form to fix it (an export leads there).
 */
import { data, redirect, type AppLoadContext } from "react-router";
import type { SessionUser } from "../../server/auth/session";
import type { UserActor } from "../../server/auth/permissions";
import { isAppError, type AppError } from "../../server/errors";
import { reportChoices, resolveReportFilter } from "../../server/reports/filter";
import { reportKind as kindOf } from "../../server/reports/service";
import type { ReportKind, ResolvedFilter } from "../../server/reports/types";
import { requireUser } from "./guards.server";

/** The refusals of a filter as typed (a bad day, a range too long, an unknown field…): shown on the page, never a crash. */
const isFilterRefusal = (error: unknown): error is AppError => isAppError(error) && error.code.startsWith("report_") && error.code !== "report_not_found";

/** The URL's parameters without the empty ones a plain HTML form sends. */
export function filterParams(url: URL): URLSearchParams {
  return new URLSearchParams([...url.searchParams].filter(([, v]) => v.trim() !== ""));
}

export type FilterOutcome =
  | { user: SessionUser; actor: UserActor; filter: ResolvedFilter; error: null }
  | { user: SessionUser; actor: UserActor; filter: null; error: string };

/** The signed-in reader and the URL's filter, or the service's message when it refuses the filter. */
export async function readFilter(context: AppLoadContext, request: Request): Promise<FilterOutcome> {
  const { user, actor } = requireUser(context, request, "reports.read");
  try {
    const filter = await resolveReportFilter(context.services, actor, filterParams(new URL(request.url)));
    return { user, actor, filter, error: null };
  } catch (error) {
    if (isFilterRefusal(error)) return { user, actor, filter: null, error: error.message };
    throw asPageError(error);
  }
}

/**
 * For an export: the filter. The page's links always carry a filter the module took; a link typed
 * or edited by hand with one it refuses leads to the reports page of the same parameters, which
 * shows the message with the form to fix it.
 */
export async function requireFilter(context: AppLoadContext, request: Request) {
  const outcome = await readFilter(context, request);
  if (outcome.error !== null) throw redirect(`/reports?${filterParams(new URL(request.url))}`);
  return outcome;
}

/** The choices of the filter form, for the centre in view. */
export const filterChoices = (context: AppLoadContext, actor: UserActor, filter: ResolvedFilter | null) =>
  reportChoices(context.services, actor, filter ? filter.centreId : undefined);

/** A report kind from the URL (`/reports/:kind/csv`), or the not-found page that names it. */
export function reportKind(value: string | undefined): ReportKind {
  try {
    return kindOf(value ?? "");
  } catch (error) {
    throw asPageError(error);
  }
}

/** An AppError as the page's error (its Vietnamese message and status); anything else as it is. */
export function asPageError(error: unknown) {
  return isAppError(error) ? data({ message: error.message }, { status: error.status }) : error;
}

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** Headers of a download. */
export function download(body: string | Uint8Array<ArrayBuffer>, type: string, filename: string) {
  return new Response(body, {
    headers: {
      "Content-Type": type,
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
    },
  });
}
