import type { FieldSummary, PublicCounter } from "../realtime/events";

type CounterState = Pick<PublicCounter, "status" | "staffed" | "fieldIds">;

/** Counters that can call a field's tickets now: staffed, open (a paused counter does not count). */
export function openCountersFor(fieldId: number, counters: readonly CounterState[]) {
  return counters.filter((c) => c.status === "open" && c.staffed && c.fieldIds.includes(fieldId)).length;
}

/** The wait a newcomer to the field would have now, from a centre snapshot. */
export function fieldWaitMinutes(field: Pick<FieldSummary, "id" | "waiting" | "meanServiceSeconds">, counters: readonly CounterState[]) {
  return estimateWaitMinutes({
    peopleAhead: field.waiting,
    openCounters: openCountersFor(field.id, counters),
    meanServiceSeconds: field.meanServiceSeconds,
  });
}

/**
 * Estimated wait in minutes = people ahead ÷ open counters serving the field × recent mean
 * service time. `null` when no counter serves the field right now: no honest estimate exists.
 */
export function estimateWaitMinutes(input: { peopleAhead: number; openCounters: number; meanServiceSeconds: number }): number | null {
  if (input.openCounters <= 0) return null;
  if (input.peopleAhead <= 0) return 0;
  return Math.ceil((input.peopleAhead / input.openCounters) * (input.meanServiceSeconds / 60));
}
