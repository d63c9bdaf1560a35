/** Read models for staff: a counter's queue in call order, the out-of-order log, today's tickets. */
import { and, asc, desc, eq, inArray, or } from "drizzle-orm";
import { counterFields, counters, fields, priorityClasses, ticketEvents, tickets, users } from "../../db/schema";
import { authorize, centreOf, staffOf, type Actor } from "../auth/permissions";
import { clock, type ServiceDeps } from "../context";
import { AppError } from "../errors";
import type { TicketSummary } from "../realtime/events";
import { serviceDate } from "../time";
import { callableAt, fieldStates } from "./callable";
import { detailsOf } from "./event-details";
import { toTicketSummary } from "./internal";
import { callOrder } from "./policy";

type Deps = Pick<ServiceDeps, "db" | "now">;

export type QueuedTicket = TicketSummary & { fromCounterNumber: number | null; noShowAt: string | null };

/** How many waiting tickets the console lists (the queue's head; the counts show the rest). */
const LISTED = 200;

/**
 * What an officer's console lists for their counter: the waiting tickets it may call, in the
 * order call-next would call them (the first is the next one), and today's no-shows of its
 * fields, who may rejoin.
 */
export async function getCounterQueue(deps: Deps, actor: Actor, input: { counterId: number }) {
  const officer = staffOf(actor, "counter.operate");
  const { db } = deps;
  const now = clock(deps);
  const day = serviceDate(now);
  const [counter] = await db
    .select()
    .from(counters)
    .where(and(eq(counters.id, input.counterId), eq(counters.centreId, officer.centreId)));
  if (!counter) throw new AppError("counter_not_found");
  if (counter.officerId !== officer.userId) throw new AppError("not_at_counter");

  const from = db.$with("from_counter").as(db.select({ id: counters.id, number: counters.number }).from(counters));
  const servedFields = db.select({ fieldId: counterFields.fieldId }).from(counterFields).where(eq(counterFields.counterId, counter.id));
  const rows = await db
    .with(from)
    .select({ ticket: tickets, fromCounterNumber: from.number })
    .from(tickets)
    .leftJoin(from, eq(from.id, tickets.transferredFromCounterId))
    .where(
      or(
        callableAt(db, { counterId: counter.id, centreId: counter.centreId, officerId: officer.userId, day }),
        and(
          eq(tickets.centreId, counter.centreId),
          eq(tickets.serviceDate, day),
          eq(tickets.status, "no_show"),
          or(inArray(tickets.fieldId, servedFields), eq(tickets.targetCounterId, counter.id), eq(tickets.targetOfficerId, officer.userId)),
        ),
      ),
    )
    .orderBy(asc(tickets.issuedAt), asc(tickets.id))
    .limit(LISTED * 2);
  const toQueued = (r: (typeof rows)[number]): QueuedTicket => ({
    ...toTicketSummary(r.ticket),
    fromCounterNumber: r.fromCounterNumber,
    noShowAt: r.ticket.noShowAt?.toISOString() ?? null,
  });

  const waiting = rows.filter((r) => r.ticket.status === "waiting");
  const states = await fieldStates(db, waiting.map((r) => r.ticket.fieldId), day);
  const byId = new Map(waiting.map((r) => [r.ticket.id, r]));
  const order = callOrder(
    waiting.map((r) => ({ id: r.ticket.id, fieldId: r.ticket.fieldId, priority: r.ticket.priority > 0, issuedAt: r.ticket.issuedAt })),
    states,
    now,
  );
  return {
    waiting: order.slice(0, LISTED).map((c) => toQueued(byId.get(c.id)!)),
    noShows: rows.filter((r) => r.ticket.status === "no_show").map(toQueued),
  };
}

/** Today's out-of-order calls of a centre, latest first: who called which ticket, where, why. */
export async function listOutOfOrderCalls(deps: Deps, actor: Actor) {
  authorize(actor, "board.watch");
  const day = serviceDate(clock(deps));
  const rows = await deps.db
    .select({
      at: ticketEvents.createdAt,
      code: tickets.code,
      details: ticketEvents.details,
      counterNumber: counters.number,
      officerName: users.fullName,
    })
    .from(ticketEvents)
    .innerJoin(tickets, eq(tickets.id, ticketEvents.ticketId))
    .leftJoin(counters, eq(counters.id, ticketEvents.counterId))
    .leftJoin(users, eq(users.id, ticketEvents.actorUserId))
    .where(and(eq(ticketEvents.centreId, centreOf(actor)), eq(ticketEvents.type, "called_out_of_order"), eq(tickets.serviceDate, day)))
    .orderBy(desc(ticketEvents.id));
  return rows.map(({ details, ...row }) => ({ ...row, ...detailsOf("called_out_of_order", details) }));
}

/** Today's waiting tickets of a centre in issue order, for the supervisor (re-route, withdraw). */
export async function listWaitingTickets(deps: Deps, actor: Actor, options: { limit?: number } = {}) {
  authorize(actor, "board.watch");
  const day = serviceDate(clock(deps));
  return deps.db
    .select({
      id: tickets.id,
      code: tickets.code,
      fieldId: tickets.fieldId,
      priority: tickets.priority,
      issuedAt: tickets.issuedAt,
      targetCounterId: tickets.targetCounterId,
      targetOfficerId: tickets.targetOfficerId,
      transferNote: tickets.transferNote,
    })
    .from(tickets)
    .where(and(eq(tickets.centreId, centreOf(actor)), eq(tickets.serviceDate, day), eq(tickets.status, "waiting")))
    .orderBy(asc(tickets.issuedAt), asc(tickets.id))
    .limit(options.limit ?? 200);
}

/** Today's tickets of a centre, latest first, for the reception desk (reprint, cancel). */
export async function listTodayTickets(deps: Deps, actor: Actor, options: { limit?: number } = {}) {
  authorize(actor, "ticket.issue");
  const day = serviceDate(clock(deps));
  return deps.db
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
    .where(and(eq(tickets.centreId, centreOf(actor)), eq(tickets.serviceDate, day)))
    .orderBy(desc(tickets.issuedAt), desc(tickets.id))
    .limit(options.limit ?? 30);
}
