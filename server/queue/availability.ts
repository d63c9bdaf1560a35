import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import type { FieldSummary, PublicCounter } from "../realtime/events";
import { fieldWaitMinutes } from "./estimate";
import { t } from "../i18n";
import { TIME_ZONE } from "../time";

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

/**
 * What a field button says where tickets are given out (kiosk, reception): the waiting count
 * (and, if asked, the estimate) while it issues, otherwise why it does not.
 */
export function fieldAvailability(field: FieldSummary, counters: readonly PublicCounter[], now: Date, options: { estimate?: boolean } = {}) {
  const state = issuingState(field, now);
  if (state !== "open") return { open: false, label: t(`kiosk.state.${state}`) };
  const minutes = options.estimate ? fieldWaitMinutes(field, counters) : null;
  const waiting = t("kiosk.waiting", { n: field.waiting });
  return { open: true, label: minutes ? `${waiting} · ${t("kiosk.estimateShort", { m: minutes })}` : waiting };
}
