import { describe, expect, it } from "vitest";
import { estimateWaitMinutes, openCountersFor } from "../../server/queue/estimate";
import { issuingState } from "../../server/queue/availability";

const counter = (status: "open" | "paused" | "closed", fieldIds: number[], officerId: number | null = 1) => ({
  status,
  staffed: officerId !== null,
  fieldIds,
});

describe("wait estimate", () => {
  it("counts only staffed, open counters serving the field: a paused counter is skipped", () => {
    const counters = [counter("open", [1]), counter("paused", [1]), counter("open", [2]), counter("open", [1, 2], null), counter("closed", [1], null)];
    expect(openCountersFor(1, counters)).toBe(1);
    expect(openCountersFor(2, counters)).toBe(1);
  });

  it.each([
    { peopleAhead: 0, openCounters: 2, meanServiceSeconds: 600, expected: 0 },
    { peopleAhead: 3, openCounters: 1, meanServiceSeconds: 600, expected: 30 },
    { peopleAhead: 4, openCounters: 2, meanServiceSeconds: 600, expected: 20 },
    { peopleAhead: 5, openCounters: 2, meanServiceSeconds: 300, expected: 13 }, // 12.5 rounds up
    { peopleAhead: 3, openCounters: 0, meanServiceSeconds: 600, expected: null },
    { peopleAhead: 0, openCounters: 0, meanServiceSeconds: 600, expected: null },
  ])("$peopleAhead ahead, $openCounters open, $meanServiceSeconds s → $expected", ({ expected, ...input }) => {
    expect(estimateWaitMinutes(input)).toBe(expected);
  });
});

describe("issuingState", () => {
  const field = { isOpen: true, issuedToday: 10, dailyCapacity: null as number | null, cutoffTime: null as string | null };
  const at = (hhmm: string) => new Date(`2026-11-29T${hhmm}:30+07:00`);
  it("is open within capacity and before the cut-off minute (included)", () => {
    expect(issuingState({ ...field, dailyCapacity: 11, cutoffTime: "16:30" }, at("16:30"))).toBe("open");
  });
  it("is cut off after the last issue minute, in Vietnam time", () => {
    expect(issuingState({ ...field, cutoffTime: "16:30" }, at("16:31"))).toBe("cut_off");
  });
  it("is sold out at capacity, and closed when the field is closed", () => {
    expect(issuingState({ ...field, dailyCapacity: 10 }, at("09:00"))).toBe("sold_out");
    expect(issuingState({ ...field, isOpen: false }, at("09:00"))).toBe("closed");
  });
});
