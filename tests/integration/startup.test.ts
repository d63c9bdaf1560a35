import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { loadEnv } from "../../server/env";
import type { Lifecycle } from "../../server/http/health";
import { startMotcua, type Started } from "../../server/start";
import { createTestDatabase, onPostgres } from "../helpers/database";

// The real start-up sequence (server/start.ts, what `npm start` runs) on an empty database: the
// server listens before it migrates, says it lives (/healthz) and what it waits for (/readyz),
// tells every other request that it is starting, and is ready once migrated and seeded.

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

async function get(base: string, pathname: string, accept = "application/json") {
  const res = await fetch(base + pathname, { headers: { accept, cookie: "motcua_session=abc" }, redirect: "manual" });
  const text = await res.text();
  return { status: res.status, text, json: accept.includes("json") ? JSON.parse(text) : null, retryAfter: res.headers.get("retry-after") };
}

/** What a server that is not ready yet must answer, whatever it waits for. */
async function expectStarting(base: string, reason: string) {
  const live = await get(base, "/healthz");
  expect(live.status).toBe(200);
  expect(live.json).toMatchObject({ status: "ok" });
  const ready = await get(base, "/readyz");
  expect(ready.status).toBe(503);
  expect(ready.json).toMatchObject({ status: "not_ready", reasons: [reason] });
  const api = await get(base, "/api/v1/me");
  expect(api.status).toBe(503);
  expect(api.retryAfter).toBe("3");
  expect(api.json).toEqual({ error: { code: "starting", message: expect.stringContaining("đang khởi động") } });
  const page = await get(base, "/counter", "text/html");
  expect(page.status).toBe(503);
  expect(page.text).toContain("Hệ thống đang khởi động");
  expect(page.text).toContain("fetch('/readyz'");
  expect(page.text).not.toMatch(/\b50[0-9]\b/);
}

describe("a server starting on an empty database", () => {
  it("answers /healthz at once, /readyz 503 'migrating' until migrated, 'starting' to everything else; then ready", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "motcua-start-"));
    folders.push(dataDir);
    const empty = onPostgres() ? await createTestDatabase({ empty: true }) : null;
    await empty?.handle.close(); // only its URL is used: the server opens it
    const env = loadEnv({
      NODE_ENV: "test",
      PORT: "0",
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      DEMO_DATA: "true",
      KIOSK_PACE_SECONDS: "0",
      ...(empty ? { DATABASE_URL: empty.url } : {}),
    });

    // On PostgreSQL the migration is held mid-way: a transaction of the test's own locks the
    // table the migrator reads first, so the server is seen answering *while* it migrates.
    const locker = empty ? postgres(empty.url!, { max: 1, onnotice: () => {} }) : null;
    const lock = locker ? await locker.reserve() : null;
    if (lock) {
      await lock.unsafe(`create schema drizzle; create table drizzle.__drizzle_migrations (id serial primary key, hash text not null, created_at bigint)`);
      await lock.unsafe("begin");
      await lock.unsafe("lock table drizzle.__drizzle_migrations in access exclusive mode");
    }

    let base = "";
    let lifecycle: Lifecycle | undefined;
    let started: Started | undefined;
    try {
      const starting = startMotcua({
        env,
        logger: pino({ level: "silent" }),
        onListening: async (port, phase) => {
          base = `http://127.0.0.1:${port}`;
          lifecycle = phase;
          // Before the database is even opened: alive, not ready, and saying why.
          await expectStarting(base, "migrating");
        },
      });
      if (lock) {
        // The migrator waits on the test's lock: the migration is under way, not done.
        for (;;) {
          const [row] = await lock`select count(*)::int as n from pg_locks where not granted and relation = 'drizzle.__drizzle_migrations'::regclass`;
          if (row!.n > 0) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(lifecycle?.phase).toBe("migrating");
        await expectStarting(base, "migrating");
        await lock.unsafe("commit");
      }
      started = await starting;

      const ready = await get(base, "/readyz");
      expect(ready.status).toBe(200);
      expect(ready.json).toMatchObject({ status: "ready", reasons: [], database: { state: "up" } });
      // The app itself answers now: a session it does not know is refused as such.
      const me = await get(base, "/api/v1/me");
      expect(me.status).toBe(401);
    } finally {
      lock?.release();
      await locker?.end();
      if (started) {
        await started.server.close();
        await started.database.close();
      }
      await empty?.drop();
    }
  }, 180_000);
});
