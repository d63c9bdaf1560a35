/**
 * Twenty citizens booking at once: the slot's capacity and the day's walk-in share hold. On
 * PostgreSQL (DATABASE_URL) the bookings run on a pool of connections, truly at once; on PGlite
 * (one connection) their transactions interleave.
 */
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appointments, fields } from "../../db/schema";
import { bookAppointment, type AppointmentDeps } from "../../server/appointments/booking";
import { createAppointmentThrottle } from "../../server/appointments/throttle";
import { databaseThrottles } from "../../server/throttle/database";
import { seedDemo } from "../../server/demo/seed";
import { isAppError } from "../../server/errors";
import { NO_KIOSK_PACE, recordingPublisher } from "../helpers/actors";
import { createTestDatabase, onPostgres } from "../helpers/database";

const CITIZENS = 20;
const DAY = "2026-12-01";
let drop: () => Promise<void>;
let deps: AppointmentDeps;
let centreId: number;

beforeAll(async () => {
  const test = await createTestDatabase({ max: CITIZENS + 2 });
  drop = test.drop;
  const now = new Date("2026-11-30T08:00:00+07:00");
  deps = { db: test.handle.db, events: recordingPublisher([]), config: NO_KIOSK_PACE, now: () => now, appointmentThrottle: createAppointmentThrottle(databaseThrottles(test.handle.db)) };
  ({ centreId } = await seedDemo(deps.db, { password: "Concurrency@Test1" }));
}, 120_000);
afterAll(() => drop?.());

async function field(code: string, settings: Partial<typeof fields.$inferInsert>) {
  const [row] = await deps.db
    .update(fields)
    .set(settings)
    .where(and(eq(fields.centreId, centreId), eq(fields.code, code)))
    .returning();
  return row!.id;
}

/** Twenty bookings at once, each from its own phone and address; the codes of refusals counted. */
async function rush(fieldId: number, slotOf: (i: number) => string) {
  const results = await Promise.all(
    Array.from({ length: CITIZENS }, (_, i) =>
      bookAppointment(deps, { fieldId, day: DAY, slotStart: slotOf(i), phone: `09120000${String(i).padStart(2, "0")}`, address: `192.0.2.${i}` }).then(
        (b) => ({ ok: true as const, code: b.code, slot: b.slotStart }),
        (error: unknown) => {
          if (!isAppError(error)) throw error;
          return { ok: false as const, refusal: error.code };
        },
      ),
    ),
  );
  const stored = await deps.db
    .select()
    .from(appointments)
    .where(and(eq(appointments.fieldId, fieldId), eq(appointments.day, DAY), inArray(appointments.status, ["booked", "checked_in"])));
  return { results, stored };
}

describe(`${CITIZENS} concurrent bookings on ${onPostgres() ? "PostgreSQL" : "PGlite"}`, () => {
  it("fill a slot of 5 places with exactly 5 bookings; the others are told it is full", async () => {
    const fieldId = await field("HT", { appointmentSlotCapacity: 5, walkInPercent: 0, dailyCapacity: null });
    const { results, stored } = await rush(fieldId, () => "09:00");
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.refusal)).toEqual(Array(CITIZENS - 5).fill("appointment_slot_full"));
    expect(stored).toHaveLength(5);
    expect(new Set(stored.map((s) => s.code)).size).toBe(5);
  });

  it("keep the walk-in share: a day of 20 tickets with 60% for walk-ins takes 8 bookings, whatever the slots have left", async () => {
    // Four slots of 5 would take all twenty; the share allows 20 × 40% = 8.
    const fieldId = await field("CT", { appointmentSlotCapacity: 5, walkInPercent: 60, dailyCapacity: 20 });
    const slots = ["08:00", "08:30", "09:00", "09:30"];
    const { results, stored } = await rush(fieldId, (i) => slots[i % 4]!);
    expect(results.filter((r) => r.ok)).toHaveLength(8);
    expect(stored).toHaveLength(8);
    for (const r of results) if (!r.ok) expect(r.refusal).toBe("appointment_day_full");
    for (const slot of slots) expect(stored.filter((s) => s.slotStart === slot).length).toBeLessThanOrEqual(5);
  });

  it("let one phone hold one booking of the field's day, even when it tries twenty times at once", async () => {
    const fieldId = await field("DD", { appointmentSlotCapacity: 50, walkInPercent: 0, dailyCapacity: null });
    const results = await Promise.all(
      Array.from({ length: CITIZENS }, (_, i) =>
        bookAppointment(deps, { fieldId, day: DAY, slotStart: ["10:00", "13:00"][i % 2]!, phone: "0988777666", address: `192.0.2.${100 + i}` }).then(
          () => "booked",
          (error: unknown) => (isAppError(error) ? error.code : Promise.reject(error)),
        ),
      ),
    );
    expect(results.filter((r) => r === "booked")).toHaveLength(1);
    expect(results.filter((r) => r !== "booked")).toEqual(Array(CITIZENS - 1).fill("appointment_phone_taken"));
  });
});
