/**
 * The course of one demo dossier (server/demo/history.ts): its deadline on the working-day
 * calendar and its steps — settled on the spot while the citizen waits, or over the following
 * working days (most on time, some late, a few sent back for a supplement or refused); one that
 * would end today or later stays open (a few, well before their deadline) or is settled by yesterday.
 */
import type { ProcedureDocument } from "../../db/schema";
import { dueAt, receiptDay, type WorkCalendar } from "../calendar/working-days";
import { MINUTE, REFUSE_REASONS, SECOND, SUPPLEMENT_REASONS } from "./history-data";
import type { prng } from "./random";

export type ProcedureInfo = { id: number; fieldId: number; processingDays: number | null; processingHours: number | null; onTheSpot: boolean; needsAppraisal: boolean; approverRole: "approver" | "appraiser"; documents: ProcedureDocument[] };
export type DossierStep = { action: string; from: string | null; to: string; actor: number | null; reason: string | null; t: number };

/** What the courses of a centre's dossiers share: the randomness (drawn in order), the calendar, the deciders, the present. */
export type DossierContext = {
  rng: ReturnType<typeof prng>;
  calendar: WorkCalendar;
  appraiser: { id: number } | null;
  approver: { id: number } | null;
  /** The working day `n` working days after `day`. */
  plusWorkingDays(day: string, n: number): string;
  /** A working moment of `day`, at or after `notBefore`. */
  workingMoment(day: string, notBefore?: number): number;
  todayStart: number;
  /** Dossiers kept open so far. */
  open: { count: number };
};

export function dossierCourse(
  d: { receivedAt: number; officerId: number; procedure: ProcedureInfo; visitEnd: number },
  ctx: DossierContext,
): { steps: DossierStep[]; due: ReturnType<typeof dueAt>; countsFrom: string } {
  const { rng, calendar, appraiser, approver, plusWorkingDays, workingMoment, todayStart } = ctx;
  const p = d.procedure;
  const received = new Date(d.receivedAt);
  const due = dueAt(received, p.processingHours !== null ? { hours: p.processingHours } : { days: p.processingDays ?? 0 }, calendar);
  const countsFrom = receiptDay(received, calendar).day;
  const decider = p.approverRole === "appraiser" ? appraiser : approver;
  const steps: Array<{ action: string; from: string | null; to: string; actor: number | null; reason: string | null; t: number }> = [];
  const step = (action: string, from: string | null, to: string, actor: number | null, t: number, reason: string | null = null) => steps.push({ action, from, to, actor, reason, t });
  step("receive", null, "received", d.officerId, d.receivedAt);
  const dueMs = due.at.getTime();
  if (p.onTheSpot) {
    // Settled while the citizen waits: decided, result and handed back before the visit ends.
    const end = d.visitEnd - 30 * SECOND;
    const span = end - d.receivedAt;
    let state = "received";
    if (p.needsAppraisal) step("appraise", state, (state = "appraising"), appraiser?.id ?? null, d.receivedAt + span * 0.25);
    step("approve", state, "approved", decider?.id ?? null, d.receivedAt + span * 0.5);
    step("result", "approved", "result_ready", d.officerId, d.receivedAt + span * 0.75);
    step("return", "result_ready", "returned", d.officerId, end);
  } else {
    const fate = rng.weighted([["on_time", 82], ["late", 8], ["supplement", 7], ["refused", 3]] as const);
    const days = p.processingDays ?? 1;
    // The working day of each step, spread over the processing time (past it when late).
    const spread = fate === "late" ? days + rng.int(1, 4) : Math.max(0, Math.floor(days * rng.between(0.3, 0.95)));
    const dayAt = (fraction: number) => plusWorkingDays(countsFrom, Math.round(spread * fraction));
    let t = d.receivedAt;
    let state = "received";
    const next = (action: string, to: string, actor: number | null, fraction: number, reason: string | null = null) => {
      t = workingMoment(dayAt(fraction), t);
      step(action, state, to, actor, t, reason);
      state = to;
    };
    if (p.needsAppraisal) next("appraise", "appraising", appraiser?.id ?? null, 0.2);
    if (fate === "refused") {
      next("refuse", "refused", decider?.id ?? appraiser?.id ?? null, 0.5, rng.pick(REFUSE_REASONS));
      next("return", "returned", d.officerId, 0.7);
    } else {
      if (fate === "supplement") {
        next("supplement", "needs_supplement", appraiser?.id ?? d.officerId, 0.3, rng.pick(SUPPLEMENT_REASONS));
        next("resubmit", "appraising", d.officerId, 0.5);
      }
      next("approve", "approved", decider?.id ?? null, 0.75);
      next("result", "result_ready", d.officerId, 0.9);
      next("return", "returned", d.officerId, 1);
      // On time means handed back by the deadline (a step on the due day after its closing is moved before it).
      if (fate !== "late" && t > dueMs) {
        const room = Math.max(MINUTE, (dueMs - d.receivedAt) / (steps.length + 1));
        steps.forEach((s, k) => k > 0 && (s.t = d.receivedAt + room * k));
      }
    }
  }
  // Nothing today or later: a few recent dossiers stay open (well before their deadline), the rest were settled by yesterday.
  if (steps.at(-1)!.t >= todayStart) {
    const keepOpen = ctx.open.count < 4 && dueMs > todayStart + 5 * 24 * 60 * MINUTE;
    if (keepOpen) {
      ctx.open.count++;
      while (steps.length > 1 && steps.at(-1)!.t >= todayStart) steps.pop();
    } else {
      const end = Math.min(todayStart - 60 * MINUTE, dueMs);
      const room = Math.max(SECOND, (end - d.receivedAt) / steps.length);
      steps.forEach((s, k) => (s.t = d.receivedAt + room * k));
    }
  }
  return { steps, due, countsFrom };
}
