/**
 * Appointments on a real database with a fixed clock: the calendar refuses days off, one booking
 * per phone, cancelling by code and phone digits, the kiosk check-in placed by policy.ts's rule
 * (priority within ±15 minutes, normal after, refused too early or another day), no-shows.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appointments, calendarDecisions, fields, tickets } from "../../db/schema";
import { bookAppointment, cancelAppointment, type AppointmentDeps } from "../../server/appointments/booking";
import { checkInAppointment } from "../../server/appointments/check-in";
import { appointmentSlots, bookableDays } from "../../server/appointments/days";
import { appointmentCounts, markAppointmentNoShows } from "../../server/appointments/register";
import { createAppointmentThrottle } from "../../server/appointments/throttle";
import { databaseThrottles } from "../../server/throttle/database";
import type { DeviceActor } from "../../server/auth/permissions";
import { seedDemo } from "../../server/demo/seed";
import { staffEveryCounter } from "../../server/demo/staffed-centre";
import { isAppError } from "../../server/errors";
import { callNextTicket } from "../../server/queue/calling";
import { runDayEnd } from "../../server/queue/day-end";
import { issueTicket } from "../../server/queue/issuing";
import { DEFAULT_SESSION_POLICY } from "../../server/auth/session";
import { kioskActor, NO_KIOSK_PACE, recordingPublisher } from "../helpers/actors";
import { createTestDatabase } from "../helpers/database";

let drop: () => Promise<void>;
let deps: AppointmentDeps;
let now = new Date();
let centreId: number;
let hoTich: number;
let chungThuc: number;
let kiosk: DeviceActor;
const vn = (iso: string) => new Date(`${iso}+07:00`);
const at = (iso: string) => (now = vn(iso));

/** The refusal's code (and message) of a call that must fail. */
async function refusal(work: Promise<unknown>) {
  try {
    await work;
  } catch (error) {
    if (isAppError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("it went through");
}

let address = 0;
const book = (day: string, slotStart: string, phone: string, fieldId = hoTich) =>
  bookAppointment(deps, { fieldId, day, slotStart, phone, address: `198.51.100.${++address % 250}` });

beforeAll(async () => {
  const test = await createTestDatabase();
  drop = test.drop;
  deps = { db: test.handle.db, events: recordingPublisher([]), config: NO_KIOSK_PACE, now: () => now, appointmentThrottle: createAppointmentThrottle(databaseThrottles(test.handle.db)) };
  ({ centreId } = await seedDemo(deps.db, { password: "Appointments@Test1" }));
  const rows = await deps.db.select().from(fields).where(eq(fields.centreId, centreId));
  hoTich = rows.find((f) => f.code === "HT")!.id;
  chungThuc = rows.find((f) => f.code === "CT")!.id;
  kiosk = await kioskActor(deps.db, centreId);
}, 120_000);
afterAll(() => drop?.());

describe("booking respects the working-day calendar", () => {
  it("refuses Quốc khánh (2 September) naming the day and why, and leaves it out of the days offered", async () => {
    at("2026-08-24T08:00:00");
    const refused = await refusal(book("2026-09-02", "09:00", "0912000001"));
    expect(refused.code).toBe("appointment_day_off");
    expect(refused.message).toContain("02/09/2026");
    expect(refused.message).toContain("Quốc khánh");
    const { days } = await bookableDays(deps, { fieldId: hoTich, address: "x" });
    expect(days.map((d) => d.day)).not.toContain("2026-09-02");
    expect(days.map((d) => d.day)).not.toContain("2026-08-29"); // a Saturday
    expect(days[0]!.day).toBe("2026-08-24");
  });

  it("refuses a weekend and a day the centre decided to close", async () => {
    at("2026-11-30T08:00:00");
    expect((await refusal(book("2026-12-05", "09:00", "0912000002"))).message).toContain("thứ Bảy");
    await deps.db.insert(calendarDecisions).values({ centreId, year: 2026, daysOff: ["2026-12-03"], workingDays: [], source: "Quyết định của trung tâm" });
    const refused = await refusal(book("2026-12-03", "09:00", "0912000002"));
    expect(refused.code).toBe("appointment_day_off");
    expect(refused.message).toContain("03/12/2026");
  });

  it("refuses a day past or beyond the horizon, a slot already started, a field without appointments", async () => {
    at("2026-11-30T09:10:00");
    expect((await refusal(book("2026-11-27", "09:00", "0912000003"))).code).toBe("appointment_day_out_of_range");
    expect((await refusal(book("2027-01-04", "09:00", "0912000003"))).code).toBe("appointment_day_out_of_range");
    expect((await refusal(book("2026-11-30", "09:00", "0912000003"))).code).toBe("appointment_slot_past");
    expect((await refusal(book("2026-11-30", "09:10", "0912000003"))).code).toBe("appointment_slot_invalid");
    const [datDai] = await deps.db.select().from(fields).where(and(eq(fields.centreId, centreId), eq(fields.code, "XD")));
    expect((await refusal(book("2026-12-01", "09:00", "0912000003", datDai!.id))).code).toBe("appointment_field_closed");
    expect((await refusal(book("2026-12-01", "09:00", "0212000003"))).code).toBe("appointment_phone_invalid");
  });
});

describe("one active booking per phone, field and day; cancelling", () => {
  it("refuses a second booking of the phone that day in the field, not in another field nor another day", async () => {
    at("2026-11-30T08:00:00");
    const first = await book("2026-12-01", "10:00", "0987 111 222");
    expect(first).toMatchObject({ day: "2026-12-01", slotStart: "10:00", status: "booked", fieldName: "Hộ tịch" });
    expect(first.code).toMatch(/^[2-9A-HJ-NP-Z]{10}$/);
    const again = await refusal(book("2026-12-01", "14:00", "+84987111222"));
    expect(again.code).toBe("appointment_phone_taken");
    expect(again.message).toContain("10:00");
    await book("2026-12-01", "14:00", "0987111222", chungThuc);
    await book("2026-12-02", "14:00", "0987111222");
    const slots = await appointmentSlots(deps, { fieldId: hoTich, day: "2026-12-01", address: "x" });
    expect(slots.slots.find((s) => s.start === "10:00")!.left).toBe(1);
  });

  it("cancels with the code and the last four digits only, once; the phone may then book again", async () => {
    at("2026-11-30T08:00:00");
    const booking = await book("2026-12-01", "10:30", "0977333444");
    expect((await refusal(cancelAppointment(deps, { code: booking.code, phoneLast4: "4443", address: "203.0.113.1" }))).code).toBe("appointment_not_found");
    const cancelled = await cancelAppointment(deps, { code: booking.code.toLowerCase(), phoneLast4: "3444", address: "203.0.113.1" });
    expect(cancelled).toMatchObject({ code: booking.code, status: "cancelled" });
    expect((await refusal(cancelAppointment(deps, { code: booking.code, phoneLast4: "3444", address: "203.0.113.1" }))).code).toBe("appointment_not_cancellable");
    expect((await book("2026-12-01", "11:00", "0977333444")).status).toBe("booked");
  });
});

describe("check-in at the kiosk", () => {
  let onTime: string;
  let late: string;
  let absent: string;

  beforeAll(async () => {
    at("2026-11-30T08:00:00");
    onTime = (await book("2026-12-01", "09:00", "0901000001")).code;
    late = (await book("2026-12-01", "09:00", "0901000002")).code;
    absent = (await book("2026-12-01", "15:00", "0901000003")).code;
  });

  it("refuses another day and too early, saying when to come back", async () => {
    at("2026-11-30T09:00:00");
    const otherDay = await refusal(checkInAppointment(deps, kiosk, { code: onTime }));
    expect(otherDay.code).toBe("appointment_not_today");
    expect(otherDay.message).toContain("01/12/2026");
    at("2026-12-01T08:44:00");
    const early = await refusal(checkInAppointment(deps, kiosk, { code: onTime }));
    expect(early.code).toBe("appointment_too_early");
    expect(early.message).toContain("mời quay lại từ 08:45");
    expect(await deps.db.select().from(tickets).where(eq(tickets.channel, "appointment"))).toHaveLength(0);
  });

  it("inside ±15 minutes gives a priority ticket on the appointment channel, called before walk-ins who came earlier", async () => {
    at("2026-12-01T08:30:00");
    const walkIn = await issueTicket(deps, kiosk, { fieldId: hoTich });
    at("2026-12-01T09:12:00");
    const done = await checkInAppointment(deps, kiosk, { code: onTime.slice(0, 5).toLowerCase() + " " + onTime.slice(5) });
    expect(done.appointment).toMatchObject({ code: onTime, onTime: true });
    expect(done.trackingToken).toMatch(/.{20,}/);
    const [ticket] = await deps.db.select().from(tickets).where(eq(tickets.id, done.ticket.id));
    expect(ticket).toMatchObject({ channel: "appointment", priority: 1, fieldId: hoTich });
    const [row] = await deps.db.select().from(appointments).where(eq(appointments.code, onTime));
    expect(row).toMatchObject({ status: "checked_in", ticketId: done.ticket.id });
    expect((await refusal(checkInAppointment(deps, kiosk, { code: onTime }))).code).toBe("appointment_already_checked_in");

    // Tickets are stamped by the database's clock, not the test's: no ageing, so only the rule decides.
    await deps.db.update(fields).set({ ageingCapMinutes: null }).where(eq(fields.id, hoTich));
    const { staff } = await staffEveryCounter(deps, { centreId, fieldIds: [hoTich], usernamePrefix: "lichhen" });
    const called = await callNextTicket(deps, staff[0]!.actor, { counterId: staff[0]!.counterId });
    expect(called.ticket.id).toBe(done.ticket.id);
    expect(called.ticket.id).not.toBe(walkIn.ticket.id);
  });

  it("after the window, the same day, gives a normal ticket behind the walk-ins", async () => {
    at("2026-12-01T09:15:01");
    const done = await checkInAppointment(deps, kiosk, { code: late });
    expect(done.appointment.onTime).toBe(false);
    const [ticket] = await deps.db.select().from(tickets).where(eq(tickets.id, done.ticket.id));
    expect(ticket).toMatchObject({ channel: "appointment", priority: 0 });
    expect(done.peopleAhead).toBeGreaterThanOrEqual(1);
  });

  it("marks what is still booked after closing time as no-shows, counted per field; they cannot check in", async () => {
    at("2026-12-01T17:00:00");
    expect(await markAppointmentNoShows(deps)).toBe(0);
    // The day-end job does it once the centre has closed.
    at("2026-12-01T17:30:00");
    expect((await runDayEnd(deps, { sessionPolicy: DEFAULT_SESSION_POLICY })).appointmentNoShows).toBeGreaterThanOrEqual(1);
    const [row] = await deps.db.select().from(appointments).where(eq(appointments.code, absent));
    expect(row!.status).toBe("no_show");
    const counts = (await appointmentCounts(deps.db, centreId, "2026-12-01")).get(hoTich)!;
    expect(counts).toMatchObject({ checkedIn: 2, booked: 0 });
    expect(counts.noShow).toBeGreaterThanOrEqual(1);
    expect((await refusal(checkInAppointment(deps, kiosk, { code: absent }))).code).toBe("appointment_missed");
  });

  it("refuses an unknown code, and after 20 wrong codes from one kiosk refuses even a right one (429)", async () => {
    at("2026-12-02T08:50:00");
    const own = await kioskActor(deps.db, centreId, "Máy lấy số dò mã");
    const booked = await book("2026-12-02", "09:00", "0901000009");
    expect((await refusal(checkInAppointment(deps, own, { code: "ABCDEFGHJK" }))).code).toBe("appointment_not_found_code");
    for (let i = 1; i < 20; i++) await refusal(checkInAppointment(deps, own, { code: `ABCDEFGH${"23456789ABCDEFGHJKLM"[i]}2` }));
    const held = await refusal(checkInAppointment(deps, own, { code: booked.code }));
    expect(held.code).toBe("appointment_throttled");
    // Another kiosk is not held back.
    expect((await checkInAppointment(deps, kiosk, { code: booked.code })).appointment.onTime).toBe(true);
  });
});
