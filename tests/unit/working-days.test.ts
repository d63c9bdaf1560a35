/**
 * The working-day calendar, row by row, against dates worked out by hand with a paper calendar:
 * weekends, Tết 2025 (a swapped Friday and a make-up Saturday), Tết 2027 (falling on a weekend,
 * so two compensating days), Giỗ Tổ 2026 on a Sunday, the 15:00 cut-off, procedures in hours.
 */
import { describe, expect, it } from "vitest";
import { TZDate } from "@date-fns/tz";
import { addWorkingDays, DEFAULT_CALENDAR, dueAt, holidays, isWorkingDay, receiptDay, workingDaysLeft, type WorkCalendar } from "../../server/calendar/working-days";

/** "2026-11-27T10:00", Vietnam time. */
const at = (local: string) => {
  const [d, t] = local.split("T") as [string, string];
  const [y, m, day] = d.split("-").map(Number) as [number, number, number];
  const [h, min] = t.split(":").map(Number) as [number, number];
  return new Date(new TZDate(y, m - 1, day, h, min, "Asia/Ho_Chi_Minh").getTime());
};
const vnTime = (d: Date) => new TZDate(d.getTime(), "Asia/Ho_Chi_Minh").toISOString().slice(0, 16);

describe("Tết and Giỗ Tổ from the Vietnamese lunar calendar", () => {
  it.each([
    // Mùng 1 Tết, and 10/3 âm lịch, as published.
    [2024, "2024-02-10", "2024-04-18"],
    [2025, "2025-01-29", "2025-04-07"],
    [2026, "2026-02-17", "2026-04-26"],
    [2027, "2027-02-06", "2027-04-16"],
    // The Vietnamese calendar (UTC+7) where the Chinese one differs.
    [2030, "2030-02-02", null],
    [2007, "2007-02-17", null],
    [1985, "1985-01-21", null],
  ])("%i: Tết %s, Giỗ Tổ %s", (year, tet, gioTo) => {
    const list = holidays(year);
    expect(list.filter((h) => h.name === "Tết Nguyên đán").map((h) => h.day)).toContain(tet);
    if (gioTo) expect(list.find((h) => h.name === "Giỗ Tổ Hùng Vương")!.day).toBe(gioTo);
  });

  it("2027: five Tết days from 29 Tết, two of them on the weekend, so two more days off after", () => {
    const tet = holidays(2027).filter((h) => h.name.includes("Tết Nguyên đán")).map((h) => h.day);
    expect(tet).toEqual(["2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11"]);
  });
});

describe("which days are worked", () => {
  it.each([
    ["2026-11-27", true, "a Friday"],
    ["2026-11-28", false, "a Saturday"],
    ["2025-02-08", true, "the make-up Saturday of Tết 2025"],
    ["2025-01-31", false, "the Friday swapped into Tết 2025"],
    ["2025-04-26", true, "the make-up Saturday of 30/4 2025"],
    ["2025-05-02", false, "the Friday swapped after 1/5 2025"],
    ["2025-09-01", false, "Quốc khánh's second day 2025"],
    ["2026-04-26", false, "Giỗ Tổ 2026, a Sunday"],
    ["2026-04-27", false, "its compensating Monday"],
    ["2026-04-30", false, "30/4"],
    ["2026-05-01", false, "1/5"],
    ["2026-02-16", false, "29 Tết Bính Ngọ"],
    ["2026-02-20", false, "mùng 4 Tết"],
    ["2026-02-23", true, "the Monday after Tết"],
    ["2027-01-01", false, "Tết Dương lịch"],
  ])("%s: %s (%s)", (day, worked) => {
    expect(isWorkingDay(day)).toBe(worked);
  });
});

describe("due dates", () => {
  it.each([
    // received (Vietnam time), processing, due (Vietnam time, end of the working day or the hour)
    ["2026-11-27T10:00", { days: 3 }, "2026-12-02T17:00", "Friday morning + 3: Mon, Tue, Wed"],
    ["2026-11-27T15:00", { days: 1 }, "2026-12-01T17:00", "at the cut-off: counts from Monday, so Tuesday"],
    ["2026-11-27T14:59", { days: 1 }, "2026-11-30T17:00", "a minute before the cut-off: Monday"],
    ["2026-11-28T09:00", { days: 1 }, "2026-12-01T17:00", "received on a Saturday: counts from Monday"],
    ["2026-11-27T10:00", { days: 0 }, "2026-11-27T17:00", "the same day (on the spot)"],
    ["2027-02-04T10:00", { days: 2 }, "2027-02-15T17:00", "across Tết 2027 and its compensating days"],
    ["2025-01-23T10:00", { days: 2 }, "2025-02-03T17:00", "Thu 23/1/2025 + 2: Fri 24/1, then Mon 3/2 after the break"],
    ["2025-02-07T10:00", { days: 1 }, "2025-02-08T17:00", "the make-up Saturday is a working day"],
    ["2026-04-24T10:00", { days: 1 }, "2026-04-28T17:00", "over Giỗ Tổ's compensating Monday"],
    ["2026-04-28T10:00", { days: 2 }, "2026-05-04T17:00", "over 30/4 and 1/5"],
    ["2026-11-27T10:00", { hours: 4 }, "2026-11-27T15:30", "4 hours from 10:00: 1.5 h to 11:30, lunch, 2.5 h from 13:00"],
    ["2026-11-27T16:00", { hours: 4 }, "2026-11-30T10:30", "4 hours from Friday 16:00: 1 h, then Monday 07:30 + 3 h"],
    ["2026-11-27T12:00", { hours: 1 }, "2026-11-27T14:00", "received at lunch: from 13:00"],
  ] as Array<[string, { days: number } | { hours: number }, string, string]>)("%s + %o → %s (%s)", (received, processing, due) => {
    expect(vnTime(dueAt(at(received), processing).at)).toBe(due);
  });
});

describe("the cut-off is the centre's, and optional", () => {
  const noCutoff: WorkCalendar = { ...DEFAULT_CALENDAR, cutoff: null };
  const at1630: WorkCalendar = { ...DEFAULT_CALENDAR, cutoff: "16:30" };
  it.each([
    // received (Vietnam time), calendar, the day it counts from, late, why
    ["2026-11-27T16:00", noCutoff, "2026-11-27", false, "no cut-off: a Friday 16:00 dossier counts the same day"],
    ["2026-11-27T23:59", noCutoff, "2026-11-27", false, "no cut-off: even late in the evening"],
    ["2026-11-28T09:00", noCutoff, "2026-11-30", true, "no cut-off, but a Saturday is still not worked"],
    ["2026-11-27T16:00", DEFAULT_CALENDAR, "2026-11-30", true, "15:00 by default: 16:00 counts from Monday"],
    ["2026-11-27T16:29", at1630, "2026-11-27", false, "a 16:30 cut-off: 16:29 is the same day"],
    ["2026-11-27T16:30", at1630, "2026-11-30", true, "a 16:30 cut-off: at 16:30, Monday"],
  ] as Array<[string, WorkCalendar, string, boolean, string]>)("%s → %s (%s)", (received, calendar, day, late) => {
    expect(receiptDay(at(received), calendar)).toEqual({ day, late });
  });

  it("without a cut-off, a one-day procedure received at 16:00 on Friday is due on Monday", () => {
    expect(vnTime(dueAt(at("2026-11-27T16:00"), { days: 1 }, noCutoff).at)).toBe("2026-11-30T17:00");
    expect(vnTime(dueAt(at("2026-11-27T16:00"), { days: 1 }).at)).toBe("2026-12-01T17:00");
  });
});

describe("working days left", () => {
  it.each([
    ["2026-11-27", "2026-12-02", 3],
    ["2026-12-02", "2026-12-02", 0],
    ["2026-12-03", "2026-12-02", -1],
    ["2026-12-07", "2026-12-02", -3],
    ["2026-12-05", "2026-12-02", -2], // a Saturday: Thursday and Friday late
    ["2027-02-04", "2027-02-15", 2],
  ])("from %s to %s: %i", (today, due, left) => {
    expect(workingDaysLeft(today, due)).toBe(left);
  });

  it("adding working days and counting them agree", () => {
    for (let n = 0; n < 30; n++) expect(workingDaysLeft("2027-01-25", addWorkingDays("2027-01-25", n))).toBe(n);
  });
});

describe("service days", () => {
  it("begin at midnight in Vietnam", async () => {
    const { serviceDayStart } = await import("../../server/time");
    expect(serviceDayStart("2026-11-29").toISOString()).toBe("2026-11-28T17:00:00.000Z");
  });
});
