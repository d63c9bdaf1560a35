/** Pieces shared by the queue services: locking, desks, transitions at a counter, summaries. Not for routes (the event log's writes: ./event-log). */
import { and, asc, eq, getTableColumns, inArray, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { preparedOn } from "../../db/prepared";
import { fromRow, type Row } from "../../db/rows";
import type { Database, Queryable, Transaction } from "../../db/client";
import { counterFields, counters, tickets, users, type Counter, type Ticket } from "../../db/schema";
import type { Outbox } from "../context";
import { AppError } from "../errors";
import type { CounterSummary, QueueEvent, TicketSummary } from "../realtime/events";
import type { EventType } from "./event-details";
import { changeAndRecord, type ChangedRow, type EventRecord } from "./event-log";

/**
 * Counter rows are locked FOR NO KEY UPDATE: one action at a time per counter, without blocking
 * the foreign-key checks (FOR KEY SHARE) of a transfer to that counter, which would deadlock two
 * counters sending each other tickets. Only signing in and out, which change the unique
 * officer_id, take the full FOR UPDATE.
 */
export type CounterLock = "no key update" | "update";

export async function lockCounter(tx: Transaction, counterId: number, centreId: number, mode: CounterLock = "no key update"): Promise<Counter> {
  const [counter] = await tx
    .select()
    .from(counters)
    .where(and(eq(counters.id, counterId), eq(counters.centreId, centreId)))
    .for(mode);
  if (!counter) throw new AppError("counter_not_found");
  return counter;
}

/** The counter the officer is signed in to, locked; refused when there is none. */
export async function lockOfficerCounter(tx: Transaction, userId: number): Promise<Counter> {
  const [counter] = await tx.select().from(counters).where(eq(counters.officerId, userId)).for("no key update");
  if (!counter) throw new AppError("not_at_counter");
  return counter;
}

export async function lockTicket(tx: Transaction, ticketId: number, centreId: number): Promise<Ticket> {
  const [ticket] = await tx
    .select()
    .from(tickets)
    .where(and(eq(tickets.id, ticketId), eq(tickets.centreId, centreId)))
    .for("update");
  if (!ticket) throw new AppError("ticket_not_found");
  return ticket;
}

/** The ticket being served at the officer's counter: it must be this counter's and called. */
export async function lockActiveTicketOfCounter(tx: Transaction, counter: Counter, ticketId: number): Promise<Ticket> {
  const ticket = await lockTicket(tx, ticketId, counter.centreId);
  if (ticket.counterId !== counter.id) throw new AppError("ticket_not_yours", { code: ticket.code });
  if (ticket.status !== "called") throw new AppError("ticket_not_active", { code: ticket.code });
  return ticket;
}

/** The ticket called at a counter, if any (at most one: a unique index holds it). */
export async function activeTicketAt(tx: Queryable, counterId: number) {
  const [active] = await activeAt(tx).execute({ counterId });
  return active;
}

const activeAt = preparedOn((db) =>
  db
    .select()
    .from(tickets)
    .where(and(eq(tickets.counterId, sql.placeholder("counterId")), eq(tickets.status, "called")))
    .prepare("active_ticket_at"),
);

/**
 * A prelude CTE `desk` that locks the officer's counter and reads its desk (the counter, the
 * officer's name, its fields), and the columns that return it beside the changed ticket
 * (`desk_<column>`; {@link deskOfRow} reads them back): a statement that finds the counter by its
 * officer needs no read before it.
 */
export const DESK_ALONGSIDE = {
  // The desk's columns as deskColumns has them (its field ids: one definition).
  cte: (officerId: SQLWrapper) => sql`desk as (
      select ${counters}.*, ${users.fullName} as officer_name, ${deskColumns.fieldIds} as field_ids
      from ${counters} left join ${users} on ${users.id} = ${counters.officerId}
      where ${counters.officerId} = ${officerId} for no key update of ${counters}
    ),`,
  alongside: {
    from: sql`desk`,
    columns: sql.join(
      [...Object.values(getTableColumns(counters)).map((c) => c.name), "officer_name", "field_ids"].map((name) => sql`desk.${sql.identifier(name)} as ${sql.identifier(`desk_${name}`)}`),
      sql`, `,
    ),
  },
};

/** The desk a statement with {@link DESK_ALONGSIDE} returned beside its ticket. */
export const deskOfRow = (row: Row): Desk =>
  toDesk({ counter: fromRow(counters, row, "desk_"), officerName: (row.desk_officer_name as string | null) ?? null, fieldIds: (row.desk_field_ids as number[]) ?? [] });

type CounterTransitionEvent = Extract<QueueEvent, { ticket: TicketSummary; counter: CounterSummary }>["type"];

/**
 * A counter locked for an action, with what its summary needs (officer's name, fields), read in
 * the statement that locks it: the summary after the action is then built without a query.
 */
export type Desk = { counter: Counter; officerName: string | null; fieldIds: number[] };

/**
 * Locks a counter FOR NO KEY UPDATE (see {@link CounterLock}) and reads its desk.
 */
export async function lockDesk(tx: Transaction, where: SQL): Promise<Desk | undefined> {
  const [row] = await deskQuery(tx, where).for("no key update", { of: counters });
  return row ? toDesk(row) : undefined;
}

/**
 * What a desk is read with, from `counters` left-joined to `users` on the officer: the counter,
 * its officer's name, its fields in id order. Statements that read more beside it (call-next,
 * finish) select these too and make a {@link Desk} of the row with {@link toDesk}.
 */
export const deskColumns = {
  counter: counters,
  officerName: users.fullName,
  fieldIds: sql<number[]>`array(select cf.field_id from ${counterFields} cf where cf.counter_id = ${counters.id} order by cf.field_id)`,
};

function deskQuery(db: Queryable, where: SQL) {
  return db.select(deskColumns).from(counters).leftJoin(users, eq(users.id, counters.officerId)).where(where);
}

export const toDesk = (row: { counter: Counter; officerName: string | null; fieldIds: number[] }): Desk => ({
  counter: row.counter,
  officerName: row.officerName,
  fieldIds: row.fieldIds.map(Number),
});

/**
 * Two queries of one transaction sent together: postgres.js pipelines them on the connection,
 * one round trip instead of two. Their ORDER is not kept — a statement the connection has not
 * prepared yet waits for its description while one already prepared goes out first — so only
 * queries that need no order between them go together: never a lock and what must be read after
 * it (await the lock first; a read's snapshot is taken when it starts). If both fail, the first's
 * error is thrown; the second's is not left unhandled.
 */
export async function readTogether<A, B>(first: PromiseLike<A>, second: PromiseLike<B>): Promise<[A, B]> {
  const [a, b] = await Promise.allSettled([first, second]);
  if (a.status === "rejected") throw a.reason;
  if (b.status === "rejected") throw b.reason;
  return [a.value, b.value];
}

/** The counter the officer is signed in to, as a locked desk; refused when there is none. */
export async function lockOfficerDesk(tx: Transaction, userId: number): Promise<Desk> {
  const desk = await lockDesk(tx, eq(counters.officerId, userId));
  if (!desk) throw new AppError("not_at_counter");
  return desk;
}

/** The summary of a desk whose active ticket is `current` (the unique called ticket at it, or none). */
export function deskSummary({ counter, officerName, fieldIds }: Desk, current: Ticket | null): CounterSummary {
  return {
    id: counter.id,
    number: counter.number,
    name: counter.name,
    status: counter.status,
    staffed: counter.officerId !== null,
    pauseReason: counter.pauseReason,
    officerId: counter.officerId,
    officerName,
    fieldIds,
    current: current ? toTicketSummary(current) : null,
  };
}

/**
 * The tail of every transition at a counter (call, recall, no-show, finish): the ticket's change
 * and its event row in one statement ({@link changeAndRecord}), the counter as it now is (from
 * the desk when the caller locked one, else read), and the realtime event carrying both, queued
 * for after the commit. `claim` makes the change conditional (null when it changed nothing).
 */
export async function transitionAtCounter<T extends EventType>(
  tx: Transaction,
  outbox: Outbox,
  input: {
    publish: CounterTransitionEvent;
    counter: Counter;
    desk?: Desk;
    update: SQLWrapper;
    event: EventRecord<T>;
    also?: SQL;
    now: Date;
  },
) {
  const { counter } = input;
  const changed = await changeAndRecord(tx, { update: input.update, event: { ...input.event, counterId: counter.id }, also: input.also });
  if (!changed) return null;
  const summary = input.desk ? deskSummary(input.desk, currentAt(changed.ticket, counter)) : await counterSummary(tx, counter.id);
  return pushCounterTransition(outbox, { ...input, summary, ...changed });
}

/**
 * A transition at a counter as one statement outside any transaction (its own, built once by
 * {@link preparedChange}): its prelude holds the checks and locks, and the update changes
 * nothing when they fail. Null then; else as {@link transitionAtCounter}, the summary built from
 * the desk. The outbox is for the caller to publish (the statement has committed when this returns).
 */
export async function transitionAtCounterAlone(
  outbox: Outbox,
  input: {
    publish: CounterTransitionEvent;
    /** The desk read before, or how to read it from the statement's row (a statement that locked it, {@link DESK_ALONGSIDE}). */
    desk: Desk | ((row: Row) => Desk);
    statement: (values: Record<string, unknown>) => Promise<ChangedRow | null>;
    values: Record<string, unknown>;
    now: Date;
  },
) {
  const changed = await input.statement(input.values);
  if (!changed) return null;
  const desk = typeof input.desk === "function" ? input.desk(changed.row) : input.desk;
  const { counter } = desk;
  return pushCounterTransition(outbox, { publish: input.publish, now: input.now, counter, summary: deskSummary(desk, currentAt(changed.ticket, counter)), ticket: changed.ticket, seq: changed.seq });
}

const currentAt = (ticket: Ticket, counter: Counter) => (ticket.status === "called" && ticket.counterId === counter.id ? ticket : null);

function pushCounterTransition(outbox: Outbox, input: { publish: CounterTransitionEvent; counter: Counter; summary: CounterSummary; ticket: Ticket; seq: number; now: Date }) {
  const ticketSummary = toTicketSummary(input.ticket);
  outbox.push({
    type: input.publish,
    seq: input.seq,
    centreId: input.counter.centreId,
    at: input.now.toISOString(),
    ticket: ticketSummary,
    counter: input.summary,
  } as Extract<QueueEvent, { type: CounterTransitionEvent }>);
  return { ticket: ticketSummary, counter: input.summary, seq: input.seq };
}

export function toTicketSummary(ticket: Ticket): TicketSummary {
  return {
    id: ticket.id,
    code: ticket.code,
    fieldId: ticket.fieldId,
    priority: ticket.priority,
    priorityClassId: ticket.priorityClassId,
    status: ticket.status,
    issuedAt: ticket.issuedAt.toISOString(),
    calledAt: ticket.calledAt?.toISOString() ?? null,
    counterId: ticket.counterId,
    recallCount: ticket.recallCount,
    transferredFromCounterId: ticket.transferredFromCounterId,
    transferNote: ticket.transferNote,
    targetCounterId: ticket.targetCounterId,
    targetOfficerId: ticket.targetOfficerId,
  };
}

/** The counters of a centre, or one counter, with officer, fields and active ticket. */
export async function counterSummaries(tx: Database, which: { centreId: number } | { counterId: number }): Promise<CounterSummary[]> {
  const rows = await tx
    .select({ counter: counters, officerName: users.fullName })
    .from(counters)
    .leftJoin(users, eq(users.id, counters.officerId))
    // Counters out of service are left off the centre's list (screens, consoles, board).
    .where("counterId" in which ? eq(counters.id, which.counterId) : and(eq(counters.centreId, which.centreId), eq(counters.isActive, true)))
    .orderBy(asc(counters.number));
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.counter.id);
  const [links, active] = await Promise.all([
    tx.select().from(counterFields).where(inArray(counterFields.counterId, ids)),
    tx
      .select()
      .from(tickets)
      .where(and(inArray(tickets.counterId, ids), eq(tickets.status, "called"))),
  ]);
  return rows.map(({ counter, officerName }) => {
    const fieldIds = links.filter((l) => l.counterId === counter.id).map((l) => l.fieldId);
    return deskSummary({ counter, officerName, fieldIds: fieldIds.sort((a, b) => a - b) }, active.find((t) => t.counterId === counter.id) ?? null);
  });
}

export async function counterSummary(tx: Database, counterId: number): Promise<CounterSummary> {
  const [summary] = await counterSummaries(tx, { counterId });
  return summary!;
}
