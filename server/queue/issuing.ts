/** Giving out a ticket: at the kiosk or the reception desk, one gapless number a field a day. */
import { and, eq, isNull, lte, or, sql } from "drizzle-orm";
import type { Transaction } from "../../db/client";
import { appointments, centres, devices, fields, priorityClasses, ticketNumbers, tickets } from "../../db/schema";
import { authorize, centreOf, eventActor, type Actor, type DeviceActor } from "../auth/permissions";
import { clock, inTransaction, type ServiceDeps } from "../context";
import { AppError } from "../errors";
import type { TicketSummary } from "../realtime/events";
import { generateToken } from "../auth/token";
import { securityLog } from "../security-log";
import { serviceDate } from "../time";
import { issuingState } from "./availability";
import { toTicketSummary } from "./internal";
import { recordEvent } from "./event-log";
import { countServingCounters } from "./snapshot";
import { ticketStanding } from "./standing";
import { ticketCode } from "./rules";

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
    // With the centre's choice for unserved fields. The day's count is read once the lock is
    // held (its own statement, so its snapshot is taken after the wait: it sees the last commit).
    const [row] = await tx
      .select({ field: fields, unservedIssuing: centres.unservedIssuing })
      .from(fields)
      .innerJoin(centres, eq(centres.id, fields.centreId))
      .where(and(eq(fields.id, input.fieldId), eq(fields.centreId, centreId)))
      .for("no key update", { of: fields });
    const issuedToday = row ? await countIssued(tx, input.fieldId, day) : 0;
    if (!row) throw new AppError("field_not_found");
    const { field } = row;
    const state = issuingState({ ...field, issuedToday }, now);
    const booked = input.appointment !== undefined;
    if (state === "closed") throw new AppError("field_closed", { field: field.name });
    if (state === "cut_off" && !booked) throw new AppError("field_cut_off", { field: field.name, time: field.cutoffTime ?? "" });
    if (state === "sold_out" && !booked) throw new AppError("field_sold_out", { field: field.name });
    if (actor.kind === "device" && row.unservedIssuing === "refuse" && (await countServingCounters(tx, field.id)) === 0) {
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

    const seq = await recordEvent(tx, ticket!, { type: "issued", from: null, actor: eventActor(actor) });
    const summary = toTicketSummary(ticket!);
    outbox.push({ type: "ticket.issued", seq, centreId, at: now.toISOString(), ticket: summary });
    return { ticket: summary, row: ticket!, trackingToken: ticket!.trackingToken!, fieldName: field.name, priorityClassName, seq };
  });
  if (issued === null) return refuseFastTap(deps, actor as DeviceActor, day);
  // Where it stands is read after the commit: the field row lock is not held for it.
  const { row, ...result } = issued;
  return { ...result, ...(await ticketStanding(deps.db, row, now)) };
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

async function countIssued(tx: Transaction, fieldId: number, day: string): Promise<number> {
  const [row] = await tx
    .select({ last: ticketNumbers.lastNumber })
    .from(ticketNumbers)
    .where(and(eq(ticketNumbers.fieldId, fieldId), eq(ticketNumbers.serviceDate, day)));
  return row?.last ?? 0;
}
