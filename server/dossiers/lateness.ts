/**
 * Lateness seen ahead of time. A dossier is *at risk* when the steps it still needs cannot fit in
 * the working time left before its date (the legal due date, or the new appointment of an approved
 * apology): each remaining step is given the smaller of half a working day and an even share of
 * the procedure's own processing time. A dossier already past its date without a result is at risk
 * too. Pure: the calendar and the clock are given.
 *
 * Waiting for the citizen (a supplement asked) or paused is not the centre's delay: those are not
 * drafted automatically (a leader may still draft a letter by hand).
 */
import {
  addWorkingDays,
  endOfWorkingDay,
  workingMinutesBetween,
  workingMinutesPerDay,
  type Day,
  type WorkCalendar,
} from "../calendar/working-days";
import type { DossierState } from "./workflow";

/** The most working time one step is given: half a working day. */
export const STEP_MINUTES_MAX = 240;

/** The steps from `state` to a result ready for the citizen (null: the dossier waits on someone else, or is finished). */
export function stepsLeft(state: DossierState, needsAppraisal: boolean): number | null {
  switch (state) {
    case "received":
      return needsAppraisal ? 3 : 2; // (appraise,) approve, record the result
    case "appraising":
      return 2;
    case "approved":
      return 1;
    default:
      return null;
  }
}

/** The step a dossier waits for, in words (for the letter's reason and the console). */
export function pendingStep(state: DossierState, needsAppraisal: boolean): string {
  if (state === "received") return needsAppraisal ? "thẩm định" : "phê duyệt";
  if (state === "appraising") return "phê duyệt";
  if (state === "approved") return "ghi nhận, trả kết quả";
  if (state === "needs_supplement") return "công dân bổ sung hồ sơ";
  if (state === "paused") return "tạm dừng";
  return "trả kết quả";
}

export type RiskInput = {
  state: DossierState;
  needsAppraisal: boolean;
  /** The procedure's time: working days (0: the same day) or working hours. */
  processing: { days: number } | { hours: number };
  /** The date that counts now: an approved new appointment, else the legal due time. */
  dueAt: Date;
};

export type Risk = { atRisk: boolean; late: boolean; neededMinutes: number; leftMinutes: number };

export function lateness(input: RiskInput, now: Date, calendar: WorkCalendar): Risk {
  const steps = stepsLeft(input.state, input.needsAppraisal);
  const late = now > input.dueAt;
  if (steps === null) return { atRisk: false, late, neededMinutes: 0, leftMinutes: workingMinutesBetween(now, input.dueAt, calendar) };
  const perDay = workingMinutesPerDay(calendar);
  const processing = "hours" in input.processing ? input.processing.hours * 60 : Math.max(1, input.processing.days) * perDay;
  const totalSteps = input.needsAppraisal ? 3 : 2;
  const perStep = Math.min(STEP_MINUTES_MAX, processing / totalSteps);
  const neededMinutes = Math.round(steps * perStep);
  const leftMinutes = workingMinutesBetween(now, input.dueAt, calendar);
  return { atRisk: late || neededMinutes > leftMinutes, late, neededMinutes, leftMinutes };
}

/**
 * The new appointment a draft proposes: from the later of today and the current date, the working
 * days the remaining steps need at half a day each, and at least one.
 */
export function proposedDate(input: { state: DossierState; needsAppraisal: boolean; dueDay: Day; today: Day }, calendar: WorkCalendar): { day: Day; at: Date } {
  const steps = stepsLeft(input.state, input.needsAppraisal) ?? 2;
  const from = input.today > input.dueDay ? input.today : input.dueDay;
  const day = addWorkingDays(from, Math.max(1, Math.ceil(steps / 2)), calendar);
  return { day, at: endOfWorkingDay(day, calendar) };
}
