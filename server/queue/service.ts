import { and, asc, desc, eq, gte, inArray, isNotNull, ne, sql } from "drizzle-orm";
import type { Queryable, Transaction } from "../../db/client";
import {
  centres,
  counterFields,
  counters,
  fields,
  ticketEvents,
  ticketNumbers,
  tickets,
  users,
  type Counter,
  type Ticket,
  type TicketStatus,
} from "../../db/schema";
import { serviceDate } from "../../app/lib/time";
import { inTransaction, type ServiceDeps } from "../context";
import { AppError } from "../errors";
import type { CentreSnapshot, CounterSummary, QueueEvent, TicketSummary } from "../realtime/events";
import { nextTicketOrder, ticketCode } from "./rules";

const ACTIVE: TicketStatus[] = ["called", "serving"];

export type Actor = { userId?: number; deviceId?: number };

// ---------------------------------------------------------------------------
// Issuing

export type IssueTicketInput = {
  centreId: number;
  fieldId: number;
  channel: "kiosk" | "reception" | "appointment" | "api";
  priority?: number;
  actor: Actor;
};

export type IssuedTicket = {
  ticket: TicketSummary;
  fieldName: string;
  peopleAhead: number;
  seq: number;
};

/**
 * Issues the next number of a field for today. The daily number is a row incremented in
 * the same transaction (gapless, unique under concurrency); unknown or closed fields are
 * refused before anything is written.
 */
export async function issueTicket(deps: ServiceDeps, input: IssueTicketInput): Promise<IssuedTicket> {
  const now = deps.now?.() ?? new Date();
  return inTransaction(deps, async (tx, outbox) => {
    const [field] = await tx
      .select()
      .from(fields)
      .where(and(eq(fields.id, input.fieldId), eq(fields.centreId, input.centreId)));
    if (!field) throw new AppError("field_not_found");
    if (!field.isOpen) throw new AppError("field_closed", { field: field.name });

    const day = serviceDate(now);
    const [counterRow] = await tx
      .insert(ticketNumbers)
      .values({ fieldId: field.id, serviceDate: day, lastNumber: 1 })
      .onConflictDoUpdate({
        target: [ticketNumbers.fieldId, ticketNumbers.serviceDate],
        set: { lastNumber: sql`${ticketNumbers.lastNumber} + 1` },
      })
      .returning({ lastNumber: ticketNumbers.lastNumber });
    const number = counterRow!.lastNumber;
    const priority = input.priority ?? 0;

    const [ticket] = await tx
      .insert(tickets)
      .values({
        centreId: input.centreId,
        fieldId: field.id,
        serviceDate: day,
        number,
        code: ticketCode(field.prefix, number),
        priority,
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

    const seq = await recordEvent(tx, ticket!, { type: "issued", from: null, actor: input.actor });
    const summary = toTicketSummary(ticket!);
    outbox.push({ type: "ticket.issued", seq, centreId: input.centreId, at: now.toISOString(), ticket: summary });
    return { ticket: summary, fieldName: field.name, peopleAhead: ahead?.n ?? 0, seq };
  });
}

// ---------------------------------------------------------------------------
// Counters

/** Puts an officer at a counter of their centre: one officer per counter, one counter per officer. */
export async function signInToCounter(deps: ServiceDeps, input: { userId: number; centreId: number; counterId: number }) {
  const now = deps.now?.() ?? new Date();
  return inTransaction(deps, async (tx, outbox) => {
    const counter = await lockCounter(tx, input.counterId, input.centreId);
    if (counter.officerId === input.userId) return { counter: await counterSummary(tx, counter.id) };
    if (counter.officerId !== null) {
      const [officer] = await tx.select({ fullName: users.fullName }).from(users).where(eq(users.id, counter.officerId));
      throw new AppError("counter_taken", { counter: counter.number, officer: officer?.fullName ?? "" });
    }
    const [held] = await tx.select().from(counters).where(eq(counters.officerId, input.userId)).for("update");
    if (held) throw new AppError("officer_has_counter", { counter: held.number });

    await tx
      .update(counters)
      .set({ officerId: input.userId, status: "open", signedInAt: now })
      .where(eq(counters.id, counter.id));
    const summary = await counterSummary(tx, counter.id);
    const seq = await bumpSeq(tx, counter.centreId);
    outbox.push({ type: "counter.updated", seq, centreId: counter.centreId, at: now.toISOString(), counter: summary });
    return { counter: summary };
  });
}

/** Takes the officer away from their counter; refused while a ticket is still active there. */
export async function signOutOfCounter(deps: ServiceDeps, input: { userId: number }) {
  const now = deps.now?.() ?? new Date();
  return inTransaction(deps, async (tx, outbox) => {
    const [counter] = await tx.select().from(counters).where(eq(counters.officerId, input.userId)).for("update");
    if (!counter) return { counter: null };
    const active = await activeTicketAt(tx, counter.id);
    if (active) throw new AppError("counter_has_active_ticket", { code: active.code });
    await tx
      .update(counters)
      .set({ officerId: null, status: "closed", signedInAt: null })
      .where(eq(counters.id, counter.id));
    const summary = await counterSummary(tx, counter.id);
    const seq = await bumpSeq(tx, counter.centreId);
    outbox.push({ type: "counter.updated", seq, centreId: counter.centreId, at: now.toISOString(), counter: summary });
    return { counter: summary };
  });
}

// ---------------------------------------------------------------------------
// Calling and finishing

/**
 * Calls the next waiting ticket for a counter, in one transaction: the counter row is locked
 * (one call at a time per counter), the ticket is claimed with FOR UPDATE SKIP LOCKED (two
 * counters never get the same ticket, and neither waits for the other).
 */
export async function callNextTicket(deps: ServiceDeps, input: { userId: number; counterId: number }) {
  const now = deps.now?.() ?? new Date();
  return inTransaction(deps, async (tx, outbox) => {
    const counter = await lockCounter(tx, input.counterId);
    if (counter.officerId !== input.userId) throw new AppError("not_at_counter");
    const active = await activeTicketAt(tx, counter.id);
    if (active) throw new AppError("counter_busy", { code: active.code });

    const servedFields = tx
      .select({ fieldId: counterFields.fieldId })
      .from(counterFields)
      .where(eq(counterFields.counterId, counter.id));
    const [next] = await tx
      .select({ id: tickets.id })
      .from(tickets)
      .where(
        and(
          eq(tickets.centreId, counter.centreId),
          eq(tickets.serviceDate, serviceDate(now)),
          eq(tickets.status, "waiting"),
          inArray(tickets.fieldId, servedFields),
        ),
      )
      .orderBy(...nextTicketOrder({ priority: tickets.priority, issuedAt: tickets.issuedAt, id: tickets.id }))
      .limit(1)
      .for("update", { skipLocked: true });
    if (!next) throw new AppError("queue_empty");

    const [ticket] = await tx
      .update(tickets)
      .set({ status: "called", counterId: counter.id, officerId: input.userId, calledAt: now })
      .where(eq(tickets.id, next.id))
      .returning();
    const summary = await counterSummary(tx, counter.id);
    const seq = await recordEvent(tx, ticket!, {
      type: "called",
      from: "waiting",
      actor: { userId: input.userId },
      counterId: counter.id,
    });
    const ticketSummary = toTicketSummary(ticket!);
    outbox.push({
      type: "ticket.called",
      seq,
      centreId: counter.centreId,
      at: now.toISOString(),
      ticket: ticketSummary,
      counter: summary,
    });
    return { ticket: ticketSummary, counter: summary, seq };
  });
}

/** Finishes the ticket being served at the officer's own counter. */
export async function finishTicket(deps: ServiceDeps, input: { userId: number; centreId: number; ticketId: number }) {
  const now = deps.now?.() ?? new Date();
  return inTransaction(deps, async (tx, outbox) => {
    const [counter] = await tx.select().from(counters).where(eq(counters.officerId, input.userId)).for("update");
    const [ticket] = await tx
      .select()
      .from(tickets)
      .where(and(eq(tickets.id, input.ticketId), eq(tickets.centreId, input.centreId)))
      .for("update");
    if (!ticket) throw new AppError("ticket_not_found");
    if (!counter) throw new AppError("not_at_counter");
    if (ticket.counterId !== counter.id) throw new AppError("ticket_not_yours", { code: ticket.code });
    if (!ACTIVE.includes(ticket.status)) throw new AppError("ticket_not_active", { code: ticket.code });

    const [done] = await tx
      .update(tickets)
      .set({ status: "done", finishedAt: now })
      .where(eq(tickets.id, ticket.id))
      .returning();
    const summary = await counterSummary(tx, counter.id);
    const seq = await recordEvent(tx, done!, {
      type: "finished",
      from: ticket.status,
      actor: { userId: input.userId },
      counterId: counter.id,
    });
    const ticketSummary = toTicketSummary(done!);
    outbox.push({
      type: "ticket.finished",
      seq,
      centreId: counter.centreId,
      at: now.toISOString(),
      ticket: ticketSummary,
      counter: summary,
    });
    return { ticket: ticketSummary, counter: summary, seq };
  });
}

// ---------------------------------------------------------------------------
// Reading

/**
 * The whole live state of a centre, read in one repeatable-read transaction so that it is
 * exactly the state after event `seq`.
 */
export async function getCentreSnapshot(deps: Pick<ServiceDeps, "db" | "now">, centreId: number): Promise<CentreSnapshot> {
  const day = serviceDate(deps.now?.() ?? new Date());
  return deps.db.transaction(
    async (tx) => {
      const [centre] = await tx
        .select({ id: centres.id, name: centres.name, seq: centres.eventSeq })
        .from(centres)
        .where(eq(centres.id, centreId));
      if (!centre) throw new AppError("not_found");

      const waiting = tx
        .select({ fieldId: tickets.fieldId, n: sql<number>`count(*)::int`.as("n") })
        .from(tickets)
        .where(and(eq(tickets.centreId, centreId), eq(tickets.serviceDate, day), eq(tickets.status, "waiting")))
        .groupBy(tickets.fieldId)
        .as("waiting");
      const fieldRows = await tx
        .select({
          id: fields.id,
          code: fields.code,
          name: fields.name,
          prefix: fields.prefix,
          isOpen: fields.isOpen,
          waiting: sql<number>`coalesce(${waiting.n}, 0)::int`,
        })
        .from(fields)
        .leftJoin(waiting, eq(waiting.fieldId, fields.id))
        .where(eq(fields.centreId, centreId))
        .orderBy(asc(fields.sortOrder), asc(fields.id));

      const counterList = await counterSummaries(tx as Transaction, centreId);
      const recent = await tx
        .select({ ticket: tickets, counterNumber: counters.number })
        .from(tickets)
        .innerJoin(counters, eq(counters.id, tickets.counterId))
        .where(and(eq(tickets.centreId, centreId), eq(tickets.serviceDate, day), isNotNull(tickets.calledAt)))
        .orderBy(desc(tickets.calledAt), desc(tickets.id))
        .limit(RECENT_CALLS);

      return {
        centre: { id: centre.id, name: centre.name },
        seq: centre.seq,
        serviceDate: day,
        fields: fieldRows,
        counters: counterList,
        recentCalls: recent.map((r) => ({ ticket: toTicketSummary(r.ticket), counterNumber: r.counterNumber })),
      };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

export const RECENT_CALLS = 6;

// ---------------------------------------------------------------------------
// Internals

async function lockCounter(tx: Transaction, counterId: number, centreId?: number): Promise<Counter> {
  const where = centreId === undefined ? eq(counters.id, counterId) : and(eq(counters.id, counterId), eq(counters.centreId, centreId));
  const [counter] = await tx.select().from(counters).where(where).for("update");
  if (!counter) throw new AppError("counter_not_found");
  return counter;
}

async function activeTicketAt(tx: Queryable, counterId: number) {
  const [active] = await tx
    .select({ id: tickets.id, code: tickets.code })
    .from(tickets)
    .where(and(eq(tickets.counterId, counterId), inArray(tickets.status, ACTIVE)));
  return active;
}

/**
 * Advances the centre's event sequence. Called last in a transaction (only the event row
 * follows): the row lock it takes orders commits, so sequence order is commit order, and
 * every transaction of the centre waits for it only from here to its commit.
 */
async function bumpSeq(tx: Transaction, centreId: number): Promise<number> {
  const [row] = await tx
    .update(centres)
    .set({ eventSeq: sql`${centres.eventSeq} + 1` })
    .where(eq(centres.id, centreId))
    .returning({ seq: centres.eventSeq });
  return row!.seq;
}

async function recordEvent(
  tx: Transaction,
  ticket: Ticket,
  event: { type: string; from: TicketStatus | null; actor: Actor; counterId?: number; reason?: string },
): Promise<number> {
  const seq = await bumpSeq(tx, ticket.centreId);
  await tx.insert(ticketEvents).values({
    ticketId: ticket.id,
    centreId: ticket.centreId,
    seq,
    type: event.type,
    fromStatus: event.from,
    toStatus: ticket.status,
    actorUserId: event.actor.userId,
    actorDeviceId: event.actor.deviceId,
    counterId: event.counterId,
    reason: event.reason,
  });
  return seq;
}

export function toTicketSummary(ticket: Ticket): TicketSummary {
  return {
    id: ticket.id,
    code: ticket.code,
    fieldId: ticket.fieldId,
    priority: ticket.priority,
    status: ticket.status,
    issuedAt: ticket.issuedAt.toISOString(),
    calledAt: ticket.calledAt?.toISOString() ?? null,
    counterId: ticket.counterId,
  };
}

async function counterSummaries(tx: Queryable, centreId: number, counterId?: number): Promise<CounterSummary[]> {
  const rows = await tx
    .select({ counter: counters, officerName: users.fullName })
    .from(counters)
    .leftJoin(users, eq(users.id, counters.officerId))
    .where(counterId === undefined ? eq(counters.centreId, centreId) : eq(counters.id, counterId))
    .orderBy(asc(counters.number));
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.counter.id);
  const [links, active] = await Promise.all([
    tx.select().from(counterFields).where(inArray(counterFields.counterId, ids)),
    tx
      .select()
      .from(tickets)
      .where(and(inArray(tickets.counterId, ids), inArray(tickets.status, ACTIVE))),
  ]);
  return rows.map(({ counter, officerName }) => {
    const current = active.find((t) => t.counterId === counter.id);
    return {
      id: counter.id,
      number: counter.number,
      name: counter.name,
      status: counter.status,
      officerId: counter.officerId,
      officerName,
      fieldIds: links.filter((l) => l.counterId === counter.id).map((l) => l.fieldId),
      current: current ? toTicketSummary(current) : null,
    };
  });
}

async function counterSummary(tx: Queryable, counterId: number): Promise<CounterSummary> {
  const [summary] = await counterSummaries(tx, 0, counterId);
  return summary!;
}

export type { QueueEvent };
