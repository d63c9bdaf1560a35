import { describe, expect, it } from "vitest";
import { estimateWaitMinutes, openCountersFor } from "../../server/queue/estimate";
import { fieldAvailability, fieldServed, issuingState } from "../../server/queue/availability";

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

describe("a field's button at the kiosk", () => {
  const field = { id: 1, code: "HT", name: "Hộ tịch", prefix: "A", isOpen: true, waiting: 4, issuedToday: 9, dailyCapacity: null, cutoffTime: null, recallsBeforeNoShow: 2, meanServiceSeconds: 600 };
  const counters = (status: "open" | "paused" | "closed", staffed: boolean) => [{ id: 1, number: 1, name: "Quầy 1", status, staffed, fieldIds: [1], current: null }];
  const noon = new Date("2026-11-30T05:00:00Z");

  it("says when no counter serves the field: still taken with a warning, or not at all when the centre refuses", () => {
    expect(fieldServed(1, counters("closed", false))).toBe(false);
    expect(fieldServed(1, counters("paused", true))).toBe(true);
    expect(fieldAvailability(field, counters("closed", false), noon, { unserved: "warn" })).toEqual({
      open: true,
      unserved: true,
      label: "Chưa có quầy phục vụ — vẫn lấy số được, vui lòng chờ",
    });
    expect(fieldAvailability(field, counters("closed", false), noon, { unserved: "refuse" })).toMatchObject({ open: false, label: "Chưa có quầy phục vụ" });
    expect(fieldAvailability(field, counters("open", true), noon, { estimate: true })).toEqual({ open: true, unserved: false, label: "4 người đang chờ · chờ khoảng 40 phút" });
  });
});
