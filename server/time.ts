import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";

/** Every centre today is in Vietnam; dates and times are shown in its time zone. */
export const TIME_ZONE = "Asia/Ho_Chi_Minh";

const inZone = (value: Date | string | number) => new TZDate(new Date(value).getTime(), TIME_ZONE);

/** The service day (YYYY-MM-DD) of an instant: ticket numbers restart on it. */
export function serviceDate(at: Date = new Date()): string {
  // Every call and issue asks, many times a minute under load: the answer is kept for the minute
  // (the zone's offset is whole minutes, so a day never begins inside one).
  const minute = Math.floor(at.getTime() / 60_000);
  if (minute !== lastDay.minute) lastDay = { minute, day: format(inZone(at), "yyyy-MM-dd") };
  return lastDay.day;
}
let lastDay = { minute: Number.NaN, day: "" };

export const formatDate = (value: Date | string | number) => format(inZone(value), "dd/MM/yyyy");
export const formatTime = (value: Date | string | number) => format(inZone(value), "HH:mm");
export const formatDateTime = (value: Date | string | number) => format(inZone(value), "HH:mm dd/MM/yyyy");

/** The time of day (HH:MM) of an instant in Vietnam, for comparing with opening and closing times. */
export const timeOfDay = (at: Date) => format(inZone(at), "HH:mm");

/** The service day before `day` (YYYY-MM-DD). */
export function previousDay(day: string): string {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() - 1);
  return date.toISOString().slice(0, 10);
}

/** The instant a service day (YYYY-MM-DD) begins: midnight in Vietnam. */
export function serviceDayStart(day: string): Date {
  // TZDate reads a date string as UTC: the parts are given one by one.
  return new Date(new TZDate(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)), TIME_ZONE).getTime());
}
