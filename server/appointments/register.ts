/**
 * The centre's side of appointments: no-shows marked at the end of the day, the counts per field
 * and day (the supervisor's board, reports), and the day's list for staff.
 */
import { and, asc, eq, lt, or, sql } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { appointments, centres, fields, tickets } from "../../db/schema";
import { authorize, centreOf, type Actor } from "../auth/permissions";
import { clock, type ServiceDeps } from "../context";
import { serviceDate, timeOfDay } from "../time";

/**
 * A booking still `booked` when its day is over is a no-show: the day after it, or on its day
 * once the centre has closed (a late citizen may check in until then, as a normal ticket).
 * Safe to run again and on every instance: it only moves `booked` rows. Returns how many.
 */
export async function markAppointmentNoShows(deps: Pick<ServiceDeps, "db" | "now">): Promise<number> {
  const now = clock(deps);
  const today = serviceDate(now);
  const time = timeOfDay(now);
  const rows = await deps.db
    .update(appointments)
    .set({ status: "no_show" })
    .where(
      and(
        eq(appointments.status, "booked"),
        or(
          lt(appointments.day, today),
          and(eq(appointments.day, today), sql`exists (select 1 from ${centres} where ${centres.id} = ${appointments.centreId} and ${centres.closesAt} <= ${time})`),
        ),
      ),
    )
    .returning({ id: appointments.id });
  return rows.length;
}

export type AppointmentCounts = { booked: number; checkedIn: number; noShow: number; cancelled: number };

/** Each field's appointments of a day by state (fields with none are absent). */
export async function appointmentCounts(q: Queryable, centreId: number, day: string): Promise<Map<number, AppointmentCounts>> {
  const rows = await q
    .select({ fieldId: appointments.fieldId, status: appointments.status, n: sql<number>`count(*)::int` })
    .from(appointments)
    .where(and(eq(appointments.centreId, centreId), eq(appointments.day, day)))
    .groupBy(appointments.fieldId, appointments.status);
  const counts = new Map<number, AppointmentCounts>();
  const key = { booked: "booked", checked_in: "checkedIn", no_show: "noShow", cancelled: "cancelled" } as const;
  for (const r of rows) {
    const c = counts.get(r.fieldId) ?? { booked: 0, checkedIn: 0, noShow: 0, cancelled: 0 };
    c[key[r.status]] += r.n;
    counts.set(r.fieldId, c);
  }
  return counts;
}

/** A day's appointments of the centre (today by default) for staff: the phone by its last digits only. */
export async function appointmentsOfDay(deps: Pick<ServiceDeps, "db" | "now">, actor: Actor, input: { day?: string } = {}) {
  authorize(actor, "appointments.view");
  const centreId = centreOf(actor);
  const day = input.day && /^\d{4}-\d{2}-\d{2}$/.test(input.day) ? input.day : serviceDate(clock(deps));
  const rows = await deps.db
    .select({
      code: appointments.code,
      fieldId: appointments.fieldId,
      fieldName: fields.name,
      slotStart: appointments.slotStart,
      status: appointments.status,
      phone: appointments.phone,
      ticketCode: tickets.code,
      checkedInAt: appointments.checkedInAt,
    })
    .from(appointments)
    .innerJoin(fields, eq(fields.id, appointments.fieldId))
    .leftJoin(tickets, eq(tickets.id, appointments.ticketId))
    .where(and(eq(appointments.centreId, centreId), eq(appointments.day, day)))
    .orderBy(asc(fields.sortOrder), asc(appointments.slotStart), asc(appointments.id));
  return {
    day,
    appointments: rows.map((r) => ({
      code: r.code,
      fieldId: r.fieldId,
      fieldName: r.fieldName,
      slotStart: r.slotStart,
      status: r.status,
      phoneEnd: r.phone.slice(-4),
      ticketCode: r.ticketCode,
      checkedInAt: r.checkedInAt?.toISOString() ?? null,
    })),
    counts: Object.fromEntries(await appointmentCounts(deps.db, centreId, day)),
  };
}
