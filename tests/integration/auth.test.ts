import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessions, tickets, users } from "../../db/schema";
import { hashToken } from "../../server/auth/token";
import { DEMO_PASSWORD_FOR_TESTS, startTestServer, type TestServer } from "../helpers/server";

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s?.close());

const sessionCount = async () => (await s.db.select({ n: count() }).from(sessions))[0]!.n;

describe("login", () => {
  it("stores passwords as argon2id with at least OWASP's parameters", async () => {
    const [user] = await s.db.select().from(users).where(eq(users.username, "canbo01"));
    expect(user!.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it("answers a wrong password and an unknown user with the same message, and opens no session", async () => {
    const before = await sessionCount();
    const wrong = await s.request("POST", "/api/v1/auth/login", { body: { username: "giamsat", password: "sai-mat-khau" } });
    const unknown = await s.request("POST", "/api/v1/auth/login", { body: { username: "khongcoai", password: "sai-mat-khau" } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error).toEqual({ code: "invalid_credentials", message: "Tên đăng nhập hoặc mật khẩu không đúng." });
    expect(wrong.headers.get("set-cookie")).toBeNull();
    expect(await sessionCount()).toBe(before);
  });

  it("sets an HttpOnly SameSite=Lax cookie and stores only the token's SHA-256", async () => {
    const res = await s.request("POST", "/api/v1/auth/login", { body: { username: "canbo08", password: DEMO_PASSWORD_FOR_TESTS } });
    expect(res.status).toBe(200);
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^motcua_session=[a-z2-7]{32};/);
    expect(cookie).not.toMatch(/Secure/i);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const token = cookie.split(";")[0]!.split("=")[1]!;
    const stored = await s.db.select().from(sessions).where(eq(sessions.id, hashToken(token)));
    expect(stored).toHaveLength(1);
    expect(await s.db.select().from(sessions).where(eq(sessions.id, token))).toHaveLength(0);

    const me = await s.request("GET", "/api/v1/me", { cookie: `motcua_session=${token}` });
    expect(me.body.data.user.username).toBe("canbo08");
  });

  it("throttles repeated failures for a username, even when the right password follows", async () => {
    for (let i = 0; i < 5; i++) {
      const res = await s.request("POST", "/api/v1/auth/login", { body: { username: "canbo07", password: `sai-${i}` } });
      expect(res.status).toBe(401);
    }
    const blocked = await s.request("POST", "/api/v1/auth/login", { body: { username: "canbo07", password: DEMO_PASSWORD_FOR_TESTS } });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe("too_many_attempts");
    expect(blocked.body.error.message).toMatch(/Vui lòng thử lại sau \d+ giây/);
  });

  it("logs out: the session is gone from the database", async () => {
    const { cookie } = await s.login("canbo06");
    const out = await s.request("POST", "/api/v1/auth/logout", { cookie });
    expect(out.status).toBe(200);
    expect((await s.request("GET", "/api/v1/me", { cookie })).status).toBe(401);
  });
});

describe("cross-origin requests", () => {
  it("refuses a cross-origin login POST and opens no session", async () => {
    const before = await sessionCount();
    const res = await s.request("POST", "/api/v1/auth/login", {
      body: { username: "canbo01", password: DEMO_PASSWORD_FOR_TESTS },
      headers: { origin: "https://evil.example" },
    });
    expect(res.status).toBe(403);
    expect(res.body.error).toEqual({ code: "cross_origin", message: "Yêu cầu bị từ chối vì không đến từ trang của hệ thống." });
    expect(await sessionCount()).toBe(before);
  });

  it("refuses a cross-site ticket POST carrying a kiosk cookie, and writes nothing", async () => {
    const kiosk = await s.pairedDevice("kiosk");
    const field = await s.fieldByCode("HT");
    const before = (await s.db.select({ n: count() }).from(tickets))[0]!.n;
    const byOrigin = await s.request("POST", "/api/v1/kiosk/tickets", {
      cookie: kiosk.cookie,
      body: { fieldId: field.id },
      headers: { origin: "http://localhost:9999" },
    });
    const byFetchSite = await s.request("POST", "/api/v1/kiosk/tickets", {
      cookie: kiosk.cookie,
      body: { fieldId: field.id },
      headers: { "sec-fetch-site": "cross-site" },
    });
    expect(byOrigin.status).toBe(403);
    expect(byFetchSite.status).toBe(403);
    expect((await s.db.select({ n: count() }).from(tickets))[0]!.n).toBe(before);

    const sameOrigin = await s.request("POST", "/api/v1/kiosk/tickets", {
      cookie: kiosk.cookie,
      body: { fieldId: field.id },
      headers: { origin: s.baseUrl },
    });
    expect(sameOrigin.status).toBe(201);
  });

  it("refuses a cross-origin page form POST", async () => {
    const res = await s.request("POST", "/login", { headers: { origin: "https://evil.example", accept: "text/html" } });
    expect(res.status).toBe(403);
    expect(res.body).toBe("Yêu cầu bị từ chối vì không đến từ trang của hệ thống.");
  });
});
