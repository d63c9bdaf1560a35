/**
 * Sending the ticket being served elsewhere: to another field's queue, to a counter, or to an
 * officer. One list of who can receive it, used both to offer the choices and to check them.
 */
import { and, asc, eq, inArray, isNotNull } from "drizzle-orm";
import type { Database } from "../../db/client";
import { counters, fields, tickets, users, type Ticket } from "../../db/schema";
import { can, PERMISSIONS, staffOf, type Actor } from "../auth/permissions";
import { clock, inTransaction, type ServiceDeps } from "../context";
import { recordAudit } from "../audit";
import { AppError } from "../errors";
import type { TransferTarget } from "./event-details";
import { counterSummary, lockActiveTicketOfCounter, lockOfficerCounter, lockTicket, toTicketSummary } from "./internal";
import { recordEvent } from "./event-log";
import { expireTicket } from "./release";
import { serviceDate } from "../time";

export type { TransferTarget };

/**
 * The counters that can receive a transfer: open (not paused or closed) with an active
 * officer who may work at a counter signed in. Their officers are the officers who can.
 */
async function receivingCounters(db: Database, centreId: number) {
  return db
    .select({ id: counters.id, number: counters.number, name: counters.name, officerId: users.id, officerName: users.fullName })
    .from(counters)
    .innerJoin(users, eq(users.id, counters.officerId))
    .where(
      and(
        eq(counters.centreId, centreId),
        eq(counters.status, "open"),
        isNotNull(counters.officerId),
        eq(users.isActive, true),
        inArray(users.role, [...PERMISSIONS["counter.operate"].roles]),
      ),
    )
    .orderBy(asc(counters.number));
}

export type TransferTargets = Awaited<ReturnType<typeof listTransferTargets>>;

/** What a ticket's queue becomes when sent to `to`: refused with a clear reason if it cannot receive it. */
async function destination(tx: Database, from: { centreId: number; fieldId: number; exceptCounterId?: number }, to: TransferTarget) {
  const change: Partial<Ticket> = { fieldId: from.fieldId, targetCounterId: null, targetOfficerId: null };
  if ("fieldId" in to) {
    const [field] = await tx.select().from(fields).where(and(eq(fields.id, to.fieldId), eq(fields.centreId, from.centreId)));
    if (!field) throw new AppError("field_not_found");
    if (!field.isOpen) throw new AppError("field_closed", { field: field.name });
    change.fieldId = field.id;
    return change;
  }
  const receiving = (await receivingCounters(tx, from.centreId)).filter((c) => c.id !== from.exceptCounterId);
  if ("counterId" in to) {
    const target = receiving.find((c) => c.id === to.counterId);
    if (!target) {
      const [other] = await tx.select().from(counters).where(and(eq(counters.id, to.counterId), eq(counters.centreId, from.centreId)));
      throw other ? new AppError("counter_not_receiving", { counter: other.number }) : new AppError("counter_not_found");
    }
    change.targetCounterId = target.id;
  } else {
    const target = receiving.find((c) => c.officerId === to.officerId);
    if (!target) throw new AppError("officer_not_receiving");
    change.targetOfficerId = target.officerId;
  }
  return change;
}

/** Where the officer (or a supervisor re-routing) may send a ticket now: open fields, and the other open, staffed counters and their officers. */
export async function listTransferTargets(deps: Pick<ServiceDeps, "db">, actor: Actor) {
  const officer = staffOf(actor, can(actor, "counter.operate") ? "counter.operate" : "queue.steer");
  const [fieldRows, counterRows] = await Promise.all([
    deps.db
      .select({ id: fields.id, name: fields.name, prefix: fields.prefix })
      .from(fields)
      .where(and(eq(fields.centreId, officer.centreId), eq(fields.isOpen, true)))
      .orderBy(asc(fields.sortOrder), asc(fields.id)),
    receivingCounters(deps.db, officer.centreId),
  ]);
  const others = counterRows.filter((c) => c.officerId !== officer.userId);
  return {
    fields: fieldRows,
    counters: others.map((c) => ({ id: c.id, number: c.number, name: c.name, officerName: c.officerName })),
    officers: others.map((c) => ({ id: c.officerId, fullName: c.officerName, counterNumber: c.number })),
  };
}

/**
 * Sends the active ticket to another field's queue, or to a specific counter or officer. It
 * keeps its original issue time (its place in line) and carries the sender's note.
 */
export async function transferTicket(deps: ServiceDeps, actor: Actor, input: { ticketId: number; to: TransferTarget | null; note?: string }) {
  const officer = staffOf(actor, "counter.operate");
  const now = clock(deps);
  if (!input.to) throw new AppError("transfer_target_required");
  const to = input.to;
  return inTransaction(deps, async (tx, outbox) => {
    const counter = await lockOfficerCounter(tx, officer.userId);
    const before = await lockActiveTicketOfCounter(tx, counter, input.ticketId);
    // Called before midnight and sent on after it: its number is yesterday's, nobody could call
    // it today. It is closed with an event, and the answer says so.
    if (before.serviceDate < serviceDate(now)) {
      const expired = await expireTicket(tx, outbox, before, now, { userId: officer.userId });
      return { ticket: toTicketSummary(expired.ticket), counter: await counterSummary(tx, counter.id), seq: expired.seq, expired: true };
    }
    const change = await destination(tx, { centreId: counter.centreId, fieldId: before.fieldId, exceptCounterId: counter.id }, to);
    const note = input.note?.trim() || null;
    const [ticket] = await tx
      .update(tickets)
      .set({ ...change, status: "waiting", counterId: null, officerId: null, recallCount: 0, transferredFromCounterId: counter.id, transferNote: note })
      .where(eq(tickets.id, before.id))
      .returning();
    const summary = await counterSummary(tx, counter.id);
    const seq = await recordEvent(tx, ticket!, {
      type: "transferred",
      from: before.status,
      actor: { userId: officer.userId },
      counterId: counter.id,
      details: { to, note },
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
    return { ticket: ticketSummary, counter: summary, seq, expired: false };
  });
}

/**
 * A supervisor sends a waiting ticket elsewhere (another field, a counter, an officer) without
 * it being called: to unblock a queue, or to route a citizen to the right desk. It keeps its
 * place in line; the event log says who did it and why.
 */
export async function rerouteTicket(deps: ServiceDeps, actor: Actor, input: { ticketId: number; to: TransferTarget | null; note?: string }) {
  const supervisor = staffOf(actor, "queue.steer");
  const now = clock(deps);
  if (!input.to) throw new AppError("transfer_target_required");
  const to = input.to;
  return inTransaction(deps, async (tx, outbox) => {
    const before = await lockTicket(tx, input.ticketId, supervisor.centreId);
    if (before.status !== "waiting" || before.serviceDate !== serviceDate(now)) throw new AppError("ticket_not_waiting", { code: before.code });
    const change = await destination(tx, { centreId: before.centreId, fieldId: before.fieldId }, to);
    const note = input.note?.trim() || null;
    const [ticket] = await tx.update(tickets).set({ ...change, transferNote: note }).where(eq(tickets.id, before.id)).returning();
    const seq = await recordEvent(tx, ticket!, { type: "transferred", from: "waiting", actor: { userId: supervisor.userId }, details: { to, note } });
    await recordAudit(tx, {
      actor,
      centreId: before.centreId,
      action: "ticket.rerouted",
      target: { type: "ticket", id: before.id },
      before: { code: before.code, fieldId: before.fieldId, targetCounterId: before.targetCounterId, targetOfficerId: before.targetOfficerId },
      after: { code: before.code, ...change },
      reason: note,
    });
    const summary = toTicketSummary(ticket!);
    outbox.push({ type: "ticket.rerouted", seq, centreId: before.centreId, at: now.toISOString(), ticket: summary, previousFieldId: before.fieldId });
    return { ticket: summary, seq };
  });
}
