import { describe, expect, it } from "vitest";
import {
  CODE_ALPHABET,
  CODE_LENGTH,
  dayBookingLimit,
  dayOffReason,
  generateBookingCode,
  normaliseBookingCode,
  normaliseMobile,
  slotInstant,
  slotStarts,
} from "../../server/appointments/slots";
import { DEFAULT_CALENDAR } from "../../server/calendar/working-days";
import { appointmentPlacement } from "../../server/queue/policy";

/** An instant given in Vietnam time. */
const vn = (iso: string) => new Date(`${iso}+07:00`);

describe("appointmentPlacement: where a checked-in appointment goes", () => {
  const slot = vn("2026-12-01T09:00:00");

  it("gives a priority ticket from 15 minutes before to 15 minutes after the slot's start, both ends included", () => {
    for (const now of ["08:45:00", "08:59:59", "09:00:00", "09:10:00", "09:15:00"]) {
      expect(appointmentPlacement(slot, vn(`2026-12-01T${now}`))).toEqual({ kind: "priority" });
    }
  });

  it("gives a normal ticket later the same day", () => {
    for (const now of ["09:15:01", "11:00:00", "16:59:00", "23:59:59"]) {
      expect(appointmentPlacement(slot, vn(`2026-12-01T${now}`))).toEqual({ kind: "normal" });
    }
  });

  it("refuses earlier than 15 minutes before, saying from when it will take it", () => {
    expect(appointmentPlacement(slot, vn("2026-12-01T08:44:59"))).toEqual({ kind: "too_early", from: vn("2026-12-01T08:45:00") });
    expect(appointmentPlacement(slot, vn("2026-12-01T07:30:00"))).toEqual({ kind: "too_early", from: vn("2026-12-01T08:45:00") });
  });

  it("refuses another day, before or after, by Vietnam days (not UTC)", () => {
    expect(appointmentPlacement(slot, vn("2026-11-30T09:00:00"))).toEqual({ kind: "other_day" });
    expect(appointmentPlacement(slot, vn("2026-12-02T09:00:00"))).toEqual({ kind: "other_day" });
    // 00:30 in Vietnam is still the previous day in UTC: the same Vietnam day, so only "too early".
    expect(appointmentPlacement(vn("2026-12-01T07:30:00"), vn("2026-12-01T00:30:00")).kind).toBe("too_early");
    // 23:59 the evening before is another Vietnam day, though only 7½ hours before the slot.
    expect(appointmentPlacement(vn("2026-12-01T07:30:00"), vn("2026-11-30T23:59:00"))).toEqual({ kind: "other_day" });
  });
});

describe("slotStarts: the slots of a working day", () => {
  const base = { opensAt: "07:30", closesAt: "17:30", hours: DEFAULT_CALENDAR.hours, cutoffTime: null };

  it("steps through each working period, none across the lunch break or past the end", () => {
    const starts = slotStarts({ ...base, slotMinutes: 30 });
    expect(starts.slice(0, 3)).toEqual(["07:30", "08:00", "08:30"]);
    expect(starts).toContain("11:00");
    expect(starts).not.toContain("11:30");
    expect(starts).not.toContain("12:00");
    expect(starts).toContain("13:00");
    expect(starts.at(-1)).toBe("16:30");
    expect(starts).toHaveLength(16);
  });

  it("starts each period afresh with slots that do not divide it", () => {
    // 45 minutes: 07:30 … 10:30 (ends 11:15; 11:15 would end past 11:30); then afresh from 13:00 … 16:00 (ends 16:45).
    expect(slotStarts({ ...base, slotMinutes: 45 })).toEqual(["07:30", "08:15", "09:00", "09:45", "10:30", "13:00", "13:45", "14:30", "15:15", "16:00"]);
  });

  it("keeps to the centre's hours and the field's last issue time", () => {
    const starts = slotStarts({ ...base, opensAt: "08:00", closesAt: "16:00", slotMinutes: 60, cutoffTime: "14:30" });
    expect(starts).toEqual(["08:00", "09:00", "10:00", "13:00", "14:00"]);
  });

  it("gives the slot's start as an instant in Vietnam", () => {
    expect(slotInstant("2026-12-01", "09:30").toISOString()).toBe("2026-12-01T02:30:00.000Z");
  });
});

describe("dayBookingLimit: the walk-in share", () => {
  it("takes the share of the daily ticket capacity when the field has one", () => {
    expect(dayBookingLimit({ slotCapacity: 3, walkInPercent: 60, dailyCapacity: 25 }, 16)).toBe(10);
  });

  it("else of every slot full, rounded down", () => {
    expect(dayBookingLimit({ slotCapacity: 2, walkInPercent: 50, dailyCapacity: null }, 16)).toBe(16);
    expect(dayBookingLimit({ slotCapacity: 3, walkInPercent: 33, dailyCapacity: null }, 5)).toBe(10);
  });

  it("never more than the slots hold, nothing when the field takes no appointments", () => {
    expect(dayBookingLimit({ slotCapacity: 1, walkInPercent: 0, dailyCapacity: 500 }, 16)).toBe(16);
    expect(dayBookingLimit({ slotCapacity: 0, walkInPercent: 0, dailyCapacity: null }, 16)).toBe(0);
    expect(dayBookingLimit({ slotCapacity: 5, walkInPercent: 100, dailyCapacity: null }, 16)).toBe(0);
  });
});

describe("booking codes and phones", () => {
  it("draws 10 characters of an alphabet without look-alikes (50 bits), all different in a thousand", () => {
    expect(CODE_ALPHABET).toHaveLength(32);
    for (const c of "01IO") expect(CODE_ALPHABET).not.toContain(c);
    const codes = Array.from({ length: 1000 }, generateBookingCode);
    expect(new Set(codes).size).toBe(1000);
    for (const code of codes) {
      expect(code).toHaveLength(CODE_LENGTH);
      expect(normaliseBookingCode(code)).toBe(code);
    }
  });

  it("reads a code as typed or scanned, and refuses what cannot be one", () => {
    expect(normaliseBookingCode(" abcde-23456 ")).toBe("ABCDE23456");
    expect(normaliseBookingCode("ABCDE 2345")).toBeNull();
    expect(normaliseBookingCode("ABCDE2345O")).toBeNull();
  });

  it("normalises a Vietnamese mobile number and refuses landlines and short numbers", () => {
    expect(normaliseMobile("0912 345 678")).toBe("0912345678");
    expect(normaliseMobile("+84 912.345.678")).toBe("0912345678");
    expect(normaliseMobile("0331234567")).toBe("0331234567");
    expect(normaliseMobile("02438123456")).toBeNull();
    expect(normaliseMobile("091234567")).toBeNull();
    expect(normaliseMobile("0612345678")).toBeNull();
  });
});

describe("dayOffReason", () => {
  it("names the holiday, the weekend day, or nothing on a working day", () => {
    expect(dayOffReason("2026-09-02", DEFAULT_CALENDAR)).toBe("Quốc khánh");
    expect(dayOffReason("2026-02-17", DEFAULT_CALENDAR)).toBe("Tết Nguyên đán");
    expect(dayOffReason("2026-11-28", DEFAULT_CALENDAR)).toBe("thứ Bảy");
    expect(dayOffReason("2026-11-29", DEFAULT_CALENDAR)).toBe("Chủ nhật");
    expect(dayOffReason("2026-11-30", DEFAULT_CALENDAR)).toBeNull();
  });
});
