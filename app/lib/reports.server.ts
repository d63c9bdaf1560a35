/**
 * What the reports pages and their exports load: the filter of the URL (server/reports/filter.ts)
 * and the reports it asks for (server/reports/service.ts). A filter the service refuses is not a
 * crash: the page shows its Vietnamese message with the form to fix it; an export answers it as
 * the error page.
 */
import { data, type AppLoadContext } from "react-router";
import type { SessionUser } from "../../server/auth/session";
import type { UserActor } from "../../server/auth/permissions";
import { AppError, isAppError } from "../../server/errors";
import { reportChoices, resolveReportFilter } from "../../server/reports/filter";
import { REPORT_KINDS, type ReportKind, type ResolvedFilter } from "../../server/reports/types";
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

/** For an export: the filter, or the refusal as the error page (a download link has no form to show). */
export async function requireFilter(context: AppLoadContext, request: Request) {
  const outcome = await readFilter(context, request);
  if (outcome.error !== null) throw data({ message: outcome.error }, { status: 400 });
  return outcome;
}

/** The choices of the filter form, for the centre in view. */
export const filterChoices = (context: AppLoadContext, actor: UserActor, filter: ResolvedFilter | null) =>
  reportChoices(context.services, actor, filter ? filter.centreId : undefined);

/** A report kind from the URL (`/reports/:kind/csv`), or the not-found page. */
export function reportKind(value: string | undefined): ReportKind {
  if (value && (REPORT_KINDS as readonly string[]).includes(value)) return value as ReportKind;
  throw data({ message: new AppError("report_not_found", { kind: String(value ?? "").slice(0, 30) }).message }, { status: 404 });
}

/** An AppError as the page's error (its Vietnamese message and status); anything else as it is. */
export function asPageError(error: unknown) {
  return isAppError(error) ? data({ message: error.message }, { status: error.status }) : error;
}

/** A file name's part for the range: "2026-11-01_2026-11-30". */
export const rangeSlug = (filter: ResolvedFilter) => (filter.from === filter.to ? filter.from : `${filter.from}_${filter.to}`);

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
