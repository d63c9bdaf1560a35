/**
 * Letting go of what a counter or an officer held, so no ticket is ever stranded: the ticket
 * being served goes back to its queue at its place (or, from a past day, is closed), tickets
 * sent to the counter or its officer go back to their field's queue, the counter closes.
 */
import { and, eq, inArray, or } from "drizzle-orm";
import type { Transaction } from "../../db/client";
import { counters, tickets, type Counter, type Ticket } from "../../db/schema";
import type { Outbox } from "../context";
import { serviceDate } from "../time";
import type { ReturnReason } from "./event-details";
import { activeTicketAt, counterSummary, toTicketSummary } from "./internal";
import { bumpSeq, recordEvent, type EventActor } from "./event-log";

/** A ticket of a past service day: it cannot be called again (its number is that day's), so it is closed with an event. */
export async function expireTicket(tx: Transaction, outbox: Outbox, before: Ticket, now: Date, actor: EventActor = {}) {
  const [ticket] = await tx
    .update(tickets)
    .set({ status: "expired", finishedAt: now })
    .where(eq(tickets.id, before.id))
    .returning();
  const seq = await recordEvent(tx, ticket!, { type: "expired", from: before.status, actor, counterId: before.counterId, details: { reason: "day_end" } });
  outbox.push({
    type: "ticket.expired",
    seq,
    centreId: ticket!.centreId,
    at: now.toISOString(),
    ticket: toTicketSummary(ticket!),
    previousStatus: before.status === "called" ? "called" : "waiting",
  });
  return { ticket: ticket!, seq };
}

/**
 * The ticket at this counter, if it is today's. One left there from a past day (nobody finished
 * it before midnight) is closed first, so it never blocks the counter the next morning.
 */
export async function activeTicketToday(tx: Transaction, outbox: Outbox, counter: Counter, now: Date) {
  const active = await activeTicketAt(tx, counter.id);
  if (active && active.serviceDate < serviceDate(now)) {
    await expireTicket(tx, outbox, active, now);
    return undefined;
  }
  return active;
}

/** The ticket goes back to its queue at its original place; one of a past day is closed instead. */
export async function returnToQueue(tx: Transaction, outbox: Outbox, input: { counter: Counter; before: Ticket; actor: EventActor; now: Date; why: ReturnReason }) {
  const { counter, before, now } = input;
  if (before.serviceDate < serviceDate(now)) return (await expireTicket(tx, outbox, before, now, input.actor)).ticket;
  const [ticket] = await tx
    .update(tickets)
    .set({ status: "waiting", counterId: null, officerId: null, recallCount: 0 })
    .where(eq(tickets.id, before.id))
    .returning();
  const seq = await recordEvent(tx, ticket!, { type: "returned", from: before.status, actor: input.actor, counterId: counter.id, details: { why: input.why } });
  outbox.push({
    type: "ticket.requeued",
    reason: "return",
    seq,
    centreId: counter.centreId,
    at: now.toISOString(),
    ticket: toTicketSummary(ticket!),
    counter: await counterSummary(tx, counter.id),
    previousFieldId: before.fieldId,
  });
  return ticket!;
}

/** Today's tickets sent to this counter or to this officer go back to their field's queue, at their place. */
export async function untarget(tx: Transaction, outbox: Outbox, input: { counter: Counter; officerId: number | null; now: Date; actor: EventActor }) {
  const { counter, now } = input;
  const sentHere = or(eq(tickets.targetCounterId, counter.id), input.officerId === null ? undefined : eq(tickets.targetOfficerId, input.officerId));
  const held = await tx
    .select()
    .from(tickets)
    .where(and(eq(tickets.centreId, counter.centreId), eq(tickets.serviceDate, serviceDate(now)), eq(tickets.status, "waiting"), sentHere))
    .for("update");
  if (held.length === 0) return 0;
  const freed = await tx
    .update(tickets)
    .set({ targetCounterId: null, targetOfficerId: null })
    .where(inArray(tickets.id, held.map((t) => t.id)))
    .returning();
  for (const ticket of freed) {
    const seq = await recordEvent(tx, ticket, { type: "returned", from: "waiting", actor: input.actor, counterId: counter.id, details: { why: "target_left" } });
    outbox.push({ type: "ticket.rerouted", seq, centreId: counter.centreId, at: now.toISOString(), ticket: toTicketSummary(ticket), previousFieldId: ticket.fieldId });
  }
  return freed.length;
}

/**
 * The counter closes and its officer leaves it (locked FOR UPDATE by the caller): what it was
 * serving goes back to its queue (`why`), what was sent to it or its officer goes back to the
 * field's queue. Returns how many sent tickets went back, so the officer can be told.
 */
export async function releaseCounter(tx: Transaction, outbox: Outbox, input: { counter: Counter; now: Date; actor: EventActor; why: ReturnReason }) {
  const { counter, now } = input;
  const active = await activeTicketToday(tx, outbox, counter, now);
  if (active) await returnToQueue(tx, outbox, { counter, before: active, actor: input.actor, now, why: input.why });
  const returned = await untarget(tx, outbox, { counter, officerId: counter.officerId, now, actor: input.actor });
  await tx.update(counters).set({ officerId: null, status: "closed", pauseReason: null, signedInAt: null, statusSince: now }).where(eq(counters.id, counter.id));
  const summary = await counterSummary(tx, counter.id);
  const seq = await bumpSeq(tx, counter.centreId);
  outbox.push({ type: "counter.updated", seq, centreId: counter.centreId, at: now.toISOString(), counter: summary });
  return { counter: summary, returned };
}
