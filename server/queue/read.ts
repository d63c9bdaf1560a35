/** Read models of the queue: the centre snapshot, a counter's queue, the out-of-order log. */
import { and, asc, desc, eq, inArray, isNotNull, isNull, lte, or, sql } from "drizzle-orm";
import type { Database, Transaction } from "../../db/client";
import {
  centres,
  counterFields,
  counters,
  fields,
  priorityClasses,
  ticketEvents,
  ticketNumbers,
  tickets,
  users,
  type Field,
} from "../../db/schema";
import { serviceDate } from "../time";
import { clock, type ServiceDeps } from "../context";
import { AppError } from "../errors";
import { RECENT_CALLS, type CentreSnapshot, type TicketSummary } from "../realtime/events";
import { counterSummaries, toTicketSummary } from "./internal";
import { decodeOutOfOrderReason } from "./reasons";

/**
 * The whole live state of a centre, read in one repeatable-read transaction so that it is
 * exactly the state after event `seq`.
 */
export async function getCentreSnapshot(deps: Pick<ServiceDeps, "db" | "now">, centreId: number): Promise<CentreSnapshot> {
  const day = serviceDate(clock(deps));
  return deps.db.transaction(
    async (txRaw) => {
      const tx = txRaw as Transaction;
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
          field: fields,
          waiting: sql<number>`coalesce(${waiting.n}, 0)::int`,
          issuedToday: sql<number>`coalesce(${ticketNumbers.lastNumber}, 0)::int`,
        })
        .from(fields)
        .leftJoin(waiting, eq(waiting.fieldId, fields.id))
        .leftJoin(ticketNumbers, and(eq(ticketNumbers.fieldId, fields.id), eq(ticketNumbers.serviceDate, day)))
        .where(eq(fields.centreId, centreId))
        .orderBy(asc(fields.sortOrder), asc(fields.id));
      const means = await meanServiceSeconds(tx, fieldRows.map((r) => r.field), day);

      const counterList = await counterSummaries(tx, { centreId });
      const recent = await tx
        .select({ ticket: tickets, counterNumber: counters.number })
        .from(tickets)
        .innerJoin(counters, eq(counters.id, tickets.counterId))
        .where(
          and(
            eq(tickets.centreId, centreId),
            eq(tickets.serviceDate, day),
            isNotNull(tickets.calledAt),
            inArray(tickets.status, ["called", "serving", "done"]),
          ),
        )
        .orderBy(desc(tickets.announcedAt), desc(tickets.id))
        .limit(RECENT_CALLS);
      const classes = await tx
        .select({ id: priorityClasses.id, name: priorityClasses.name })
        .from(priorityClasses)
        .where(and(eq(priorityClasses.centreId, centreId), eq(priorityClasses.isActive, true)))
        .orderBy(asc(priorityClasses.sortOrder), asc(priorityClasses.id));

      return {
        centre: { id: centre.id, name: centre.name },
        seq: centre.seq,
        serviceDate: day,
        fields: fieldRows.map((r) => ({
          id: r.field.id,
          code: r.field.code,
          name: r.field.name,
          prefix: r.field.prefix,
          isOpen: r.field.isOpen,
          waiting: r.waiting,
          issuedToday: r.issuedToday,
          dailyCapacity: r.field.dailyCapacity,
          cutoffTime: r.field.cutoffTime,
          recallsBeforeNoShow: r.field.recallsBeforeNoShow,
          meanServiceSeconds: means.get(r.field.id)!,
        })),
        counters: counterList,
        priorityClasses: classes,
        recentCalls: recent.map((r) => ({ ticket: toTicketSummary(r.ticket), counterNumber: r.counterNumber })),
      };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

/**
 * Recent mean service time of each field: its last 20 visits today (call to finish), in one
 * query for all the fields; the configured default while a field has fewer than 3.
 */
export async function meanServiceSeconds(
  db: Database,
  fieldList: ReadonlyArray<Pick<Field, "id" | "defaultServiceMinutes">>,
  day: string,
): Promise<Map<number, number>> {
  const ids = fieldList.map((f) => f.id);
  const ranked = db
    .select({
      fieldId: tickets.fieldId,
      seconds: sql<number>`extract(epoch from ${tickets.finishedAt} - ${tickets.calledAt})`.as("seconds"),
      rn: sql<number>`row_number() over (partition by ${tickets.fieldId} order by ${tickets.finishedAt} desc)`.as("rn"),
    })
    .from(tickets)
    .where(and(inArray(tickets.fieldId, ids), eq(tickets.serviceDate, day), eq(tickets.status, "done"), isNotNull(tickets.calledAt)))
    .as("ranked");
  const rows = ids.length
    ? await db
        .select({ fieldId: ranked.fieldId, n: sql<number>`count(*)::int`, mean: sql<number>`avg(${ranked.seconds})::float8` })
        .from(ranked)
        .where(lte(ranked.rn, 20))
        .groupBy(ranked.fieldId)
    : [];
  return new Map(
    fieldList.map((f) => {
      const row = rows.find((r) => r.fieldId === f.id);
      return [f.id, row && row.n >= 3 ? Math.round(row.mean) : f.defaultServiceMinutes * 60];
    }),
  );
}

/** Counters that can call a field's tickets now: staffed and open (the SQL twin of openCountersFor). */
export async function countOpenCounters(db: Database, fieldId: number): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(counters)
    .innerJoin(counterFields, eq(counterFields.counterId, counters.id))
    .where(and(eq(counterFields.fieldId, fieldId), eq(counters.status, "open"), isNotNull(counters.officerId)));
  return row?.n ?? 0;
}

export type QueuedTicket = TicketSummary & { fromCounterNumber: number | null; noShowAt: string | null };

/**
 * What an officer's console lists: the waiting tickets this counter may call (its fields' plus
 * those transferred to it or its officer), in issue order, and today's no-shows of its fields.
 */
export async function getCounterQueue(db: Database, input: { centreId: number; counterId: number; userId: number }, now = new Date()) {
  const day = serviceDate(now);
  const served = db.select({ fieldId: counterFields.fieldId }).from(counterFields).where(eq(counterFields.counterId, input.counterId));
  const from = db.$with("from_counter").as(db.select({ id: counters.id, number: counters.number }).from(counters));
  const rows = await db
    .with(from)
    .select({ ticket: tickets, fromCounterNumber: from.number })
    .from(tickets)
    .leftJoin(from, eq(from.id, tickets.transferredFromCounterId))
    .where(
      and(
        eq(tickets.centreId, input.centreId),
        eq(tickets.serviceDate, day),
        inArray(tickets.status, ["waiting", "no_show"]),
        or(
          and(inArray(tickets.fieldId, served), isNull(tickets.targetCounterId), isNull(tickets.targetOfficerId)),
          eq(tickets.targetCounterId, input.counterId),
          eq(tickets.targetOfficerId, input.userId),
        ),
      ),
    )
    .orderBy(desc(tickets.priority), asc(tickets.issuedAt), asc(tickets.id))
    .limit(200);
  const toQueued = (r: (typeof rows)[number]): QueuedTicket => ({
    ...toTicketSummary(r.ticket),
    fromCounterNumber: r.fromCounterNumber,
    noShowAt: r.ticket.noShowAt?.toISOString() ?? null,
  });
  return {
    waiting: rows.filter((r) => r.ticket.status === "waiting").map(toQueued),
    noShows: rows.filter((r) => r.ticket.status === "no_show").map(toQueued),
  };
}

/** Today's out-of-order calls of a centre, latest first: who called which ticket, where, why. */
export async function listOutOfOrderCalls(db: Database, centreId: number, now = new Date()) {
  const day = serviceDate(now);
  const rows = await db
    .select({
      at: ticketEvents.createdAt,
      code: tickets.code,
      reason: ticketEvents.reason,
      counterNumber: counters.number,
      officerName: users.fullName,
    })
    .from(ticketEvents)
    .innerJoin(tickets, eq(tickets.id, ticketEvents.ticketId))
    .leftJoin(counters, eq(counters.id, ticketEvents.counterId))
    .leftJoin(users, eq(users.id, ticketEvents.actorUserId))
    .where(and(eq(ticketEvents.centreId, centreId), eq(ticketEvents.type, "called_out_of_order"), eq(tickets.serviceDate, day)))
    .orderBy(desc(ticketEvents.id));
  return rows.map(({ reason, ...row }) => ({ ...row, ...decodeOutOfOrderReason(reason) }));
}

/** Today's tickets of a centre, latest first, for the reception desk (reprint, cancel). */
export async function listTodayTickets(db: Database, centreId: number, options: { limit?: number; now?: Date } = {}) {
  const day = serviceDate(options.now ?? new Date());
  return db
    .select({
      id: tickets.id,
      code: tickets.code,
      status: tickets.status,
      channel: tickets.channel,
      issuedAt: tickets.issuedAt,
      fieldName: fields.name,
      priorityClassName: priorityClasses.name,
    })
    .from(tickets)
    .innerJoin(fields, eq(fields.id, tickets.fieldId))
    .leftJoin(priorityClasses, eq(priorityClasses.id, tickets.priorityClassId))
    .where(and(eq(tickets.centreId, centreId), eq(tickets.serviceDate, day)))
    .orderBy(desc(tickets.issuedAt), desc(tickets.id))
    .limit(options.limit ?? 30);
}
