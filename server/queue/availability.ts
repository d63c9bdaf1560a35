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

/** Whether a counter with an officer at it (open, or paused for a moment) serves the field now. */
export const fieldServed = (fieldId: number, counters: readonly Pick<PublicCounter, "status" | "staffed" | "fieldIds">[]) =>
  counters.some((c) => c.staffed && c.status !== "closed" && c.fieldIds.includes(fieldId));

/**
 * What a field button says where tickets are given out (kiosk, reception): the waiting count
 * (and, if asked, the estimate) while it issues, otherwise why it does not. A field no counter
 * serves right now says so: at a kiosk of a centre that refuses such tickets it cannot be taken.
 */
export function fieldAvailability(
  field: FieldSummary,
  counters: readonly PublicCounter[],
  now: Date,
  options: { estimate?: boolean; unserved?: "warn" | "refuse" } = {},
) {
  const state = issuingState(field, now);
  if (state !== "open") return { open: false, unserved: false, label: t(`kiosk.state.${state}`) };
  if (!fieldServed(field.id, counters)) {
    const refuse = options.unserved === "refuse";
    return { open: !refuse, unserved: true, label: t(refuse ? "kiosk.state.unserved" : "kiosk.state.unservedWarn") };
  }
  const minutes = options.estimate ? fieldWaitMinutes(field, counters) : null;
  const waiting = t("kiosk.waiting", { n: field.waiting });
  return { open: true, unserved: false, label: minutes ? `${waiting} · ${t("kiosk.estimateShort", { m: minutes })}` : waiting };
}
