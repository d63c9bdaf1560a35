/** The live state of a centre's queue, as staff see it and as the public sees it. */
import { and, asc, desc, eq, gt, inArray, isNotNull, lte, ne, sql } from "drizzle-orm";
import type { Database, Transaction } from "../../db/client";
import { centres, counterFields, counters, devices, fields, priorityClasses, ticketEvents, ticketNumbers, tickets, type Field } from "../../db/schema";
import { authorize, can, centreOf, type Actor } from "../auth/permissions";
import { clock, type ServiceDeps } from "../context";
import { AppError } from "../errors";
import { MISSED_CALLS_LIMIT, RECENT_CALLS, type CentreSnapshot, type LoggedCall, type PublicSnapshot, type View } from "../realtime/events";
import { publicSnapshot } from "../realtime/projection";
import { serviceDate } from "../time";
import { counterSummaries, toTicketSummary } from "./internal";

type Deps = Pick<ServiceDeps, "db" | "now">;

/** The snapshot the actor may see: the staff's, or the public projection (kiosks, screens). */
export async function snapshotFor(deps: Deps, actor: Actor): Promise<CentreSnapshot<View>> {
  authorize(actor, "queue.watch");
  const full = await readSnapshot(deps, centreOf(actor));
  return can(actor, "queue.staffView") ? full : { ...publicSnapshot(full), screenFieldIds: await screenFields(deps, actor) };
}

/** The fields a waiting-room screen was set to show (null: all of them). */
async function screenFields(deps: Deps, actor: Actor): Promise<number[] | null> {
  if (actor.kind !== "device" || actor.deviceKind !== "display") return null;
  const [row] = await deps.db.select({ fieldIds: devices.fieldIds }).from(devices).where(eq(devices.id, actor.deviceId));
  return row?.fieldIds?.length ? row.fieldIds : null;
}

/** The staff's snapshot: notes, officers and transfers included. */
export async function getStaffSnapshot(deps: Deps, actor: Actor): Promise<CentreSnapshot> {
  authorize(actor, "queue.staffView");
  return readSnapshot(deps, centreOf(actor));
}

/** The public projection, for pages shown in the hall. */
export async function getPublicSnapshot(deps: Deps, actor: Actor): Promise<PublicSnapshot> {
  authorize(actor, "queue.watch");
  return { ...publicSnapshot(await readSnapshot(deps, centreOf(actor))), screenFieldIds: await screenFields(deps, actor) };
}

/**
 * The calls and recalls of today after event `afterSeq`, from the event log: the latest
 * MISSED_CALLS_LIMIT, oldest first, with each ticket as it is now. A screen that was away asks
 * for them after its fresh snapshot, to list and announce what it missed. Public fields only.
 */
export async function callsSince(deps: Deps, actor: Actor, input: { afterSeq: number }): Promise<LoggedCall[]> {
  authorize(actor, "queue.watch");
  const afterSeq = Number.isSafeInteger(input.afterSeq) && input.afterSeq >= 0 ? input.afterSeq : 0;
  const day = serviceDate(clock(deps));
  const rows = await deps.db
    .select({
      seq: ticketEvents.seq,
      at: ticketEvents.createdAt,
      kind: ticketEvents.type,
      counterNumber: counters.number,
      ticket: { id: tickets.id, code: tickets.code, fieldId: tickets.fieldId, status: tickets.status },
    })
    .from(ticketEvents)
    .innerJoin(tickets, eq(tickets.id, ticketEvents.ticketId))
    .innerJoin(counters, eq(counters.id, ticketEvents.counterId))
    .where(
      and(
        eq(ticketEvents.centreId, centreOf(actor)),
        gt(ticketEvents.seq, afterSeq),
        inArray(ticketEvents.type, ["called", "recalled"]),
        eq(tickets.serviceDate, day),
      ),
    )
    .orderBy(desc(ticketEvents.seq))
    .limit(MISSED_CALLS_LIMIT);
  return rows.reverse().map((r) => ({ ...r, at: r.at.toISOString(), kind: r.kind as LoggedCall["kind"] }));
}

/**
 * The whole live state of a centre, read in one repeatable-read transaction so that it is
 * exactly the state after event `seq`.
 */
async function readSnapshot(deps: Deps, centreId: number): Promise<CentreSnapshot> {
  const day = serviceDate(clock(deps));
  return deps.db.transaction(
    async (txRaw) => {
      const tx = txRaw as Transaction;
      const [centre] = await tx
        .select({
          id: centres.id,
          name: centres.name,
          seq: centres.eventSeq,
          unservedIssuing: centres.unservedIssuing,
          notice: centres.notice,
          noticeUntil: centres.noticeUntil,
        })
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
        .where(and(eq(tickets.centreId, centreId), eq(tickets.serviceDate, day), isNotNull(tickets.calledAt), inArray(tickets.status, ["called", "done"])))
        .orderBy(desc(tickets.announcedAt), desc(tickets.id))
        .limit(RECENT_CALLS);
      const classes = await tx
        .select({ id: priorityClasses.id, name: priorityClasses.name })
        .from(priorityClasses)
        .where(and(eq(priorityClasses.centreId, centreId), eq(priorityClasses.isActive, true)))
        .orderBy(asc(priorityClasses.sortOrder), asc(priorityClasses.id));

      return {
        centre: {
          id: centre.id,
          name: centre.name,
          unservedIssuing: centre.unservedIssuing,
          notice:
            centre.notice && (!centre.noticeUntil || centre.noticeUntil > clock(deps))
              ? { text: centre.notice, until: centre.noticeUntil?.toISOString() ?? null }
              : null,
        },
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

/** Counters with an officer at them (open, or paused for a moment) that serve a field: the SQL twin of fieldServed. */
export async function countServingCounters(db: Database, fieldId: number): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(counters)
    .innerJoin(counterFields, eq(counterFields.counterId, counters.id))
    .where(and(eq(counterFields.fieldId, fieldId), ne(counters.status, "closed"), isNotNull(counters.officerId)));
  return row?.n ?? 0;
}
