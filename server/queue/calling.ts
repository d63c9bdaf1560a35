/** Calling a ticket to a counter: the next one by the queue policy, or a specific one with a reason. */
import { and, eq, notInArray, sql } from "drizzle-orm";
import type { Transaction } from "../../db/client";
import { counters, fields, ticketNumbers, tickets, type Ticket } from "../../db/schema";
import { staffOf, type Actor } from "../auth/permissions";
import { clock, inTransaction, type Outbox, type ServiceDeps } from "../context";
import { AppError } from "../errors";
import { serviceDate } from "../time";
import { callableAt, fieldState } from "./callable";
import { activeTicketAt, lockDesk, lockTicket, readTogether, transitionAtCounter, type Desk } from "./internal";
import { KeyedTurns } from "./turns";
import { pickNextTicket, type FieldQueueState } from "./policy";
import type { OutOfOrderReason } from "./reasons";
import { expireTicket } from "./release";

/**
 * Calls the next ticket for a counter, in five round trips (decision 0005): BEGIN; the desk
 * locked with the centre's call turn; what the policy needs (the heads of the queues this
 * counter may call, each field's policy and streak of the day) and the counter's active ticket,
 * sent together; the claim of the chosen ticket with its change, its event, the field's streak
 * and the centre's sequence in one statement; COMMIT. The queue policy
 * (server/queue/policy.ts) chooses in between. The claim uses FOR UPDATE SKIP LOCKED: a ticket
 * another transaction holds is passed over and the choice made again without it.
 *
 * A centre's calls take turns twice: in this process without a connection (so calls waiting for
 * their centre's turn leave the pool to other centres), and across processes by the advisory
 * lock, which makes every call choose from what the previous call left.
 */
export async function callNextTicket(deps: ServiceDeps, actor: Actor, input: { counterId: number }) {
  const officer = staffOf(actor, "counter.operate");
  const call = () =>
    centreTurns.run(officer.centreId, () => {
      // Read once the turn is ours: a call waiting its turn does not judge ageing by an older clock.
      const now = clock(deps);
      const day = serviceDate(now);
      return inTransaction(deps, async (tx, outbox) => {
        const where = { counterId: input.counterId, centreId: officer.centreId, officerId: officer.userId, day };
        const desk = await lockDeskForCalling(tx, officer, input.counterId);
        // Both reads only now that the turn is held (see the comment of readTogether).
        const [heads, active] = await readTogether(queueHeads(tx, where, []), activeTicketAt(tx, input.counterId));
        await refuseBusyDesk(tx, outbox, { desk, officerId: officer.userId, active, now });
        const taken: number[] = [];
        for (let candidates = heads; ; candidates = await queueHeads(tx, where, taken)) {
          const pick = pickNextTicket(candidates, statesOf(candidates), now);
          if (!pick) throw new AppError("queue_empty");
          const called = await callTicket(tx, outbox, { ticketId: pick.id, claim: true, desk, userId: officer.userId, now, outOfOrder: null });
          if (called) return called;
          taken.push(pick.id);
        }
      });
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
  const note = input.note?.trim() || null;
  const reason = input.reason;
  if (!reason || (reason === "other" && !note)) throw new AppError("out_of_order_reason_required");
  return centreTurns.run(officer.centreId, () => {
    const now = clock(deps);
    return inTransaction(deps, async (tx, outbox) => {
      const desk = await lockDeskForCalling(tx, officer, input.counterId);
      await refuseBusyDesk(tx, outbox, { desk, officerId: officer.userId, active: await activeTicketAt(tx, input.counterId), now });
      const { counter } = desk;
      const ticket = await lockTicket(tx, input.ticketId, counter.centreId);
      if (ticket.status !== "waiting" || ticket.serviceDate !== serviceDate(now)) {
        throw new AppError("ticket_not_waiting", { code: ticket.code });
      }
      const targetedHere = ticket.targetCounterId === counter.id || ticket.targetOfficerId === officer.userId;
      const targetedElsewhere = (ticket.targetCounterId ?? ticket.targetOfficerId) !== null && !targetedHere;
      if ((!desk.fieldIds.includes(ticket.fieldId) && !targetedHere) || targetedElsewhere) throw new AppError("ticket_not_for_counter", { code: ticket.code });
      return (await callTicket(tx, outbox, { ticketId: ticket.id, claim: false, desk, userId: officer.userId, now, outOfOrder: { reason, note } }))!;
    });
  });
}

/** Key space of the transaction-scoped advisory lock that takes a centre's calls in turn. */
const CALL_LOCK_SPACE = 4_242;

/** This process's turns of each centre's calls (see callNextTicket). */
const centreTurns = new KeyedTurns<number>();

async function lockDeskForCalling(tx: Transaction, officer: { userId: number; centreId: number }, counterId: number): Promise<Desk> {
  const desk = await lockDesk(tx, and(eq(counters.id, counterId), eq(counters.centreId, officer.centreId))!, { callTurn: CALL_LOCK_SPACE });
  if (!desk) throw new AppError("counter_not_found");
  return desk;
}

/** A counter calls only when its officer is at it, it is open, and it serves nobody (a ticket left from a past day is closed first). */
async function refuseBusyDesk(tx: Transaction, outbox: Outbox, input: { desk: Desk; officerId: number; active: Ticket | undefined; now: Date }) {
  const { desk: { counter }, active, now } = input;
  if (counter.officerId !== input.officerId) throw new AppError("not_at_counter");
  if (counter.status === "paused") throw new AppError("counter_paused");
  if (active && active.serviceDate < serviceDate(now)) await expireTicket(tx, outbox, active, now);
  else if (active) throw new AppError("counter_busy", { code: active.code });
}

type CallableWhere = { counterId: number; centreId: number; officerId: number; day: string };

/**
 * The first waiting ticket of each (field, priority or not) queue this counter may call, with
 * its field's policy and streak of the day: all the policy needs, in one query.
 */
async function queueHeads(tx: Transaction, where: CallableWhere, exclude: number[]) {
  const isPriority = sql<boolean>`${tickets.priority} > 0`.as("is_priority");
  const heads = tx
    .selectDistinctOn([tickets.fieldId, sql`${tickets.priority} > 0`], { id: tickets.id, fieldId: tickets.fieldId, priority: isPriority, issuedAt: tickets.issuedAt })
    .from(tickets)
    .where(and(callableAt(tx, where), exclude.length ? notInArray(tickets.id, exclude) : undefined))
    .orderBy(tickets.fieldId, sql`${tickets.priority} > 0`, tickets.issuedAt, tickets.id)
    .as("heads");
  return tx
    .select({
      id: heads.id,
      fieldId: heads.fieldId,
      priority: heads.priority,
      issuedAt: heads.issuedAt,
      field: { queueMode: fields.queueMode, priorityRatio: fields.priorityRatio, ageingCapMinutes: fields.ageingCapMinutes },
      streak: ticketNumbers.priorityStreak,
    })
    .from(heads)
    .innerJoin(fields, eq(fields.id, heads.fieldId))
    .leftJoin(ticketNumbers, and(eq(ticketNumbers.fieldId, heads.fieldId), eq(ticketNumbers.serviceDate, where.day)));
}

function statesOf(heads: Awaited<ReturnType<typeof queueHeads>>): Map<number, FieldQueueState> {
  return new Map(heads.map((h) => [h.fieldId, fieldState(h.field, h.streak)]));
}

/**
 * The call: the ticket becomes called at the desk (`claim`: only if still waiting and not held
 * by another transaction), its event is appended, and its field's streak of the day moves — a
 * priority call lengthens it, a normal call ends it — all in one statement. Null when the claim
 * found the ticket gone.
 */
async function callTicket(
  tx: Transaction,
  outbox: Outbox,
  input: { ticketId: number; claim: boolean; desk: Desk; userId: number; now: Date; outOfOrder: { reason: OutOfOrderReason; note: string | null } | null },
) {
  const { desk, now, userId } = input;
  const { counter } = desk;
  const claimable = input.claim
    ? sql`${tickets.id} in (select t.id from ${tickets} t where t.id = ${input.ticketId} and t.status = 'waiting' for update skip locked)`
    : eq(tickets.id, input.ticketId);
  return transitionAtCounter(tx, outbox, {
    publish: "ticket.called",
    counter,
    desk,
    update: tx
      .update(tickets)
      .set({ status: "called", counterId: counter.id, officerId: userId, calledAt: now, firstCalledAt: sql`coalesce(${tickets.firstCalledAt}, ${now.toISOString()}::timestamptz)`, announcedAt: now, recallCount: 0 })
      .where(claimable)
      .returning(),
    also: sql`also as (
      insert into ${ticketNumbers} (field_id, service_date, last_number, priority_streak)
      select c.field_id, c.service_date, 0, case when c.priority > 0 then 1 else 0 end from changed c
      on conflict (field_id, service_date) do update
        set priority_streak = case when excluded.priority_streak = 1 then ${ticketNumbers}.priority_streak + 1 else 0 end
      returning 1
    )`,
    event: input.outOfOrder
      ? { type: "called_out_of_order", from: "waiting", actor: { userId }, details: input.outOfOrder }
      : { type: "called", from: "waiting", actor: { userId } },
    now,
  });
}
