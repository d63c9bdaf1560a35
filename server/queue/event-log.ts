/**
 * The event log's writes, shared by the queue services: the centre's sequence, an event row, and
 * a ticket's change with its event in one statement (`changeAndRecord`, `preparedChange` for the
 * statements every call and finish runs). Not for routes.
 */
import { eq, is, Placeholder, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import type { Queryable, Transaction } from "../../db/client";
import { preparedOn, prepareRaw } from "../../db/prepared";
import { fromRow, rowsOf, type Row } from "../../db/rows";
import { centres, ticketEvents, tickets, type Ticket, type TicketStatus } from "../../db/schema";
import type { Outbox } from "../context";
import type { EventDetails, EventType } from "./event-details";

export type EventActor = { userId?: number; deviceId?: number };

/**
 * Advances the centre's event sequence. Called last in a transaction (only the event row
 * follows): the row lock it takes orders commits, so sequence order is commit order, and
 * every transaction of the centre waits for it only from here to its commit.
 */
export async function bumpSeq(tx: Transaction, centreId: number): Promise<number> {
  const [row] = await tx
    .update(centres)
    .set({ eventSeq: sql`${centres.eventSeq} + 1` })
    .where(eq(centres.id, centreId))
    .returning({ seq: centres.eventSeq });
  return row!.seq;
}

/**
 * Tells the centre's kiosks and screens, after the commit, that its fields or priority classes
 * changed: they reload their snapshot. Part of the transaction that makes the change.
 */
export async function announceSettingsChanged(tx: Transaction, outbox: Outbox, centreId: number, now: Date) {
  const seq = await bumpSeq(tx, centreId);
  outbox.push({ type: "settings.updated", seq, centreId, at: now.toISOString() });
}

/** One transition to record; the details' shape is the one of its type. */
export type EventRecord<T extends EventType = EventType> = T extends EventType
  ? { type: T; from: TicketStatus | null; actor: EventActor; counterId?: number | null } & (EventDetails[T] extends null
      ? { details?: null }
      : { details: EventDetails[T] })
  : never;

/** Appends the ticket's transition (before → after, who, where, why) and returns its sequence number. */
export async function recordEvent<T extends EventType>(tx: Transaction, ticket: Ticket, event: EventRecord<T>): Promise<number> {
  // One round trip: the centre's next number, taken in the statement that writes the event.
  const insert = tx
    .insert(ticketEvents)
    .values({
      ticketId: ticket.id,
      centreId: ticket.centreId,
      seq: sql`(select event_seq from next_seq)`,
      type: event.type,
      fieldId: ticket.fieldId,
      fromStatus: event.from,
      toStatus: ticket.status,
      actorUserId: event.actor.userId,
      actorDeviceId: event.actor.deviceId,
      counterId: event.counterId ?? null,
      details: event.details ?? null,
    })
    .returning({ seq: ticketEvents.seq });
  const [row] = await rowsOf(tx, sql`with ${nextSeq(sql`${ticket.centreId}`)} ${insert.getSQL()}`);
  return Number(row!.seq);
}

/**
 * The CTE `next_seq` advancing a centre's event sequence inside a bigger statement. Like
 * {@link bumpSeq}, only in a transaction's last statement: the centre row stays locked to commit.
 */
const nextSeq = (centreId: SQL) => sql`next_seq as (update ${centres} set event_seq = event_seq + 1 where id = ${centreId} returning event_seq)`;

/** What {@link changeAndRecord} writes; in a statement built once, the varying values are placeholders. */
export type ChangeStatement = {
  update: SQLWrapper;
  event: {
    type: EventType;
    from: TicketStatus | null;
    actor: { userId?: number | Placeholder; deviceId?: number | Placeholder };
    /** A value, a placeholder, or an expression over the prelude's CTEs (`(select id from desk)`). */
    counterId: number | null | Placeholder | SQL;
    /** The details object, or a placeholder for its JSON text. */
    details?: unknown;
  };
  also?: SQL;
  /** CTEs (each followed by a comma) the update may read: checks and the locks they take. */
  prelude?: SQL;
  /** More of the result row, read from a prelude CTE of one row (`from`): the desk the statement locked ({@link DESK_ALONGSIDE}). */
  alongside?: { from: SQL; columns: SQL };
};

/**
 * A ticket's change, the centre's next sequence number and the event row, in one statement
 * (one round trip, the transaction's last): `update` is an UPDATE of tickets RETURNING every
 * column (drizzle's builder); `also`, a CTE named `also` that reads its row as `changed` and
 * returns a row, runs before the sequence is bumped — so the rows it locks are taken before the
 * centre row, the order issuing takes them in (ticket_numbers, then centres), and the two never
 * deadlock. Null when the update changed no row (then nothing else was written either).
 */
export async function changeAndRecord(
  tx: Queryable,
  input: ChangeStatement & { event: Omit<EventRecord, "counterId" | "details"> & { counterId: number | null; details?: unknown } },
): Promise<Changed | null> {
  const [row] = await rowsOf(tx, changeAndRecordSql(input));
  return changedOf(row);
}

export type Changed = { ticket: Ticket; seq: number };
/** A change with the whole row its statement returned (for what it read alongside). */
export type ChangedRow = Changed & { row: Row };

function changeAndRecordSql(input: ChangeStatement): SQL {
  const { event } = input;
  const details = event.details == null ? null : is(event.details, Placeholder) ? event.details : JSON.stringify(event.details);
  return sql`with ${input.prelude ?? sql``} changed as (${input.update.getSQL()}),
      ${input.also ? sql`${input.also},` : sql``}
      ${input.also ? nextSeq(sql`(select centre_id from changed) and (select count(*) from also) >= 0`) : nextSeq(sql`(select centre_id from changed)`)},
      logged as (
        insert into ${ticketEvents} (ticket_id, centre_id, seq, type, field_id, from_status, to_status, actor_user_id, actor_device_id, counter_id, details)
        select c.id, c.centre_id, s.event_seq, ${event.type}::text, c.field_id, ${event.from}::ticket_status, c.status,
          ${event.actor.userId ?? null}::int, ${event.actor.deviceId ?? null}::int, ${event.counterId}::int, ${details}::jsonb
        from changed c, next_seq s
      )
    select changed.*, next_seq.event_seq as motcua_seq${input.alongside ? sql`, ${input.alongside.columns}` : sql``} from changed, next_seq${input.alongside ? sql`, ${input.alongside.from}` : sql``}`;
}

const changedOf = (row: Row | undefined): Changed | null => (row ? { ticket: fromRow(tickets, row), seq: Number(row.motcua_seq) } : null);

/**
 * {@link changeAndRecord}'s statement built once per database (db/prepared.ts): `build` writes
 * it with placeholders (`sql.placeholder(name)`) for everything that varies, and each run gives
 * their values. For the statements every call and finish runs.
 */
export function preparedChange(build: (db: Queryable) => ChangeStatement) {
  return preparedOn((db) => {
    const statement = prepareRaw(db, changeAndRecordSql(build(db)));
    return async (values: Record<string, unknown>): Promise<ChangedRow | null> => {
      const [row] = await statement.execute(values);
      return row ? { ...changedOf(row)!, row } : null;
    };
  });
}
