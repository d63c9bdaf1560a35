/**
 * The working-day calendar of Vietnamese public administration: the one place that says whether
 * a day is worked, when a dossier is due, and how many working days are left.
 *
 * - Saturdays and Sundays are off, except make-up working days decided for the year.
 * - Public holidays of the Labour Code (2019, art. 112): 1/1; Tết Âm lịch, 5 days (by default the
 *   last day of the lunar year and the first four of the new one); Giỗ Tổ Hùng Vương, 10/3 âm
 *   lịch; 30/4; 1/5; Quốc khánh 2/9 and one adjoining day (1/9 by default, or 3/9 as decided). A
 *   holiday on a weekly rest day gives the next working day off (art. 112(3)).
 * - Each year the government decides the exact days (swapped days off and make-up Saturdays);
 *   those decisions are data ({@link YearDecision}), shipped for known years and editable.
 * - Lunar dates come from `@dqcai/vn-lunar`, which computes the Vietnamese calendar (UTC+7):
 *   Tết differs from the Chinese one in some years (1985, 2007, 2030).
 *
 * Dates are service days (YYYY-MM-DD, Vietnam time); instants are Dates.
 */
import { TZDate } from "@date-fns/tz";
import { LunarCalendar } from "@dqcai/vn-lunar";
import { TIME_ZONE } from "../time";

export type Day = string;

/** What a year's decision changes: extra days off (swapped), make-up working days, and the adjoining day of 2/9. */
export type YearDecision = {
  year: number;
  /** Days off beyond the holidays and their compensations (a day swapped to join a long break). */
  daysOff: Day[];
  /** Weekend days worked instead (làm bù). */
  workingDays: Day[];
  /** The day of Quốc khánh beside 2/9, when decided ("1/9" by default). */
  nationalDayExtra?: Day;
  /** The whole Tết break as decided, when it differs from the default five days. */
  tet?: Day[];
  /** Where the decision comes from, shown to the administrator. */
  source: string;
};

export type WorkingHours = ReadonlyArray<{ from: string; to: string }>;

export type WorkCalendar = {
  decisions: ReadonlyArray<YearDecision>;
  /** After this time of day (HH:MM) a dossier counts from the next working day; null: no cut-off (the whole working day counts). */
  cutoff: string | null;
  /** The working periods of a day, for procedures measured in hours. */
  hours: WorkingHours;
};

/**
 * Decisions shipped with the product. 2025: the notice of the Bộ Nội vụ on the 2025 holidays
 * (Tết off 25/1–2/2 with Saturday 8/2 worked; 30/4–4/5 with Friday 2/5 swapped and Saturday 26/4
 * worked; 2/9 with 1/9). 2026–2027: the Labour Code's days as computed
 * here until the year's notice is entered.
 */
export const SHIPPED_DECISIONS: ReadonlyArray<YearDecision> = [
  {
    year: 2025,
    tet: ["2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31"],
    daysOff: ["2025-05-02"],
    workingDays: ["2025-02-08", "2025-04-26"],
    nationalDayExtra: "2025-09-01",
    source: "Bộ Nội vụ — lịch nghỉ lễ, Tết năm 2025 của cán bộ, công chức, viên chức",
  },
  { year: 2026, daysOff: [], workingDays: [], source: "Bộ luật Lao động 2019, Điều 112 (chưa nhập thông báo năm 2026)" },
  { year: 2027, daysOff: [], workingDays: [], source: "Bộ luật Lao động 2019, Điều 112 (chưa nhập thông báo năm 2027)" },
];

export const DEFAULT_CALENDAR: WorkCalendar = {
  decisions: SHIPPED_DECISIONS,
  cutoff: "15:00",
  hours: [
    { from: "07:30", to: "11:30" },
    { from: "13:00", to: "17:00" },
  ],
};

export type Holiday = { day: Day; name: string };

const pad = (n: number) => String(n).padStart(2, "0");
const dayOf = (y: number, m: number, d: number): Day => `${y}-${pad(m)}-${pad(d)}`;

/** The calendar day `n` days after `day`. */
export function addDays(day: Day, n: number): Day {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + n);
  return date.toISOString().slice(0, 10);
}

const weekday = (day: Day) => new Date(`${day}T12:00:00Z`).getUTCDay();
const isWeekend = (day: Day) => weekday(day) === 0 || weekday(day) === 6;

function solarOfLunar(day: number, month: number, year: number): Day {
  const solar = LunarCalendar.fromLunar(day, month, year).solarDate;
  return dayOf(solar.year, solar.month, solar.day);
}

const holidayCache = new Map<string, Holiday[]>();

/** The year's public holidays, with the compensating days off of those on a weekend, as decided. */
export function holidays(year: number, decisions: ReadonlyArray<YearDecision> = SHIPPED_DECISIONS): Holiday[] {
  const decision = decisions.find((d) => d.year === year);
  const key = `${year}:${JSON.stringify(decision ?? null)}`;
  const cached = holidayCache.get(key);
  if (cached) return cached;

  const newYear = solarOfLunar(1, 1, year);
  const tet = decision?.tet ?? [addDays(newYear, -1), newYear, addDays(newYear, 1), addDays(newYear, 2), addDays(newYear, 3)];
  const legal: Holiday[] = [
    { day: dayOf(year, 1, 1), name: "Tết Dương lịch" },
    ...tet.map((day) => ({ day, name: "Tết Nguyên đán" })),
    { day: solarOfLunar(10, 3, year), name: "Giỗ Tổ Hùng Vương" },
    { day: dayOf(year, 4, 30), name: "Ngày Chiến thắng" },
    { day: dayOf(year, 5, 1), name: "Ngày Quốc tế Lao động" },
    { day: dayOf(year, 9, 2), name: "Quốc khánh" },
    { day: decision?.nationalDayExtra ?? dayOf(year, 9, 1), name: "Quốc khánh" },
  ];
  // A holiday on a weekly rest day: the next day that is neither a rest day nor a holiday is off.
  const taken = new Set(legal.map((h) => h.day));
  const all = [...legal];
  for (const h of [...legal].sort((a, b) => a.day.localeCompare(b.day))) {
    if (!isWeekend(h.day) || decision?.tet?.includes(h.day)) continue;
    let next = addDays(h.day, 1);
    while (isWeekend(next) || taken.has(next)) next = addDays(next, 1);
    taken.add(next);
    all.push({ day: next, name: `Nghỉ bù ${h.name}` });
  }
  for (const day of decision?.daysOff ?? []) if (!taken.has(day)) all.push({ day, name: "Nghỉ hoán đổi" });
  const result = all.sort((a, b) => a.day.localeCompare(b.day));
  holidayCache.set(key, result);
  return result;
}

/** Whether `day` is worked: not a weekend (unless a make-up day), not a holiday or a day off. */
export function isWorkingDay(day: Day, calendar: WorkCalendar = DEFAULT_CALENDAR): boolean {
  const year = Number(day.slice(0, 4));
  const decision = calendar.decisions.find((d) => d.year === year);
  if (decision?.workingDays.includes(day)) return true;
  if (isWeekend(day)) return false;
  return !holidays(year, calendar.decisions).some((h) => h.day === day);
}

/** The first working day on or after `day`. */
export function nextWorkingDay(day: Day, calendar: WorkCalendar = DEFAULT_CALENDAR): Day {
  let d = day;
  for (let i = 0; !isWorkingDay(d, calendar); i++) {
    if (i > 60) throw new Error(`no working day within 60 days of ${day}`);
    d = addDays(d, 1);
  }
  return d;
}

const local = (at: Date) => new TZDate(at.getTime(), TIME_ZONE);
const dayOfInstant = (at: Date): Day => {
  const z = local(at);
  return dayOf(z.getFullYear(), z.getMonth() + 1, z.getDate());
};
const clockOf = (at: Date) => {
  const z = local(at);
  return `${pad(z.getHours())}:${pad(z.getMinutes())}`;
};
/** The instant of `time` (HH:MM) on `day`, Vietnam time. (TZDate reads a string as UTC: the parts are given one by one.) */
const instant = (day: Day, time: string): Date =>
  new Date(new TZDate(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)), Number(time.slice(0, 2)), Number(time.slice(3, 5)), TIME_ZONE).getTime());

/**
 * The working day a dossier received at `at` counts from: that day if it is worked and the
 * dossier came before the cut-off (or the calendar has none), else the next working day.
 */
export function receiptDay(at: Date, calendar: WorkCalendar = DEFAULT_CALENDAR): { day: Day; late: boolean } {
  const day = dayOfInstant(at);
  const late = (calendar.cutoff !== null && clockOf(at) >= calendar.cutoff) || !isWorkingDay(day, calendar);
  return { day: late ? nextWorkingDay(addDays(day, 1), calendar) : day, late };
}

/** The day `n` working days after `day` (`n` = 0: `day` itself when worked). */
export function addWorkingDays(day: Day, n: number, calendar: WorkCalendar = DEFAULT_CALENDAR): Day {
  let d = nextWorkingDay(day, calendar);
  for (let left = n; left > 0; left--) d = nextWorkingDay(addDays(d, 1), calendar);
  return d;
}

/**
 * When a dossier received at `at` is due. In working days: the n-th working day after the day it
 * counts from (a dossier received after the cut-off, or on a day off, counts from the next
 * working day), by the end of that day. In working hours: that many hours of the calendar's
 * working periods after receipt.
 */
export function dueAt(at: Date, processing: { days: number } | { hours: number }, calendar: WorkCalendar = DEFAULT_CALENDAR): { day: Day; at: Date } {
  if ("days" in processing) {
    // The day it counts from is day 0 (after the cut-off, as if received the next working morning).
    const due = addWorkingDays(receiptDay(at, calendar).day, processing.days, calendar);
    const closing = calendar.hours.at(-1)!.to;
    return { day: due, at: instant(due, closing) };
  }
  let minutes = Math.round(processing.hours * 60);
  let day = dayOfInstant(at);
  let from = clockOf(at);
  for (let guard = 0; guard < 400; guard++) {
    if (isWorkingDay(day, calendar)) {
      for (const period of calendar.hours) {
        const start = from > period.from ? from : period.from;
        if (start >= period.to) continue;
        const available = toMinutes(period.to) - toMinutes(start);
        if (minutes <= available) {
          const end = toMinutes(start) + minutes;
          return { day, at: instant(day, `${pad(Math.floor(end / 60))}:${pad(end % 60)}`) };
        }
        minutes -= available;
      }
    }
    day = addDays(day, 1);
    from = "00:00";
  }
  throw new Error("processing time too long for the calendar");
}

const toMinutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/**
 * Working days from `today` to `due`: 0 when due today, negative when late (the working days
 * past it), so "còn N ngày làm việc" and "trễ N ngày" come from one number.
 */
export function workingDaysLeft(today: Day, due: Day, calendar: WorkCalendar = DEFAULT_CALENDAR): number {
  if (today === due) return 0;
  const forward = today < due;
  let count = 0;
  let d = today;
  // Forward: the working days after today up to the due day. Back: the working days after the due day up to today.
  if (forward) {
    while (d !== due) {
      d = addDays(d, 1);
      if (isWorkingDay(d, calendar)) count++;
    }
  } else {
    for (d = addDays(due, 1); d <= today; d = addDays(d, 1)) if (isWorkingDay(d, calendar)) count++;
  }
  return forward ? count : -count;
}

/** The working minutes of `day` (0 on a day off). */
const minutesOfDay = (day: Day, calendar: WorkCalendar) =>
  isWorkingDay(day, calendar) ? calendar.hours.reduce((sum, p) => sum + toMinutes(p.to) - toMinutes(p.from), 0) : 0;

/** The working minutes of a full working day under `calendar`. */
export const workingMinutesPerDay = (calendar: WorkCalendar = DEFAULT_CALENDAR) =>
  calendar.hours.reduce((sum, p) => sum + toMinutes(p.to) - toMinutes(p.from), 0);

/**
 * The working minutes between two instants (0 when `to` is not after `from`): the parts of the
 * calendar's working periods, on working days, that lie between them.
 */
export function workingMinutesBetween(from: Date, to: Date, calendar: WorkCalendar = DEFAULT_CALENDAR): number {
  if (to <= from) return 0;
  const lastDay = dayOfInstant(to);
  let day = dayOfInstant(from);
  let total = 0;
  for (let guard = 0; day <= lastDay && guard < 1000; guard++, day = addDays(day, 1)) {
    if (!isWorkingDay(day, calendar)) continue;
    const start = day === dayOfInstant(from) ? toMinutes(clockOf(from)) : 0;
    const end = day === lastDay ? toMinutes(clockOf(to)) : 24 * 60;
    if (start === 0 && end === 24 * 60) {
      total += minutesOfDay(day, calendar);
      continue;
    }
    for (const p of calendar.hours) total += Math.max(0, Math.min(end, toMinutes(p.to)) - Math.max(start, toMinutes(p.from)));
  }
  return total;
}

/** The end of the working day `day` (its last period's closing time), as an instant. */
export const endOfWorkingDay = (day: Day, calendar: WorkCalendar = DEFAULT_CALENDAR): Date => instant(day, calendar.hours.at(-1)!.to);
