/**
 * Kiosks and waiting-room screens are in the public hall: they receive a projection made for
 * them (codes, counters, counts, estimates), never a note, an officer's name or a user id.
 * Checked on what a display socket receives, its snapshot over the socket and over the API,
 * and the HTML of /display; a staff socket gets the full view.
 */
import { and, eq } from "drizzle-orm";
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { counters, fields } from "../../db/schema";
import type { QueueEvent } from "../../server/realtime/events";
import { startTestServer, type TestServer } from "../helpers/server";

const NOTE = "Bà Nguyễn Thị Bí Mật, CCCD 001234567890, hồ sơ đất";

let s: TestServer;
let displayCookie: string;
const sockets: Socket[] = [];
const publicEvents: QueueEvent[] = [];
const staffEvents: QueueEvent[] = [];
let officers: Array<{ fullName: string; id: number }>;

function listen(cookie: string, into: QueueEvent[]) {
  const socket = s.socket(cookie);
  sockets.push(socket);
  socket.on("queue:event", (e) => void into.push(e as QueueEvent));
  return new Promise<Socket>((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

const snapshotOf = (socket: Socket) =>
  new Promise<Record<string, unknown>>((resolve, reject) =>
    socket.emit("queue:snapshot", (reply: { data?: Record<string, unknown>; error?: unknown }) => (reply.data ? resolve(reply.data) : reject(reply.error))),
  );

beforeAll(async () => {
  s = await startTestServer({ pages: true });
  displayCookie = (await s.pairedDevice("display")).cookie;
  const kiosk = await s.pairedDevice("kiosk");
  const a = await s.login("canbo06");
  const b = await s.login("canbo07");
  officers = [a.user, b.user];
  await listen(displayCookie, publicEvents);
  await listen(a.cookie, staffEvents);

  const [field] = await s.db.select().from(fields).where(and(eq(fields.centreId, s.seeded.centreId), eq(fields.code, "GTVT")));
  const counterOf = async (n: number) => (await s.db.select().from(counters).where(and(eq(counters.centreId, s.seeded.centreId), eq(counters.number, n))))[0]!;
  const [c9, c10] = [await counterOf(9), await counterOf(10)];
  const post = (path: string, cookie: string, body: unknown = {}) => s.request("POST", `/api/v1${path}`, { cookie, body });
  expect((await post(`/counters/${c9.id}/sign-in`, a.cookie)).status).toBe(200);
  expect((await post(`/counters/${c10.id}/sign-in`, b.cookie)).status).toBe(200);
  for (let i = 0; i < 2; i++) expect((await post("/kiosk/tickets", kiosk.cookie, { fieldId: field!.id })).status).toBe(201);
  // A calls one, and sends it to B's counter with a note naming the citizen; B calls it; A calls the next.
  const first = await post(`/counters/${c9.id}/call-next`, a.cookie);
  expect((await post(`/tickets/${first.body.data.ticket.id}/transfer`, a.cookie, { counterId: c10.id, note: NOTE })).status).toBe(200);
  expect((await post(`/counters/${c10.id}/call-next`, b.cookie)).body.data.ticket.transferNote).toBe(NOTE);
  expect((await post(`/counters/${c9.id}/call-next`, a.cookie)).status).toBe(200);
  // Every change so far reached the screen: 2 sign-ins, 2 issues, 3 calls, 1 transfer.
  for (let waited = 0; publicEvents.length < 8 && waited < 5_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
}, 120_000);
afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await s?.close();
});

const PUBLIC_TICKET = ["calledAt", "code", "counterId", "fieldId", "id", "issuedAt", "recallCount", "status"];
const PUBLIC_COUNTER = ["current", "fieldIds", "id", "name", "number", "staffed", "status"];
// screenFieldIds: the fields this screen was set to show (its own setting, nothing of the staff).
const SNAPSHOT = ["centre", "counters", "fields", "priorityClasses", "recentCalls", "screenFieldIds", "seq", "serviceDate"];
const STAFF_ONLY = ["transferNote", "officerName", "officerId", "targetOfficerId", "targetCounterId", "transferredFromCounterId", "priorityClassId", "pauseReason", "note"];

/** Every object in a value, with the path it was found at. */
function* objects(value: unknown, path = "$"): Generator<[string, Record<string, unknown>]> {
  if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* objects(v, `${path}[${i}]`);
  else if (value && typeof value === "object") {
    yield [path, value as Record<string, unknown>];
    for (const [k, v] of Object.entries(value)) yield* objects(v, `${path}.${k}`);
  }
}

/** The exact keys of every ticket and counter in the value, and nothing of the staff's anywhere. */
function expectPublic(value: unknown) {
  const text = JSON.stringify(value);
  expect(text).not.toContain(NOTE);
  for (const o of officers) expect(text).not.toContain(o.fullName);
  for (const [path, object] of objects(value)) {
    for (const key of STAFF_ONLY) expect(Object.keys(object), `${path} has ${key}`).not.toContain(key);
    if ("code" in object && "issuedAt" in object) expect(Object.keys(object).sort(), path).toEqual(PUBLIC_TICKET);
    if ("fieldIds" in object) expect(Object.keys(object).sort(), path).toEqual(PUBLIC_COUNTER);
  }
}

describe("what a waiting-room screen receives", () => {
  it("gets public events only: exact keys, no note, no officer", () => {
    expect(publicEvents.map((e) => e.type)).toEqual(expect.arrayContaining(["counter.updated", "ticket.issued", "ticket.called", "ticket.requeued"]));
    expectPublic(publicEvents);
    const requeued = publicEvents.find((e) => e.type === "ticket.requeued")!;
    expect(Object.keys(requeued).sort()).toEqual(["at", "centreId", "counter", "previousFieldId", "reason", "seq", "ticket", "type"]);
  });

  it("gets a public snapshot over its socket and over the API, the same one", async () => {
    const socket = await listen(displayCookie, []);
    const overSocket = await snapshotOf(socket);
    expect(Object.keys(overSocket).sort()).toEqual(SNAPSHOT);
    expectPublic(overSocket);
    const overApi = await s.request("GET", "/api/v1/snapshot", { cookie: displayCookie });
    expect(overApi.body.data).toEqual(overSocket);
    // The transferred ticket is being served at counter 10, and the screen shows that much.
    const c10 = (overSocket.counters as Array<{ number: number; current: { code: string } | null }>).find((c) => c.number === 10)!;
    expect(c10.current?.code).toMatch(/^G\d{3}$/);
  });

  it("gets a /display page whose HTML carries none of it", async () => {
    const page = await s.request("GET", "/display", { cookie: displayCookie });
    expect(page.status).toBe(200);
    const html = String(page.body);
    expect(html).toContain("recentCalls");
    expect(html).not.toContain(NOTE);
    for (const o of officers) expect(html).not.toContain(o.fullName);
    for (const key of STAFF_ONLY) expect(html, key).not.toContain(`"${key}"`);
  });
});

describe("what staff receive", () => {
  it("get the full view: the transfer note and the officers' names", async () => {
    const transfer = staffEvents.find((e) => e.type === "ticket.requeued");
    expect(transfer && "ticket" in transfer && transfer.ticket.transferNote).toBe(NOTE);
    const snapshot = await snapshotOf(sockets[1]!);
    expect(JSON.stringify(snapshot)).toContain(NOTE);
    expect(JSON.stringify(snapshot)).toContain(officers[0]!.fullName);
  });
});
