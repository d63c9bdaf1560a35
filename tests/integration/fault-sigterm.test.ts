import { connect } from "node:net";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tickets } from "../../db/schema";
import type { QueueEvent } from "../../server/realtime/events";
import { displaySocket, faultWorld, holdRows, httpClient, logIn, startAppProcess, until, type AppChild, type Reply } from "../helpers/app-child";

// The app as a process of its own is sent SIGTERM (an update, a scale-down) while requests are
// in flight: three officers' call-next and five issues (kiosk and reception), held by row
// locks this test takes (waiting in PostgreSQL, or in the process for their centre's turn). It must stop taking connections, give
// every request it holds its real answer (not a reset), tell the TV to reconnect (without
// cutting it off for good), close the database and exit 0 — and the TV, reconnecting by itself
// to the next process, sees the calls those requests made.
const OFFICERS = 3;
const ISSUES = 5;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether a new TCP connection to the port is accepted (closed at once either way). */
const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });

describe("SIGTERM with requests in flight (the app as its own process, on PostgreSQL)", () => {
  let world: Awaited<ReturnType<typeof faultWorld>>;
  let app: AppChild | null = null;
  let base = "";
  const request = httpClient(() => base);
  let held: Awaited<ReturnType<typeof holdRows>> | null = null;

  beforeAll(async () => {
    world = await faultWorld({ counters: OFFICERS });
    app = await startAppProcess(world.url);
    base = `http://127.0.0.1:${app.port}`;
  }, 60_000);
  afterAll(async () => {
    await held?.release();
    if (app?.child.exitCode === null) app.child.kill("SIGKILL");
    await world?.drop();
  });

  it("stops taking connections, answers the requests it holds, tells the TV to reconnect, closes the database and exits 0", async () => {
    const officers = await Promise.all(world.desks.map((d) => logIn(request, d.username)));
    for (const [i, desk] of world.desks.entries()) {
      expect((await request("POST", `/api/v1/counters/${desk.counter.id}/sign-in`, { cookie: officers[i] })).status).toBe(200);
    }
    const reception = await logIn(request, world.receptionist);
    for (let i = 0; i < OFFICERS; i++) {
      expect((await request("POST", "/api/v1/kiosk/tickets", { cookie: world.kioskCookie, body: { fieldId: world.field.id } })).status).toBe(201);
    }

    // The TV: connected, with its snapshot, hearing the queue's events.
    const tv = displaySocket(base, world.displayCookie);
    const heard: string[] = [];
    const calls: Array<QueueEvent & { type: "ticket.called" }> = [];
    tv.on("server:restarting", () => heard.push("server:restarting"));
    tv.on("disconnect", (reason) => heard.push(`disconnect:${reason}`));
    tv.on("queue:event", (event) => {
      if (event.type !== "ticket.called") return;
      calls.push(event as never);
      heard.push(event.type);
    });
    const snapshot = () =>
      new Promise<{ seq: number; recentCalls: Array<{ ticket: { id: number } }> }>((resolve, reject) =>
        tv.timeout(5_000).emit("queue:snapshot", (err, reply) => (err || !("data" in reply) ? reject(err ?? new Error(JSON.stringify(reply))) : resolve(reply.data))),
      );
    await until("the TV connects", 10_000, () => tv.connected);
    expect((await snapshot()).seq).toBeGreaterThan(0);

    // Hold the three counters and the field: the calls and issues below wait in PostgreSQL.
    held = await holdRows(world.url, { counterIds: world.desks.map((d) => d.counter.id), fieldId: world.field.id });

    const settled = new Set<string>();
    const track = (name: string, reply: Promise<Reply>) => reply.finally(() => settled.add(name));
    // A centre's calls take turns in the process before they take a connection (server/queue/calling.ts):
    // one waits in the database for its counter, the others for their turn.
    const callNexts = world.desks.map((desk, i) =>
      track(`call-next ${i}`, request("POST", `/api/v1/counters/${desk.counter.id}/call-next`, { cookie: officers[i] })),
    );
    await until("a call waits for the held counter", 10_000, async () => (await held!.waiting()) >= 1);
    const issues = Array.from({ length: ISSUES }, (_, i) =>
      track(
        `issue ${i}`,
        i % 2
          ? request("POST", "/api/v1/reception/tickets", { cookie: reception, body: { fieldId: world.field.id } })
          : request("POST", "/api/v1/kiosk/tickets", { cookie: world.kioskCookie, body: { fieldId: world.field.id } }),
      ),
    );
    await until(`the ${ISSUES} issues wait for the held field`, 10_000, async () => (await held!.waiting()) >= 1 + ISSUES);
    expect(settled.size).toBe(0);

    const stoppedAt = Date.now();
    app!.child.kill("SIGTERM");
    // It stops taking connections while it still holds the eight requests.
    await until("the port refuses new connections", 5_000, async () => !(await accepts(app!.port)));
    expect([...settled]).toEqual([]);

    await held.release();
    held = null;
    const called = await Promise.all(callNexts);
    const issued = await Promise.all(issues);
    for (const res of called) expect(res.status, res.error ?? JSON.stringify(res.body)).toBe(200);
    for (const res of issued) expect(res.status, res.error ?? JSON.stringify(res.body)).toBe(201);
    // Each told its client not to send another request down that connection.
    for (const res of [...called, ...issued]) expect(res.headers!.get("connection")).toBe("close");
    // The TV heard those calls, then was told, and its connection closed as a network loss
    // would (not a disconnect by the server, which ends a socket for good): it tries again by itself.
    await until("the TV is disconnected", 5_000, () => !tv.connected);
    const calledIds = called.map((r) => r.body.data.ticket.id as number);
    expect(calls.map((e) => e.ticket.id).sort((a, b) => a - b)).toEqual([...calledIds].sort((a, b) => a - b));
    expect(heard).toEqual([...calledIds.map(() => "ticket.called"), "server:restarting", "disconnect:transport close"]);
    expect(tv.active).toBe(true);
    const exit = await Promise.race([app!.exited, sleep(15_000).then(() => "still running")]);
    console.log(`SIGTERM: exited ${JSON.stringify(exit)} ${Date.now() - stoppedAt} ms after the signal (deadline 10 s)`);
    expect(exit, app!.output()).toEqual({ code: 0, signal: null });

    // What they answered is what the database holds.
    const issuedIds = issued.map((r) => r.body.data.ticket.id as number);
    const rows = await world.db.select().from(tickets).where(inArray(tickets.id, [...calledIds, ...issuedIds]));
    for (const [i, id] of calledIds.entries()) {
      expect(rows.find((t) => t.id === id)).toMatchObject({ status: "called", counterId: world.desks[i]!.counter.id });
    }
    for (const id of issuedIds) expect(rows.find((t) => t.id === id)?.status).toBe("waiting");
    const numbers = (await world.db.select({ number: tickets.number }).from(tickets).where(eq(tickets.fieldId, world.field.id))).map((t) => t.number);
    expect(numbers.sort((a, b) => a - b)).toEqual(Array.from({ length: OFFICERS + ISSUES }, (_, i) => i + 1));

    // The next process: the TV is back by itself, and its snapshot has the calls made in flight.
    app = await startAppProcess(world.url, app!.port);
    await until("the TV reconnects by itself", 10_000, () => tv.connected);
    const after = await snapshot();
    const shown = after.recentCalls.map((c) => c.ticket.id);
    for (const id of calledIds) expect(shown).toContain(id);
    tv.close();
    app.child.kill("SIGTERM");
    expect(await app.exited).toEqual({ code: 0, signal: null });
  }, 60_000);
});
