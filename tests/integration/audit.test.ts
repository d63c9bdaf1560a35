/**
 * Every supervisor and administrator action writes its audit row (actor, before → after, reason)
 * in the same transaction as the change: when the row cannot be written, the change is not
 * made either. The failure is forced by a trigger refusing that one action's row.
 */
import { asc, desc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { auditEvents, centres, counterFields, counters, devices, fields, priorityClasses, tickets, users } from "../../db/schema";
import { saveCentre, saveOwnCentre } from "../../server/admin/centres";
import { saveCounter, saveField } from "../../server/admin/structure";
import { createUser, resetPassword, setUserActive, updateUser } from "../../server/admin/users";
import { searchAudit, type AuditAction } from "../../server/audit";
import type { UserActor } from "../../server/auth/permissions";
import type { ServiceDeps } from "../../server/context";
import { seedDemo } from "../../server/demo/seed";
import { createDevice, issuePairingCode, revokeDevice, setScreenFields } from "../../server/devices/service";
import { callNextTicket } from "../../server/queue/calling";
import { setCounterPaused, signInToCounter, signOutOfCounter } from "../../server/queue/counters";
import { saveFieldSettings } from "../../server/queue/field-settings";
import { issueTicket } from "../../server/queue/issuing";
import { savePriorityClass } from "../../server/queue/priority-classes";
import { rerouteTicket } from "../../server/queue/transfer";
import { cancelTicket } from "../../server/queue/waiting";
import { moveOfficer, postNotice, setCounterFields, signOfficerOut, steerCounterPause } from "../../server/supervision/steering";
import { kioskActor, NO_KIOSK_PACE, recordingPublisher } from "../helpers/actors";
import { createTestDatabase } from "../helpers/database";

let db: Database;
let drop: () => Promise<void>;
let deps: ServiceDeps;
let centreId: number;
const actors = new Map<string, UserActor>();
const as = (username: string) => actors.get(username)!;
const ids = { field: new Map<string, number>(), counter: new Map<number, number>() };

beforeAll(async () => {
  const test = await createTestDatabase();
  db = test.handle.db;
  drop = test.drop;
  centreId = (await seedDemo(db, { password: "Audit@Test#2026" })).centreId;
  deps = { db, events: recordingPublisher([]), config: NO_KIOSK_PACE };
  for (const u of await db.select().from(users)) actors.set(u.username, { kind: "user", userId: u.id, centreId: u.centreId, role: u.role });
  for (const f of await db.select().from(fields)) ids.field.set(f.code, f.id);
  for (const c of await db.select().from(counters)) ids.counter.set(c.number, c.id);
}, 60_000);
afterAll(() => drop?.());

async function lastAudit(action: AuditAction) {
  const [row] = await db.select().from(auditEvents).where(eq(auditEvents.action, action)).orderBy(desc(auditEvents.id)).limit(1);
  return row;
}

const auditCount = async () => (await db.select({ n: sql<number>`count(*)::int` }).from(auditEvents))[0]!.n;

/** Refuses the audit row of one action, as a full disk or a broken constraint would. */
async function refuseAuditOf(action: AuditAction) {
  await db.execute(
    sql.raw(`CREATE OR REPLACE FUNCTION audit_test_refuse() RETURNS trigger AS $$
      BEGIN IF NEW.action = '${action}' THEN RAISE EXCEPTION 'audit refused for the test'; END IF; RETURN NEW; END; $$ LANGUAGE plpgsql`),
  );
  await db.execute(sql.raw("CREATE TRIGGER audit_test_refuse BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_test_refuse()"));
}
const allowAudit = () => db.execute(sql.raw("DROP TRIGGER IF EXISTS audit_test_refuse ON audit_events"));

type Case = {
  action: AuditAction;
  actor: () => UserActor;
  /** Puts things as the action needs them (an officer at a counter, a ticket waiting…); runs before both tries. */
  arrange?: () => Promise<void>;
  run: () => Promise<unknown>;
  /** What the action changes: read before and after each try. */
  state: () => Promise<unknown>;
  expect: { before?: Record<string, unknown>; after?: Record<string, unknown>; reason?: string | null; targetType: string };
};

const counterRow = async (number: number) => (await db.select().from(counters).where(eq(counters.id, ids.counter.get(number)!)))[0]!;
const counterState = async (number: number) => {
  const c = await counterRow(number);
  const links = await db.select().from(counterFields).where(eq(counterFields.counterId, c.id)).orderBy(asc(counterFields.fieldId));
  return { status: c.status, officerId: c.officerId, pauseReason: c.pauseReason, fields: links.map((l) => l.fieldId) };
};
const userRow = async (username: string) => (await db.select().from(users).where(eq(users.username, username)))[0]!;
const officerAt = async (username: string, number: number) => {
  const c = await counterRow(number);
  if (c.officerId === as(username).userId) return;
  await signInToCounter(deps, as(username), { counterId: c.id });
};
const kiosk = () => kioskActor(db, centreId, `Máy thử ${Math.random()}`);
let waitingTicketId = 0;
const issueWaiting = async (code: string) => {
  const { ticket } = await issueTicket(deps, await kiosk(), { fieldId: ids.field.get(code)! });
  waitingTicketId = ticket.id;
};

const cases: Case[] = [
  {
    action: "user.created",
    actor: () => as("quantri"),
    run: () => createUser(deps, as("quantri"), { username: "canbomoi", fullName: "Cán bộ Mới", role: "officer", password: "nắng sớm trên đồi 2026" }),
    state: async () => (await db.select().from(users).where(eq(users.username, "canbomoi"))).length,
    get expect() {
      return { after: { username: "canbomoi", fullName: "Cán bộ Mới", role: "officer" }, targetType: "user" };
    },
  },
  {
    action: "user.updated",
    actor: () => as("quantri"),
    run: () => updateUser(deps, as("quantri"), { userId: as("canbo08").userId, fullName: "Ngô Minh Tuấn Anh", role: "supervisor" }),
    state: async () => ({ name: (await userRow("canbo08")).fullName, role: (await userRow("canbo08")).role }),
    get expect() {
      return { before: { fullName: "Ngô Minh Tuấn", role: "officer" }, after: { fullName: "Ngô Minh Tuấn Anh", role: "supervisor" }, targetType: "user" };
    },
  },
  {
    action: "password.reset",
    actor: () => as("quantri"),
    run: () => resetPassword(deps, as("quantri"), { userId: as("canbo07").userId, newPassword: "gió mùa đông bắc 1990" }),
    state: async () => (await userRow("canbo07")).passwordHash,
    get expect() {
      return { after: { sessionsEnded: 0 }, targetType: "user" };
    },
  },
  {
    action: "user.disabled",
    actor: () => as("quantri"),
    arrange: () => officerAt("canbo06", 7),
    run: () => setUserActive(deps, as("quantri"), { userId: as("canbo06").userId, active: false }),
    state: async () => ({ active: (await userRow("canbo06")).isActive, counter: (await counterRow(7)).officerId }),
    get expect() {
      return { before: { isActive: true }, after: { isActive: false, counterReleased: 7 }, targetType: "user" };
    },
  },
  {
    action: "user.enabled",
    actor: () => as("quantri"),
    run: () => setUserActive(deps, as("quantri"), { userId: as("canbo06").userId, active: true }),
    state: async () => (await userRow("canbo06")).isActive,
    get expect() {
      return { before: { isActive: false }, after: { isActive: true }, targetType: "user" };
    },
  },
  {
    action: "field.created",
    actor: () => as("quantri"),
    run: () => saveField(deps, as("quantri"), { code: "TP", name: "Tư pháp", prefix: "H", sortOrder: 8, isOpen: true }),
    state: async () => (await db.select().from(fields).where(eq(fields.code, "TP"))).length,
    get expect() {
      return { after: { code: "TP", name: "Tư pháp", prefix: "H", sortOrder: 8, isOpen: true }, targetType: "field" };
    },
  },
  {
    action: "field.updated",
    actor: () => as("quantri"),
    run: () => saveField(deps, as("quantri"), { id: ids.field.get("GTVT")!, code: "GTVT", name: "Giao thông", prefix: "G", sortOrder: 7, isOpen: true }),
    state: async () => (await db.select().from(fields).where(eq(fields.code, "GTVT")))[0]!.name,
    get expect() {
      return { before: { name: "Giao thông vận tải" }, after: { name: "Giao thông" }, targetType: "field" };
    },
  },
  {
    action: "field.settings_changed",
    actor: () => as("quantri"),
    run: () =>
      saveFieldSettings(deps, as("quantri"), {
        fieldId: ids.field.get("XD")!,
        settings: { isOpen: true, queueMode: "strict", priorityRatio: 2, ageingCapMinutes: 45, dailyCapacity: null, cutoffTime: null, recallsBeforeNoShow: 2, rejoinGraceMinutes: 60, defaultServiceMinutes: 10 },
      }),
    state: async () => (await db.select().from(fields).where(eq(fields.code, "XD")))[0]!.queueMode,
    get expect() {
      return { before: { queueMode: "ratio" }, after: { queueMode: "strict" }, targetType: "field" };
    },
  },
  {
    action: "priority_class.saved",
    actor: () => as("quantri"),
    run: () => savePriorityClass(deps, as("quantri"), { name: "Thương binh" }),
    state: async () => (await db.select().from(priorityClasses).where(eq(priorityClasses.name, "Thương binh"))).length,
    get expect() {
      return { after: { name: "Thương binh", isActive: true }, targetType: "priority_class" };
    },
  },
  {
    action: "counter.created",
    actor: () => as("quantri"),
    run: () => saveCounter(deps, as("quantri"), { number: 11, name: "Quầy 11", fieldIds: [ids.field.get("HT")!], isActive: true }),
    state: async () => (await db.select().from(counters).where(eq(counters.number, 11))).length,
    get expect() {
      return { after: { number: 11, name: "Quầy 11", fieldIds: [ids.field.get("HT")], isActive: true }, targetType: "counter" };
    },
  },
  {
    action: "counter.updated",
    actor: () => as("quantri"),
    run: () => saveCounter(deps, as("quantri"), { id: ids.counter.get(9)!, number: 9, name: "Quầy 9 – Giao thông", fieldIds: [ids.field.get("GTVT")!], isActive: true }),
    state: async () => (await counterRow(9)).name,
    get expect() {
      return { before: { name: "Quầy 9" }, after: { name: "Quầy 9 – Giao thông" }, targetType: "counter" };
    },
  },
  {
    action: "counter.fields_changed",
    actor: () => as("giamsat"),
    run: () => setCounterFields(deps, as("giamsat"), { counterId: ids.counter.get(3)!, fieldIds: [ids.field.get("CT")!, ids.field.get("HT")!], reason: "Hộ tịch đông" }),
    state: () => counterState(3),
    get expect() {
      return { before: { fieldIds: [ids.field.get("CT")] }, after: { fieldIds: [ids.field.get("HT"), ids.field.get("CT")].sort((a, b) => a! - b!) }, reason: "Hộ tịch đông", targetType: "counter" };
    },
  },
  {
    action: "counter.signed_in",
    actor: () => as("canbo01"),
    run: () => signInToCounter(deps, as("canbo01"), { counterId: ids.counter.get(1)! }),
    state: () => counterState(1),
    get expect() {
      return { before: { status: "closed" }, after: { status: "open", officerId: undefined }, targetType: "counter" };
    },
  },
  {
    action: "counter.paused",
    actor: () => as("canbo01"),
    run: () => setCounterPaused(deps, as("canbo01"), { paused: true, reason: "break" }),
    state: () => counterState(1),
    get expect() {
      return { before: { status: "open", pauseReason: null }, after: { status: "paused", pauseReason: "break" }, reason: "break", targetType: "counter" };
    },
  },
  {
    action: "counter.resumed",
    actor: () => as("canbo01"),
    run: () => setCounterPaused(deps, as("canbo01"), { paused: false }),
    state: () => counterState(1),
    get expect() {
      return { before: { status: "paused", pauseReason: "break" }, after: { status: "open" }, targetType: "counter" };
    },
  },
  {
    action: "counter.signed_out",
    actor: () => as("canbo01"),
    run: () => signOutOfCounter(deps, as("canbo01"), {}),
    state: () => counterState(1),
    get expect() {
      return { before: { status: "open" }, after: { status: "closed" }, targetType: "counter" };
    },
  },
  {
    action: "counter.paused",
    actor: () => as("giamsat"),
    arrange: () => officerAt("canbo02", 2),
    run: () => steerCounterPause(deps, as("giamsat"), { counterId: ids.counter.get(2)!, paused: true, reason: "meeting", note: "Họp giao ban" }),
    state: () => counterState(2),
    get expect() {
      return { before: { status: "open", pauseReason: null }, after: { status: "paused", pauseReason: "meeting" }, reason: "Họp giao ban", targetType: "counter" };
    },
  },
  {
    action: "counter.opened",
    actor: () => as("giamsat"),
    run: () => steerCounterPause(deps, as("giamsat"), { counterId: ids.counter.get(2)!, paused: false, note: "Hết họp" }),
    state: () => counterState(2),
    get expect() {
      return { before: { status: "paused", pauseReason: "meeting" }, after: { status: "open" }, reason: "Hết họp", targetType: "counter" };
    },
  },
  {
    action: "officer.moved",
    actor: () => as("giamsat"),
    arrange: async () => {
      await officerAt("canbo03", 4);
      await issueWaiting("DD");
      await callNextTicket(deps, as("canbo03"), { counterId: ids.counter.get(4)! });
    },
    run: () => moveOfficer(deps, as("giamsat"), { officerId: as("canbo03").userId, toCounterId: ids.counter.get(5)!, activeTicket: "requeue", reason: "Quầy 4 hỏng máy in" }),
    state: async () => ({ four: (await counterRow(4)).officerId, five: (await counterRow(5)).officerId, ticket: (await db.select().from(tickets).where(eq(tickets.id, waitingTicketId)))[0]!.status }),
    get expect() {
      return { before: { counter: 4 }, after: { counter: 5, activeTicket: "requeue" }, reason: "Quầy 4 hỏng máy in", targetType: "user" };
    },
  },
  {
    action: "officer.signed_out",
    actor: () => as("giamsat"),
    arrange: () => officerAt("canbo04", 6),
    run: () => signOfficerOut(deps, as("giamsat"), { counterId: ids.counter.get(6)!, reason: "Cán bộ về sớm, quên đăng xuất" }),
    state: () => counterState(6),
    get expect() {
      return { before: { officerId: as("canbo04")?.userId }, after: { status: "closed", officerId: null }, reason: "Cán bộ về sớm, quên đăng xuất", targetType: "counter" };
    },
  },
  {
    action: "ticket.rerouted",
    actor: () => as("giamsat"),
    arrange: () => issueWaiting("HT"),
    run: () => rerouteTicket(deps, as("giamsat"), { ticketId: waitingTicketId, to: { fieldId: ids.field.get("CT")! }, note: "Nhầm lĩnh vực" }),
    state: async () => (await db.select().from(tickets).where(eq(tickets.id, waitingTicketId)))[0]!.fieldId,
    get expect() {
      return { before: { fieldId: ids.field.get("HT") }, after: { fieldId: ids.field.get("CT") }, reason: "Nhầm lĩnh vực", targetType: "ticket" };
    },
  },
  {
    action: "ticket.cancelled",
    actor: () => as("giamsat"),
    arrange: () => issueWaiting("CT"),
    run: () => cancelTicket(deps, as("giamsat"), { ticketId: waitingTicketId, reason: "Công dân đã về" }),
    state: async () => (await db.select().from(tickets).where(eq(tickets.id, waitingTicketId)))[0]!.status,
    get expect() {
      return { before: { status: "waiting" }, after: { status: "cancelled" }, reason: "Công dân đã về", targetType: "ticket" };
    },
  },
  {
    action: "notice.posted",
    actor: () => as("giamsat"),
    run: () => postNotice(deps, as("giamsat"), { text: "Từ 11h30 đến 13h30 chỉ tiếp nhận tại quầy 10.", minutes: 120 }),
    state: async () => (await db.select().from(centres).where(eq(centres.id, centreId)))[0]!.notice,
    get expect() {
      return { before: { notice: null }, after: { notice: "Từ 11h30 đến 13h30 chỉ tiếp nhận tại quầy 10." }, targetType: "centre" };
    },
  },
  {
    action: "notice.removed",
    actor: () => as("giamsat"),
    run: () => postNotice(deps, as("giamsat"), { text: "" }),
    state: async () => (await db.select().from(centres).where(eq(centres.id, centreId)))[0]!.notice,
    get expect() {
      return { before: { notice: "Từ 11h30 đến 13h30 chỉ tiếp nhận tại quầy 10." }, after: { notice: null }, targetType: "centre" };
    },
  },
  {
    action: "centre.updated",
    actor: () => as("quantri"),
    run: () =>
      saveOwnCentre(deps, as("quantri"), {
        name: "Trung tâm Phục vụ hành chính công",
        address: "Số 1 Đường Trần Phú",
        opensAt: "7h",
        closesAt: "17:30",
        alertWaitMinutes: 25,
        alertPausedMinutes: 15,
        alertIdleMinutes: 20,
        alertDeviceOfflineMinutes: 2,
      }),
    state: async () => (await db.select().from(centres).where(eq(centres.id, centreId)))[0]!.opensAt,
    get expect() {
      return { before: { opensAt: "07:30", alertWaitMinutes: 30 }, after: { opensAt: "07:00", alertWaitMinutes: 25 }, targetType: "centre" };
    },
  },
  {
    action: "device.link_issued",
    actor: () => as("quantri"),
    run: async () => {
      const [device] = await db.select().from(devices).where(eq(devices.name, "Máy lấy số sảnh chính"));
      return issuePairingCode(deps, as("quantri"), { deviceId: device!.id });
    },
    state: async () => (await db.select().from(devices).where(eq(devices.name, "Máy lấy số sảnh chính")))[0]!.pairingCodeHash,
    get expect() {
      return { before: { revoked: false }, targetType: "device" };
    },
  },
  {
    action: "device.created",
    actor: () => as("quantri"),
    run: () => createDevice(deps, as("quantri"), { kind: "display", name: "Màn hình tầng 2" }),
    state: async () => (await db.select().from(devices).where(eq(devices.name, "Màn hình tầng 2"))).length,
    get expect() {
      return { after: { kind: "display", name: "Màn hình tầng 2" }, targetType: "device" };
    },
  },
  {
    action: "device.updated",
    actor: () => as("quantri"),
    run: async () => {
      const [device] = await db.select().from(devices).where(eq(devices.name, "Màn hình chờ sảnh chính"));
      return setScreenFields(deps, as("quantri"), { deviceId: device!.id, fieldIds: [ids.field.get("HT")!] });
    },
    state: async () => (await db.select().from(devices).where(eq(devices.name, "Màn hình chờ sảnh chính")))[0]!.fieldIds,
    get expect() {
      return { before: { fieldIds: null }, after: { fieldIds: [ids.field.get("HT")] }, targetType: "device" };
    },
  },
  {
    action: "device.revoked",
    actor: () => as("quantri"),
    run: async () => {
      const [device] = await db.select().from(devices).where(eq(devices.name, "Màn hình chờ sảnh chính"));
      return revokeDevice(deps, as("quantri"), { deviceId: device!.id });
    },
    state: async () => (await db.select().from(devices).where(eq(devices.name, "Màn hình chờ sảnh chính")))[0]!.revokedAt,
    get expect() {
      return { after: { name: "Màn hình chờ sảnh chính" }, targetType: "device" };
    },
  },
];

describe("the audit of staff actions", () => {
  for (const [i, c] of cases.entries()) {
    it(`#${i + 1} ${c.action}: the row is written with the change, or neither is`, async () => {
      await c.arrange?.();
      const before = await c.state();
      const rows = await auditCount();

      // The row cannot be written: the change is not made.
      await refuseAuditOf(c.action);
      try {
        await expect(c.run()).rejects.toThrow();
      } finally {
        await allowAudit();
      }
      expect(await c.state()).toEqual(before);
      expect(await auditCount()).toBe(rows);

      // It can: both are there.
      await c.run();
      expect(await c.state()).not.toEqual(before);
      const row = await lastAudit(c.action);
      expect(row).toBeDefined();
      expect(row!.actorUserId).toBe(c.actor().userId);
      expect(row!.centreId).toBe(centreId);
      expect(row!.targetType).toBe(c.expect.targetType);
      if (c.expect.before) expect(row!.before).toMatchObject(defined(c.expect.before));
      if (c.expect.after) expect(row!.after).toMatchObject(defined(c.expect.after));
      if (c.expect.reason !== undefined) expect(row!.reason).toBe(c.expect.reason);
    });
  }

  it("centre.created: the new centre's first row, written with it, or neither is", async () => {
    const [hethong] = await db
      .insert(users)
      .values({ centreId, username: "hethong", fullName: "Quản trị hệ thống", role: "sysadmin", passwordHash: "x" })
      .returning();
    const sysadmin: UserActor = { kind: "user", userId: hethong!.id, centreId, role: "sysadmin" };
    const input = { code: "XA1", name: "Trung tâm xã Một", level: "commune" as const, opensAt: "07:30", closesAt: "17:00", alertWaitMinutes: 30, alertPausedMinutes: 15, alertIdleMinutes: 20, alertDeviceOfflineMinutes: 2 };
    const centresNow = async () => (await db.select().from(centres).where(eq(centres.code, "XA1"))).length;
    await refuseAuditOf("centre.created");
    try {
      await expect(saveCentre(deps, sysadmin, input)).rejects.toThrow();
    } finally {
      await allowAudit();
    }
    expect(await centresNow()).toBe(0);
    const saved = await saveCentre(deps, sysadmin, input);
    expect(saved.ok).toBe(true);
    const row = await lastAudit("centre.created");
    expect(row).toMatchObject({ actorUserId: hethong!.id, centreId: saved.ok ? saved.value.id : -1, after: { code: "XA1", name: "Trung tâm xã Một" } });
    // An administrator of a centre cannot create one.
    await expect(saveCentre(deps, as("quantri"), { ...input, code: "XA2" })).rejects.toMatchObject({ code: "forbidden" });
  });

  it("cannot be rewritten or deleted, even by the application's own connection", async () => {
    await expect(db.update(auditEvents).set({ reason: "sửa" })).rejects.toThrow();
    await expect(db.delete(auditEvents)).rejects.toThrow();
    await expect(db.execute(sql`truncate audit_events`)).rejects.toThrow();
  });

  it("is searchable by the centre's administrator, and by nobody else", async () => {
    const found = await searchAudit(deps, as("quantri"), { text: "máy in" });
    expect(found.map((r) => r.action)).toEqual(["officer.moved"]);
    expect(found[0]!.actorName).toBe("Trần Thị Giám");
    const byAction = await searchAudit(deps, as("quantri"), { action: "user.created" });
    expect(byAction).toHaveLength(1);
    await expect(searchAudit(deps, as("giamsat"))).rejects.toThrow();
    const [other] = await db.insert(centres).values({ code: "KHAC", name: "Trung tâm khác" }).returning();
    expect(await searchAudit(deps, { ...as("quantri"), centreId: other!.id })).toEqual([]);
  });
});

/** Expected values left undefined are the ones the test cannot know ahead (an id): not compared. */
function defined(o: Record<string, unknown>) {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

