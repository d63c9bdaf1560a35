/**
 * The calendar's decisions, as administrators keep them (decision note 0020):
 *
 * - the deployment administrator (`centres.manage`) enters the year's notice for the whole
 *   deployment — Tết, the day beside 2/9, swapped days off, make-up days, the source — which
 *   replaces the decision shipped with the product for that year;
 * - a centre's administrator (`centre.configure`) adds the centre's own days off and make-up
 *   days for a year (a province's decision), and sets the centre's cut-off or turns it off.
 *
 * Every rule is checked here, before anything is written; each save is one transaction with its
 * audit row. Dates arrive as YYYY-MM-DD or dd/mm/yyyy, one by one or as one text (commas).
 */
import { and, eq, isNull, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { Queryable } from "../../db/client";
import { calendarDecisions, centres, users } from "../../db/schema";
import { changed, recordAudit } from "../audit";
import { authorize, can, centreOf, type Actor } from "../auth/permissions";
import { clock, inTransaction, type ServiceDeps } from "../context";
import { AppError } from "../errors";
import { t } from "../i18n";
import { deploymentDecisions, withCentreAdditions } from "./calendars";
import { checkInYear, checkYear, editableYears, flat, isWeekend, LIST_MAX, Refusals, shown, source, centreDecisionSchema, deploymentDecisionSchema, type CentreDecisionInput, type DeploymentDecisionInput, type FormResult } from "./decision-rules";
import { parseDay, weekdayName } from "./days";
import { addDays, holidays, isWorkingDay, SHIPPED_DECISIONS, type Day, type YearDecision } from "./working-days";

const holidayOn = (day: Day, list: ReadonlyArray<{ day: Day; name: string }>) => list.find((h) => h.day === day);

/** Reads the deployment's rows (and a centre's) of the calendar table. */
async function rowsOf(db: Queryable, centreId: number | null) {
  return db
    .select()
    .from(calendarDecisions)
    .where(centreId === null ? isNull(calendarDecisions.centreId) : or(isNull(calendarDecisions.centreId), eq(calendarDecisions.centreId, centreId)));
}

/** The Labour Code's Tết of a year (no decision): the five days computed from the lunar calendar. */
const lawTet = (y: number) => holidays(y, []).filter((h) => h.name === "Tết Nguyên đán").map((h) => h.day);
/** Mùng 1 Tết of a year. */
const lunarNewYear = (y: number) => lawTet(y)[1]!;

// One writer at a time per deployment and centre: two saves of the same year must not both insert.
const CALENDAR_LOCK = 0x4341; // "CA"

/** The year's deployment decision, as the administrator sees it, with what the centre adds, its cut-off, and who may change what. */
export async function calendarYear(deps: Pick<ServiceDeps, "db" | "now">, actor: Actor, input: { year?: number | null }) {
  authorize(actor, "centre.configure");
  const centreId = centreOf(actor);
  const now = clock(deps);
  const years = editableYears(now);
  const y = input.year ?? years[1]!;
  if (!Number.isInteger(y) || !years.includes(y)) throw new AppError("calendar_year", { from: years[0]!, to: years.at(-1)! });
  const [rows, [centre]] = await Promise.all([
    rowsOf(deps.db, centreId),
    deps.db.select({ cutoff: centres.dossierCutoff, opensAt: centres.opensAt, closesAt: centres.closesAt }).from(centres).where(eq(centres.id, centreId)),
  ]);
  if (!centre) throw new AppError("not_found");
  const deploymentRow = rows.find((r) => r.centreId === null && r.year === y);
  const centreRow = rows.find((r) => r.centreId === centreId && r.year === y);
  const base = deploymentDecisions(rows.filter((r) => r.centreId === null));
  const decision: YearDecision = base.find((d) => d.year === y) ?? { year: y, daysOff: [], workingDays: [], source: t("calendar.decision.origin.law") };
  const merged = withCentreAdditions(base, centreRow ? [centreRow] : []);
  const names = await namesOf(deps.db, [deploymentRow?.updatedBy, centreRow?.updatedBy]);

  const centreDaysOff = centreRow?.daysOff ?? [];
  const centreWorkingDays = centreRow?.workingDays ?? [];
  const calendar = { decisions: merged, cutoff: centre.cutoff, hours: [] };
  let workingDayCount = 0;
  for (let d = `${y}-01-01`; d <= `${y}-12-31`; d = addDays(d, 1)) if (isWorkingDay(d, calendar)) workingDayCount++;
  const day = (d: Day) => ({ day: d, weekday: weekdayName(d) });

  return {
    year: y,
    years,
    holidays: holidays(y, base).map((h) => ({ ...day(h.day), name: h.name, workedHere: centreWorkingDays.includes(h.day) })),
    makeUpDays: decision.workingDays.map((d) => ({ ...day(d), offHere: centreDaysOff.includes(d) })),
    decision: {
      tet: decision.tet ?? lawTet(y),
      lunarNewYear: lunarNewYear(y),
      nationalDayExtra: decision.nationalDayExtra ?? `${y}-09-01`,
      daysOff: decision.daysOff,
      workingDays: decision.workingDays,
      source: decision.source,
      origin: deploymentRow ? ("deployment" as const) : SHIPPED_DECISIONS.some((d) => d.year === y) ? ("shipped" as const) : ("law" as const),
      updatedAt: deploymentRow?.updatedAt.toISOString() ?? null,
      updatedBy: deploymentRow?.updatedBy ? (names.get(deploymentRow.updatedBy) ?? null) : null,
    },
    centre: {
      daysOff: centreDaysOff.map(day),
      workingDays: centreWorkingDays.map(day),
      source: centreRow?.source ?? "",
      updatedAt: centreRow?.updatedAt.toISOString() ?? null,
      updatedBy: centreRow?.updatedBy ? (names.get(centreRow.updatedBy) ?? null) : null,
    },
    workingDayCount,
    cutoff: centre.cutoff,
    opensAt: centre.opensAt,
    closesAt: centre.closesAt,
    canEditDeployment: can(actor, "centres.manage"),
  };
}

async function namesOf(db: Queryable, ids: Array<number | null | undefined>) {
  const wanted = [...new Set(ids.filter((id): id is number => typeof id === "number"))];
  if (!wanted.length) return new Map<number, string>();
  const rows = await db.select({ id: users.id, name: users.fullName }).from(users).where(or(...wanted.map((id) => eq(users.id, id))));
  return new Map(rows.map((r) => [r.id, r.name]));
}

const byWhom = (actor: Actor) => (actor.kind === "user" ? actor.userId : null);

/** The deployment's decision of a year (the sysadmin): replaces the shipped one for every centre. */
export async function saveDeploymentDecision(deps: ServiceDeps, actor: Actor, input: DeploymentDecisionInput): Promise<FormResult<YearDecision>> {
  authorize(actor, "centres.manage");
  const parsed = deploymentDecisionSchema.safeParse(input);
  if (!parsed.success) return flat(parsed.error);
  const data = parsed.data;
  const now = clock(deps);
  const refusals = new Refusals();
  if (!checkYear(data.year, now, refusals)) return { ok: false, fieldErrors: refusals.fieldErrors };
  const y = data.year;

  let tet = data.tet?.length ? data.tet : null;
  if (data.tetFrom || data.tetTo) {
    const from = parseDay(data.tetFrom ?? "");
    const to = parseDay(data.tetTo ?? "");
    if (!from || !to || to < from) refusals.add("tet", t("calendar.error.tetRange"));
    else {
      tet = [from];
      // At most 11 days are listed: enough for the count to be refused past 10.
      while (tet.at(-1)! < to && tet.length <= 10) tet.push(addDays(tet.at(-1)!, 1));
    }
  }
  if (tet && checkInYear("tet", tet, y, refusals)) {
    if (tet.length < 5 || tet.length > 10) refusals.add("tet", t("calendar.error.tetCount", { n: tet.length }));
    else {
      const gap = tet.findIndex((d, i) => i > 0 && addDays(tet[i - 1]!, 1) !== d);
      if (gap > 0) refusals.add("tet", t("calendar.error.tetGap", { day: shown(tet[gap - 1]!), missing: shown(addDays(tet[gap - 1]!, 1)) }));
      else if (!tet.includes(lunarNewYear(y))) refusals.add("tet", t("calendar.error.tetNewYear", { day: shown(lunarNewYear(y)) }));
    }
  }
  const nationalDayExtra = data.nationalDayExtra ? parseDay(data.nationalDayExtra) : `${y}-09-01`;
  if (!nationalDayExtra || ![`${y}-09-01`, `${y}-09-03`].includes(nationalDayExtra)) refusals.add("nationalDayExtra", t("calendar.error.nationalDay", { year: y }));

  // The year's holidays with this Tết and 2/9, before any swapped day: what a day off or a make-up day is checked against.
  const legal = holidays(y, [{ year: y, daysOff: [], workingDays: [], source: "", ...(tet ? { tet } : {}), ...(nationalDayExtra ? { nationalDayExtra } : {}) }]);
  if (checkInYear("daysOff", data.daysOff, y, refusals)) {
    for (const d of data.daysOff) {
      const holiday = holidayOn(d, legal);
      if (isWeekend(d)) refusals.add("daysOff", t("calendar.error.dayOffWeekend", { day: shown(d), weekday: weekdayName(d) }));
      else if (holiday) refusals.add("daysOff", t("calendar.error.dayOffHoliday", { day: shown(d), name: holiday.name }));
    }
  }
  if (checkInYear("workingDays", data.workingDays, y, refusals)) {
    for (const d of data.workingDays) {
      const holiday = holidayOn(d, legal);
      if (!isWeekend(d)) refusals.add("workingDays", t("calendar.error.makeUpNotWeekend", { day: shown(d), weekday: weekdayName(d) }));
      else if (holiday) refusals.add("workingDays", t("calendar.error.makeUpHoliday", { day: shown(d), name: holiday.name }));
    }
  }
  if (refusals.any) return { ok: false, fieldErrors: refusals.fieldErrors };

  const value = { year: y, daysOff: data.daysOff, workingDays: data.workingDays, tet: tet as Day[] | null, nationalDayExtra: nationalDayExtra!, source: data.source };
  return inTransaction(deps, async (tx): Promise<FormResult<YearDecision>> => {
    await tx.execute(sql`select pg_advisory_xact_lock(${CALENDAR_LOCK}, 0)`);
    const [row] = await tx
      .select()
      .from(calendarDecisions)
      .where(and(isNull(calendarDecisions.centreId), eq(calendarDecisions.year, y)));
    const shipped = SHIPPED_DECISIONS.find((d) => d.year === y);
    const before = row
      ? { year: y, daysOff: row.daysOff, workingDays: row.workingDays, tet: row.tet, nationalDayExtra: row.nationalDayExtra, source: row.source }
      : { year: y, daysOff: shipped?.daysOff ?? [], workingDays: shipped?.workingDays ?? [], tet: shipped?.tet ?? null, nationalDayExtra: shipped?.nationalDayExtra ?? null, source: shipped?.source ?? "" };
    const set = { ...value, updatedBy: byWhom(actor), updatedAt: now };
    const [saved] = row
      ? await tx.update(calendarDecisions).set(set).where(eq(calendarDecisions.id, row.id)).returning()
      : await tx.insert(calendarDecisions).values({ ...set, centreId: null }).returning();
    await recordAudit(tx, {
      actor,
      // The deployment's decision is recorded in the centre its administrator works in, where they read the log.
      centreId: actor.kind === "system" ? null : actor.centreId,
      action: "calendar.deployment_saved",
      target: { type: "calendar_decision", id: saved!.id },
      ...withYear(y, changed(before, value)),
    });
    return { ok: true, value: { year: y, daysOff: value.daysOff, workingDays: value.workingDays, ...(tet ? { tet } : {}), nationalDayExtra: value.nationalDayExtra, source: value.source } };
  });
}

const withYear = (y: number, diff: { before: Record<string, unknown>; after: Record<string, unknown> }) => ({
  before: { year: y, ...diff.before },
  after: { year: y, ...diff.after },
});

/**
 * A centre's own days of a year (its administrator): days off on days the deployment works, and
 * make-up days on a Saturday or Sunday (or on a deployment's swapped day off). Both lists empty:
 * the centre follows the deployment's decision and its row goes.
 */
export async function saveCentreDecision(deps: ServiceDeps, actor: Actor, input: CentreDecisionInput): Promise<FormResult<CentreDays>> {
  authorize(actor, "centre.configure");
  const parsed = centreDecisionSchema.safeParse(input);
  if (!parsed.success) return flat(parsed.error);
  const data = parsed.data;
  return writeCentreDays(deps, actor, data.year, () => ({ daysOff: data.daysOff, workingDays: data.workingDays, source: data.source ?? "" }));
}

/**
 * One day of the centre's, added (`off`: a day off, `work`: a make-up day) or taken away
 * (`none`), over what the centre has for that year; the page's add and remove buttons.
 * Refusals about the day are given for the input `day`.
 */
export async function setCentreDay(
  deps: ServiceDeps,
  actor: Actor,
  input: { year: number; day: string; kind: "off" | "work" | "none"; source?: string | null },
): Promise<FormResult<CentreDays>> {
  authorize(actor, "centre.configure");
  const day = parseDay(input.day ?? "");
  if (!day) return { ok: false, fieldErrors: { day: [input.day ? t("calendar.error.date", { value: [...input.day].slice(0, 20).join("") }) : t("calendar.error.day")] } };
  const result = await writeCentreDays(deps, actor, input.year, (current) => ({
    daysOff: [...current.daysOff.filter((d) => d !== day), ...(input.kind === "off" ? [day] : [])].sort(),
    workingDays: [...current.workingDays.filter((d) => d !== day), ...(input.kind === "work" ? [day] : [])].sort(),
    source: input.source ?? current.source,
  }));
  if (result.ok) return result;
  const { daysOff, workingDays, ...rest } = result.fieldErrors;
  const about = [...(daysOff ?? []), ...(workingDays ?? [])];
  return { ok: false, fieldErrors: { ...rest, ...(about.length ? { day: about } : {}) } };
}

export type CentreDays = { daysOff: Day[]; workingDays: Day[]; source: string };

/** Checks and writes the centre's days of a year, computed from what it has, under the centre's lock. */
async function writeCentreDays(deps: ServiceDeps, actor: Actor, yearValue: number, compute: (current: CentreDays) => CentreDays): Promise<FormResult<CentreDays>> {
  const centreId = centreOf(actor);
  const now = clock(deps);
  const refusals = new Refusals();
  if (!checkYear(yearValue, now, refusals)) return { ok: false, fieldErrors: refusals.fieldErrors };
  const y = yearValue;

  return inTransaction(deps, async (tx): Promise<FormResult<CentreDays>> => {
    await tx.execute(sql`select pg_advisory_xact_lock(${CALENDAR_LOCK}, ${centreId})`);
    const rows = await rowsOf(tx, centreId);
    const row = rows.find((r) => r.centreId === centreId && r.year === y);
    const data = compute({ daysOff: row?.daysOff ?? [], workingDays: row?.workingDays ?? [], source: row?.source ?? "" });
    const empty = data.daysOff.length === 0 && data.workingDays.length === 0;
    const sourceText = source.safeParse(data.source ?? "");
    if (!empty && !sourceText.success) refusals.add("source", sourceText.error.issues[0]!.message);

    const base = deploymentDecisions(rows.filter((r) => r.centreId === null));
    const deployment = { decisions: base, cutoff: null, hours: [] };
    const decision = base.find((d) => d.year === y);
    const offDays = holidays(y, base);
    if (data.daysOff.length + data.workingDays.length > LIST_MAX) refusals.add("daysOff", t("calendar.error.tooMany", { max: LIST_MAX }));
    if (checkInYear("daysOff", data.daysOff, y, refusals)) {
      for (const d of data.daysOff) {
        const holiday = holidayOn(d, offDays);
        if (isWorkingDay(d, deployment)) continue;
        if (holiday) refusals.add("daysOff", t("calendar.error.dayOffHoliday", { day: shown(d), name: holiday.name }));
        else refusals.add("daysOff", t("calendar.error.dayOffWeekend", { day: shown(d), weekday: weekdayName(d) }));
      }
    }
    if (checkInYear("workingDays", data.workingDays, y, refusals)) {
      for (const d of data.workingDays) {
        const holiday = holidayOn(d, offDays);
        const swapped = decision?.daysOff.includes(d) ?? false;
        if (decision?.workingDays.includes(d)) refusals.add("workingDays", t("calendar.error.makeUpAlready", { day: shown(d) }));
        else if (!isWeekend(d) && !swapped) refusals.add("workingDays", t("calendar.error.makeUpNotWeekend", { day: shown(d), weekday: weekdayName(d) }));
        else if (holiday && !swapped) refusals.add("workingDays", t("calendar.error.makeUpHoliday", { day: shown(d), name: holiday.name }));
      }
    }
    const both = data.daysOff.find((d) => data.workingDays.includes(d));
    if (both) refusals.add("workingDays", t("calendar.error.both", { day: shown(both) }));
    if (refusals.any) return { ok: false, fieldErrors: refusals.fieldErrors };

    const before = { year: y, daysOff: row?.daysOff ?? [], workingDays: row?.workingDays ?? [], source: row?.source ?? "" };
    const value = { year: y, daysOff: data.daysOff, workingDays: data.workingDays, source: empty ? "" : sourceText.data! };
    let id = row?.id ?? null;
    if (empty) {
      if (row) await tx.delete(calendarDecisions).where(eq(calendarDecisions.id, row.id));
    } else if (row) {
      await tx.update(calendarDecisions).set({ ...value, updatedBy: byWhom(actor), updatedAt: now }).where(eq(calendarDecisions.id, row.id));
    } else {
      [{ id }] = (await tx
        .insert(calendarDecisions)
        .values({ ...value, centreId, updatedBy: byWhom(actor), updatedAt: now })
        .returning({ id: calendarDecisions.id })) as [{ id: number }];
    }
    await recordAudit(tx, { actor, centreId, action: "calendar.centre_saved", target: { type: "calendar_decision", id }, ...withYear(y, changed(before, value)) });
    return { ok: true, value: { daysOff: value.daysOff, workingDays: value.workingDays, source: value.source } };
  });
}

const timeOf = (s: string) => /^([01]\d|2[0-3]):[0-5]\d$/.test(s);

/** The centre's cut-off: a time within its opening hours, or null (no cut-off). */
export async function saveCutoff(deps: ServiceDeps, actor: Actor, input: { cutoff: string | null }): Promise<FormResult<{ cutoff: string | null }>> {
  authorize(actor, "centre.configure");
  const centreId = centreOf(actor);
  const parsed = z.object({ cutoff: z.string().trim().nullable() }).safeParse(input);
  if (!parsed.success) return flat(parsed.error);
  const cutoff = parsed.data.cutoff ? parsed.data.cutoff.padStart(5, "0") : null;
  return inTransaction(deps, async (tx): Promise<FormResult<{ cutoff: string | null }>> => {
    const [centre] = await tx.select().from(centres).where(eq(centres.id, centreId)).for("update");
    if (!centre) throw new AppError("not_found");
    if (cutoff !== null && (!timeOf(cutoff) || cutoff <= centre.opensAt || cutoff > centre.closesAt)) {
      return { ok: false, fieldErrors: { cutoff: [t("calendar.error.cutoff", { opens: centre.opensAt, closes: centre.closesAt })] } };
    }
    await tx.update(centres).set({ dossierCutoff: cutoff }).where(eq(centres.id, centreId));
    await recordAudit(tx, {
      actor,
      centreId,
      action: "calendar.cutoff_changed",
      target: { type: "centre", id: centreId },
      before: { dossierCutoff: centre.dossierCutoff },
      after: { dossierCutoff: cutoff },
    });
    return { ok: true, value: { cutoff } };
  });
}
