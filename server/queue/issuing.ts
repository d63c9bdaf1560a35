/** Giving out a ticket: at the kiosk or the reception desk, one gapless number a field a day. */
import { and, eq, gte, inArray, isNotNull, isNull, lte, ne, or, sql } from "drizzle-orm";
import type { Database, Transaction } from "../../db/client";
import { appointments, centres, counterFields, counters, devices, fields, priorityClasses, ticketNumbers, tickets } from "../../db/schema";
import { authorize, centreOf, eventActor, type Actor, type DeviceActor } from "../auth/permissions";
import { clock, inTransaction, type ServiceDeps } from "../context";
import { AppError } from "../errors";
import type { TicketSummary } from "../realtime/events";
import { generateToken } from "../auth/token";
import { securityLog } from "../security-log";
import { serviceDate } from "../time";
import { issuingState } from "./availability";
import { estimateWaitMinutes } from "./estimate";
import { recordEvent, toTicketSummary } from "./internal";
import { countOpenCounters, countServingCounters, meanServiceSeconds } from "./snapshot";
import { ticketCode } from "./rules";
import { fieldStates } from "./callable";
import { standing } from "./policy";

export type IssuedTicket = {
  ticket: TicketSummary;
  fieldName: string;
  priorityClassName: string | null;
  peopleAhead: number;
  /** The secret of the ticket's tracking page (/t/<token>): only its holder (the slip, the QR) has it. */
  trackingToken: string;
  /** Minutes; null when no counter serves the field right now. */
  estimatedWaitMinutes: number | null;
  seq: number;
};

/**
 * Issues the next number of a field for today. The channel is the actor's: a kiosk issues on
 * the kiosk channel, a staff member at reception. The daily number is a row incremented in the
 * same transaction (gapless, unique under concurrency). A field that is unknown, closed, past
 * its capacity or past its last issue time is refused before anything is written.
 *
 * With `appointment` (server/appointments/check-in.ts) the ticket is the check-in of that booking:
 * on the `appointment` channel, priority or not as policy.ts `appointmentPlacement` decided, and
 * the booking is marked checked in in the same transaction (a second check-in finds it taken and
 * nothing is issued). Its place was counted when it was booked, so the field's daily capacity and
 * last issue time do not refuse it; a closed field still does.
 */
export async function issueTicket(
  deps: ServiceDeps,
  actor: Actor,
  input: { fieldId: number; priorityClassId?: number | null; appointment?: { id: number; priority: boolean } },
): Promise<IssuedTicket> {
  authorize(actor, "ticket.issue");
  const centreId = centreOf(actor);
  const now = clock(deps);
  const day = serviceDate(now);
  const issued = await inTransaction(deps, async (tx, outbox) => {
    const paceMs = deps.config?.kioskPaceMs ?? KIOSK_PACE_MS;
    if (actor.kind === "device" && paceMs > 0 && !(await paceKiosk(tx, actor.deviceId, now, paceMs))) return null;
    // The field row is locked so that the capacity check and the number agree.
    const [field] = await tx
      .select()
      .from(fields)
      .where(and(eq(fields.id, input.fieldId), eq(fields.centreId, centreId)))
      .for("no key update");
    if (!field) throw new AppError("field_not_found");
    const issuedToday = await countIssued(tx, field.id, day);
    const state = issuingState({ ...field, issuedToday }, now);
    const booked = input.appointment !== undefined;
    if (state === "closed") throw new AppError("field_closed", { field: field.name });
    if (state === "cut_off" && !booked) throw new AppError("field_cut_off", { field: field.name, time: field.cutoffTime ?? "" });
    if (state === "sold_out" && !booked) throw new AppError("field_sold_out", { field: field.name });
    if (actor.kind === "device" && (await refusesUnserved(tx, centreId)) && (await countServingCounters(tx, field.id)) === 0) {
      throw new AppError("field_unserved", { field: field.name });
    }

    let priorityClassName: string | null = null;
    if (input.priorityClassId) {
      const [pc] = await tx
        .select()
        .from(priorityClasses)
        .where(and(eq(priorityClasses.id, input.priorityClassId), eq(priorityClasses.centreId, centreId), eq(priorityClasses.isActive, true)));
      if (!pc) throw new AppError("priority_class_not_found");
      priorityClassName = pc.name;
    }

    const number = issuedToday + 1;
    await tx
      .insert(ticketNumbers)
      .values({ fieldId: field.id, serviceDate: day, lastNumber: number })
      .onConflictDoUpdate({ target: [ticketNumbers.fieldId, ticketNumbers.serviceDate], set: { lastNumber: number } });
    const priority = input.priorityClassId || input.appointment?.priority ? 1 : 0;
    const [ticket] = await tx
      .insert(tickets)
      .values({
        centreId,
        fieldId: field.id,
        serviceDate: day,
        number,
        code: ticketCode(field.prefix, number),
        priority,
        priorityClassId: input.priorityClassId ?? null,
        channel: booked ? "appointment" : actor.kind === "device" ? "kiosk" : "reception",
        deviceId: actor.kind === "device" ? actor.deviceId : null,
        trackingToken: generateToken(),
      })
      .returning();
    if (input.appointment) {
      const [claimed] = await tx
        .update(appointments)
        .set({ status: "checked_in", ticketId: ticket!.id, checkedInAt: now })
        .where(and(eq(appointments.id, input.appointment.id), eq(appointments.fieldId, field.id), eq(appointments.status, "booked")))
        .returning({ id: appointments.id });
      if (!claimed) throw new AppError("appointment_already_checked_in");
    }

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
    const peopleAhead = ahead?.n ?? 0;

    const seq = await recordEvent(tx, ticket!, { type: "issued", from: null, actor: eventActor(actor) });
    const summary = toTicketSummary(ticket!);
    outbox.push({ type: "ticket.issued", seq, centreId, at: now.toISOString(), ticket: summary });
    return { ticket: summary, trackingToken: ticket!.trackingToken!, field, fieldName: field.name, priorityClassName, peopleAhead, seq };
  });
  if (issued === null) return refuseFastTap(deps, actor as DeviceActor, day);
  // Where it stands is read after the commit: the field row lock is not held for it.
  const { field, ...result } = issued;
  const [place, means] = await Promise.all([placeInLine(deps.db, centreId, result.ticket.id, field.id, day, now), meanServiceSeconds(deps.db, [field], day)]);
  const mean = means.get(field.id)!;
  if (!place) {
    // No counter may call it now: the people ahead in its own field, and no estimate.
    const openCounters = await countOpenCounters(deps.db, field.id);
    return { ...result, estimatedWaitMinutes: estimateWaitMinutes({ peopleAhead: result.peopleAhead, openCounters, meanServiceSeconds: mean }) };
  }
  return { ...result, peopleAhead: place.ahead, estimatedWaitMinutes: place.ahead === 0 ? 0 : Math.ceil((place.rounds * mean) / 60) || 1 };
}

/**
 * Where a new ticket stands among what the open, staffed counters will call (policy.ts
 * `standing`): the counters serving its field and every counter sharing a field with them,
 * with today's waiting tickets of those fields that are not sent to anyone in particular.
 */
async function placeInLine(db: Database, centreId: number, ticketId: number, fieldId: number, day: string, now: Date) {
  const rows = await db
    .select({ counterId: counters.id, fieldId: counterFields.fieldId })
    .from(counters)
    .innerJoin(counterFields, eq(counterFields.counterId, counters.id))
    .where(and(eq(counters.centreId, centreId), eq(counters.status, "open"), isNotNull(counters.officerId)));
  const fieldsOf = new Map<number, number[]>();
  for (const r of rows) fieldsOf.set(r.counterId, [...(fieldsOf.get(r.counterId) ?? []), r.fieldId]);
  // The counters linked to the field through shared fields, and their fields.
  const linkedFields = new Set([fieldId]);
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
        eq(tickets.serviceDate, day),
        eq(tickets.status, "waiting"),
        inArray(tickets.fieldId, [...linkedFields]),
        isNull(tickets.targetCounterId),
        isNull(tickets.targetOfficerId),
      ),
    );
  const candidates = waiting.map((t) => ({ id: t.id, fieldId: t.fieldId, priority: t.priority > 0, issuedAt: t.issuedAt }));
  const states = await fieldStates(db, [...linkedFields], day);
  return standing(ticketId, candidates, [...linked].map(([id, fieldIds]) => ({ id, fieldIds })), states, now);
}

/** A kiosk gives out one ticket every few seconds at most: a child's burst of taps is not a burst of tickets. */
export const KIOSK_PACE_MS = 3_000;

/** Takes the kiosk's turn in the issuing transaction (a refused issue gives it back); false while it is too soon. */
async function paceKiosk(tx: Transaction, deviceId: number, now: Date, paceMs: number): Promise<boolean> {
  const [taken] = await tx
    .update(devices)
    .set({ lastIssuedAt: now })
    .where(and(eq(devices.id, deviceId), or(isNull(devices.lastIssuedAt), lte(devices.lastIssuedAt, new Date(now.getTime() - paceMs)))))
    .returning({ id: devices.id });
  return taken !== undefined;
}

/** Counts the refused tap for the supervisor (today's count per kiosk) and says so to the citizen. */
async function refuseFastTap(deps: ServiceDeps, kiosk: DeviceActor, day: string): Promise<never> {
  await deps.db
    .update(devices)
    .set({
      refusedCount: sql`case when ${devices.refusedDate} = ${day} then ${devices.refusedCount} + 1 else 1 end`,
      refusedDate: day,
    })
    .where(eq(devices.id, kiosk.deviceId));
  securityLog(deps, "kiosk.throttled", { deviceId: kiosk.deviceId });
  throw new AppError("kiosk_too_fast", { seconds: Math.ceil((deps.config?.kioskPaceMs ?? KIOSK_PACE_MS) / 1000) || 1 });
}

async function refusesUnserved(tx: Transaction, centreId: number) {
  const [centre] = await tx.select({ unservedIssuing: centres.unservedIssuing }).from(centres).where(eq(centres.id, centreId));
  return centre?.unservedIssuing === "refuse";
}

async function countIssued(tx: Transaction, fieldId: number, day: string): Promise<number> {
  const [row] = await tx
    .select({ last: ticketNumbers.lastNumber })
    .from(ticketNumbers)
    .where(and(eq(ticketNumbers.fieldId, fieldId), eq(ticketNumbers.serviceDate, day)));
  return row?.last ?? 0;
}
