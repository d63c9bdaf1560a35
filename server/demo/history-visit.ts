/**
 * The simulation of a demo day (server/demo/history.ts): what a ticket is while the day runs, and
 * one visit at a counter — called (now and then out of order), recalled, a no-show, transferred,
 * sent back to the queue, or served, with a dossier received now and then — and how it is rated.
 */
import { COMMENTS_BAD, COMMENTS_GOOD, DOSSIER_SHARE, MINUTE, OTHER_NOTES, OUT_OF_ORDER, SECOND, UNSATISFIED } from "./history-data";
import type { ProcedureInfo } from "./history-dossiers";
import type { prng } from "./random";

export type Status = "waiting" | "called" | "done" | "no_show" | "cancelled" | "expired";
export type Outcome = "done" | "needs_dossier" | "redirected" | "citizen_left" | "dossier_received" | "dossier_refused";
export type Ev = { t: number; order: number; type: string; from: Status | null; to: Status; field: number; user: number | null; device: number | null; counter: number | null; details: string | null };

export type Sim = {
  id: number;
  originField: number;
  field: number;
  number: number;
  code: string;
  priority: number;
  priorityClassId: number | null;
  channel: "kiosk" | "reception" | "appointment";
  deviceId: number | null;
  issuedAt: number;
  /** When it may be called (issue, or back in its queue after a transfer or a return). */
  availableAt: number;
  absent: boolean;
  cancelAt: number | null;
  moved: boolean;
  status: Status;
  calledAt: number | null;
  firstCalledAt: number | null;
  announcedAt: number | null;
  finishedAt: number | null;
  noShowAt: number | null;
  recallCount: number;
  outcome: Outcome | null;
  transferredFrom: number | null;
  transferNote: string | null;
  counterId: number | null;
  officerId: number | null;
  events: Ev[];
  dossierId: number | null;
};

export type FieldInfo = { id: number; code: string; prefix: string; serviceMinutes: number; slotMinutes: number; slotCapacity: number };
/** A staffed counter through the day: session 0 (morning), 1 (afternoon), 2 (gone home). */
export type Desk = { counterId: number; officerId: number; fields: number[]; freeAt: number; session: number };

/** The day under way, as a visit sees it and changes it. */
export type SimulatedDay = {
  rng: ReturnType<typeof prng>;
  /** The next number of the day's order of events (ties in time keep it). */
  nextOrder(): number;
  /** Appends an event to the ticket, in its current field. */
  event(s: Sim, e: Omit<Ev, "order" | "field">): void;
  fieldInfo: ReadonlyMap<number, FieldInfo>;
  served: ReadonlySet<number>;
  /** Each field's tickets in issue order, and how far its front has been settled. */
  queues: Map<number, Sim[]>;
  heads: Map<number, number>;
  proceduresOf: ReadonlyMap<number, ProcedureInfo[]>;
  dayDossiers: Array<{ sim: Sim; receivedAt: number; officerId: number; procedure: ProcedureInfo }>;
};

/** A visit from its call at `callT`; returns when the counter is free again. */
export function visit(s: Sim, desk: Desk, callT: number, outOfOrder: boolean, day: SimulatedDay): number {
  const { rng, event, fieldInfo, served, queues, heads, proceduresOf, dayDossiers } = day;
  s.status = "called";
  s.calledAt = callT;
  s.firstCalledAt ??= callT;
  s.announcedAt = callT;
  s.counterId = desk.counterId;
  s.officerId = desk.officerId;
  s.recallCount = 0;
  s.cancelAt = null;
  const reason = outOfOrder ? (s.channel === "appointment" ? "appointment" : rng.weighted(OUT_OF_ORDER)) : null;
  event(s, {
    t: callT, type: outOfOrder ? "called_out_of_order" : "called", from: "waiting", to: "called", user: desk.officerId, device: null, counter: desk.counterId,
    details: reason ? JSON.stringify({ reason, note: reason === "other" ? rng.pick(OTHER_NOTES) : null }) : null,
  });
  const recall = (time: number) => {
    s.recallCount++;
    s.announcedAt = time;
    event(s, { t: time, type: "recalled", from: "called", to: "called", user: desk.officerId, device: null, counter: desk.counterId, details: JSON.stringify({ recallCount: s.recallCount }) });
  };
  if (s.absent) {
    recall(callT + rng.between(50, 70) * SECOND);
    recall(callT + rng.between(110, 140) * SECOND);
    s.status = "no_show";
    s.noShowAt = callT + rng.between(170, 200) * SECOND;
    s.counterId = null;
    event(s, { t: s.noShowAt, type: "no_show", from: "called", to: "no_show", user: desk.officerId, device: null, counter: desk.counterId, details: null });
    return s.noShowAt + rng.between(10, 30) * SECOND;
  }
  let cursor = callT;
  if (rng.chance(0.18)) {
    recall((cursor += rng.between(40, 90) * SECOND));
    if (rng.chance(0.25)) recall((cursor += rng.between(40, 70) * SECOND));
  }
  cursor += rng.between(20, 60) * SECOND;
  const field = fieldInfo.get(s.field)!;
  const service = rng.lognormal(field.serviceMinutes, 0.45) * MINUTE;
  const others = [...served].filter((f) => f !== s.field);
  if (!s.moved && others.length > 0 && rng.chance(0.025)) {
    const when = cursor + service * rng.between(0.2, 0.4);
    const to = rng.pick(others);
    s.moved = true;
    s.status = "waiting";
    s.transferredFrom = desk.counterId;
    s.transferNote = rng.chance(0.5) ? "Hồ sơ thuộc lĩnh vực khác" : null;
    s.counterId = null;
    s.officerId = null;
    s.recallCount = 0;
    s.availableAt = when;
    s.field = to;
    s.events.push({ t: when, order: day.nextOrder(), type: "transferred", from: "called", to: "waiting", field: to, user: desk.officerId, device: null, counter: desk.counterId, details: JSON.stringify({ to: { fieldId: to }, note: s.transferNote }) });
    const queue = queues.get(to)!;
    queue.push(s);
    queue.sort((a, b) => a.issuedAt - b.issuedAt);
    heads.set(to, 0);
    return when + rng.between(20, 60) * SECOND;
  }
  if (!s.moved && rng.chance(0.006)) {
    // The officer signs out with the citizen at the desk (called away): back to the queue.
    const when = cursor + service * rng.between(0.1, 0.3);
    s.moved = true;
    s.status = "waiting";
    s.counterId = null;
    s.officerId = null;
    s.recallCount = 0;
    s.availableAt = when;
    heads.set(s.field, 0);
    event(s, { t: when, type: "returned", from: "called", to: "waiting", user: desk.officerId, device: null, counter: desk.counterId, details: JSON.stringify({ why: "sign_out" }) });
    return when + rng.between(5, 15) * MINUTE;
  }
  // A dossier from a share of visits, received during it.
  const candidates = proceduresOf.get(s.field) ?? [];
  let outcome: Outcome = rng.weighted([["done", 88], ["needs_dossier", 6], ["redirected", 4], ["citizen_left", 2]] as const);
  let finish = cursor + service;
  if (candidates.length > 0 && rng.chance(DOSSIER_SHARE[field.code] ?? 0.1)) {
    const procedure = rng.pick(candidates);
    finish += rng.between(3, 8) * MINUTE;
    const receivedAt = cursor + (finish - cursor) * rng.between(0.6, 0.8);
    dayDossiers.push({ sim: s, receivedAt, officerId: desk.officerId, procedure });
    outcome = procedure.onTheSpot ? "done" : "dossier_received";
  }
  s.status = "done";
  s.finishedAt = finish;
  s.outcome = outcome;
  event(s, { t: finish, type: "finished", from: "called", to: "done", user: desk.officerId, device: null, counter: desk.counterId, details: JSON.stringify({ outcome }) });
  return finish + rng.between(10, 45) * SECOND;
}

/**
 * How a finished visit is rated, if it is (about 60 %): mostly satisfied, less so after a long
 * wait; on the counter's tablet when it has one, else later from the citizen's phone (before today).
 */
export function ratingOf(s: Sim, ctx: { rng: ReturnType<typeof prng>; tablets: ReadonlyMap<number, number>; todayStart: number }) {
  const { rng, tablets, todayStart } = ctx;
  if (s.status !== "done" || !rng.chance(0.6)) return null;
  const waited = (s.firstCalledAt! - s.issuedAt) / MINUTE;
  const value = rng.weighted([["very_satisfied", 62], ["satisfied", waited > 45 ? 23 : 33], ["unsatisfied", waited > 45 ? 15 : 4]] as const);
  const reasons = value === "unsatisfied" ? [...new Set([waited > 45 ? "long_wait" : rng.weighted(UNSATISFIED), ...(rng.chance(0.3) ? [rng.weighted(UNSATISFIED)] : [])])] : [];
  const comment = value === "unsatisfied" ? (rng.chance(0.4) ? rng.pick(COMMENTS_BAD) : null) : rng.chance(0.04) ? rng.pick(COMMENTS_GOOD) : null;
  const counterTablet = tablets.get(s.counterId!);
  const byTablet = counterTablet !== undefined && rng.chance(0.85);
  const ratedAt = byTablet ? s.finishedAt! + rng.between(10, 240) * SECOND : Math.min(s.finishedAt! + rng.between(0.2, 20) * 60 * MINUTE, todayStart - MINUTE);
  return { value, reasons, comment, tablet: byTablet ? counterTablet! : null, ratedAt };
}
