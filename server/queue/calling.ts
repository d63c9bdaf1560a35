/** Calling a ticket to a counter: the next one by the queue policy, or a specific one with a reason. */
import { and, eq, notInArray, sql } from "drizzle-orm";
import type { Transaction } from "../../db/client";
import { counterFields, tickets, type Counter, type Ticket } from "../../db/schema";
import { staffOf, type Actor } from "../auth/permissions";
import { clock, inTransaction, type Outbox, type ServiceDeps } from "../context";
import { AppError } from "../errors";
import { serviceDate } from "../time";
import { callableAt, fieldStates } from "./callable";
import { lockCounter, lockTicket, recordCounterTransition } from "./internal";
import { pickNextTicket, type Candidate } from "./policy";
import type { OutOfOrderReason } from "./reasons";
import { activeTicketToday } from "./release";

/**
 * Calls the next ticket for a counter. The counter row is locked (one call at a time per
 * counter); the queue policy (server/queue/policy.ts) chooses among the heads of the queues
 * the counter may call; the chosen ticket is claimed with FOR UPDATE SKIP LOCKED, and if
 * another counter claimed it first the choice is made again without it.
 */
export async function callNextTicket(deps: ServiceDeps, actor: Actor, input: { counterId: number }) {
  const officer = staffOf(actor, "counter.operate");
  const now = clock(deps);
  const day = serviceDate(now);
  const call = () => inTransaction(deps, async (tx, outbox) => {
    const counter = await lockCounterForCalling(tx, outbox, officer, input.counterId, now);
    const taken: number[] = [];
    for (;;) {
      const candidates = await queueHeads(tx, counter, officer.userId, day, taken);
      const pick = pickNextTicket(candidates, await fieldStates(tx, candidates.map((c) => c.fieldId), day), now);
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
      return callTicket(tx, outbox, { ticket: claimed, counter, userId: officer.userId, now, outOfOrder: null });
    }
  });
  return deps.metrics ? deps.metrics.timeCallNext(call) : call();
}

/** Calls one waiting ticket out of order: a reason is required and recorded for supervisors. */
export async function callSpecificTicket(
  deps: ServiceDeps,
  actor: Actor,
  input: { counterId: number; ticketId: number; reason?: OutOfOrderReason; note?: string },
) {
  const officer = staffOf(actor, "counter.operate");
  const now = clock(deps);
  const note = input.note?.trim() || null;
  const reason = input.reason;
  if (!reason || (reason === "other" && !note)) throw new AppError("out_of_order_reason_required");
  return inTransaction(deps, async (tx, outbox) => {
    const counter = await lockCounterForCalling(tx, outbox, officer, input.counterId, now);
    const ticket = await lockTicket(tx, input.ticketId, counter.centreId);
    if (ticket.status !== "waiting" || ticket.serviceDate !== serviceDate(now)) {
      throw new AppError("ticket_not_waiting", { code: ticket.code });
    }
    const [served] = await tx
      .select()
      .from(counterFields)
      .where(and(eq(counterFields.counterId, counter.id), eq(counterFields.fieldId, ticket.fieldId)));
    const targetedHere = ticket.targetCounterId === counter.id || ticket.targetOfficerId === officer.userId;
    const targetedElsewhere = (ticket.targetCounterId ?? ticket.targetOfficerId) !== null && !targetedHere;
    if ((!served && !targetedHere) || targetedElsewhere) throw new AppError("ticket_not_for_counter", { code: ticket.code });
    return callTicket(tx, outbox, { ticket, counter, userId: officer.userId, now, outOfOrder: { reason, note } });
  });
}

/** Key space of the transaction-scoped advisory lock that takes a centre's calls in turn. */
const CALL_LOCK_SPACE = 4_242;

async function lockCounterForCalling(tx: Transaction, outbox: Outbox, officer: { userId: number; centreId: number }, counterId: number, now: Date): Promise<Counter> {
  const counter = await lockCounter(tx, counterId, officer.centreId);
  if (counter.officerId !== officer.userId) throw new AppError("not_at_counter");
  if (counter.status === "paused") throw new AppError("counter_paused");
  const active = await activeTicketToday(tx, outbox, counter, now);
  if (active) throw new AppError("counter_busy", { code: active.code });
  // Calls in one centre take turns (a few milliseconds each): otherwise counters calling at the
  // same instant all choose the same head, and all but one must choose again. The claim below
  // still uses SKIP LOCKED, so a ticket held by any other transaction is never waited for.
  await tx.execute(sql`select pg_advisory_xact_lock(${CALL_LOCK_SPACE}, ${counter.centreId})`);
  return counter;
}

/** The first waiting ticket of each (field, priority or not) queue this counter may call: all the policy needs. */
async function queueHeads(tx: Transaction, counter: Counter, officerId: number, day: string, exclude: number[]): Promise<Candidate[]> {
  const isPriority = sql<boolean>`${tickets.priority} > 0`;
  return tx
    .selectDistinctOn([tickets.fieldId, isPriority], { id: tickets.id, fieldId: tickets.fieldId, priority: isPriority, issuedAt: tickets.issuedAt })
    .from(tickets)
    .where(
      and(
        callableAt(tx, { counterId: counter.id, centreId: counter.centreId, officerId, day }),
        exclude.length ? notInArray(tickets.id, exclude) : undefined,
      ),
    )
    .orderBy(tickets.fieldId, isPriority, tickets.issuedAt, tickets.id);
}

async function callTicket(
  tx: Transaction,
  outbox: Outbox,
  input: { ticket: Ticket; counter: Counter; userId: number; now: Date; outOfOrder: { reason: OutOfOrderReason; note: string | null } | null },
) {
  const { counter, now, userId } = input;
  const [ticket] = await tx
    .update(tickets)
    .set({ status: "called", counterId: counter.id, officerId: userId, calledAt: now, firstCalledAt: sql`coalesce(${tickets.firstCalledAt}, ${now.toISOString()}::timestamptz)`, announcedAt: now, recallCount: 0 })
    .where(eq(tickets.id, input.ticket.id))
    .returning();
  const from = input.ticket.status;
  return recordCounterTransition(tx, outbox, {
    publish: "ticket.called",
    ticket: ticket!,
    counter,
    event: input.outOfOrder
      ? { type: "called_out_of_order", from, actor: { userId }, details: input.outOfOrder }
      : { type: "called", from, actor: { userId } },
    now,
  });
}
