/**
 * The ticket's life: issue, call (next or a specific one), recall, no-show, rejoin, transfer,
 * cancel, finish. Each function is one transaction that writes the ticket's event and queues
 * the realtime event for after the commit; each refusal changes nothing.
 */
import { and, eq, gte, inArray, isNull, lte, ne, notInArray, or, sql } from "drizzle-orm";
import type { Transaction } from "../../db/client";
import {
  counterFields,
  counters,
  fields,
  priorityClasses,
  ticketEvents,
  ticketNumbers as ticketNumbersTable,
  tickets,
  users,
  type Counter,
  type Ticket,
} from "../../db/schema";
import type { QueueEvent } from "../realtime/events";
import { estimateWaitMinutes } from "./estimate";
import { issuingState } from "./availability";
import { serviceDate } from "../time";
import { clock, inTransaction, type ServiceDeps } from "../context";
import { AppError } from "../errors";
import type { TicketSummary } from "../realtime/events";
import {
  activeTicketAt,
  counterSummary,
  lockActiveTicketOfCounter,
  lockCounter,
  lockOfficerCounter,
  lockTicket,
  recordCounterTransition,
  recordEvent,
  toTicketSummary,
  type Actor,
} from "./internal";
import { pickNextTicket, priorityStreak, type Candidate, type FieldQueueState } from "./policy";
import { encodeOutOfOrderReason, type OutOfOrderReason } from "./reasons";
import { countOpenCounters, meanServiceSeconds } from "./read";
import { ticketCode } from "./rules";


// ---------------------------------------------------------------------------
// Issuing

export type IssueTicketInput = {
  centreId: number;
  fieldId: number;
  channel: "kiosk" | "reception" | "appointment" | "api";
  priorityClassId?: number | null;
  actor: Actor;
};

export type IssuedTicket = {
  ticket: TicketSummary;
  fieldName: string;
  priorityClassName: string | null;
  peopleAhead: number;
  /** Minutes; null when no counter serves the field right now. */
  estimatedWaitMinutes: number | null;
  seq: number;
};

/**
 * Issues the next number of a field for today. The daily number is a row incremented in the
 * same transaction (gapless, unique under concurrency). A field that is unknown, closed, past
 * its capacity or past its last issue time is refused before anything is written.
 */
export async function issueTicket(deps: ServiceDeps, input: IssueTicketInput): Promise<IssuedTicket> {
  const now = clock(deps);
  const day = serviceDate(now);
  const issued = await inTransaction(deps, async (tx, outbox) => {
    // The field row is locked so that the capacity check and the number agree.
    const [field] = await tx
      .select()
      .from(fields)
      .where(and(eq(fields.id, input.fieldId), eq(fields.centreId, input.centreId)))
      .for("no key update");
    if (!field) throw new AppError("field_not_found");
    const issuedToday = await countIssued(tx, field.id, day);
    const state = issuingState({ ...field, issuedToday }, now);
    if (state === "closed") throw new AppError("field_closed", { field: field.name });
    if (state === "cut_off") throw new AppError("field_cut_off", { field: field.name, time: field.cutoffTime ?? "" });
    if (state === "sold_out") throw new AppError("field_sold_out", { field: field.name });

    let priorityClassName: string | null = null;
    if (input.priorityClassId) {
      const [pc] = await tx
        .select()
        .from(priorityClasses)
        .where(
          and(
            eq(priorityClasses.id, input.priorityClassId),
            eq(priorityClasses.centreId, input.centreId),
            eq(priorityClasses.isActive, true),
          ),
        );
      if (!pc) throw new AppError("priority_class_not_found");
      priorityClassName = pc.name;
    }

    const number = issuedToday + 1;
    await tx
      .insert(ticketNumbersTable)
      .values({ fieldId: field.id, serviceDate: day, lastNumber: number })
      .onConflictDoUpdate({ target: [ticketNumbersTable.fieldId, ticketNumbersTable.serviceDate], set: { lastNumber: number } });
    const priority = input.priorityClassId ? 1 : 0;
    const [ticket] = await tx
      .insert(tickets)
      .values({
        centreId: input.centreId,
        fieldId: field.id,
        serviceDate: day,
        number,
        code: ticketCode(field.prefix, number),
        priority,
        priorityClassId: input.priorityClassId ?? null,
        channel: input.channel,
        deviceId: input.actor.deviceId,
      })
      .returning();

    const [ahead] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(tickets)
      .where(
        and(
          eq(tickets.fieldId, field.id),
          eq(tickets.serviceDate, day),
          eq(tickets.status, "waiting"),
          gte(tickets.priority, priority),
          ne(tickets.id, ticket!.id),
        ),
      );
    const peopleAhead = ahead?.n ?? 0;

    const seq = await recordEvent(tx, ticket!, { type: "issued", from: null, actor: input.actor });
    const summary = toTicketSummary(ticket!);
    outbox.push({ type: "ticket.issued", seq, centreId: input.centreId, at: now.toISOString(), ticket: summary });
    return { ticket: summary, field, fieldName: field.name, priorityClassName, peopleAhead, seq };
  });
  // The estimate's inputs are read after the commit: the field row lock is not held for them.
  const { field, ...result } = issued;
  const [openCounters, means] = await Promise.all([
    countOpenCounters(deps.db, field.id),
    meanServiceSeconds(deps.db, [field], day),
  ]);
  return {
    ...result,
    estimatedWaitMinutes: estimateWaitMinutes({ peopleAhead: result.peopleAhead, openCounters, meanServiceSeconds: means.get(field.id)! }),
  };
}

async function countIssued(tx: Transaction, fieldId: number, day: string): Promise<number> {
  const [row] = await tx
    .select({ last: ticketNumbersTable.lastNumber })
    .from(ticketNumbersTable)
    .where(and(eq(ticketNumbersTable.fieldId, fieldId), eq(ticketNumbersTable.serviceDate, day)));
  return row?.last ?? 0;
}

// ---------------------------------------------------------------------------
// Calling

/**
 * Calls the next ticket for a counter. The counter row is locked (one call at a time per
 * counter); the queue policy (server/queue/policy.ts) chooses among the heads of the queues
 * the counter may call; the chosen ticket is claimed with FOR UPDATE SKIP LOCKED, and if
 * another counter claimed it first the choice is made again without it.
 */
export async function callNextTicket(deps: ServiceDeps, input: { userId: number; counterId: number }) {
  const now = clock(deps);
  const day = serviceDate(now);
  return inTransaction(deps, async (tx, outbox) => {
    const counter = await lockCounterForCalling(tx, input);
    const taken: number[] = [];
    for (;;) {
      const candidates = await queueHeads(tx, counter, input.userId, day, taken);
      const pick = pickNextTicket(candidates, await fieldStates(tx, candidates, day), now);
      if (!pick) throw new AppError("queue_empty");
      const [claimed] = await tx
        .select()
        .from(tickets)
        .where(and(eq(tickets.id, pick.id), eq(tickets.status, "waiting")))
        .for("update", { skipLocked: true });
      if (!claimed) {
        taken.push(pick.id);
        continue;
      }
      return callTicket(tx, outbox, { ticket: claimed, counter, userId: input.userId, now, type: "called" });
    }
  });
}

/** Calls one waiting ticket out of order: a reason is required and recorded for supervisors. */
export async function callSpecificTicket(
  deps: ServiceDeps,
  input: { userId: number; counterId: number; ticketId: number; reason?: OutOfOrderReason; note?: string },
) {
  const now = clock(deps);
  const note = input.note?.trim() || undefined;
  const why = input.reason;
  if (!why || (why === "other" && !note)) throw new AppError("out_of_order_reason_required");
  return inTransaction(deps, async (tx, outbox) => {
    const counter = await lockCounterForCalling(tx, input);
    const ticket = await lockTicket(tx, input.ticketId, counter.centreId);
    if (ticket.status !== "waiting" || ticket.serviceDate !== serviceDate(now)) {
      throw new AppError("ticket_not_waiting", { code: ticket.code });
    }
    const [served] = await tx
      .select()
      .from(counterFields)
      .where(and(eq(counterFields.counterId, counter.id), eq(counterFields.fieldId, ticket.fieldId)));
    const targetedHere = ticket.targetCounterId === counter.id || ticket.targetOfficerId === input.userId;
    const targetedElsewhere = (ticket.targetCounterId ?? ticket.targetOfficerId) !== null && !targetedHere;
    if ((!served && !targetedHere) || targetedElsewhere) throw new AppError("ticket_not_for_counter", { code: ticket.code });
    const reason = encodeOutOfOrderReason(why, note);
    return callTicket(tx, outbox, { ticket, counter, userId: input.userId, now, type: "called_out_of_order", reason });
  });
}

/** Key space of the transaction-scoped advisory lock that takes a centre's calls in turn. */
const CALL_LOCK_SPACE = 4_242;

async function lockCounterForCalling(tx: Transaction, input: { userId: number; counterId: number }): Promise<Counter> {
  const counter = await lockCounter(tx, input.counterId);
  if (counter.officerId !== input.userId) throw new AppError("not_at_counter");
  if (counter.status === "paused") throw new AppError("counter_paused");
  const active = await activeTicketAt(tx, counter.id);
  if (active) throw new AppError("counter_busy", { code: active.code });
  // Calls in one centre take turns (a few milliseconds each): otherwise counters calling at the
  // same instant all choose the same head, and all but one must choose again. The claim below
  // still uses SKIP LOCKED, so a ticket held by any other transaction is never waited for.
  await tx.execute(sql`select pg_advisory_xact_lock(${CALL_LOCK_SPACE}, ${counter.centreId})`);
  return counter;
}

/**
 * The first waiting ticket of each (field, priority or not) queue this counter may call: its
 * fields' tickets not sent to someone else, plus tickets transferred to it or its officer.
 * Those heads are all the policy needs.
 */
async function queueHeads(tx: Transaction, counter: Counter, userId: number, day: string, exclude: number[]): Promise<Candidate[]> {
  const servedFields = tx.select({ fieldId: counterFields.fieldId }).from(counterFields).where(eq(counterFields.counterId, counter.id));
  const isPriority = sql<boolean>`${tickets.priority} > 0`;
  const rows = await tx
    .selectDistinctOn([tickets.fieldId, isPriority], { id: tickets.id, fieldId: tickets.fieldId, priority: isPriority, issuedAt: tickets.issuedAt })
    .from(tickets)
    .where(
      and(
        eq(tickets.centreId, counter.centreId),
        eq(tickets.serviceDate, day),
        eq(tickets.status, "waiting"),
        exclude.length ? notInArray(tickets.id, exclude) : undefined,
        or(
          and(inArray(tickets.fieldId, servedFields), isNull(tickets.targetCounterId), isNull(tickets.targetOfficerId)),
          eq(tickets.targetCounterId, counter.id),
          eq(tickets.targetOfficerId, userId),
        ),
      ),
    )
    .orderBy(tickets.fieldId, isPriority, tickets.issuedAt, tickets.id);
  return rows;
}

/**
 * Each candidate field's policy and how many priority tickets it has called in a row today,
 * from the event log: calls in the field (recalls and transfers are not calls).
 */
async function fieldStates(tx: Transaction, candidates: Candidate[], day: string): Promise<Map<number, FieldQueueState>> {
  const fieldIds = [...new Set(candidates.map((c) => c.fieldId))];
  if (fieldIds.length === 0) return new Map();
  const policies = await tx.select().from(fields).where(inArray(fields.id, fieldIds));
  const depth = Math.max(...policies.map((f) => f.priorityRatio), 1);
  const ranked = tx
    .select({
      fieldId: ticketEvents.fieldId,
      priority: tickets.priority,
      rn: sql<number>`row_number() over (partition by ${ticketEvents.fieldId} order by ${ticketEvents.seq} desc)`.as("rn"),
    })
    .from(ticketEvents)
    .innerJoin(tickets, eq(tickets.id, ticketEvents.ticketId))
    .where(
      and(
        inArray(ticketEvents.fieldId, fieldIds),
        inArray(ticketEvents.type, ["called", "called_out_of_order"]),
        eq(tickets.serviceDate, day),
      ),
    )
    .as("ranked");
  const recent = await tx.select().from(ranked).where(lte(ranked.rn, depth)).orderBy(ranked.fieldId, ranked.rn);
  return new Map(
    policies.map((f) => [
      f.id,
      {
        policy: { mode: f.queueMode, priorityRatio: f.priorityRatio, ageingCapMinutes: f.ageingCapMinutes },
        priorityStreak: priorityStreak(recent.filter((r) => r.fieldId === f.id).map((r) => r.priority > 0)),
      },
    ]),
  );
}

async function callTicket(
  tx: Transaction,
  outbox: QueueEvent[],
  input: { ticket: Ticket; counter: Counter; userId: number; now: Date; type: "called" | "called_out_of_order"; reason?: string },
) {
  const { counter, now } = input;
  const [ticket] = await tx
    .update(tickets)
    .set({ status: "called", counterId: counter.id, officerId: input.userId, calledAt: now, announcedAt: now, recallCount: 0 })
    .where(eq(tickets.id, input.ticket.id))
    .returning();
  return recordCounterTransition(tx, outbox, {
    publish: "ticket.called",
    ticket: ticket!,
    counter,
    event: { type: input.type, from: input.ticket.status, userId: input.userId, reason: input.reason },
    now,
  });
}

// ---------------------------------------------------------------------------
// At the counter

/** Announces the active ticket again; the count is kept and shown. */
export async function recallTicket(deps: ServiceDeps, input: { userId: number; ticketId: number }) {
  const now = clock(deps);
  return inTransaction(deps, async (tx, outbox) => {
    const counter = await lockOfficerCounter(tx, input.userId);
    const before = await lockActiveTicketOfCounter(tx, counter, input.ticketId);
    const [ticket] = await tx
      .update(tickets)
      .set({ recallCount: before.recallCount + 1, announcedAt: now })
      .where(eq(tickets.id, before.id))
      .returning();
    return recordCounterTransition(tx, outbox, {
      publish: "ticket.recalled",
      ticket: ticket!,
      counter,
      event: { type: "recalled", from: before.status, userId: input.userId, reason: String(ticket!.recallCount) },
      now,
    });
  });
}

/** The citizen did not come after the field's number of recalls; they may rejoin within its grace window. */
export async function markNoShow(deps: ServiceDeps, input: { userId: number; ticketId: number }) {
  const now = clock(deps);
  return inTransaction(deps, async (tx, outbox) => {
    const counter = await lockOfficerCounter(tx, input.userId);
    const before = await lockActiveTicketOfCounter(tx, counter, input.ticketId);
    const [field] = await tx.select().from(fields).where(eq(fields.id, before.fieldId));
    if (before.recallCount < field!.recallsBeforeNoShow) {
      throw new AppError("no_show_too_early", { code: before.code, n: field!.recallsBeforeNoShow, done: before.recallCount });
    }
    const [ticket] = await tx
      .update(tickets)
      .set({ status: "no_show", noShowAt: now, counterId: null })
      .where(eq(tickets.id, before.id))
      .returning();
    return recordCounterTransition(tx, outbox, {
      publish: "ticket.no_show",
      ticket: ticket!,
      counter,
      event: { type: "no_show", from: before.status, userId: input.userId },
      now,
    });
  });
}

/** A no-show who comes back the same day, within the field's grace window, returns to the original position. */
export async function rejoinTicket(deps: ServiceDeps, input: { userId: number; centreId: number; ticketId: number }) {
  const now = clock(deps);
  return inTransaction(deps, async (tx, outbox) => {
    const before = await lockTicket(tx, input.ticketId, input.centreId);
    if (before.status !== "no_show") throw new AppError("ticket_not_no_show", { code: before.code });
    const [field] = await tx.select().from(fields).where(eq(fields.id, before.fieldId));
    const graceMs = field!.rejoinGraceMinutes * 60_000;
    if (before.serviceDate !== serviceDate(now) || !before.noShowAt || now.getTime() - before.noShowAt.getTime() > graceMs) {
      throw new AppError("rejoin_expired", { code: before.code, minutes: field!.rejoinGraceMinutes });
    }
    const [ticket] = await tx
      .update(tickets)
      .set({ status: "waiting", recallCount: 0, noShowAt: null, officerId: null })
      .where(eq(tickets.id, before.id))
      .returning();
    const seq = await recordEvent(tx, ticket!, { type: "rejoined", from: "no_show", actor: { userId: input.userId } });
    const ticketSummary = toTicketSummary(ticket!);
    outbox.push({
      type: "ticket.requeued",
      reason: "rejoin",
      seq,
      centreId: ticket!.centreId,
      at: now.toISOString(),
      ticket: ticketSummary,
      counter: null,
      previousFieldId: before.fieldId,
    });
    return { ticket: ticketSummary, seq };
  });
}

/** A waiting ticket withdrawn (the citizen left, or asked to). */
export async function cancelTicket(deps: ServiceDeps, input: { userId: number; centreId: number; ticketId: number; reason?: string }) {
  const now = clock(deps);
  return inTransaction(deps, async (tx, outbox) => {
    const before = await lockTicket(tx, input.ticketId, input.centreId);
    if (before.status !== "waiting") throw new AppError("ticket_not_waiting", { code: before.code });
    const [ticket] = await tx
      .update(tickets)
      .set({ status: "cancelled", finishedAt: now })
      .where(eq(tickets.id, before.id))
      .returning();
    const seq = await recordEvent(tx, ticket!, { type: "cancelled", from: "waiting", actor: { userId: input.userId }, reason: input.reason });
    const ticketSummary = toTicketSummary(ticket!);
    outbox.push({ type: "ticket.cancelled", seq, centreId: ticket!.centreId, at: now.toISOString(), ticket: ticketSummary });
    return { ticket: ticketSummary, seq };
  });
}

export type TransferTarget = { fieldId: number } | { counterId: number } | { officerId: number };

/**
 * Sends the active ticket to another field's queue, or to a specific counter or officer. It
 * keeps its original issue time (its place in line) and carries the sender's note.
 */
export async function transferTicket(
  deps: ServiceDeps,
  input: { userId: number; ticketId: number; to: TransferTarget | null; note?: string },
) {
  const now = clock(deps);
  if (!input.to) throw new AppError("transfer_target_required");
  const to = input.to;
  return inTransaction(deps, async (tx, outbox) => {
    const counter = await lockOfficerCounter(tx, input.userId);
    const before = await lockActiveTicketOfCounter(tx, counter, input.ticketId);
    const change: Partial<Ticket> = { fieldId: before.fieldId, targetCounterId: null, targetOfficerId: null };
    if ("fieldId" in to) {
      const [field] = await tx.select().from(fields).where(and(eq(fields.id, to.fieldId), eq(fields.centreId, counter.centreId)));
      if (!field) throw new AppError("field_not_found");
      if (!field.isOpen) throw new AppError("field_closed", { field: field.name });
      change.fieldId = field.id;
    } else if ("counterId" in to) {
      const [target] = await tx.select().from(counters).where(and(eq(counters.id, to.counterId), eq(counters.centreId, counter.centreId)));
      if (!target) throw new AppError("counter_not_found");
      if (target.status === "closed" || target.officerId === null) throw new AppError("counter_closed", { counter: target.number });
      change.targetCounterId = target.id;
    } else {
      const [officer] = await tx
        .select()
        .from(users)
        .where(and(eq(users.id, to.officerId), eq(users.centreId, counter.centreId), eq(users.isActive, true)));
      if (!officer) throw new AppError("officer_not_found");
      change.targetOfficerId = officer.id;
    }
    const note = input.note?.trim() || null;
    const [ticket] = await tx
      .update(tickets)
      .set({
        ...change,
        status: "waiting",
        counterId: null,
        officerId: null,
        recallCount: 0,
        transferredFromCounterId: counter.id,
        transferNote: note,
      })
      .where(eq(tickets.id, before.id))
      .returning();
    const summary = await counterSummary(tx, counter.id);
    const seq = await recordEvent(tx, ticket!, {
      type: "transferred",
      from: before.status,
      actor: { userId: input.userId },
      counterId: counter.id,
      reason: JSON.stringify({ to, note }),
    });
    const ticketSummary = toTicketSummary(ticket!);
    outbox.push({
      type: "ticket.requeued",
      reason: "transfer",
      seq,
      centreId: counter.centreId,
      at: now.toISOString(),
      ticket: ticketSummary,
      counter: summary,
      previousFieldId: before.fieldId,
    });
    return { ticket: ticketSummary, counter: summary, seq };
  });
}

/** Ends the visit at the officer's own counter, with its outcome and an optional note. */
export async function finishTicket(
  deps: ServiceDeps,
  input: { userId: number; centreId: number; ticketId: number; outcome?: Ticket["outcome"]; note?: string },
) {
  const now = clock(deps);
  return inTransaction(deps, async (tx, outbox) => {
    const [counter] = await tx.select().from(counters).where(eq(counters.officerId, input.userId)).for("no key update");
    const before = await lockTicket(tx, input.ticketId, input.centreId);
    if (!counter) throw new AppError("not_at_counter");
    if (before.counterId !== counter.id) throw new AppError("ticket_not_yours", { code: before.code });
    return finishAt(tx, outbox, { counter, before, userId: input.userId, now, outcome: input.outcome ?? "done", note: input.note });
  });
}

export async function finishAt(
  tx: Transaction,
  outbox: QueueEvent[],
  input: { counter: Counter; before: Ticket; userId: number; now: Date; outcome: NonNullable<Ticket["outcome"]>; note?: string },
) {
  const { counter, before, now } = input;
  if (before.status !== "called" && before.status !== "serving") throw new AppError("ticket_not_active", { code: before.code });
  const [done] = await tx
    .update(tickets)
    .set({ status: "done", finishedAt: now, outcome: input.outcome, note: input.note?.trim() || null })
    .where(eq(tickets.id, before.id))
    .returning();
  return recordCounterTransition(tx, outbox, {
    publish: "ticket.finished",
    ticket: done!,
    counter,
    event: { type: "finished", from: before.status, userId: input.userId, reason: input.outcome },
    now,
  });
}
