/**
 * The reports a centre answers for, each computed in SQL (server/reports/*-reports.ts) for a
 * resolved filter (server/reports/filter.ts). Definitions in docs/reports.md.
 */
import { authorize, can, type Actor } from "../auth/permissions";
import { clock, type ServiceDeps } from "../context";
import { AppError } from "../errors";
import { appointmentsReport, dossiersReport, satisfactionReport } from "./citizen-reports";
import { arrivalsReport, outOfOrderReport, ticketsReport, waitsReport } from "./queue-reports";
import { REPORT_KINDS, type Report, type ReportKind, type ReportOf, type ResolvedFilter } from "./types";

type Deps = Pick<ServiceDeps, "db" | "now">;

/** The kind named in a URL, or the refusal naming it. */
export function reportKind(value: string): ReportKind {
  if (!(REPORT_KINDS as readonly string[]).includes(value)) throw new AppError("report_not_found", { kind: value.slice(0, 40) });
  return value as ReportKind;
}

/** A filter's centre must be the actor's own unless they may see the deployment. */
function authorizeFilter(actor: Actor, filter: ResolvedFilter) {
  authorize(actor, "reports.read");
  const own = actor.kind === "system" ? null : actor.centreId;
  if ((filter.centreId === null || filter.centreId !== own) && !can(actor, "reports.deployment")) throw new AppError("forbidden");
}

export async function runReport<K extends ReportKind>(deps: Deps, actor: Actor, kind: K, filter: ResolvedFilter): Promise<ReportOf<K>> {
  authorizeFilter(actor, filter);
  const report = await compute(deps, kind, filter);
  return report as ReportOf<K>;
}

function compute(deps: Deps, kind: ReportKind, filter: ResolvedFilter): Promise<Report> {
  switch (kind) {
    case "tickets":
      return ticketsReport(deps.db, filter);
    case "waits":
      return waitsReport(deps.db, filter);
    case "arrivals":
      return arrivalsReport(deps.db, filter);
    case "out_of_order":
      return outOfOrderReport(deps.db, filter);
    case "satisfaction":
      return satisfactionReport(deps.db, filter);
    case "dossiers":
      return dossiersReport(deps.db, filter, clock(deps));
    case "appointments":
      return appointmentsReport(deps.db, filter);
  }
}

/** All seven reports of a filter, in the order of REPORT_KINDS (the overview, the print and the workbook). */
export async function runReports(deps: Deps, actor: Actor, filter: ResolvedFilter): Promise<Report[]> {
  authorizeFilter(actor, filter);
  return Promise.all(REPORT_KINDS.map((kind) => compute(deps, kind, filter)));
}
