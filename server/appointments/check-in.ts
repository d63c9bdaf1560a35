/**
 * Checking in at the kiosk (or at reception): the booking code, typed or scanned, gives a
 * ticket on the `appointment` channel through the one issuer (server/queue/issuing.ts), placed
 * by policy.ts `appointmentPlacement`. Wrong codes are throttled per kiosk (or staff member).
 */
import { and, eq } from "drizzle-orm";
import { appointments } from "../../db/schema";
import { authorize, centreOf, type Actor } from "../auth/permissions";
import { clock } from "../context";
import { AppError } from "../errors";
import { issueTicket, type IssuedTicket } from "../queue/issuing";
import { appointmentPlacement } from "../queue/policy";
import { formatDate, formatTime } from "../time";
import type { AppointmentDeps } from "./booking";
import { normaliseBookingCode, slotInstant } from "./slots";

export type CheckedIn = IssuedTicket & { appointment: { code: string; day: string; slotStart: string; onTime: boolean } };

export async function checkInAppointment(deps: AppointmentDeps, actor: Actor, input: { code: string }): Promise<CheckedIn> {
  authorize(actor, "ticket.issue");
  const centreId = centreOf(actor);
  const who = actor.kind === "device" ? `device:${actor.deviceId}` : actor.kind === "user" ? `user:${actor.userId}` : "system";
  const code = normaliseBookingCode(input.code);
  const key = code ?? input.code.slice(0, 20);
  await deps.appointmentThrottle.beforeCode(deps, who, key);
  const [row] = code
    ? await deps.db.select().from(appointments).where(and(eq(appointments.code, code), eq(appointments.centreId, centreId)))
    : [];
  if (!row) {
    await deps.appointmentThrottle.missed(who, key);
    throw new AppError("appointment_not_found_code");
  }
  if (row.status === "checked_in") throw new AppError("appointment_already_checked_in");
  if (row.status === "cancelled") throw new AppError("appointment_cancelled");
  if (row.status === "no_show") throw new AppError("appointment_missed", { day: formatDate(slotInstant(row.day, row.slotStart)) });
  const now = clock(deps);
  const start = slotInstant(row.day, row.slotStart);
  const placement = appointmentPlacement(start, now);
  if (placement.kind === "other_day") {
    throw new AppError("appointment_not_today", { day: formatDate(start), time: row.slotStart });
  }
  if (placement.kind === "too_early") throw new AppError("appointment_too_early", { time: formatTime(placement.from), slot: row.slotStart });
  const onTime = placement.kind === "priority";
  const issued = await issueTicket(deps, actor, { fieldId: row.fieldId, appointment: { id: row.id, priority: onTime } });
  return { ...issued, appointment: { code: row.code, day: row.day, slotStart: row.slotStart, onTime } };
}
