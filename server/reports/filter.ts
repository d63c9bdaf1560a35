/**
 * A report's filter: the range (a day, a Monday–Sunday week, a month, a quarter, a calendar year,
 * or two days given), the centre (or the whole deployment), what it is narrowed to and the
 * dimension of its breakdowns — read from URL parameters, checked and authorized, with the
 * words a title needs. See docs/reports.md.
 */
import { and, asc, eq, inArray, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { centres, counters, fields, procedures, users } from "../../db/schema";
import { authorize, can, type Actor } from "../auth/permissions";
import { addDays } from "../calendar/working-days";
import { clock, type ServiceDeps } from "../context";
import { AppError } from "../errors";
import { t, type MessageKey } from "../i18n";
import { serviceDate } from "../time";
import { REPORT_DIMENSIONS, REPORT_PERIODS, type Granularity, type ReportDimension, type ReportFilter, type ReportPeriod, type ResolvedFilter } from "./types";

/** The longest range a report covers. */
export const MAX_RANGE_DAYS = 400;
/** The range when none is asked for: the last 30 days, today included. */
export const DEFAULT_RANGE_DAYS = 30;

type Deps = Pick<ServiceDeps, "db" | "now">;
type Day = string;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const ID = /^[1-9]\d{0,9}$/;

/** A day `YYYY-MM-DD` that exists in the calendar, or the refusal naming it. */
function dayOf(value: string): Day {
  const d = new Date(`${value}T00:00:00Z`);
  if (!DAY.test(value) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) throw new AppError("report_date_invalid", { value: value.slice(0, 20) });
  return value;
}

/** Days between two days, both included. */
export const daysIn = (from: Day, to: Day) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;

/** The Monday of the week of `day` (weeks run Monday to Sunday). */
export function mondayOf(day: Day): Day {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(day, -((weekday + 6) % 7));
}

/** ISO 8601 week number and its year (the week's Thursday decides the year). */
function isoWeek(monday: Day): { week: number; year: number } {
  const thursday = addDays(monday, 3);
  const year = Number(thursday.slice(0, 4));
  const jan4 = `${year}-01-04`;
  return { week: Math.round((Date.parse(`${mondayOf(thursday)}T00:00:00Z`) - Date.parse(`${mondayOf(jan4)}T00:00:00Z`)) / (7 * 86_400_000)) + 1, year };
}

const lastDayOfMonth = (year: number, month: number): Day => new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
const pad = (n: number) => String(n).padStart(2, "0");
/** dd/MM/yyyy of a day. */
export const showDay = (day: Day) => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;
const ROMAN = ["I", "II", "III", "IV"];

/** How a series over a range is cut: per day up to 62 days, per week up to 183, else per month. */
export const granularityOf = (from: Day, to: Day): Granularity => {
  const n = daysIn(from, to);
  return n <= 62 ? "day" : n <= 183 ? "week" : "month";
};

export type RangeInput = { period?: string | null; date?: string | null; from?: string | null; to?: string | null };
export type ResolvedRange = { period: ReportPeriod; from: Day; to: Day; label: string; granularity: Granularity };

/**
 * The range of a period anchored on `date` (default today), or of `from`/`to`; clipped so that it
 * never ends after today. Pure: today is given. Refuses a bad day, to < from, a range starting
 * after today, or one longer than MAX_RANGE_DAYS.
 */
export function resolveRange(input: RangeInput, today: Day): ResolvedRange {
  const given = (v: string | null | undefined) => (v === undefined || v === null || v.trim() === "" ? null : v.trim());
  const periodText = given(input.period);
  const fromText = given(input.from);
  const toText = given(input.to);
  if (periodText !== null && !(REPORT_PERIODS as readonly string[]).includes(periodText)) throw new AppError("report_filter_invalid", { name: "period", value: periodText.slice(0, 20) });
  const period: ReportPeriod = (periodText as ReportPeriod | null) ?? "custom";
  let from: Day;
  let to: Day;
  let label: (from: Day, to: Day) => string;
  if (period === "custom") {
    const defaultRange = fromText === null && toText === null;
    to = toText !== null ? dayOf(toText) : today;
    from = fromText !== null ? dayOf(fromText) : addDays(to, -(DEFAULT_RANGE_DAYS - 1));
    if (from > to) throw new AppError("report_range_invalid", { from: showDay(from), to: showDay(to) });
    label = defaultRange ? (f, tt) => t("reports.range.last30", { from: showDay(f), to: showDay(tt) }) : (f, tt) => t("reports.range.custom", { from: showDay(f), to: showDay(tt) });
  } else {
    const anchorText = given(input.date);
    const anchor = anchorText !== null ? dayOf(anchorText) : today;
    const year = Number(anchor.slice(0, 4));
    const month = Number(anchor.slice(5, 7));
    if (period === "day") {
      from = to = anchor;
      label = (f) => t("reports.range.day", { day: showDay(f) });
    } else if (period === "week") {
      from = mondayOf(anchor);
      to = addDays(from, 6);
      const w = isoWeek(from);
      label = (f, tt) => t("reports.range.week", { week: w.week, year: w.year, from: showDay(f), to: showDay(tt) });
    } else if (period === "month") {
      from = `${year}-${pad(month)}-01`;
      to = lastDayOfMonth(year, month);
      label = (f, tt) => t("reports.range.month", { month: pad(month), year, from: showDay(f), to: showDay(tt) });
    } else if (period === "quarter") {
      const q = Math.floor((month - 1) / 3);
      from = `${year}-${pad(q * 3 + 1)}-01`;
      to = lastDayOfMonth(year, q * 3 + 3);
      label = (f, tt) => t("reports.range.quarter", { quarter: ROMAN[q]!, year, from: showDay(f), to: showDay(tt) });
    } else {
      from = `${year}-01-01`;
      to = `${year}-12-31`;
      label = (f, tt) => t("reports.range.year", { year, from: showDay(f), to: showDay(tt) });
    }
  }
  if (from > today) throw new AppError("report_range_future", { today: showDay(today) });
  const clipped = to > today;
  if (clipped) to = today;
  const days = daysIn(from, to);
  if (days > MAX_RANGE_DAYS) throw new AppError("report_range_too_long", { max: MAX_RANGE_DAYS, days });
  const text = label(from, to);
  return { period, from, to, label: clipped && period !== "day" ? t("reports.range.clipped", { label: text }) : text, granularity: granularityOf(from, to) };
}

const KEYS = ["period", "date", "from", "to", "centre", "field", "counter", "officer", "procedure", "by"] as const;
type Params = Partial<Record<(typeof KEYS)[number], string>>;

function paramsOf(input: URLSearchParams | Record<string, unknown>): Params {
  const out: Params = {};
  for (const key of KEYS) {
    const raw = input instanceof URLSearchParams ? input.get(key) : input[key];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value === undefined || value === null) continue;
    if (typeof value !== "string" && typeof value !== "number") throw new AppError("report_filter_invalid", { name: key, value: "?" });
    const text = String(value).trim();
    if (text !== "") out[key] = text;
  }
  return out;
}

function idOf(name: string, value: string | undefined): number | null {
  if (value === undefined) return null;
  if (!ID.test(value) || Number(value) > 2_147_483_647) throw new AppError("report_filter_invalid", { name, value: value.slice(0, 20) });
  return Number(value);
}

/**
 * The filter of a request: range, centre (`all`: the deployment, for those allowed), narrowing
 * ids (each must be of the centre) and `by`; with the range's words and one line per narrowing.
 */
export async function resolveReportFilter(deps: Deps, actor: Actor, input: URLSearchParams | Record<string, unknown>): Promise<ResolvedFilter> {
  authorize(actor, "reports.read");
  const p = paramsOf(input);
  const range = resolveRange(p, serviceDate(clock(deps)));

  let centreId: number | null;
  if (p.centre === "all") {
    authorize(actor, "reports.deployment");
    centreId = null;
  } else {
    const asked = idOf("centre", p.centre);
    const own = actor.kind === "system" ? null : actor.centreId;
    if (asked !== null && asked !== own) authorize(actor, "reports.deployment");
    centreId = asked ?? own;
    if (centreId === null) throw new AppError("report_filter_invalid", { name: "centre", value: "" });
  }
  if (p.by !== undefined && !(REPORT_DIMENSIONS as readonly string[]).includes(p.by)) throw new AppError("report_filter_invalid", { name: "by", value: p.by.slice(0, 20) });
  const by = (p.by as ReportDimension | undefined) ?? (centreId === null ? "centre" : "field");

  const ids = {
    fieldId: idOf("field", p.field),
    counterId: idOf("counter", p.counter),
    officerId: idOf("officer", p.officer),
    procedureId: idOf("procedure", p.procedure),
  };
  const inCentre = (column: AnyPgColumn, id: number, own: AnyPgColumn): SQL => (centreId === null ? eq(column, id) : and(eq(column, id), eq(own, centreId))!);
  const one = async <T>(rows: Promise<T[]>, what: ReportDimension, id: number): Promise<T> => {
    const [row] = await rows;
    if (!row) throw new AppError("report_scope_not_found", { what: t(`reports.what.${what}` as MessageKey), id });
    return row;
  };
  const [centre, field, counter, officer, procedure] = await Promise.all([
    centreId === null ? null : one(deps.db.select({ name: centres.name }).from(centres).where(eq(centres.id, centreId)), "centre", centreId),
    ids.fieldId === null ? null : one(deps.db.select({ name: fields.name }).from(fields).where(inCentre(fields.id, ids.fieldId, fields.centreId)), "field", ids.fieldId),
    ids.counterId === null ? null : one(deps.db.select({ name: counters.name }).from(counters).where(inCentre(counters.id, ids.counterId, counters.centreId)), "counter", ids.counterId),
    ids.officerId === null ? null : one(deps.db.select({ name: users.fullName }).from(users).where(inCentre(users.id, ids.officerId, users.centreId)), "officer", ids.officerId),
    ids.procedureId === null ? null : one(deps.db.select({ name: procedures.name }).from(procedures).where(inCentre(procedures.id, ids.procedureId, procedures.centreId)), "procedure", ids.procedureId),
  ]);
  const lines = [centre ? t("reports.line.centre", { name: centre.name }) : t("reports.line.deployment")];
  if (field) lines.push(t("reports.line.field", { name: field.name }));
  if (counter) lines.push(t("reports.line.counter", { name: counter.name }));
  if (officer) lines.push(t("reports.line.officer", { name: officer.name }));
  if (procedure) lines.push(t("reports.line.procedure", { name: procedure.name }));
  return { period: range.period, from: range.from, to: range.to, centreId, ...ids, by, label: range.label, lines, granularity: range.granularity };
}

/** The URL parameters of a filter (for links and shared views): they resolve back to the same filter. */
export function reportSearchParams(filter: ReportFilter): URLSearchParams {
  const params = new URLSearchParams();
  params.set("period", filter.period);
  if (filter.period === "custom") {
    params.set("from", filter.from);
    params.set("to", filter.to);
  } else params.set("date", filter.from);
  params.set("centre", filter.centreId === null ? "all" : String(filter.centreId));
  if (filter.fieldId !== null) params.set("field", String(filter.fieldId));
  if (filter.counterId !== null) params.set("counter", String(filter.counterId));
  if (filter.officerId !== null) params.set("officer", String(filter.officerId));
  if (filter.procedureId !== null) params.set("procedure", String(filter.procedureId));
  params.set("by", filter.by);
  return params;
}

/** What the filter form offers: the centres the actor may see, and the centre's fields, counters, officers and procedures. */
export async function reportChoices(deps: Pick<ServiceDeps, "db">, actor: Actor, centreId?: number | null) {
  authorize(actor, "reports.read");
  const deployment = can(actor, "reports.deployment");
  const own = actor.kind === "system" ? null : actor.centreId;
  const centre = deployment && centreId !== undefined ? centreId : own;
  const inCentre = (column: AnyPgColumn) => (centre === null ? undefined : eq(column, centre));
  const [centreList, fieldList, counterList, officerList, procedureList] = await Promise.all([
    deps.db
      .select({ id: centres.id, name: centres.name })
      .from(centres)
      .where(deployment ? undefined : eq(centres.id, own ?? -1))
      .orderBy(asc(centres.name), asc(centres.id)),
    deps.db.select({ id: fields.id, name: fields.name }).from(fields).where(inCentre(fields.centreId)).orderBy(asc(fields.sortOrder), asc(fields.id)),
    deps.db.select({ id: counters.id, number: counters.number, name: counters.name }).from(counters).where(inCentre(counters.centreId)).orderBy(asc(counters.number), asc(counters.id)),
    deps.db
      .select({ id: users.id, name: users.fullName })
      .from(users)
      .where(and(inCentre(users.centreId), inArray(users.role, ["officer", "supervisor"])))
      .orderBy(asc(users.fullName), asc(users.id)),
    deps.db
      .select({ id: procedures.id, name: procedures.name, fieldId: procedures.fieldId })
      .from(procedures)
      .where(inCentre(procedures.centreId))
      .orderBy(asc(procedures.sortOrder), asc(procedures.id)),
  ]);
  return { centres: centreList, fields: fieldList, counters: counterList, officers: officerList, procedures: procedureList };
}
