import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server";

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s?.close());

it("answers 200 with the database state, and 503 when the database is unreachable", async () => {
  const up = await s.request("GET", "/healthz");
  expect(up.status).toBe(200);
  expect(up.body).toMatchObject({ status: "ok", database: { state: "up", driver: process.env.DATABASE_URL ? "postgres" : "pglite" } });

  await s.handle.close();
  const down = await s.request("GET", "/healthz");
  expect(down.status).toBe(503);
  expect(down.body).toMatchObject({ status: "unavailable", database: { state: "down" } });
});
