import type { CounterSummary } from "../../server/realtime/events";

/** Counters that can call a field's tickets now: staffed, open (a paused counter does not count). */
export function openCountersFor(fieldId: number, counters: readonly Pick<CounterSummary, "status" | "officerId" | "fieldIds">[]) {
  return counters.filter((c) => c.status === "open" && c.officerId !== null && c.fieldIds.includes(fieldId)).length;
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
