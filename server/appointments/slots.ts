/**
 * The rules of a field's appointment day, pure (no database, no clock): which slots it has, how
 * many bookings the day takes beside the walk-ins, the booking code and the phone it is booked with.
 *
 * - Slots: every `slotMinutes` from the start of each working period of the calendar (07:30–11:30,
 *   13:00–17:00 by default), cut to the centre's opening hours; a slot lies wholly inside one
 *   period (none across the lunch break or past closing), and none starts after the field's last
 *   issue time when it has one. Each takes `slotCapacity` bookings (0: the field takes none).
 * - The walk-in share: of the field's day — its daily ticket capacity when it has one, otherwise
 *   every slot full (slots × capacity per slot) — at most (100 − walk-in %) may be booked,
 *   rounded down. The rest is kept for citizens who come without an appointment.
 */
import { holidays, type Day, type WorkCalendar, type WorkingHours } from "../calendar/working-days";
import { t } from "../i18n";
import { serviceDayStart } from "../time";

export type SlotRules = {
  opensAt: string;
  closesAt: string;
  hours: WorkingHours;
  slotMinutes: number;
  slotCapacity: number;
  walkInPercent: number;
  dailyCapacity: number | null;
  cutoffTime: string | null;
};

const toMinutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
const pad = (n: number) => String(n).padStart(2, "0");
const toTime = (minutes: number) => `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;

/** The slots' starts (HH:MM) of a working day, in order. */
export function slotStarts(rules: Pick<SlotRules, "opensAt" | "closesAt" | "hours" | "slotMinutes" | "cutoffTime">): string[] {
  const length = rules.slotMinutes;
  if (!(length > 0)) return [];
  const starts: string[] = [];
  for (const period of rules.hours) {
    const from = Math.max(toMinutes(period.from), toMinutes(rules.opensAt));
    const to = Math.min(toMinutes(period.to), toMinutes(rules.closesAt));
    for (let start = from; start + length <= to; start += length) {
      if (rules.cutoffTime && start > toMinutes(rules.cutoffTime)) break;
      starts.push(toTime(start));
    }
  }
  return starts;
}

/** How many bookings a day of the field may take in all: what the walk-in share leaves. */
export function dayBookingLimit(rules: Pick<SlotRules, "slotCapacity" | "walkInPercent" | "dailyCapacity">, slotCount: number): number {
  if (rules.slotCapacity <= 0) return 0;
  const day = rules.dailyCapacity ?? slotCount * rules.slotCapacity;
  const share = Math.max(0, Math.min(100, 100 - rules.walkInPercent));
  return Math.min(slotCount * rules.slotCapacity, Math.floor((day * share) / 100));
}

/** The instant a slot (HH:MM of a service day) starts, Vietnam time (no daylight saving there). */
export const slotInstant = (day: Day, start: string): Date => new Date(serviceDayStart(day).getTime() + toMinutes(start) * 60_000);

/**
 * Booking codes: 10 characters from 32 that cannot be misread (no 0/O, 1/I), 5 random bits
 * each — 50 bits, so a code cannot be guessed, and short enough to type on a kiosk.
 */
export const CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
export const CODE_LENGTH = 10;

export function generateBookingCode(): string {
  // Web Crypto's generator (Node's too): this module is also read by the pages, in the browser.
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(CODE_LENGTH));
  // 256 is a multiple of 32: the low five bits of a random byte are uniform.
  return Array.from(bytes, (b) => CODE_ALPHABET[b & 31]).join("");
}

/** A code as typed or scanned (spaces, dashes, small letters), or null when it cannot be one. */
export function normaliseBookingCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]/g, "");
  if (code.length !== CODE_LENGTH) return null;
  for (const c of code) if (!CODE_ALPHABET.includes(c)) return null;
  return code;
}

/** Shown in two groups of five, easier to read aloud and to copy. */
export const formatBookingCode = (code: string) => `${code.slice(0, 5)} ${code.slice(5)}`;

/**
 * A Vietnamese mobile number, as the citizen types it (spaces, dots, +84): 10 digits starting
 * 03, 05, 07, 08 or 09. Null when it is not one (a landline cannot receive the booking's SMS later).
 */
export function normaliseMobile(input: string): string | null {
  const digits = input.replace(/[\s.()-]/g, "").replace(/^\+?84/, "0");
  return /^0[35789]\d{8}$/.test(digits) ? digits : null;
}

/** Why a day is not worked, in the citizen's words: the holiday's name, the weekend, or the centre's day off. Null on a working day. */
export function dayOffReason(day: Day, calendar: WorkCalendar): string | null {
  const year = Number(day.slice(0, 4));
  const decision = calendar.decisions.find((d) => d.year === year);
  if (decision?.workingDays.includes(day)) return null;
  const holiday = holidays(year, calendar.decisions).find((h) => h.day === day);
  if (holiday) return holiday.name;
  const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
  if (weekday === 6) return t("appointments.dayOff.saturday");
  if (weekday === 0) return t("appointments.dayOff.sunday");
  return null;
}
