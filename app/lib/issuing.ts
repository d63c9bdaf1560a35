import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import { TIME_ZONE } from "./time";

export type IssuingState = "open" | "closed" | "sold_out" | "cut_off";

/**
 * Whether a field gives out tickets now: closed by the centre, past its daily capacity, or
 * past its last issue time (HH:MM in Vietnam time, the minute itself included).
 */
export function issuingState(
  field: { isOpen: boolean; issuedToday: number; dailyCapacity: number | null; cutoffTime: string | null },
  now: Date,
): IssuingState {
  if (!field.isOpen) return "closed";
  if (field.cutoffTime && format(new TZDate(now.getTime(), TIME_ZONE), "HH:mm") > field.cutoffTime) return "cut_off";
  if (field.dailyCapacity !== null && field.issuedToday >= field.dailyCapacity) return "sold_out";
  return "open";
}
