/**
 * A centre's working-day calendar, read from the database (working-days.ts stays pure).
 *
 * For each year, the decision in force is built in three layers:
 *
 * 1. the decision shipped with the product (`SHIPPED_DECISIONS`), if any;
 * 2. **replaced whole** by the deployment's row for that year (`calendar_decisions` with
 *    `centre_id IS NULL`), when the deployment administrator has entered one: its Tết, its day
 *    beside 2/9, its swapped days off and make-up working days, its source;
 * 3. then **added to** by the centre's row for that year: its own days off and make-up working
 *    days. On the same date the centre wins: a centre's make-up day removes a deployment day off
 *    of that date, and a centre's day off removes a deployment make-up day of that date. Tết,
 *    the day beside 2/9 and the public holidays are the deployment's alone.
 *
 * The cut-off is the centre's (`centres.dossier_cutoff`, HH:MM; null: no cut-off); the working
 * periods are the product's.
 */
import { eq, isNull, or } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { calendarDecisions, centres } from "../../db/schema";
import { DEFAULT_CALENDAR, SHIPPED_DECISIONS, type WorkCalendar, type YearDecision } from "./working-days";

type CalendarDecision = typeof calendarDecisions.$inferSelect;

/** The deployment's decision of a year as a YearDecision. */
export function deploymentDecision(row: Pick<CalendarDecision, "year" | "daysOff" | "workingDays" | "tet" | "nationalDayExtra" | "source">): YearDecision {
  return {
    year: row.year,
    daysOff: [...row.daysOff],
    workingDays: [...row.workingDays],
    ...(row.tet ? { tet: [...row.tet] } : {}),
    ...(row.nationalDayExtra ? { nationalDayExtra: row.nationalDayExtra } : {}),
    source: row.source,
  };
}

/** Layers 1 and 2: the shipped decisions, each year replaced by the deployment's row when there is one. */
export function deploymentDecisions(deploymentRows: ReadonlyArray<Pick<CalendarDecision, "year" | "daysOff" | "workingDays" | "tet" | "nationalDayExtra" | "source">>): YearDecision[] {
  const byYear = new Map<number, YearDecision>(SHIPPED_DECISIONS.map((d) => [d.year, d]));
  for (const row of deploymentRows) byYear.set(row.year, deploymentDecision(row));
  return [...byYear.values()].sort((a, b) => a.year - b.year);
}

/** Layer 3: a centre's additions over the deployment's decisions (the centre wins on a date both name). */
export function withCentreAdditions(
  base: ReadonlyArray<YearDecision>,
  centreRows: ReadonlyArray<Pick<CalendarDecision, "year" | "daysOff" | "workingDays">>,
): YearDecision[] {
  const byYear = new Map<number, YearDecision>(base.map((d) => [d.year, d]));
  for (const row of centreRows) {
    const decision = byYear.get(row.year) ?? { year: row.year, daysOff: [], workingDays: [], source: "" };
    const daysOff = new Set([...decision.daysOff.filter((d) => !row.workingDays.includes(d)), ...row.daysOff]);
    const workingDays = new Set([...decision.workingDays.filter((d) => !row.daysOff.includes(d)), ...row.workingDays]);
    byYear.set(row.year, { ...decision, daysOff: [...daysOff].sort(), workingDays: [...workingDays].sort() });
  }
  return [...byYear.values()].sort((a, b) => a.year - b.year);
}

/** The centre's calendar: shipped decisions, the deployment's rows, the centre's additions and cut-off. */
export async function calendarFor(db: Queryable, centreId: number): Promise<WorkCalendar> {
  const [rows, [centre]] = await Promise.all([
    db
      .select()
      .from(calendarDecisions)
      .where(or(isNull(calendarDecisions.centreId), eq(calendarDecisions.centreId, centreId))),
    db.select({ cutoff: centres.dossierCutoff }).from(centres).where(eq(centres.id, centreId)),
  ]);
  const decisions = withCentreAdditions(
    deploymentDecisions(rows.filter((r) => r.centreId === null)),
    rows.filter((r) => r.centreId === centreId),
  );
  return { decisions, cutoff: centre ? centre.cutoff : DEFAULT_CALENDAR.cutoff, hours: DEFAULT_CALENDAR.hours };
}

/** The calendar a service uses: the one it was given (tests), else the centre's. */
export const calendarOrCentre = async (given: WorkCalendar | undefined, db: Queryable, centreId: number): Promise<WorkCalendar> =>
  given ?? (await calendarFor(db, centreId));
