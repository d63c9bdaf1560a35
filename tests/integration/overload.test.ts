import { and, asc, eq } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tickets } from "../../db/schema";
import { AppError } from "../../server/errors";
import { createTestDatabase, onPostgres } from "../helpers/database";
import { startTestServer, type TestServer } from "../helpers/server";

// More requests than the pool has connections (decision 0032): each waits a bounded time for a
// place, then is answered 503 `database_busy` with Retry-After — having read or written nothing —
// while /healthz stays 200 and /readyz stays ready, saying the pool is saturated rather than the
// database down. A real PostgreSQL with a pool of 2 and a wait of 300 ms.
const POOL = 2;
const WAIT_MS = 300;

type Answer = { status: number; code?: string; retryAfter: string | null; ms: number };

describe.runIf(onPostgres())("the pool saturated", () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let s: TestServer;
  let kioskCookie = "";
  let officerCookie = "";
  let fieldId = 0;

  beforeAll(async () => {
    db = await createTestDatabase({ max: POOL, waitMs: WAIT_MS, busyError: () => new AppError("database_busy") });
    s = await startTestServer({ database: db.handle, config: { metricsToken: undefined } });
    kioskCookie = (await s.pairedDevice("kiosk")).cookie;
    officerCookie = (await s.login("canbo01")).cookie;
    fieldId = (await s.fieldByCode("HT")).id;
  }, 120_000);
  afterAll(async () => {
    await s?.close();
    await db?.drop();
  });

  const timed = async (method: string, path: string, options: { cookie?: string; body?: unknown } = {}): Promise<Answer> => {
    const started = performance.now();
    const res = await s.request(method, path, options);
    return { status: res.status, code: res.body?.error?.code, retryAfter: res.headers.get("retry-after"), ms: performance.now() - started };
  };
  const issue = () => timed("POST", "/api/v1/kiosk/tickets", { cookie: kioskCookie, body: { fieldId } });
  const read = () => timed("GET", "/api/v1/snapshot", { cookie: officerCookie });

  /** Today's tickets of the field, in number order. */
  const issued = () => s.db.select().from(tickets).where(and(eq(tickets.fieldId, fieldId))).orderBy(asc(tickets.number));

  it("refuses what cannot get a connection in time, while the admitted finish, and says so on /readyz and /metrics", async () => {
    const before = (await issued()).length;
    // A waiting-room TV connected before the rush (pairing and the handshake need the database too).
    const displayCookie = (await s.pairedDevice("display")).cookie;
    const tv = s.socket(displayCookie, { origin: s.baseUrl });
    await new Promise<void>((resolve, reject) => {
      tv.once("connect", () => resolve());
      tv.once("connect_error", reject);
    });
    // A transaction of the test's own locks the tickets: the two admitted issuances hold the pool's two connections, waiting.
    const locker = postgres(db.url!, { max: 1, onnotice: () => {} });
    const lock = await locker.reserve();
    await lock.unsafe("begin");
    await lock.unsafe("lock table tickets in exclusive mode");
    try {
      const admitted = [issue(), issue()];
      while (s.handle.pool.stats().inUse < POOL) await new Promise((resolve) => setTimeout(resolve, 20));

      // Everything else waits its 300 ms and is refused — all of it while the two are still stuck
      // (the lock is held until after): no request waits for a connection without bound.
      const refused = await Promise.all([
        ...Array.from({ length: 10 }, issue),
        ...Array.from({ length: 10 }, read),
      ]);
      for (const answer of refused) {
        expect(answer).toMatchObject({ status: 503, code: "database_busy", retryAfter: "3" });
      }
      // A socket message is refused too, with an answer rather than a wait (the screen asks again later).
      const snapshot = await tv.timeout(10_000).emitWithAck("queue:snapshot");
      expect(snapshot).toMatchObject({ error: { code: "database_busy" } });
      expect(snapshot).not.toHaveProperty("data");
      // And a screen connecting now is turned away with the same reason (its client retries), not left hanging or told "internal".
      const late = s.socket(displayCookie, { origin: s.baseUrl });
      const refusal = await new Promise<Error & { data?: { code?: string } }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("the handshake neither failed nor succeeded in 10 s")), 10_000);
        late.once("connect", () => reject(new Error("connected through a saturated pool")));
        late.once("connect_error", (error) => {
          clearTimeout(timer);
          resolve(error);
        });
      });
      late.close();
      expect(refusal.data).toEqual({ code: "database_busy" });

      // Alive, and ready: the database answers on the health check's own connection; the pool is busy, not down.
      const live = await s.request("GET", "/healthz");
      expect(live.status).toBe(200);
      const ready = await s.request("GET", "/readyz");
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({ status: "ready", reasons: [], warnings: ["pool_saturated"], database: { state: "up" }, pool: { max: POOL, inUse: POOL } });

      const metrics = await (await fetch(`${s.baseUrl}/metrics`)).text();
      expect(metrics).toMatch(/^motcua_db_pool_max 2$/m);
      expect(metrics).toMatch(/^motcua_db_pool_in_use 2$/m);
      expect(Number(/^motcua_db_pool_refused_total (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(21);
      expect(metrics).toMatch(/^motcua_db_pool_waiting \d+$/m);

      await lock.unsafe("commit");
      for (const answer of await Promise.all(admitted)) expect(answer.status).toBe(201);
      console.log(`pool of ${POOL}, wait ${WAIT_MS} ms: ${refused.length} refused, slowest refusal ${Math.round(Math.max(...refused.map((a) => a.ms)))} ms`);
    } finally {
      tv.close();
      lock.release();
      await locker.end();
    }
    // Nothing half-written: exactly the two admitted issuances made tickets, numbered on without a gap.
    const after = await issued();
    expect(after.length - before).toBe(2);
    expect(after.map((t) => t.number)).toEqual(after.map((_, i) => i + 1));
  });

  it("under a burst of 300 requests at once answers each (served, or 503 database_busy), never a hang or a 500, and the data add up", async () => {
    const before = (await issued()).length;
    let probing = true;
    const probes: Array<{ live: number; ready: number; reasons: string[] }> = [];
    const probe = (async () => {
      while (probing) {
        const [live, ready] = await Promise.all([s.request("GET", "/healthz"), s.request("GET", "/readyz")]);
        probes.push({ live: live.status, ready: ready.status, reasons: ready.body.reasons });
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const answers = await Promise.all(Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? issue() : read())));
    probing = false;
    await probe;

    const served = answers.filter((a) => a.status === 200 || a.status === 201);
    const refused = answers.filter((a) => a.status === 503);
    for (const a of refused) expect(a).toMatchObject({ code: "database_busy", retryAfter: "3" });
    expect(served.length + refused.length).toBe(answers.length);
    expect(served.length).toBeGreaterThan(0);
    expect(probes.length).toBeGreaterThan(0);
    for (const p of probes) expect(p).toEqual({ live: 200, ready: 200, reasons: [] });

    const ms = answers.map((a) => a.ms).sort((a, b) => a - b);
    const at = (q: number) => Math.round(ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]!);
    console.log(`burst of 300 on a pool of ${POOL} (wait ${WAIT_MS} ms): ${served.length} served, ${refused.length} refused; p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`);

    // Every issuance answered 201 made exactly one ticket; every refused one made none.
    const after = await issued();
    expect(after.length - before).toBe(answers.filter((a) => a.status === 201).length);
    expect(after.map((t) => t.number)).toEqual(after.map((_, i) => i + 1));
  }, 120_000);
});

describe.runIf(!onPostgres())("the embedded database", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s?.close());

  it("admits every request (its one connection takes turns by itself) and reports the pool", async () => {
    const kiosk = await s.pairedDevice("kiosk");
    const field = await s.fieldByCode("HT");
    const answers = await Promise.all(Array.from({ length: 30 }, () => s.request("POST", "/api/v1/kiosk/tickets", { cookie: kiosk.cookie, body: { fieldId: field.id } })));
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 201));
    const ready = await s.request("GET", "/readyz");
    expect(ready.body).toMatchObject({ status: "ready", pool: { refused: 0, waiting: 0 } });
  });
});
