/**
 * Where a waiting ticket stands now: how many will be called before it and how long that should
 * take. One rule for the kiosk's answer, the printed slip and the citizen's tracking page.
 */
import { and, eq, gt, inArray, isNotNull, isNull, lt, ne, or, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { counterFields, counters, fields, tickets, type Ticket } from "../../db/schema";
import { fieldStates } from "./callable";
import { estimateWaitMinutes } from "./estimate";
import { standing } from "./policy";
import { countOpenCounters, meanServiceSeconds } from "./snapshot";

export type Standing = {
  /** Tickets the counters will call before this one. */
  peopleAhead: number;
  /** Minutes; null when no counter serves the field right now (no honest estimate). */
  estimatedWaitMinutes: number | null;
};

type WaitingTicket = Pick<Ticket, "id" | "centreId" | "fieldId" | "serviceDate" | "priority" | "issuedAt">;

/**
 * Where a waiting ticket stands among what the open, staffed counters will call (policy.ts
 * `standing`): the calls before it, and their rounds × the field's recent mean service time.
 * When no such counter may call it (none open for its field, or it was sent to a particular
 * counter or officer), the waiting tickets of its own field that go before it, and an estimate
 * only if a counter is open for the field.
 */
export async function ticketStanding(db: Database, ticket: WaitingTicket, now: Date): Promise<Standing> {
  const [field] = await db.select({ id: fields.id, defaultServiceMinutes: fields.defaultServiceMinutes }).from(fields).where(eq(fields.id, ticket.fieldId));
  const [place, means] = await Promise.all([placeInLine(db, ticket, now), meanServiceSeconds(db, [field!], ticket.serviceDate)]);
  const mean = means.get(ticket.fieldId)!;
  if (place) return { peopleAhead: place.ahead, estimatedWaitMinutes: place.ahead === 0 ? 0 : Math.ceil((place.rounds * mean) / 60) || 1 };
  const [ahead] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(tickets)
    .where(
      and(
        eq(tickets.fieldId, ticket.fieldId),
        eq(tickets.serviceDate, ticket.serviceDate),
        eq(tickets.status, "waiting"),
        ne(tickets.id, ticket.id),
        or(gt(tickets.priority, ticket.priority), and(eq(tickets.priority, ticket.priority), lt(tickets.issuedAt, ticket.issuedAt))),
      ),
    );
  const peopleAhead = ahead?.n ?? 0;
  const openCounters = await countOpenCounters(db, ticket.fieldId);
  return { peopleAhead, estimatedWaitMinutes: estimateWaitMinutes({ peopleAhead, openCounters, meanServiceSeconds: mean }) };
}

/**
 * The counters serving the ticket's field and every counter sharing a field with them, with
 * today's waiting tickets of those fields that are not sent to anyone in particular; null when
 * none of them may call it.
 */
async function placeInLine(db: Database, ticket: WaitingTicket, now: Date) {
  const rows = await db
    .select({ counterId: counters.id, fieldId: counterFields.fieldId })
    .from(counters)
    .innerJoin(counterFields, eq(counterFields.counterId, counters.id))
    .where(and(eq(counters.centreId, ticket.centreId), eq(counters.status, "open"), isNotNull(counters.officerId)));
  const fieldsOf = new Map<number, number[]>();
  for (const r of rows) fieldsOf.set(r.counterId, [...(fieldsOf.get(r.counterId) ?? []), r.fieldId]);
  // The counters linked to the field through shared fields, and their fields.
  const linkedFields = new Set([ticket.fieldId]);
  const linked = new Map<number, number[]>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const [counterId, served] of fieldsOf) {
      if (linked.has(counterId) || !served.some((f) => linkedFields.has(f))) continue;
      linked.set(counterId, served);
      for (const f of served) linkedFields.add(f);
      grew = true;
    }
  }
  if (linked.size === 0) return null;
  const waiting = await db
    .select({ id: tickets.id, fieldId: tickets.fieldId, priority: tickets.priority, issuedAt: tickets.issuedAt })
    .from(tickets)
    .where(
      and(
        eq(tickets.serviceDate, ticket.serviceDate),
        // Written, not bound: a plan made once may then use the partial index of waiting tickets (decision 0005).
        sql`${tickets.status} = 'waiting'`,
        inArray(tickets.fieldId, [...linkedFields]),
        isNull(tickets.targetCounterId),
        isNull(tickets.targetOfficerId),
      ),
    );
  const candidates = waiting.map((t) => ({ id: t.id, fieldId: t.fieldId, priority: t.priority > 0, issuedAt: t.issuedAt }));
  const states = await fieldStates(db, [...linkedFields], ticket.serviceDate);
  return standing(ticket.id, candidates, [...linked].map(([id, fieldIds]) => ({ id, fieldIds })), states, now);
}
