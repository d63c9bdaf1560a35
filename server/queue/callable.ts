/**
 * Which waiting tickets a counter may call, and what the queue policy needs to know about
 * their fields. Call-next and the officer's queue list both read through here, so the list
 * shows exactly what F2 would choose from.
 */
import { and, eq, inArray, isNull, or, type Placeholder, type SQL } from "drizzle-orm";
import type { Database, Queryable } from "../../db/client";
import { counterFields, fields, ticketNumbers, tickets, type Field } from "../../db/schema";
import type { FieldQueueState } from "./policy";

/**
 * Today's waiting tickets of the counter's centre that it may call: those of its fields not
 * sent to anyone in particular, plus those transferred to this counter or to its officer.
 * Values or placeholders (a statement built once, db/prepared.ts).
 */
export function callableAt(db: Queryable, input: { [K in "counterId" | "centreId" | "officerId" | "day"]: (K extends "day" ? string : number) | Placeholder }): SQL {
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
 * Each field's policy and how many priority tickets it has called in a row on `day`: the
 * streak is kept in the field's row of the day (ticket_numbers), updated by every call in the
 * call's own transaction (server/queue/calling.ts), so it is read, not recomputed from the log.
 */
export async function fieldStates(db: Database, fieldIds: readonly number[], day: string): Promise<Map<number, FieldQueueState>> {
  const ids = [...new Set(fieldIds)];
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ field: fields, streak: ticketNumbers.priorityStreak })
    .from(fields)
    .leftJoin(ticketNumbers, and(eq(ticketNumbers.fieldId, fields.id), eq(ticketNumbers.serviceDate, day)))
    .where(inArray(fields.id, ids));
  return new Map(rows.map(({ field, streak }) => [field.id, fieldState(field, streak)]));
}

/** The policy's view of a field: its mode, ratio and ageing cap, and its streak of the day. */
export function fieldState(field: Pick<Field, "queueMode" | "priorityRatio" | "ageingCapMinutes">, streak: number | null): FieldQueueState {
  return {
    policy: { mode: field.queueMode, priorityRatio: field.priorityRatio, ageingCapMinutes: field.ageingCapMinutes },
    priorityStreak: streak ?? 0,
  };
}
