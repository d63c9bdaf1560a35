import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server";

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s?.close());

it("/healthz says the process lives; /readyz says it is ready with the database's state and the pool's, or why not", async () => {
  const live = await s.request("GET", "/healthz");
  expect(live.status).toBe(200);
  expect(live.body).toEqual({ status: "ok", uptimeSeconds: expect.any(Number) });

  const ready = await s.request("GET", "/readyz");
  expect(ready.status).toBe(200);
  expect(ready.body).toMatchObject({
    status: "ready",
    reasons: [],
    warnings: [],
    database: { state: "up", driver: process.env.DATABASE_URL ? "postgres" : "pglite", latencyMs: expect.any(Number) },
    pool: { max: expect.any(Number), inUse: 0, waiting: 0, refused: 0 },
  });

  await s.handle.close();
  // The process still lives: no orchestrator should restart it because the database is away.
  const stillLive = await s.request("GET", "/healthz");
  expect(stillLive.status).toBe(200);
  const notReady = await s.request("GET", "/readyz");
  expect(notReady.status).toBe(503);
  expect(notReady.body).toMatchObject({ status: "not_ready", reasons: ["database_unreachable"], database: { state: "unreachable" } });
});
