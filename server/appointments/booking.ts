/**
 * Booking and cancelling an appointment: public, for the citizen (no account, no actor). A
 * booking is taken under an advisory lock of its field and day, so the slot's capacity, the
 * day's walk-in share and "one active booking per phone, field and day" all hold under
 * concurrency: whoever comes second counts what the first wrote.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { Transaction } from "../../db/client";
import { appointments, procedures } from "../../db/schema";
import { calendarOrCentre } from "../calendar/calendars";
import type { WorkCalendar } from "../calendar/working-days";
import { clock, type ServiceDeps } from "../context";
import { AppError } from "../errors";
import { ACTIVE, bookedPerSlot, bookingField, checkBookableDay, daySlots, type BookingField } from "./days";
import { generateBookingCode, normaliseBookingCode, normaliseMobile, slotInstant } from "./slots";
import type { AppointmentThrottle } from "./throttle";

export type AppointmentDeps = ServiceDeps & { appointmentThrottle: AppointmentThrottle; calendar?: WorkCalendar };

const bookInput = z.object({
  fieldId: z.coerce.number().int().positive().max(2_147_483_647),
  procedureId: z.coerce.number().int().positive().max(2_147_483_647).nullish(),
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  slotStart: z.string().regex(/^\d{2}:\d{2}$/),
  phone: z.string().max(40),
});

export type BookInput = z.input<typeof bookInput>;

/** What the citizen keeps of a booking (the confirmation page, the API's answer): no phone. */
export type BookingConfirmation = {
  code: string;
  day: string;
  slotStart: string;
  slotMinutes: number;
  status: "booked" | "checked_in" | "cancelled" | "no_show";
  fieldName: string;
  procedureName: string | null;
  centreName: string;
  centreAddress: string | null;
};

/** Books a slot; refused with the reason when the day, the slot, the share or the phone does not allow it. */
export async function bookAppointment(deps: AppointmentDeps, input: BookInput & { address: string }): Promise<BookingConfirmation> {
  const parsed = bookInput.safeParse(input);
  if (!parsed.success) throw new AppError("appointment_invalid");
  const { fieldId, procedureId, day, slotStart } = parsed.data;
  const phone = normaliseMobile(parsed.data.phone);
  if (!phone) throw new AppError("appointment_phone_invalid");
  await deps.appointmentThrottle.booking(deps, input.address);
  const now = clock(deps);
  const field = await bookingField(deps.db, fieldId);
  const calendar = await calendarOrCentre(deps.calendar, deps.db, field.centreId);
  checkBookableDay(day, calendar, now);
  const procedureName = procedureId ? await procedureOf(deps, field, procedureId) : null;

  return deps.db.transaction(async (tx) => {
    // The day of this field, one booking at a time (other fields and days go on alongside).
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`appointments:${field.id}:${day}`}))`);
    const { slots, dayLeft } = daySlots(field, calendar, day, await bookedPerSlot(tx, field.id, day), now);
    const slot = slots.find((s) => s.start === slotStart);
    if (!slot) throw new AppError("appointment_slot_invalid");
    if (slotInstant(day, slotStart) <= now) throw new AppError("appointment_slot_past", { time: slotStart });
    if (dayLeft <= 0) throw new AppError("appointment_day_full", { field: field.name });
    if (slot.left <= 0) throw new AppError("appointment_slot_full", { time: slotStart });
    await refuseSecondBooking(tx, field, day, phone);
    const code = await insertBooking(tx, { centreId: field.centreId, fieldId: field.id, procedureId: procedureId ?? null, day, slotStart, phone });
    return confirmation(field, { code, day, slotStart, status: "booked" }, procedureName);
  });
}

/** Cancels a booking with its code and the last four digits of its phone; tries are throttled. */
export async function cancelAppointment(deps: AppointmentDeps, input: { code: string; phoneLast4: string; address: string }): Promise<BookingConfirmation> {
  const code = normaliseBookingCode(input.code);
  const digits = input.phoneLast4.replace(/\D/g, "");
  const key = code ?? input.code.slice(0, 20);
  await deps.appointmentThrottle.beforeCode(deps, input.address, key);
  if (!code || digits.length !== 4) {
    await deps.appointmentThrottle.missed(input.address, key);
    throw new AppError("appointment_not_found");
  }
  const now = clock(deps);
  const [row] = await deps.db
    .update(appointments)
    .set({ status: "cancelled", cancelledAt: now })
    .where(and(eq(appointments.code, code), sql`right(${appointments.phone}, 4) = ${digits}`, eq(appointments.status, "booked")))
    .returning();
  if (!row) {
    const [found] = await deps.db.select().from(appointments).where(eq(appointments.code, code));
    if (!found || !found.phone.endsWith(digits)) {
      await deps.appointmentThrottle.missed(input.address, code);
      throw new AppError("appointment_not_found");
    }
    throw new AppError("appointment_not_cancellable", { status: found.status });
  }
  const field = await bookingField(deps.db, row.fieldId, { anyState: true });
  const procedureName = row.procedureId ? await procedureOf(deps, field, row.procedureId).catch(() => null) : null;
  return confirmation(field, row, procedureName);
}

export function confirmation(
  field: Pick<BookingField, "name" | "centreName" | "centreAddress" | "appointmentSlotMinutes">,
  row: { code: string; day: string; slotStart: string; status: BookingConfirmation["status"] },
  procedureName: string | null,
): BookingConfirmation {
  return {
    code: row.code,
    day: row.day,
    slotStart: row.slotStart,
    slotMinutes: field.appointmentSlotMinutes,
    status: row.status,
    fieldName: field.name,
    procedureName,
    centreName: field.centreName,
    centreAddress: field.centreAddress,
  };
}

async function procedureOf(deps: Pick<ServiceDeps, "db">, field: BookingField, procedureId: number): Promise<string> {
  const [row] = await deps.db
    .select({ name: procedures.name })
    .from(procedures)
    .where(and(eq(procedures.id, procedureId), eq(procedures.fieldId, field.id), eq(procedures.isActive, true)));
  if (!row) throw new AppError("procedure_not_found");
  return row.name;
}

async function refuseSecondBooking(tx: Transaction, field: BookingField, day: string, phone: string) {
  const [taken] = await tx
    .select({ slot: appointments.slotStart })
    .from(appointments)
    .where(and(eq(appointments.fieldId, field.id), eq(appointments.day, day), eq(appointments.phone, phone), inArray(appointments.status, [...ACTIVE])));
  if (taken) throw new AppError("appointment_phone_taken", { field: field.name, time: taken.slot });
}

async function insertBooking(tx: Transaction, values: Omit<typeof appointments.$inferInsert, "code">): Promise<string> {
  // 50 random bits: a clash is next to impossible, and would only cost another draw.
  for (let attempt = 0; ; attempt++) {
    const code = generateBookingCode();
    const [row] = await tx.insert(appointments).values({ ...values, code }).onConflictDoNothing({ target: appointments.code }).returning({ code: appointments.code });
    if (row) return row.code;
    if (attempt > 5) throw new Error("no free booking code");
  }
}
