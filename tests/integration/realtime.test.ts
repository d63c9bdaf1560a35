import { eq } from "drizzle-orm";
import type { Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { centres, counters } from "../../db/schema";
import { applyQueueEvent } from "../../app/lib/board";
import type { CentreSnapshot, QueueEvent } from "../../server/realtime/events";
import { createDevice, pairDevice, revokeDevice } from "../../server/devices/service";
import { SYSTEM_ACTOR } from "../../server/auth/permissions";
import { savePriorityClass } from "../../server/queue/priority-classes";
import { startTestServer, type TestServer } from "../helpers/server";

let s: TestServer;
const open: Socket[] = [];
beforeAll(async () => {
  s = await startTestServer();
});
afterEach(() => {
  for (const socket of open.splice(0)) socket.disconnect();
});
afterAll(() => s?.close());

function connect(cookie?: string, headers?: Record<string, string>) {
  const socket = s.socket(cookie, headers);
  open.push(socket);
  return socket;
}

const connected = (socket: Socket) =>
  new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });

function snapshotOf(socket: Socket): Promise<CentreSnapshot> {
  return new Promise((resolve, reject) =>
    socket.emit("queue:snapshot", (reply: { data: CentreSnapshot } | { error: unknown }) =>
      "data" in reply ? resolve(reply.data) : reject(new Error(JSON.stringify(reply.error))),
    ),
  );
}

/** Collects queue events; `next(n)` waits until n more have arrived. */
function collect(socket: Socket) {
  const events: QueueEvent[] = [];
  let waiter: (() => void) | null = null;
  let want = 0;
  socket.on("queue:event", (event: QueueEvent) => {
    events.push(event);
    if (waiter && events.length >= want) waiter();
  });
  return {
    events,
    until: (n: number, timeoutMs = 5_000) =>
      new Promise<QueueEvent[]>((resolve, reject) => {
        if (events.length >= n) return resolve(events);
        want = n;
        const timer = setTimeout(() => reject(new Error(`only ${events.length} of ${n} events arrived`)), timeoutMs);
        waiter = () => {
          clearTimeout(timer);
          resolve(events);
        };
      }),
  };
}

describe("waiting-room screen over Socket.IO", () => {
  it("refuses a connection without a device token or session", async () => {
    const socket = connect();
    await expect(connected(socket)).rejects.toThrow("Vui lòng đăng nhập để tiếp tục.");
  });

  it("refuses a connection from another origin", async () => {
    const display = await s.pairedDevice("display");
    const sameSite = connect(display.cookie, { origin: s.baseUrl });
    await connected(sameSite);
    const crossSite = connect(display.cookie, { origin: "https://evil.example" });
    await expect(connected(crossSite)).rejects.toThrow();
  });

  it("follows issue, call and finish in sequence; the events replayed on the snapshot give the server's state", async () => {
    const display = await s.pairedDevice("display");
    const kiosk = await s.pairedDevice("kiosk");
    const screen = connect(display.cookie);
    const stream = collect(screen);
    await connected(screen);
    const before = await snapshotOf(screen);
    expect(before.centre.name).toBe("Trung tâm Phục vụ hành chính công");
    expect(before.counters).toHaveLength(10);

    const officer = await s.login("canbo01");
    const [counter1] = await s.db.select().from(counters).where(eq(counters.number, 1));
    const field = await s.fieldByCode("HT");
    await s.request("POST", `/api/v1/counters/${counter1!.id}/sign-in`, { cookie: officer.cookie });
    const issued = await s.request("POST", "/api/v1/kiosk/tickets", { cookie: kiosk.cookie, body: { fieldId: field.id } });
    const called = await s.request("POST", `/api/v1/counters/${counter1!.id}/call-next`, { cookie: officer.cookie });
    expect(called.body.data.ticket.code).toBe(issued.body.data.ticket.code);

    const events = await stream.until(3);
    expect(events.map((e) => e.type)).toEqual(["counter.updated", "ticket.issued", "ticket.called"]);
    expect(events.map((e) => e.seq)).toEqual([before.seq + 1, before.seq + 2, before.seq + 3]);
    const call = events[2]!;
    expect(call.type === "ticket.called" && call.counter.number).toBe(1);

    let replayed = before;
    for (const event of events) replayed = applyQueueEvent(replayed, event)!;
    const fresh = await snapshotOf(screen);
    expect(replayed).toEqual(fresh);
    expect(fresh.counters.find((c) => c.number === 1)!.current!.code).toBe(issued.body.data.ticket.code);

    await s.request("POST", `/api/v1/tickets/${called.body.data.ticket.id}/finish`, { cookie: officer.cookie });
    const [, , , finished] = await stream.until(4);
    expect(finished!.type).toBe("ticket.finished");
    expect(finished!.seq).toBe(before.seq + 4);
    // The counter as the finish's statement returned it (locked and read there) is the counter as read afresh.
    replayed = applyQueueEvent(replayed, finished!)!;
    const after = await snapshotOf(screen);
    expect(replayed).toEqual(after);
    expect(finished!.type === "ticket.finished" && finished!.counter).toEqual(after.counters.find((c) => c.number === 1));
  });

  it("publishes nothing for a refused action", async () => {
    const display = await s.pairedDevice("display");
    const screen = connect(display.cookie);
    const stream = collect(screen);
    await connected(screen);
    const officer = await s.login("canbo02");
    const [counter9] = await s.db.select().from(counters).where(eq(counters.number, 9));
    await s.request("POST", `/api/v1/counters/${counter9!.id}/sign-in`, { cookie: officer.cookie });
    await stream.until(1);
    const refused = await s.request("POST", `/api/v1/counters/${counter9!.id}/call-next`, { cookie: officer.cookie });
    expect(refused.status).toBe(409);
    await new Promise((r) => setTimeout(r, 300));
    expect(stream.events.map((e) => e.type)).toEqual(["counter.updated"]);
  });

  it("keeps each centre's events in its own room", async () => {
    const [other] = await s.db.insert(centres).values({ code: "KHAC", name: "Trung tâm khác" }).returning();
    const { pairingCode } = await createDevice({ db: s.db }, SYSTEM_ACTOR, { centreId: other!.id, kind: "display", name: "Màn hình khác" });
    const { token } = await pairDevice(s.services, pairingCode);
    const foreign = connect(`motcua_device=${token}`);
    const foreignStream = collect(foreign);
    await connected(foreign);
    expect((await snapshotOf(foreign)).centre.name).toBe("Trung tâm khác");

    const kiosk = await s.pairedDevice("kiosk");
    const field = await s.fieldByCode("CT");
    const res = await s.request("POST", "/api/v1/kiosk/tickets", { cookie: kiosk.cookie, body: { fieldId: field.id } });
    expect(res.status).toBe(201);
    await new Promise((r) => setTimeout(r, 300));
    expect(foreignStream.events).toEqual([]);
  });

  it("tells screens when the centre's settings change, so they reload their snapshot", async () => {
    const display = await s.pairedDevice("display");
    const screen = connect(display.cookie);
    const stream = collect(screen);
    await connected(screen);
    const before = await snapshotOf(screen);
    const admin = await s.login("quantri");
    expect((await savePriorityClass(s.services, admin.actor, { name: "Người mang thẻ bảo hiểm đặc biệt" })).ok).toBe(true);
    const [event] = await stream.until(1);
    expect(event).toMatchObject({ type: "settings.updated", seq: before.seq + 1, centreId: before.centre.id });
    expect(applyQueueEvent(before, event!)).toBeNull();
  });

  it("cuts off a revoked device", async () => {
    const display = await s.pairedDevice("display");
    const screen = connect(display.cookie);
    await connected(screen);
    const gone = new Promise<string>((resolve) => screen.once("disconnect", resolve));
    const admin = await s.login("quantri");
    // The device service cuts its connections itself: no page or route has to remember to.
    await revokeDevice(s.services, admin.actor, { deviceId: display.device.id });
    expect(await gone).toBe("io server disconnect");
    const again = connect(display.cookie);
    await expect(connected(again)).rejects.toThrow();
  });
});
