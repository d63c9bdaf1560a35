/**
 * The devices' health and settings through /api/v1 and real sockets: a rating tablet is made
 * bound to a counter (one per counter), a kiosk's printing is switched (audited), each device's
 * connection shows in the list (connected since, offline since), and what a device reports of
 * its modes is checked against its kind and kept.
 */
import { and, desc, eq } from "drizzle-orm";
import type { Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, counters } from "../../db/schema";
import { userActor } from "../../server/auth/permissions";
import { supervisionBoard } from "../../server/supervision/board";
import { startTestServer, type TestServer } from "../helpers/server";

let s: TestServer;
let admin: { cookie: string };
const open: Socket[] = [];
beforeAll(async () => {
  s = await startTestServer({ socketRecheckMs: 100 });
  admin = await s.login("quantri");
});
afterEach(() => {
  for (const socket of open.splice(0)) socket.disconnect();
});
afterAll(() => s?.close());

const counterId = async (number: number) => (await s.db.select().from(counters).where(and(eq(counters.centreId, s.seeded.centreId), eq(counters.number, number))))[0]!.id;
type Listed = { id: number; online: boolean; since: string | null; connectedAt: string | null; printEnabled: boolean; counterNumber: number | null; modes: Record<string, string> | null };
const listed = async (id: number): Promise<Listed> => (await s.request("GET", "/api/v1/devices", { cookie: admin.cookie })).body.data.devices.find((d: Listed) => d.id === id);

/** Asks again until `check` holds (what a socket's connection writes lands a moment after it). */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await read();
    if (check(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return read();
}

function connected(cookie: string) {
  const socket = s.socket(cookie);
  open.push(socket);
  return new Promise<Socket>((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

const report = (socket: Socket, modes: unknown) => new Promise<{ data?: true; error?: { code: string } }>((resolve) => socket.emit("device:modes", modes, resolve));

describe("rating tablets and their counters", () => {
  it("makes a tablet bound to a counter; a counter takes one tablet only; a tablet moves to a free counter", async () => {
    const without = await s.request("POST", "/api/v1/devices", { cookie: admin.cookie, body: { kind: "rating", name: "Máy đánh giá không quầy" } });
    expect(without.body.error.code).toBe("device_counter_required");
    const made = await s.request("POST", "/api/v1/devices", { cookie: admin.cookie, body: { kind: "rating", name: "Máy đánh giá quầy 4", counterId: await counterId(4) } });
    expect(made.status).toBe(201);
    expect(made.body.data.pairingPath).toMatch(/^\/pair\/[a-z2-7]{32}$/);
    expect((await listed(made.body.data.device.id)).counterNumber).toBe(4);

    const second = await s.request("POST", "/api/v1/devices", { cookie: admin.cookie, body: { kind: "rating", name: "Máy đánh giá thứ hai", counterId: await counterId(4) } });
    expect(second.status).toBe(409);
    expect(second.body.error).toEqual({
      code: "device_counter_taken",
      message: "Quầy số 4 đã có máy đánh giá «Máy đánh giá quầy 4». Mỗi quầy chỉ có một máy đánh giá: hãy gắn máy đó sang quầy khác hoặc thu hồi nó trước.",
    });
    const moved = await s.request("POST", `/api/v1/devices/${made.body.data.device.id}/counter`, { cookie: admin.cookie, body: { counterId: await counterId(5) } });
    expect(moved.body.data.message).toBe("Đã gắn «Máy đánh giá quầy 4» với quầy số 5.");
    expect((await listed(made.body.data.device.id)).counterNumber).toBe(5);
    // The demo's own tablet sits at counter 1.
    const kiosk = await s.pairedDevice("kiosk");
    const wrong = await s.request("POST", `/api/v1/devices/${kiosk.device.id}/counter`, { cookie: admin.cookie, body: { counterId: await counterId(6) } });
    expect(wrong.body.error.code).toBe("device_wrong_kind");
  });
});

describe("a kiosk's printing", () => {
  it("is switched by the administrator, with an audit entry, and shows in the list", async () => {
    const { device } = await s.pairedDevice("kiosk", "Máy lấy số tầng 2");
    expect((await listed(device.id)).printEnabled).toBe(true);
    const res = await s.request("POST", `/api/v1/devices/${device.id}/printing`, { cookie: admin.cookie, body: { enabled: false } });
    expect(res.body.data.device).toEqual({ id: device.id, printEnabled: false });
    expect((await listed(device.id)).printEnabled).toBe(false);
    const [entry] = await s.db.select().from(auditEvents).where(eq(auditEvents.targetId, device.id)).orderBy(desc(auditEvents.id)).limit(1);
    expect(entry).toMatchObject({ action: "device.updated", before: { printEnabled: true }, after: { printEnabled: false } });
    const display = await s.pairedDevice("display");
    expect((await s.request("POST", `/api/v1/devices/${display.device.id}/printing`, { cookie: admin.cookie, body: { enabled: false } })).body.error.code).toBe("device_wrong_kind");
  });
});

describe("connection and modes", () => {
  it("shows a device connected since its socket opened, offline since it closed, and the modes it reported", async () => {
    const display = await s.pairedDevice("display", "Màn hình tầng 3");
    const before = await listed(display.device.id);
    expect(before.online).toBe(false);

    const socket = await connected(display.cookie);
    const on = await eventually(() => listed(display.device.id), (d) => d.online);
    expect(on.online).toBe(true);
    expect(on.connectedAt).not.toBeNull();
    expect(on.since).toBe(on.connectedAt);

    expect(await report(socket, { voice: "speech", voiceName: "Google Tiếng Việt" })).toEqual({ data: true });
    expect((await listed(display.device.id)).modes).toMatchObject({ voice: "speech", voiceName: "Google Tiếng Việt", at: expect.any(String) });
    // Checked against the kind: a screen does not print, and says its voice with one of three words.
    expect((await report(socket, { voice: "loud" })).error?.code).toBe("bad_request");
    expect((await report(socket, { voice: "clips", print: "on" })).error?.code).toBe("bad_request");
    expect((await listed(display.device.id)).modes).toMatchObject({ voice: "speech" });

    socket.disconnect();
    const off = await eventually(() => listed(display.device.id), (d) => !d.online);
    expect(off).toMatchObject({ online: false, connectedAt: null });
    expect(Date.parse(off.since!)).toBeGreaterThanOrEqual(Date.parse(on.connectedAt!));
  });

  it("takes a kiosk's printing and a tablet's counter as their modes; staff cannot report any", async () => {
    const kiosk = await s.pairedDevice("kiosk", "Máy lấy số tầng 4");
    const tablet = await s.pairedDevice("rating", "Máy đánh giá quầy 7", { counterId: await counterId(7) });
    expect(await report(await connected(kiosk.cookie), { print: "off", kioskPrinting: "unknown" })).toEqual({ data: true });
    expect(await report(await connected(tablet.cookie), { counter: "7", screen: "1280x800" })).toEqual({ data: true });
    expect((await listed(kiosk.device.id)).modes).toMatchObject({ print: "off" });
    expect((await listed(tablet.device.id)).modes).toMatchObject({ counter: "7", screen: "1280x800" });
    const officer = await s.login("canbo05");
    expect((await report(await connected(officer.cookie), { voice: "clips" })).error?.code).toBe("forbidden");
  });

  it("puts every kind on the supervisor's board, gone ones first, with since when and their modes in words", async () => {
    const tablet = await s.pairedDevice("rating", "Máy đánh giá quầy 8", { counterId: await counterId(8) });
    const socket = await connected(tablet.cookie);
    await report(socket, { counter: "8" });
    const gone = await s.pairedDevice("display", "Màn hình đã tắt");
    const supervisor = await s.login("giamsat");
    const read = async () => (await supervisionBoard(s.services, userActor(supervisor.user))).devices;
    const devices = await eventually(read, (list) => list.find((d) => d.id === tablet.device.id)?.online === true);
    const firstOnline = devices.findIndex((d) => d.online);
    expect(devices.slice(0, firstOnline).every((d) => !d.online)).toBe(true);
    expect(devices.slice(firstOnline).every((d) => d.online)).toBe(true);
    expect(devices.find((d) => d.id === gone.device.id)).toMatchObject({ kind: "display", online: false });
    expect(devices.find((d) => d.id === tablet.device.id)).toMatchObject({ kind: "rating", online: true, modes: ["Đang hiển thị quầy số 8"] });
    // Not heard from past the centre's threshold (2 minutes), a tablet raises the device alert too (amber).
    socket.disconnect();
    const later = await supervisionBoard({ ...s.services, now: () => new Date(Date.now() + 5 * 60_000) }, userActor(supervisor.user));
    expect(later.alerts.find((a) => a.key === `device_offline:${tablet.device.id}`)).toMatchObject({ kind: "device_offline", subject: "Máy đánh giá quầy 8", severity: "medium" });
  });
});
