/**
 * What a citizen may book: the centres and fields that take appointments, the working days
 * ahead, and each day's slots with the places left. Public: names, days and counts only.
 */
import { and, asc, eq, gt, inArray, sql } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { appointments, centres, fields, procedures, type Field } from "../../db/schema";
import { calendarOrCentre } from "../calendar/calendars";
import { addDays, isWorkingDay, type Day, type WorkCalendar } from "../calendar/working-days";
import { clock, type ServiceDeps } from "../context";
import { AppError } from "../errors";
import { serviceDate } from "../time";
import { dayBookingLimit, dayOffReason, slotInstant, slotStarts, type SlotRules } from "./slots";
import type { AppointmentThrottle } from "./throttle";

/** What the public reads need: the database, the clock, and the throttle of the caller's address. */
type ReadDeps = Pick<ServiceDeps, "db" | "now" | "logger"> & { calendar?: WorkCalendar; appointmentThrottle: AppointmentThrottle };

/** How many calendar days ahead a slot may be booked (today included). */
export const BOOKING_HORIZON_DAYS = 30;

/** What the services read of a field that takes appointments, with its centre's hours. */
export type BookingField = Field & { centreName: string; centreAddress: string | null; opensAt: string; closesAt: string };

export const ACTIVE = ["booked", "checked_in"] as const;

/** The field, refused when it does not take appointments (unless `anyState`: a booking made earlier still names its field). */
export async function bookingField(q: Queryable, fieldId: number, options: { anyState?: boolean } = {}): Promise<BookingField> {
  const [row] = await q
    .select({ field: fields, centreName: centres.name, centreAddress: centres.address, opensAt: centres.opensAt, closesAt: centres.closesAt })
    .from(fields)
    .innerJoin(centres, eq(centres.id, fields.centreId))
    .where(eq(fields.id, fieldId));
  if (!row) throw new AppError("field_not_found");
  if (!options.anyState && (!row.field.isOpen || row.field.appointmentSlotCapacity <= 0)) throw new AppError("appointment_field_closed", { field: row.field.name });
  return { ...row.field, centreName: row.centreName, centreAddress: row.centreAddress, opensAt: row.opensAt, closesAt: row.closesAt };
}

export const rulesOf = (field: BookingField, calendar: WorkCalendar): SlotRules => ({
  opensAt: field.opensAt,
  closesAt: field.closesAt,
  hours: calendar.hours,
  slotMinutes: field.appointmentSlotMinutes,
  slotCapacity: field.appointmentSlotCapacity,
  walkInPercent: field.walkInPercent,
  dailyCapacity: field.dailyCapacity,
  cutoffTime: field.cutoffTime,
});

/** Refuses a day that cannot be booked: past, beyond the horizon, or not worked (saying why). */
export function checkBookableDay(day: Day, calendar: WorkCalendar, now: Date) {
  const today = serviceDate(now);
  if (day < today || day > addDays(today, BOOKING_HORIZON_DAYS)) throw new AppError("appointment_day_out_of_range", { days: BOOKING_HORIZON_DAYS });
  if (!isWorkingDay(day, calendar)) {
    throw new AppError("appointment_day_off", { day: `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`, reason: dayOffReason(day, calendar) ?? "" });
  }
}

/** Active bookings of a field's day, per slot start. */
export async function bookedPerSlot(q: Queryable, fieldId: number, day: Day): Promise<Map<string, number>> {
  const rows = await q
    .select({ slot: appointments.slotStart, n: sql<number>`count(*)::int` })
    .from(appointments)
    .where(and(eq(appointments.fieldId, fieldId), eq(appointments.day, day), inArray(appointments.status, [...ACTIVE])))
    .groupBy(appointments.slotStart);
  return new Map(rows.map((r) => [r.slot, r.n]));
}

export type DaySlots = {
  day: Day;
  /** Places left in the day (the walk-in share kept aside). */
  dayLeft: number;
  /** Every slot of the day; `left` is 0 for one that is full or already started. */
  slots: Array<{ start: string; left: number }>;
};

/** A day's slots with the places left, as `now` sees them. */
export function daySlots(field: BookingField, calendar: WorkCalendar, day: Day, booked: ReadonlyMap<string, number>, now: Date): DaySlots {
  const rules = rulesOf(field, calendar);
  const starts = slotStarts(rules);
  const total = [...booked.values()].reduce((a, b) => a + b, 0);
  const dayLeft = Math.max(0, dayBookingLimit(rules, starts.length) - total);
  const slots = starts.map((start) => {
    const started = slotInstant(day, start) <= now;
    const left = started ? 0 : Math.min(dayLeft, Math.max(0, rules.slotCapacity - (booked.get(start) ?? 0)));
    return { start, left };
  });
  return { day, dayLeft, slots };
}

/** The centres and their fields that take appointments, with the fields' procedures (for /dat-lich). */
export async function bookingChoices(deps: ReadDeps, input: { address: string }) {
  await deps.appointmentThrottle.read(deps, input.address);
  const rows = await deps.db
    .select({ centreId: centres.id, centreName: centres.name, centreAddress: centres.address, fieldId: fields.id, fieldName: fields.name, prefix: fields.prefix })
    .from(fields)
    .innerJoin(centres, eq(centres.id, fields.centreId))
    .where(and(eq(fields.isOpen, true), gt(fields.appointmentSlotCapacity, 0)))
    .orderBy(asc(centres.name), asc(fields.sortOrder), asc(fields.id));
  const procs = rows.length
    ? await deps.db
        .select({ id: procedures.id, fieldId: procedures.fieldId, name: procedures.name })
        .from(procedures)
        .where(and(eq(procedures.isActive, true), inArray(procedures.fieldId, rows.map((r) => r.fieldId))))
        .orderBy(asc(procedures.sortOrder), asc(procedures.name))
    : [];
  const centresOut = new Map<number, { id: number; name: string; address: string | null; fields: Array<{ id: number; name: string; prefix: string; procedures: Array<{ id: number; name: string }> }> }>();
  for (const r of rows) {
    const centre = centresOut.get(r.centreId) ?? { id: r.centreId, name: r.centreName, address: r.centreAddress, fields: [] };
    centre.fields.push({ id: r.fieldId, name: r.fieldName, prefix: r.prefix, procedures: procs.filter((p) => p.fieldId === r.fieldId).map(({ id, name }) => ({ id, name })) });
    centresOut.set(r.centreId, centre);
  }
  return [...centresOut.values()];
}

/** The working days ahead a field may be booked on, each with the places left (today while it has a slot to come). */
export async function bookableDays(deps: ReadDeps, input: { fieldId: number; address: string }) {
  await deps.appointmentThrottle.read(deps, input.address);
  const now = clock(deps);
  const field = await bookingField(deps.db, input.fieldId);
  const calendar = await calendarOrCentre(deps.calendar, deps.db, field.centreId);
  const today = serviceDate(now);
  const days: Array<{ day: Day; left: number }> = [];
  for (let i = 0; i <= BOOKING_HORIZON_DAYS; i++) {
    const day = addDays(today, i);
    if (!isWorkingDay(day, calendar)) continue;
    const slots = daySlots(field, calendar, day, await bookedPerSlot(deps.db, field.id, day), now);
    const left = slots.slots.reduce((a, s) => a + s.left, 0);
    if (i === 0 && slots.slots.every((s) => slotInstant(day, s.start) <= now)) continue;
    days.push({ day, left: Math.min(left, slots.dayLeft) });
  }
  return { field: { id: field.id, name: field.name, centreName: field.centreName }, days };
}

/** One day's slots of a field, with the places left. */
export async function appointmentSlots(deps: ReadDeps, input: { fieldId: number; day: Day; address: string }) {
  await deps.appointmentThrottle.read(deps, input.address);
  const now = clock(deps);
  const field = await bookingField(deps.db, input.fieldId);
  const calendar = await calendarOrCentre(deps.calendar, deps.db, field.centreId);
  checkBookableDay(input.day, calendar, now);
  return daySlots(field, calendar, input.day, await bookedPerSlot(deps.db, field.id, input.day), now);
}
