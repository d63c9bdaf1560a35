/**
 * Lateness seen ahead (server/dossiers/lateness.ts), the working minutes it counts with, and the
 * legal-basis table that picks a dossier's forms by its receipt day. Each row computed by hand.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_CALENDAR, workingMinutesBetween } from "../../server/calendar/working-days";
import { lateness, proposedDate, stepsLeft } from "../../server/dossiers/lateness";
import { formFor, formSetOn, letterKindOf } from "../../server/dossiers/legal-forms";

/** An instant at `hh:mm` Vietnam time on `day`. */
const vn = (day: string, time: string) => new Date(`${day}T${time}:00+07:00`);

describe("working minutes between two instants (07:30–11:30, 13:00–17:00 on working days)", () => {
  it.each([
    ["within a morning", vn("2026-12-03", "09:00"), vn("2026-12-03", "11:00"), 120],
    ["across lunch", vn("2026-12-03", "11:00"), vn("2026-12-03", "14:00"), 30 + 60],
    ["from 09:00 to the end of the day", vn("2026-12-03", "09:00"), vn("2026-12-03", "17:00"), 150 + 240],
    ["Friday 16:00 to Monday 08:30 (the weekend is not counted)", vn("2026-12-04", "16:00"), vn("2026-12-07", "08:30"), 60 + 60],
    ["a whole working day", vn("2026-12-03", "00:00"), vn("2026-12-04", "00:00"), 480],
    ["Tết 2027 is not counted (Fri 5/2 to Mon 15/2: Tết 5–9/2 and its compensation Wed 10, Thu 11 are off; only Fri 12/2 counts)", vn("2027-02-05", "07:30"), vn("2027-02-15", "07:30"), 480],
    ["backwards is nothing", vn("2026-12-04", "10:00"), vn("2026-12-03", "10:00"), 0],
  ])("%s", (_name, from, to, minutes) => {
    expect(workingMinutesBetween(from, to, DEFAULT_CALENDAR)).toBe(minutes);
  });
});

describe("a dossier at risk of being late", () => {
  // A 3-working-day procedure with appraisal, due Friday 4/12/2026 at 17:00.
  const due = vn("2026-12-04", "17:00");
  const threeDays = { needsAppraisal: true, processing: { days: 3 }, dueAt: due } as const;
  it.each([
    // steps left × min(240, 3×480/3) = steps × 240 minutes needed
    ["received, Thursday 09:00: 720 needed, 390 + 480 left", "received", vn("2026-12-03", "09:00"), false],
    ["received, Friday 08:00: 720 needed, 450 left", "received", vn("2026-12-04", "08:00"), true],
    ["appraising, Friday 08:00: 480 needed, 450 left", "appraising", vn("2026-12-04", "08:00"), true],
    ["approved, Friday 08:00: 240 needed, 450 left", "approved", vn("2026-12-04", "08:00"), false],
    ["approved, Friday 16:00: 240 needed, 60 left", "approved", vn("2026-12-04", "16:00"), true],
    ["waiting for the citizen's supplement: not the centre's delay", "needs_supplement", vn("2026-12-04", "16:00"), false],
    ["paused: not drafted automatically", "paused", vn("2026-12-04", "16:59"), false],
    ["result ready: nothing left to do", "result_ready", vn("2026-12-07", "09:00"), false],
  ] as const)("%s", (_name, state, now, atRisk) => {
    expect(lateness({ ...threeDays, state }, now, DEFAULT_CALENDAR).atRisk).toBe(atRisk);
  });

  it("is at risk once past its date without a result, whatever the steps", () => {
    const risk = lateness({ ...threeDays, state: "approved" }, vn("2026-12-07", "08:00"), DEFAULT_CALENDAR);
    expect(risk).toMatchObject({ atRisk: true, late: true, leftMinutes: 0 });
  });

  it("gives a same-day procedure in hours its own share: 4 hours with appraisal are 80 minutes a step", () => {
    // Received 08:00, due 12:00 + 30 min of lunch = 13:30. At 12:00 (60 min of work left before 13:30 — 0 before lunch ends, 30 after), appraising: 160 needed.
    const dueAt = vn("2026-12-03", "13:30");
    const input = { state: "appraising", needsAppraisal: true, processing: { hours: 4 }, dueAt } as const;
    expect(lateness(input, vn("2026-12-03", "09:00"), DEFAULT_CALENDAR)).toMatchObject({ atRisk: false, neededMinutes: 160, leftMinutes: 150 + 30 });
    expect(lateness(input, vn("2026-12-03", "11:00"), DEFAULT_CALENDAR)).toMatchObject({ atRisk: true, neededMinutes: 160, leftMinutes: 30 + 30 });
  });

  it("counts the steps left from each state", () => {
    expect([stepsLeft("received", true), stepsLeft("received", false), stepsLeft("appraising", true), stepsLeft("approved", true), stepsLeft("returned", true)]).toEqual([3, 2, 2, 1, null]);
  });

  it("proposes a new date in working days after the later of today and the due day", () => {
    // Due Friday 4/12, still to appraise (3 steps: 2 working days): Tuesday 8/12.
    expect(proposedDate({ state: "received", needsAppraisal: true, dueDay: "2026-12-04", today: "2026-12-04" }, DEFAULT_CALENDAR).day).toBe("2026-12-08");
    // Only the result to record, already late on Wednesday 9/12: Thursday 10/12.
    const late = proposedDate({ state: "approved", needsAppraisal: true, dueDay: "2026-12-04", today: "2026-12-09" }, DEFAULT_CALENDAR);
    expect(late.day).toBe("2026-12-10");
    expect(late.at.toISOString()).toBe(vn("2026-12-10", "17:00").toISOString());
    // Over Tết 2027 (Fri 5/2 – Tue 9/2, and Wed 10, Thu 11 for the days on the weekend): from Thu 4/2, one step: Fri 12/2.
    expect(proposedDate({ state: "approved", needsAppraisal: true, dueDay: "2027-02-04", today: "2027-02-04" }, DEFAULT_CALENDAR).day).toBe("2027-02-12");
  });
});

describe("the forms of the legal basis in force on the receipt day", () => {
  it.each([
    ["2019-03-01", "apology", "tt01-2018", "Phiếu xin lỗi và hẹn lại ngày trả kết quả", "Mẫu số 04"],
    ["2025-09-14", "apology", "tt01-2018", "Phiếu xin lỗi và hẹn lại ngày trả kết quả", "Mẫu số 04"],
    ["2025-09-15", "apology", "tt03-2025", "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết", "Mẫu số 04"],
    ["2026-12-01", "control", "tt03-2025", "Phiếu kiểm soát quá trình giải quyết hồ sơ", "Mẫu số 06"],
    ["2024-05-01", "control", "tt01-2018", "Phiếu kiểm soát quá trình giải quyết hồ sơ", "Mẫu số 05"],
    ["2024-05-01", "book", "tt01-2018", "Sổ theo dõi hồ sơ", "Mẫu số 06"],
    // The stop notice did not exist before Circular 03/2025: the first later set that has it.
    ["2024-05-01", "stop", "tt03-2025", "Thông báo dừng giải quyết hồ sơ", "Mẫu số 05"],
  ] as const)("received %s: %s → %s", (day, kind, set, title, number) => {
    expect(formFor(kind, day)).toMatchObject({ title, number, set: { id: set } });
  });

  it("a day before every set uses the first; slugs read back", () => {
    expect(formSetOn("2010-01-01").id).toBe("tt01-2018");
    expect(letterKindOf("xin-loi")).toBe("apology");
    expect(letterKindOf("../etc")).toBeNull();
  });
});
