/**
 * Several nodes (docs/decisions/0031): two app processes on one fresh PostgreSQL database, once
 * with Socket.IO's PostgreSQL adapter and once with its Redis Streams adapter. A call made on node A
 * reaches a TV connected to node B, in sequence; a sign-out on A closes that session's socket on B;
 * wrong passwords spread over A and B are throttled at the same count as on one node; officers
 * calling at once on both nodes never get the same ticket.
 *
 * PostgreSQL itself is needed: on the PGlite run this test makes its database on the local server
 * (LOCAL_POSTGRES), as the fault tests do. Without Redis the Redis half is skipped, except in CI.
 */
import { and, count, eq, sql } from "drizzle-orm";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SESSION_TRUST_MS } from "../../server/auth/session-cache";
import { counterFields, counters, fields, ticketEvents, tickets, users, type Field } from "../../db/schema";
import type { DatabaseHandle } from "../../db/client";
import { SYSTEM_ACTOR, userActor } from "../../server/auth/permissions";
import { createSession } from "../../server/auth/session";
import type { ServiceDeps } from "../../server/context";
import { seedDemo } from "../../server/demo/seed";
import { createDevice, pairDevice } from "../../server/devices/service";
import { signInToCounter } from "../../server/queue/counters";
import { issueTicket } from "../../server/queue/issuing";
import type { ClientToServerEvents, PublicQueueEvent, ServerToClientEvents } from "../../server/realtime/events";
import { kioskActor, NO_KIOSK_PACE, recordingPublisher } from "../helpers/actors";
import { startAppProcess, type AppChild } from "../helpers/app-child";
import { createTestDatabase } from "../helpers/database";
import { connectRedis, deleteRedisKeys, redisTestPrefix, TEST_REDIS_URL } from "../helpers/redis";

const redisProbe = await connectRedis();
await redisProbe?.close();
if (process.env.CI === "true" && !redisProbe) throw new Error("CI runs Redis: the test of several nodes needs it");

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Node = AppChild & { name: string; baseUrl: string };
type Pair = { a: Node; b: Node };
type Screen = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A node (tests/helpers/app-process.ts, as server/index.ts runs it), once it listens. */
async function startNode(name: string, databaseUrl: string, env: Record<string, string>): Promise<Node> {
  const app = await startAppProcess(databaseUrl, 0, { ...env, TEST_SOCKET_RECHECK_MS: "3600000" });
  return { ...app, name, baseUrl: `http://127.0.0.1:${app.port}` };
}

async function stopNode(node: Node | undefined) {
  if (!node || node.child.exitCode !== null) return;
  node.child.kill("SIGTERM");
  const forced = setTimeout(() => node.child.kill("SIGKILL"), 10_000);
  await node.exited;
  clearTimeout(forced);
}

async function request(node: Node, method: string, path: string, options: { cookie?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const response = await fetch(node.baseUrl + "/api/v1" + path, {
    method,
    headers: { ...(options.body !== undefined ? { "content-type": "application/json" } : {}), ...(options.cookie ? { cookie: options.cookie } : {}), ...options.headers },
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
  });
  return { status: response.status, body: (await response.json()) as any };
}

function socketTo(node: Node, cookie: string): Promise<Screen> {
  const socket: Screen = io(node.baseUrl, { transports: ["websocket"], extraHeaders: { cookie }, reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

/** The events a screen receives, and a way to wait for one. */
function recorder(socket: Screen) {
  const seen: PublicQueueEvent[] = [];
  const waiters: Array<() => void> = [];
  socket.on("queue:event", (event) => {
    seen.push(event as PublicQueueEvent);
    for (const wake of waiters.splice(0)) wake();
  });
  return {
    seen,
    async until(found: (events: PublicQueueEvent[]) => boolean) {
      while (!found(seen)) await new Promise<void>((wake) => waiters.push(wake));
    },
  };
}

describe("two nodes on one PostgreSQL", () => {
  let database: DatabaseHandle;
  let drop: () => Promise<void>;
  let deps: ServiceDeps;
  let centreId: number;
  const redisPrefix = redisTestPrefix("nodes");
  const pairs: Partial<Record<"postgres" | "redis", Pair>> = {};
  const sockets: Screen[] = [];
  let serial = 0;
  let fieldSerial = 0;

  beforeAll(async () => {
    const test = await createTestDatabase({ postgres: true, max: 12 });
    database = test.handle;
    drop = test.drop;
    deps = { db: database.db, events: recordingPublisher([]), config: NO_KIOSK_PACE };
    ({ centreId } = await seedDemo(database.db, { password: "Nodes@Test1" }));
    const onPostgres = { REDIS_URL: "" };
    const onRedis = { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: redisPrefix };
    // All four at once: each start costs a second or more, mostly loading modules.
    const [pgA, pgB, redisA, redisB] = await Promise.all([
      startNode("postgres A", test.url!, onPostgres),
      startNode("postgres B", test.url!, onPostgres),
      ...(redisProbe ? [startNode("redis A", test.url!, onRedis), startNode("redis B", test.url!, onRedis)] : []),
    ]);
    pairs.postgres = { a: pgA!, b: pgB! };
    if (redisA && redisB) pairs.redis = { a: redisA, b: redisB };
  }, 60_000);

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await Promise.all(Object.values(pairs).flatMap((pair) => [stopNode(pair.a), stopNode(pair.b)]));
    if (redisProbe) {
      const client = await connectRedis();
      if (client) await deleteRedisKeys(client, redisPrefix).finally(() => client.close());
    }
    await drop?.();
  });

  /** A field of the test's own. */
  async function newField(): Promise<Field> {
    const n = fieldSerial++;
    const [field] = await database.db
      .insert(fields)
      .values({ centreId, code: `N${n}`, name: `Lĩnh vực nút ${n}`, prefix: `N${String.fromCharCode(65 + n)}`, sortOrder: 200 + n })
      .returning();
    return field!;
  }

  /** A counter of its own serving `field`, with an officer signed in there (a session cookie). */
  async function desk(field: Field) {
    const n = serial++;
    const [counter] = await database.db.insert(counters).values({ centreId, number: 300 + n, name: `Quầy nút ${n}` }).returning();
    await database.db.insert(counterFields).values({ counterId: counter!.id, fieldId: field.id });
    const officer = await newOfficer(`nut${n}`);
    await signInToCounter(deps, userActor(officer.user), { counterId: counter!.id });
    return { field, counter: counter!, cookie: officer.cookie };
  }

  async function newOfficer(username: string) {
    const [user] = await database.db.insert(users).values({ centreId, username, fullName: `Cán bộ ${username}`, role: "officer", passwordHash: "x" }).returning();
    const { token } = await createSession(deps, { userId: user!.id });
    return { user: user!, cookie: `motcua_session=${token}` };
  }

  async function pairedCookie(kind: "display" | "kiosk") {
    const { pairingCode } = await createDevice(deps, SYSTEM_ACTOR, { centreId, kind, name: `Thiết bị nút ${serial++}` });
    const { token } = await pairDevice(deps, pairingCode);
    return `motcua_device=${token}`;
  }

  describe.each([
    { adapter: "PostgreSQL", pair: () => pairs.postgres },
    { adapter: "Redis Streams", pair: () => pairs.redis },
  ])("with Socket.IO's $adapter adapter", ({ pair }) => {
    it("a ticket issued and called on node A reaches a TV connected to node B, in sequence", async (context) => {
      if (!pair()) return context.skip("Redis is not running here");
      const { a, b } = pair()!;
      const tv = await socketTo(b, await pairedCookie("display"));
      sockets.push(tv);
      const events = recorder(tv);
      const d = await desk(await newField());
      const issued = await request(a, "POST", "/kiosk/tickets", { cookie: await pairedCookie("kiosk"), body: { fieldId: d.field.id } });
      expect(issued.status).toBe(201);
      const called = await request(a, "POST", `/counters/${d.counter.id}/call-next`, { cookie: d.cookie });
      expect(called.status).toBe(200);
      const ticketId = called.body.data.ticket.id as number;
      await events.until((seen) => seen.some((e) => e.type === "ticket.called" && e.ticket.id === ticketId));
      const mine = events.seen.flatMap((e) => ("ticket" in e && e.ticket.id === ticketId ? [e] : []));
      expect(mine.map((e) => e.type)).toEqual(["ticket.issued", "ticket.called"]);
      expect(mine[1]!.seq).toBe(mine[0]!.seq + 1);
      // The public projection crossed the nodes, not the staff one.
      expect(Object.keys(mine[1]!.ticket).sort()).toEqual(["calledAt", "code", "counterId", "fieldId", "id", "issuedAt", "recallCount", "status"]);
    });

    it("a sign-out on node A closes that session's socket on node B", async (context) => {
      if (!pair()) return context.skip("Redis is not running here");
      const { a, b } = pair()!;
      const officer = await newOfficer(`dangxuat${serial++}`);
      const staff = await socketTo(b, officer.cookie);
      sockets.push(staff);
      const closed = new Promise<string>((resolve) => staff.once("disconnect", resolve));
      // Node B has just read the session (it trusts it for a few seconds, decision 0033)…
      const readAt = Date.now();
      expect((await request(b, "GET", "/me", { cookie: officer.cookie })).status).toBe(200);
      expect((await request(a, "POST", "/auth/logout", { cookie: officer.cookie })).status).toBe(200);
      expect(await closed).toBe("io server disconnect");
      // …and refuses it once node A's word arrives, before its trust would lapse. (The socket may
      // have been closed first by B's own re-check of its sockets: the word is awaited, not assumed.)
      let refusedAfter: number | null = null;
      while (refusedAfter === null && Date.now() - readAt < SESSION_TRUST_MS - 500) {
        if ((await request(b, "GET", "/me", { cookie: officer.cookie })).status === 401) refusedAfter = Date.now() - readAt;
        else await sleep(25);
      }
      expect(refusedAfter, "node B still trusted the ended session").not.toBeNull();
      expect(refusedAfter!).toBeLessThan(SESSION_TRUST_MS);
    });

    it("wrong passwords spread over both nodes are throttled at the count of one node", async (context) => {
      if (!pair()) return context.skip("Redis is not running here");
      const { a, b } = pair()!;
      const address = `198.51.100.${10 + serial++}`;
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) {
        const node = i % 2 === 0 ? a : b;
        const res = await request(node, "POST", "/auth/login", { headers: { "x-forwarded-for": address }, body: { username: "canbo01", password: `sai-${i}` } });
        statuses.push(res.status);
      }
      // 5 tries per username and address, wherever they land: A, B, A, B, A, then B and A refused.
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    });
  });

  it("PostgreSQL ending the adapter's connections (as a restart does) stops no node, and broadcasts resume", async () => {
    const { a, b } = pairs.postgres!;
    const tv = await socketTo(b, await pairedCookie("display"));
    sockets.push(tv);
    const events = recorder(tv);
    const kiosk = await pairedCookie("kiosk");
    const d = await desk(await newField());
    // Twice: each time the adapter must get new connections from its pool of two.
    for (let restart = 0; restart < 2; restart++) {
      const ended = await database.db.execute(
        sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'motcua socket.io' and datname = current_database()`,
      );
      expect([...(ended as Iterable<unknown>)].length).toBeGreaterThanOrEqual(2);
      // The adapter listens again after a pause of its own: call until a call reaches the TV.
      for (;;) {
        expect([a.child.exitCode, b.child.exitCode]).toEqual([null, null]);
        expect((await request(a, "POST", "/kiosk/tickets", { cookie: kiosk, body: { fieldId: d.field.id } })).status).toBe(201);
        const called = await request(a, "POST", `/counters/${d.counter.id}/call-next`, { cookie: d.cookie });
        expect(called.status).toBe(200);
        const ticketId = called.body.data.ticket.id as number;
        const arrived = events.until((seen) => seen.some((e) => e.type === "ticket.called" && e.ticket.id === ticketId)).then(() => true);
        const reached = await Promise.race([arrived, sleep(1_000).then(() => false)]);
        expect((await request(a, "POST", `/tickets/${ticketId}/finish`, { cookie: d.cookie })).status).toBe(200);
        if (reached) break;
      }
    }
  });

  it("officers calling at once on both nodes never get the same ticket", async () => {
    const { a, b } = pairs.postgres!;
    const OFFICERS = 6;
    const TICKETS = 60;
    const field = await newField();
    const desks = [];
    for (let i = 0; i < OFFICERS; i++) desks.push(await desk(field));
    const kiosk = await kioskActor(database.db, centreId);
    for (let i = 0; i < TICKETS; i++) await issueTicket(deps, kiosk, { fieldId: field.id });

    // Half the counters work through node A, half through node B, all at once, until the queue is empty.
    const served = await Promise.all(
      desks.map(async ({ counter, cookie }, i) => {
        const node = i % 2 === 0 ? a : b;
        const ids: number[] = [];
        for (;;) {
          const call = await request(node, "POST", `/counters/${counter.id}/call-next`, { cookie });
          if (call.status === 409 && call.body.error.code === "queue_empty") return ids;
          expect(call.status, JSON.stringify(call.body)).toBe(200);
          const ticketId = call.body.data.ticket.id as number;
          ids.push(ticketId);
          expect((await request(node, "POST", `/tickets/${ticketId}/finish`, { cookie })).status).toBe(200);
        }
      }),
    );
    const ids = served.flat();
    expect(served.filter((list) => list.length > 0).length).toBeGreaterThan(1);
    expect(ids).toHaveLength(TICKETS);
    expect(new Set(ids).size).toBe(TICKETS);
    const [done] = await database.db
      .select({ n: count() })
      .from(tickets)
      .where(and(eq(tickets.fieldId, field.id), eq(tickets.status, "done")));
    expect(done!.n).toBe(TICKETS);
    const calls = await database.db
      .select({ ticketId: ticketEvents.ticketId, n: count() })
      .from(ticketEvents)
      .innerJoin(tickets, eq(tickets.id, ticketEvents.ticketId))
      .where(and(eq(tickets.fieldId, field.id), eq(ticketEvents.type, "called")))
      .groupBy(ticketEvents.ticketId);
    expect(calls).toHaveLength(TICKETS);
    expect(calls.filter((c) => c.n !== 1)).toEqual([]);
  });
});
