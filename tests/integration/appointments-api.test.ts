/**
 * The /api/v1 side of appointments over a real server with a fixed clock: the public reads and
 * booking (no phone in the answer), the refusals' codes, the staff list (the phone's last digits
 * only), the administrator's field settings with their audit row, and codes that cannot be
 * enumerated (429 after 20 wrong tries from one address).
 */
import { and, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents } from "../../db/schema";
import { startTestServer, type TestServer } from "../helpers/server";

let s: TestServer;
const now = new Date("2026-11-30T08:00:00+07:00");
let hoTich: number;

beforeAll(async () => {
  s = await startTestServer({ now: () => now });
  hoTich = (await s.fieldByCode("HT")).id;
}, 120_000);
afterAll(() => s?.close());

const from = (address: string) => ({ "x-forwarded-for": address });

describe("public booking API", () => {
  it("lists the fields that take appointments, the working days ahead and a day's slots with places left", async () => {
    const choices = await s.request("GET", "/api/v1/appointments/choices");
    expect(choices.status).toBe(200);
    const centre = choices.body.data.centres[0];
    expect(centre.fields.map((f: { name: string }) => f.name)).toEqual(["Hộ tịch", "Chứng thực", "Đất đai"]);
    const days = await s.request("GET", `/api/v1/appointments/slots?fieldId=${hoTich}`);
    expect(days.body.data.days.slice(0, 3).map((d: { day: string }) => d.day)).toEqual(["2026-11-30", "2026-12-01", "2026-12-02"]);
    const slots = await s.request("GET", `/api/v1/appointments/slots?fieldId=${hoTich}&day=2026-12-01`);
    expect(slots.body.data.slots).toHaveLength(16);
    expect(slots.body.data.slots[0]).toEqual({ start: "07:30", left: 2 });
    const saturday = await s.request("GET", `/api/v1/appointments/slots?fieldId=${hoTich}&day=2026-12-05`);
    expect(saturday.status).toBe(409);
    expect(saturday.body.error).toMatchObject({ code: "appointment_day_off" });
    expect(saturday.body.error.message).toContain("thứ Bảy");
  });

  it("books (the answer carries no phone), refuses a second booking of the phone, and lists it for staff by its last digits", async () => {
    const booked = await s.request("POST", "/api/v1/appointments", { body: { fieldId: hoTich, day: "2026-12-01", slotStart: "08:00", phone: "0912 345 678" } });
    expect(booked.status).toBe(201);
    expect(Object.keys(booked.body.data.booking).sort()).toEqual(
      ["centreAddress", "centreName", "code", "day", "fieldName", "procedureName", "slotMinutes", "slotStart", "status"].sort(),
    );
    expect(JSON.stringify(booked.body)).not.toContain("0912345678");
    const again = await s.request("POST", "/api/v1/appointments", { body: { fieldId: hoTich, day: "2026-12-01", slotStart: "09:00", phone: "0912345678" } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("appointment_phone_taken");

    const officer = await s.login("canbo01");
    const list = await s.request("GET", "/api/v1/appointments?day=2026-12-01", { cookie: officer.cookie });
    expect(list.status).toBe(200);
    expect(list.body.data.appointments).toEqual([expect.objectContaining({ code: booked.body.data.booking.code, phoneEnd: "5678", status: "booked" })]);
    expect(JSON.stringify(list.body)).not.toContain("0912345678");
    expect((await s.request("GET", "/api/v1/appointments")).status).toBe(401);

    // The kiosk checks it in on its day only.
    const kiosk = await s.pairedDevice("kiosk");
    const early = await s.request("POST", "/api/v1/appointments/check-in", { cookie: kiosk.cookie, body: { code: booked.body.data.booking.code } });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe("appointment_not_today");
  });

  it("cannot be used to enumerate codes: after 20 wrong tries from one address even a right one is held back (429)", async () => {
    const booked = await s.request("POST", "/api/v1/appointments", { body: { fieldId: hoTich, day: "2026-12-02", slotStart: "08:00", phone: "0977000111" } });
    const code = booked.body.data.booking.code as string;
    for (let i = 0; i < 20; i++) {
      const guess = `${"23456789AB"[i % 10]}${"CDEFGHJKLM"[Math.floor(i / 10)]}ZZZZZZZZ`;
      const res = await s.request("POST", "/api/v1/appointments/cancel", { headers: from("203.0.113.50"), body: { code: guess, phoneLast4: "0111" } });
      expect(res.status).toBe(404);
    }
    const held = await s.request("POST", "/api/v1/appointments/cancel", { headers: from("203.0.113.50"), body: { code, phoneLast4: "0111" } });
    expect(held.status).toBe(429);
    expect(held.body.error.code).toBe("appointment_throttled");
    expect(Number(held.headers.get("retry-after"))).toBeGreaterThan(0);
    // Someone else, with the code and the digits, cancels it.
    const cancelled = await s.request("POST", "/api/v1/appointments/cancel", { headers: from("203.0.113.51"), body: { code, phoneLast4: "0111" } });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.data.booking.status).toBe("cancelled");
  });
});

describe("the administrator's field settings", () => {
  it("refuses values out of range, saves the others with an audit row", async () => {
    const admin = await s.login("quantri");
    const field = await s.fieldByCode("XD");
    const base = { name: field.name, code: field.code, prefix: field.prefix, sortOrder: field.sortOrder, isOpen: true };
    for (const [key, value] of [
      ["appointmentSlotMinutes", 4],
      ["appointmentSlotMinutes", 241],
      ["appointmentSlotCapacity", 51],
      ["walkInPercent", 101],
    ] as const) {
      const res = await s.request("POST", `/api/v1/fields/${field.id}`, { cookie: admin.cookie, body: { ...base, [key]: value } });
      expect(res.status, `${key}=${value}`).toBe(400);
    }
    const saved = await s.request("POST", `/api/v1/fields/${field.id}`, {
      cookie: admin.cookie,
      body: { ...base, appointmentSlotMinutes: 20, appointmentSlotCapacity: 4, walkInPercent: 70 },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.data.field).toMatchObject({ appointmentSlotMinutes: 20, appointmentSlotCapacity: 4, walkInPercent: 70 });
    const [audit] = await s.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "field.updated"), eq(auditEvents.targetId, field.id)))
      .orderBy(desc(auditEvents.id))
      .limit(1);
    expect(audit!.after).toEqual({ appointmentSlotMinutes: 20, appointmentSlotCapacity: 4, walkInPercent: 70 });
    // Saving without them leaves them as they are.
    const untouched = await s.request("POST", `/api/v1/fields/${field.id}`, { cookie: admin.cookie, body: { ...base, name: "Xây dựng" } });
    expect(untouched.body.data.field).toMatchObject({ appointmentSlotCapacity: 4 });
  });
});
