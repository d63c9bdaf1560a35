/**
 * What a calendar decision may say, as the administrator types it: the lists of days, the
 * source, the years that can be edited, and how refusals are gathered per input. Read by
 * server/calendar/decisions.ts, which checks the rules that need the database or the holidays.
 */
import { z } from "zod";
import { t } from "../i18n";
import { hasControlCharacters } from "../input";
import { serviceDate } from "../time";
import { parseDay, shownDay, weekdayOf } from "./days";
import type { Day } from "./working-days";

type FormResult<T> = { ok: true; value: T } | { ok: false; fieldErrors: Record<string, string[]> };
export type { FormResult };

export const SOURCE_MAX = 300;
export const LIST_MAX = 30;

/** The years an administrator may see and edit: last year to two years ahead. */
export function editableYears(now: Date): number[] {
  const current = Number(serviceDate(now).slice(0, 4));
  return [current - 1, current, current + 1, current + 2];
}

export const shown = shownDay;
export const isWeekend = (day: Day) => weekdayOf(day) === 0 || weekdayOf(day) === 6;

/** A list of days: an array, or one text with the days separated by commas, semicolons or lines. */
const dayList = z
  .union([z.string(), z.array(z.string())], { error: t("calendar.error.date", { value: "" }) })
  .transform((value, ctx) => {
    const tokens = (Array.isArray(value) ? value : value.split(/[,;\n]+/)).map((s) => s.trim()).filter(Boolean);
    if (tokens.length > LIST_MAX) {
      ctx.addIssue({ code: "custom", message: t("calendar.error.tooMany", { max: LIST_MAX }) });
      return z.NEVER;
    }
    const days: Day[] = [];
    for (const token of tokens) {
      const day = parseDay(token);
      if (!day) {
        ctx.addIssue({ code: "custom", message: t("calendar.error.date", { value: [...token].slice(0, 20).join("") }) });
        return z.NEVER;
      }
      if (!days.includes(day)) days.push(day);
    }
    return days.sort();
  });

export const source = z
  .string({ error: t("calendar.error.source", { max: SOURCE_MAX }) })
  .transform((s) => s.normalize("NFC").replace(/\s+/g, " ").trim())
  .refine((s) => s.length > 0 && [...s].length <= SOURCE_MAX, { error: t("calendar.error.source", { max: SOURCE_MAX }) })
  .refine((s) => !hasControlCharacters(s), { error: t("validation.controlCharacters") });

const year = z.coerce.number({ error: t("calendar.error.year", { from: "", to: "" }) }).int();

export const deploymentDecisionSchema = z.object({
  year,
  /** The whole Tết break; absent or empty: the Labour Code's five days. */
  tet: dayList.nullish(),
  /** Or its first and last day (the page's two date inputs). */
  tetFrom: z.string().nullish(),
  tetTo: z.string().nullish(),
  /** The day beside 2/9: 1/9 or 3/9 (absent: 1/9). */
  nationalDayExtra: z.string().nullish(),
  daysOff: dayList.default([]),
  workingDays: dayList.default([]),
  source,
});

export const centreDecisionSchema = z.object({
  year,
  daysOff: dayList.default([]),
  workingDays: dayList.default([]),
  /** Required when the centre has a day of its own; ignored when both lists are empty (the row goes). */
  source: z.string().nullish(),
});

export type DeploymentDecisionInput = z.input<typeof deploymentDecisionSchema>;
export type CentreDecisionInput = z.input<typeof centreDecisionSchema>;

export const flat = (error: z.ZodError) => ({ ok: false as const, fieldErrors: z.flattenError(error).fieldErrors as Record<string, string[]> });

/** Collects refusals per input, the first one of each input kept. */
export class Refusals {
  readonly fieldErrors: Record<string, string[]> = {};
  add(input: string, message: string) {
    (this.fieldErrors[input] ??= []).push(message);
  }
  get any() {
    return Object.keys(this.fieldErrors).length > 0;
  }
}

export function checkYear(value: number, now: Date, refusals: Refusals) {
  const years = editableYears(now);
  if (!years.includes(value)) refusals.add("year", t("calendar.error.year", { from: years[0]!, to: years.at(-1)! }));
  return years.includes(value);
}

export function checkInYear(input: string, days: Day[], yearValue: number, refusals: Refusals) {
  const outside = days.find((d) => Number(d.slice(0, 4)) !== yearValue);
  if (outside) refusals.add(input, t("calendar.error.notInYear", { day: shown(outside), year: yearValue }));
  return !outside;
}

