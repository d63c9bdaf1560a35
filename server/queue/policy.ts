/**
 * Which waiting ticket is called next, and where a checked-in appointment goes. Pure: no
 * database, no I/O, no clock — the caller passes the waiting tickets, each field's policy and
 * call history, and the current time.
 */
import { serviceDate } from "../time";

export type QueueMode = "strict" | "ratio";

export type QueuePolicy = {
  mode: QueueMode;
  /** ratio mode: k priority tickets, then 1 normal ticket (k >= 1). Ignored in strict mode. */
  priorityRatio: number;
  /** A ticket waiting at least this many minutes goes ahead of all others; null = no ageing. */
  ageingCapMinutes: number | null;
};

export type Candidate = {
  id: number;
  fieldId: number;
  /** Belongs to a priority class. */
  priority: boolean;
  /** ORIGINAL issue time (kept across transfers and rejoins). */
  issuedAt: Date;
};

export type FieldQueueState = {
  policy: QueuePolicy;
  /** How many of this field's most recent calls today, counted from the latest backwards, were priority tickets in a row. */
  priorityStreak: number;
};

export const DEFAULT_POLICY: QueuePolicy = { mode: "ratio", priorityRatio: 2, ageingCapMinutes: 45 };

const DEFAULT_STATE: FieldQueueState = { policy: DEFAULT_POLICY, priorityStreak: 0 };
const MINUTE_MS = 60_000;

/** The length of the leading run of `true` (priority calls), most recent call first. */
export function priorityStreak(recentCallsMostRecentFirst: readonly boolean[]): number {
  let streak = 0;
  for (const wasPriority of recentCallsMostRecentFirst) {
    if (!wasPriority) break;
    streak++;
  }
  return streak;
}

/**
 * THE rule of the product for which waiting ticket is called next. Every path that picks a
 * ticket to call must use this function.
 *
 * Rules, applied in this order:
 *
 * 1. No candidates → `null`. A candidate whose field is missing from `fields` is judged with
 *    {@link DEFAULT_POLICY} and a priority streak of 0.
 * 2. Ageing. A candidate is *aged* when it has waited at least its field's
 *    `ageingCapMinutes` (`now - issuedAt >= cap`; a `null` cap never ages). If any candidate
 *    is aged, the aged candidate with the earliest `issuedAt` is returned (ties: lower id).
 *    Aged tickets go ahead of priority tickets. `issuedAt` is the ORIGINAL issue time, so a
 *    transferred ticket or a rejoined no-show keeps its place in the line.
 * 3. Otherwise every field present among the candidates chooses its head:
 *    - `strict`: its earliest priority candidate if it has one, else its earliest normal one;
 *    - `ratio` (k = `priorityRatio`): its earliest priority candidate if it has priority
 *      candidates AND (its `priorityStreak` < k OR it has no normal candidates); else its
 *      earliest normal candidate. So while both kinds wait, at most k priority tickets are
 *      called in a row, then one normal ticket. A `priorityRatio` below 1 counts as 1.
 *    "Earliest" means by `issuedAt`, ties by lower id.
 * 4. Among the field heads, a priority head goes before a normal head; then the earliest
 *    `issuedAt`; then the lower id.
 * 5. The result does not depend on the order of `candidates` nor on the order of `fields`.
 *    (Ticket ids are unique; should two candidates share an id and `issuedAt`, the lower
 *    field id wins.)
 *
 * The returned value is always one of the given candidate objects (never a copy).
 */
export function pickNextTicket(
  candidates: readonly Candidate[],
  fields: ReadonlyMap<number, FieldQueueState>,
  now: Date,
): Candidate | null {
  if (candidates.length === 0) return null;
  const nowMs = now.getTime();

  // One pass: the oldest aged candidate overall, and each field's earliest priority / normal one.
  let oldestAged: Candidate | null = null;
  const byField = new Map<number, { priority: Candidate | null; normal: Candidate | null }>();
  for (const candidate of candidates) {
    const { policy } = stateOf(fields, candidate.fieldId);
    const cap = policy.ageingCapMinutes;
    if (cap !== null && nowMs - candidate.issuedAt.getTime() >= cap * MINUTE_MS) {
      if (oldestAged === null || isEarlier(candidate, oldestAged)) oldestAged = candidate;
    }
    let heads = byField.get(candidate.fieldId);
    if (heads === undefined) {
      heads = { priority: null, normal: null };
      byField.set(candidate.fieldId, heads);
    }
    if (candidate.priority) {
      if (heads.priority === null || isEarlier(candidate, heads.priority)) heads.priority = candidate;
    } else if (heads.normal === null || isEarlier(candidate, heads.normal)) {
      heads.normal = candidate;
    }
  }
  if (oldestAged !== null) return oldestAged;

  let best: Candidate | null = null;
  for (const [fieldId, heads] of byField) {
    const head = fieldHead(stateOf(fields, fieldId), heads.priority, heads.normal);
    if (head === null) continue; // unreachable: every field in byField has at least one candidate
    if (best === null || headGoesFirst(head, best)) best = head;
  }
  return best;
}

function stateOf(fields: ReadonlyMap<number, FieldQueueState>, fieldId: number): FieldQueueState {
  return fields.get(fieldId) ?? DEFAULT_STATE;
}

function fieldHead(state: FieldQueueState, priority: Candidate | null, normal: Candidate | null): Candidate | null {
  if (priority === null) return normal;
  if (normal === null) return priority;
  if (state.policy.mode === "strict") return priority;
  const k = state.policy.priorityRatio >= 1 ? state.policy.priorityRatio : 1;
  return state.priorityStreak < k ? priority : normal;
}

/** Rule 4: priority heads first, then earliest issue time, then lower id. */
function headGoesFirst(a: Candidate, b: Candidate): boolean {
  if (a.priority !== b.priority) return a.priority;
  return isEarlier(a, b);
}

/** Earliest `issuedAt`, then lower id, then lower field id (a total order on distinct candidates). */
function isEarlier(a: Candidate, b: Candidate): boolean {
  const at = a.issuedAt.getTime();
  const bt = b.issuedAt.getTime();
  if (at !== bt) return at < bt;
  if (a.id !== b.id) return a.id < b.id;
  return a.fieldId < b.fieldId;
}

/**
 * The order in which these candidates would be called if one counter called again and again
 * right now: {@link pickNextTicket} applied to what is left, each pick counted in its field's
 * priority streak (a priority call lengthens it, a normal call ends it). The first is exactly
 * what call-next picks; the officer's queue list is shown in this order.
 */
export function callOrder(candidates: readonly Candidate[], fields: ReadonlyMap<number, FieldQueueState>, now: Date): Candidate[] {
  const left = [...candidates];
  const states = new Map(fields);
  const order: Candidate[] = [];
  while (left.length > 0) {
    const pick = pickNextTicket(left, states, now)!;
    order.push(pick);
    left.splice(left.indexOf(pick), 1);
    const state = stateOf(states, pick.fieldId);
    states.set(pick.fieldId, { ...state, priorityStreak: pick.priority ? state.priorityStreak + 1 : 0 });
  }
  return order;
}

/** A counter as the wait simulation sees it: the fields it calls from. */
export type CallingCounter = { id: number; fieldIds: readonly number[] };

/**
 * Where a waiting ticket stands: the counters call in turn, one call each per round (as at an
 * even pace), each taking {@link pickNextTicket} of what is left in its own fields; every call
 * counts in its field's priority streak, shared by the counters. Counters that share fields
 * with the ticket's counters take tickets those could have called, so they are in the turn too.
 * `ahead`: the calls made before the ticket's; `rounds`: the full rounds before it (the wait,
 * in service times). Null when none of `counters` may call it.
 */
export function standing(
  targetId: number,
  candidates: readonly Candidate[],
  counters: readonly CallingCounter[],
  fields: ReadonlyMap<number, FieldQueueState>,
  now: Date,
): { ahead: number; rounds: number } | null {
  // A counter's pick is always the head of one of its (field, priority or not) queues: rule 2
  // takes the earliest aged ticket, and a queue's head is its earliest; rule 3 takes heads. So
  // the walk offers each counter only those heads — a few per call, however long the line
  // (the whole line per call made issuing at a centre with 2,000 waiting take 100 ms).
  const queues = new Map<number, { priority: Queue; normal: Queue }>();
  for (const candidate of [...candidates].sort((a, b) => (isEarlier(a, b) ? -1 : 1))) {
    let field = queues.get(candidate.fieldId);
    if (field === undefined) {
      field = { priority: { items: [], next: 0 }, normal: { items: [], next: 0 } };
      queues.set(candidate.fieldId, field);
    }
    (candidate.priority ? field.priority : field.normal).items.push(candidate);
  }
  const states = new Map(fields);
  const turn = [...counters].sort((a, b) => a.id - b.id).map((counter) => [...new Set(counter.fieldIds)].flatMap((f) => (queues.has(f) ? [queues.get(f)!] : [])));
  let ahead = 0;
  for (let round = 0; ; round++) {
    let called = false;
    for (const own of turn) {
      const heads: Candidate[] = [];
      for (const field of own) {
        if (field.priority.next < field.priority.items.length) heads.push(field.priority.items[field.priority.next]!);
        if (field.normal.next < field.normal.items.length) heads.push(field.normal.items[field.normal.next]!);
      }
      const pick = pickNextTicket(heads, states, now);
      if (!pick) continue;
      if (pick.id === targetId) return { ahead, rounds: round };
      called = true;
      ahead++;
      const field = queues.get(pick.fieldId)!;
      (pick.priority ? field.priority : field.normal).next++;
      const state = stateOf(states, pick.fieldId);
      states.set(pick.fieldId, { ...state, priorityStreak: pick.priority ? state.priorityStreak + 1 : 0 });
    }
    if (!called) return null;
  }
}

/** One (field, priority or not) queue of the walk in {@link standing}: its tickets in call order, and the index of its head. */
type Queue = { items: Candidate[]; next: number };

/** How far from its slot's start an appointment counts as on time (minutes, either side). */
export const APPOINTMENT_WINDOW_MINUTES = 15;

export type AppointmentPlacement =
  | { kind: "priority" }
  | { kind: "normal" }
  | { kind: "too_early"; from: Date }
  | { kind: "other_day" };

/**
 * THE rule for where a checked-in appointment goes in the queue (days are Vietnam service days).
 *
 * - Another day (before or after) → refused: an appointment is for its day only.
 * - Earlier than {@link APPOINTMENT_WINDOW_MINUTES} before the slot's start → refused, with the
 *   time from which the kiosk will take it ("mời quay lại từ HH:MM").
 * - From 15 minutes before to 15 minutes after the start (both ends included) → a priority
 *   ticket: the citizen who kept their slot goes ahead of the walk-ins, under the field's usual
 *   priority rules ({@link pickNextTicket}: ratio, ageing).
 * - Later the same day → a normal ticket, in line with the walk-ins from the time of check-in.
 */
export function appointmentPlacement(slotStart: Date, now: Date): AppointmentPlacement {
  if (serviceDate(slotStart) !== serviceDate(now)) return { kind: "other_day" };
  const window = APPOINTMENT_WINDOW_MINUTES * MINUTE_MS;
  const from = new Date(slotStart.getTime() - window);
  if (now < from) return { kind: "too_early", from };
  if (now.getTime() <= slotStart.getTime() + window) return { kind: "priority" };
  return { kind: "normal" };
}
