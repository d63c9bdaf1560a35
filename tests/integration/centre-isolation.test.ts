/**
 * Two centres in one deployment: the administrator and the supervisor of centre A can neither
 * see nor change anything of centre B, through any administration page, page action or API
 * route. Every attempt is refused and B's rows stay exactly as they were.
 */
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, centres, counterFields, counters, devices, fields, priorityClasses, users } from "../../db/schema";
import { hashPassword } from "../../server/auth/password";
import { createDevice } from "../../server/devices/service";
import { SYSTEM_ACTOR } from "../../server/auth/permissions";
import { DEMO_PASSWORD_FOR_TESTS, startTestServer, type TestServer } from "../helpers/server";

let s: TestServer;
let admin: string;
let supervisor: string;
const b = { centreId: 0, fieldId: 0, counterId: 0, userId: 0, deviceId: 0, priorityClassId: 0 };

beforeAll(async () => {
  s = await startTestServer({ pages: true });
  admin = (await s.login("quantri")).cookie;
  supervisor = (await s.login("giamsat")).cookie;
  const [centre] = await s.db.insert(centres).values({ code: "XA_B", name: "Trung tâm xã B", level: "commune" }).returning();
  b.centreId = centre!.id;
  const [field] = await s.db.insert(fields).values({ centreId: b.centreId, code: "HT", name: "Hộ tịch xã B", prefix: "A" }).returning();
  b.fieldId = field!.id;
  const [counter] = await s.db.insert(counters).values({ centreId: b.centreId, number: 1, name: "Quầy 1 xã B" }).returning();
  b.counterId = counter!.id;
  await s.db.insert(counterFields).values({ counterId: b.counterId, fieldId: b.fieldId });
  const [officer] = await s.db
    .insert(users)
    .values({ centreId: b.centreId, username: "canbo.xab", fullName: "Cán bộ xã B", role: "officer", passwordHash: await hashPassword(DEMO_PASSWORD_FOR_TESTS) })
    .returning();
  b.userId = officer!.id;
  const officerB = await s.login("canbo.xab");
  expect((await s.request("POST", `/api/v1/counters/${b.counterId}/sign-in`, { cookie: officerB.cookie })).status).toBe(200);
  b.deviceId = (await createDevice({ db: s.db }, SYSTEM_ACTOR, { centreId: b.centreId, kind: "display", name: "Màn hình xã B" })).device.id;
  const [pc] = await s.db.insert(priorityClasses).values({ centreId: b.centreId, code: "NCT", name: "Người cao tuổi" }).returning();
  b.priorityClassId = pc!.id;
}, 120_000);
afterAll(() => s?.close());

/** Every row of centre B, to compare before and after. */
async function centreB() {
  return {
    centre: await s.db.select().from(centres).where(eq(centres.id, b.centreId)),
    fields: await s.db.select().from(fields).where(eq(fields.centreId, b.centreId)),
    counters: await s.db.select().from(counters).where(eq(counters.centreId, b.centreId)),
    links: await s.db.select().from(counterFields).where(inArray(counterFields.counterId, [b.counterId])),
    users: await s.db.select().from(users).where(eq(users.centreId, b.centreId)),
    devices: await s.db.select().from(devices).where(eq(devices.centreId, b.centreId)),
    classes: await s.db.select().from(priorityClasses).where(eq(priorityClasses.centreId, b.centreId)),
    audit: await s.db.select().from(auditEvents).where(eq(auditEvents.centreId, b.centreId)),
  };
}

describe("centre A's administrator and supervisor and centre B", () => {
  it("see nothing of B on any administration page or list", async () => {
    const pages = ["/admin/users", "/admin/centre", "/admin/queue", "/admin/devices", "/admin/audit", "/admin/audit?q=B", "/supervisor"];
    for (const path of pages) {
      for (const cookie of [admin, supervisor]) {
        const res = await s.request("GET", path, { cookie });
        const html = String(res.body);
        for (const name of ["Trung tâm xã B", "Hộ tịch xã B", "Quầy 1 xã B", "Cán bộ xã B", "canbo.xab", "Màn hình xã B"]) {
          expect(html, `${path} shows ${name}`).not.toContain(name);
        }
      }
    }
    const lists = ["/api/v1/users", "/api/v1/counters", "/api/v1/audit", "/api/v1/snapshot"];
    for (const path of lists) {
      const res = await s.request("GET", `${path}`, { cookie: admin });
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body), path).not.toMatch(/xã B|canbo\.xab/);
    }
  });

  it("change nothing of B through any page action or API route", async () => {
    const before = await centreB();
    const attempts: Array<[string, string, string, Record<string, unknown>, "json" | "form"]> = [
      // Accounts
      ["admin", "POST", `/api/v1/users/${b.userId}`, { fullName: "Đổi tên", role: "supervisor" }, "json"],
      ["admin", "POST", `/api/v1/users/${b.userId}/password`, { newPassword: "một mật khẩu rất dài 2026" }, "json"],
      ["admin", "POST", `/api/v1/users/${b.userId}/disable`, {}, "json"],
      ["admin", "POST", "/admin/users", { intent: "edit", userId: b.userId, fullName: "Đổi tên", role: "officer" }, "form"],
      ["admin", "POST", "/admin/users", { intent: "reset", userId: b.userId, newPassword: "một mật khẩu rất dài 2026" }, "form"],
      ["admin", "POST", "/admin/users", { intent: "disable", userId: b.userId }, "form"],
      // Fields, counters, settings, classes
      ["admin", "POST", `/api/v1/fields/${b.fieldId}`, { name: "Đổi", code: "HT", prefix: "A", sortOrder: 1, isOpen: false }, "json"],
      ["admin", "POST", "/admin/centre", { intent: "field", id: b.fieldId, name: "Đổi", code: "HT", prefix: "Z", sortOrder: 1 }, "form"],
      ["admin", "POST", `/api/v1/counters/${b.counterId}`, { number: 9, name: "Đổi", fieldIds: [], isActive: false }, "json"],
      ["admin", "POST", "/admin/centre", { intent: "counter", id: b.counterId, number: 9, name: "Đổi", isActive: "on" }, "form"],
      ["admin", "POST", "/api/v1/counters", { number: 77, name: "Quầy lạ", fieldIds: [b.fieldId], isActive: true }, "json"],
      ["admin", "POST", "/admin/queue", { intent: "field", fieldId: b.fieldId, queueMode: "strict", priorityRatio: "2", recallsBeforeNoShow: "2", rejoinGraceMinutes: "60", defaultServiceMinutes: "10" }, "form"],
      ["admin", "POST", "/admin/queue", { intent: "class-rename", id: b.priorityClassId, name: "Đổi" }, "form"],
      ["admin", "POST", "/admin/queue", { intent: "class-deactivate", id: b.priorityClassId }, "form"],
      // Devices
      ["admin", "POST", "/admin/devices", { intent: "new-link", deviceId: b.deviceId }, "form"],
      ["admin", "POST", "/admin/devices", { intent: "revoke", deviceId: b.deviceId }, "form"],
      // Centres: only the deployment administrator
      ["admin", "POST", "/admin/centres", { intent: "work-here", centreId: b.centreId }, "form"],
      ["admin", "POST", "/admin/centres", { intent: "centre", id: b.centreId, code: "XA_B", name: "Đổi", level: "commune", opensAt: "07:30", closesAt: "17:00" }, "form"],
      // The supervisor's live actions
      ["supervisor", "POST", `/api/v1/supervision/counters/${b.counterId}/pause`, { paused: true, reason: "break" }, "json"],
      ["supervisor", "POST", `/api/v1/supervision/counters/${b.counterId}/sign-out`, { reason: "Thử" }, "json"],
      ["supervisor", "POST", `/api/v1/supervision/counters/${b.counterId}/fields`, { fieldIds: [] }, "json"],
      ["supervisor", "POST", `/api/v1/supervision/officers/${b.userId}/move`, { toCounterId: b.counterId }, "json"],
    ];
    const wrong: string[] = [];
    for (const [who, method, path, payload, kind] of attempts) {
      const cookie = who === "admin" ? admin : supervisor;
      const form = kind === "form" ? Object.fromEntries(Object.entries(payload).map(([k, v]) => [k, String(v)])) : undefined;
      const res = await s.request(method, path, { cookie, ...(kind === "json" ? { body: payload } : { form }) });
      if (res.status < 400 || res.status >= 500) wrong.push(`${who} ${method} ${path}: ${res.status}`);
    }
    expect(wrong).toEqual([]);
    expect(await centreB()).toEqual(before);
  });
});

describe("a deployment administrator choosing the centre to work in", () => {
  it("works in it from the very next request, though the session was read a moment before", async () => {
    await s.db.insert(users).values({ centreId: s.seeded.centreId, username: "hethong.chon", fullName: "Quản trị hệ thống", role: "sysadmin", passwordHash: await hashPassword(DEMO_PASSWORD_FOR_TESTS) });
    const { cookie } = await s.login("hethong.chon");
    const me = async () => (await s.request("GET", "/api/v1/me", { cookie })).body.data.user as { centreId: number; centreName: string };
    expect(await me()).toMatchObject({ centreId: s.seeded.centreId });
    const chosen = await s.request("POST", "/admin/centres", { cookie, form: { intent: "work-here", centreId: String(b.centreId) } });
    expect(chosen.status).toBeLessThan(400);
    expect(await me()).toMatchObject({ centreId: b.centreId, centreName: "Trung tâm xã B" });
  });
});
