/**
 * Which waiting tickets a counter may call, and what the queue policy needs to know about
 * their fields. Call-next and the officer's queue list both read through here, so the list
 * shows exactly what F2 would choose from.
 */
import { and, eq, inArray, isNull, lte, or, sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { counterFields, fields, ticketEvents, tickets } from "../../db/schema";
import { priorityStreak, type FieldQueueState } from "./policy";

/**
 * Today's waiting tickets of the counter's centre that it may call: those of its fields not
 * sent to anyone in particular, plus those transferred to this counter or to its officer.
 */
export function callableAt(db: Database, input: { counterId: number; centreId: number; officerId: number; day: string }): SQL {
  const servedFields = db.select({ fieldId: counterFields.fieldId }).from(counterFields).where(eq(counterFields.counterId, input.counterId));
  return and(
    eq(tickets.centreId, input.centreId),
    eq(tickets.serviceDate, input.day),
    eq(tickets.status, "waiting"),
    or(
      and(inArray(tickets.fieldId, servedFields), isNull(tickets.targetCounterId), isNull(tickets.targetOfficerId)),
      eq(tickets.targetCounterId, input.counterId),
      eq(tickets.targetOfficerId, input.officerId),
    ),
  )!;
}

/**
 * Each field's policy and how many priority tickets it has called in a row today, from the
 * event log: calls in the field (recalls and transfers are not calls).
 */
export async function fieldStates(db: Database, fieldIds: readonly number[], day: string): Promise<Map<number, FieldQueueState>> {
  const ids = [...new Set(fieldIds)];
  if (ids.length === 0) return new Map();
  const policies = await db.select().from(fields).where(inArray(fields.id, ids));
  const depth = Math.max(...policies.map((f) => f.priorityRatio), 1);
  const ranked = db
    .select({
      fieldId: ticketEvents.fieldId,
      priority: tickets.priority,
      rn: sql<number>`row_number() over (partition by ${ticketEvents.fieldId} order by ${ticketEvents.seq} desc)`.as("rn"),
    })
    .from(ticketEvents)
    .innerJoin(tickets, eq(tickets.id, ticketEvents.ticketId))
    .where(and(inArray(ticketEvents.fieldId, ids), inArray(ticketEvents.type, ["called", "called_out_of_order"]), eq(tickets.serviceDate, day)))
    .as("ranked");
  const recent = await db.select().from(ranked).where(lte(ranked.rn, depth)).orderBy(ranked.fieldId, ranked.rn);
  return new Map(
    policies.map((f) => [
      f.id,
      {
        policy: { mode: f.queueMode, priorityRatio: f.priorityRatio, ageingCapMinutes: f.ageingCapMinutes },
        priorityStreak: priorityStreak(recent.filter((r) => r.fieldId === f.id).map((r) => r.priority > 0)),
      },
    ]),
  );
}
