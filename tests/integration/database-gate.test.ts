import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client";
import { createMotcuaServer, type MotcuaServer } from "../../server/app";
import { DEFAULT_SESSION_POLICY } from "../../server/auth/session";
import { developmentPages } from "../../server/pages";

// A server whose PostgreSQL refuses connections (nothing listens on the port): every request
// is answered at once with the app's 503 — JSON `database_unavailable` for the API, a page in
// Vietnamese that reloads itself for a browser — never Express's HTML 500 or a long wait.
// (tests/integration/database-outage.test.ts restarts a real cluster under load.)
describe("the database unreachable", () => {
  let server: MotcuaServer;
  let base = "";
  beforeAll(async () => {
    const database = await openDatabase({ url: "postgres://postgres@127.0.0.1:9/motcua", max: 2 });
    server = await createMotcuaServer({
      database,
      config: { cookieSecure: false, publicUrl: "", demoData: false, sessionPolicy: DEFAULT_SESSION_POLICY, kioskPaceMs: 0 },
      logger: pino({ level: "silent" }),
      dayEndEveryMs: 0,
      mountPages: developmentPages({ hotReload: false }),
    });
    base = `http://127.0.0.1:${await server.listen(0, "127.0.0.1")}`;
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  const timed = async (path: string, init: RequestInit = {}) => {
    const started = performance.now();
    const res = await fetch(base + path, { redirect: "manual", ...init });
    const text = await res.text();
    return { res, text, ms: performance.now() - started };
  };

  it("answers the API with 503 database_unavailable in JSON, at once", async () => {
    for (let i = 0; i < 3; i++) {
      const { res, text, ms } = await timed("/api/v1/snapshot", { headers: { cookie: "motcua_session=abc" } });
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("3");
      expect(JSON.parse(text)).toEqual({ error: { code: "database_unavailable", message: expect.stringContaining("cơ sở dữ liệu") } });
      expect(ms).toBeLessThan(2_000);
    }
    const login = await timed("/api/v1/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "a", password: "b" }),
    });
    expect(login.res.status).toBe(503);
    expect(JSON.parse(login.text).error.code).toBe("database_unavailable");
  });

  it("answers a page with a Vietnamese page that tries again by itself, without a status code in it", async () => {
    const { res, text, ms } = await timed("/counter", { headers: { cookie: "motcua_session=abc", accept: "text/html" } });
    expect(res.status).toBe(503);
    expect(ms).toBeLessThan(2_000);
    expect(text).toContain('http-equiv="refresh"');
    expect(text).toContain("Hệ thống đang tạm gián đoạn");
    expect(text).toContain("Trang sẽ tự tải lại");
    expect(text).not.toMatch(/\b50[0-9]\b/);
    const css = await timed("/unavailable.css");
    expect(css.res.status).toBe(200);
  });

  it("says so on /readyz within a second, while /healthz says the process lives", async () => {
    const ready = await timed("/readyz");
    expect(ready.res.status).toBe(503);
    expect(JSON.parse(ready.text)).toMatchObject({ status: "not_ready", reasons: ["database_unreachable"], database: { state: "unreachable" } });
    expect(ready.ms).toBeLessThan(1_500);
    const live = await timed("/healthz");
    expect(live.res.status).toBe(200);
    expect(JSON.parse(live.text)).toMatchObject({ status: "ok" });
  });

  it("has the page retry once /readyz says ready (not merely once the process answers)", async () => {
    const { text } = await timed("/counter", { headers: { cookie: "motcua_session=abc", accept: "text/html" } });
    expect(text).toContain("fetch('/readyz'");
    expect(text).not.toContain("/healthz");
  });
});
