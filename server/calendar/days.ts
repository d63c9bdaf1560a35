/**
 * Days as people type and read them (dd/mm/yyyy) and as the calendar keeps them (YYYY-MM-DD).
 * Pure and small: the administration page uses it too, to show the weekday of a day being typed.
 */
import { t, type MessageKey } from "../i18n";

/** A real date, written dd/mm/yyyy (also with dots or dashes, one-digit day or month) or YYYY-MM-DD; null otherwise. */
export function parseDay(text: string): string | null {
  const s = text.trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  const vn = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : vn ? [vn[3], vn[2], vn[1]] : [];
  if (!y || !m || !d) return null;
  const day = `${y}-${m.padStart(2, "0")}-${d.padStart(2, "0")}`;
  const date = new Date(`${day}T12:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day ? day : null;
}

/** dd/mm/yyyy, as people read dates. */
export const shownDay = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;

/** 0 (Sunday) to 6 (Saturday). */
export const weekdayOf = (day: string) => new Date(`${day}T12:00:00Z`).getUTCDay();

/** «Thứ Hai» … «Chủ nhật». */
export const weekdayName = (day: string) => t(`calendar.weekday.${weekdayOf(day)}` as MessageKey);
