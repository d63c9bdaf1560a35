/**
 * Sessions and accounts: idle and absolute timeouts (on an injected clock), a new sign-in
 * replacing the old session, one's own sessions listed and ended, password changes and resets,
 * disabled accounts — and the open sockets of every session that ends are closed within
 * seconds. Also the login throttle that cannot lock the real user out.
 */
import { eq } from "drizzle-orm";
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessions, users } from "../../db/schema";
import { SESSION_TRUST_MS } from "../../server/auth/session-cache";
import { hashToken } from "../../server/auth/token";
import { DEMO_PASSWORD_FOR_TESTS, startTestServer, type TestServer } from "../helpers/server";

const MINUTE = 60_000;
let clock = Date.now();
let s: TestServer;
const sockets: Socket[] = [];

beforeAll(async () => {
  s = await startTestServer({ now: () => new Date(clock), socketRecheckMs: 200 });
});
afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await s?.close();
});

const me = (cookie: string) => s.request("GET", "/api/v1/me", { cookie });
const tokenOf = (cookie: string) => cookie.split("=")[1]!;
const sessionRow = async (cookie: string) => (await s.db.select().from(sessions).where(eq(sessions.id, hashToken(tokenOf(cookie)))))[0];

/** A socket opened with `cookie`, and a promise of the reason it is closed by the server. */
async function openSocket(cookie: string) {
  const socket = s.socket(cookie);
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  const closed = new Promise<{ reason: string; at: number }>((resolve) => socket.once("disconnect", (reason) => resolve({ reason, at: Date.now() })));
  return { socket, closed };
}

describe("session lifetime", () => {
  it("ends after 30 minutes without activity; activity before that keeps it", async () => {
    clock = Date.now();
    const { cookie } = await s.login("canbo01");
    clock += 29 * MINUTE;
    expect((await me(cookie)).status).toBe(200);
    clock += 29 * MINUTE;
    expect((await me(cookie)).status).toBe(200);
    clock += 30 * MINUTE + 1;
    const idle = await me(cookie);
    expect(idle.status).toBe(401);
    expect(idle.headers.get("set-cookie")).toMatch(/^motcua_session=;/);
    expect(await sessionRow(cookie)).toBeUndefined();
  });

  it("ends 12 hours after sign-in however busy, and the cookie says so", async () => {
    clock = Date.now();
    const { cookie } = await s.login("canbo02");
    const row = await sessionRow(cookie);
    expect(row!.expiresAt.getTime() - clock).toBe(12 * 60 * MINUTE);
    for (let hour = 0; hour < 12 * 3 - 1; hour++) {
      clock += 20 * MINUTE;
      expect((await me(cookie)).status, `after ${(hour + 1) * 20} minutes`).toBe(200);
    }
    clock += 20 * MINUTE;
    expect((await me(cookie)).status).toBe(401);
    clock = Date.now();
  });

  it("is replaced by a new sign-in in the same browser: the old token stops working", async () => {
    clock = Date.now();
    const first = await s.login("canbo03");
    const again = await s.request("POST", "/api/v1/auth/login", { cookie: first.cookie, body: { username: "canbo03", password: DEMO_PASSWORD_FOR_TESTS } });
    expect(again.status).toBe(200);
    const second = again.headers.get("set-cookie")!.split(";")[0]!;
    expect(second).not.toBe(first.cookie);
    expect((await me(first.cookie)).status).toBe(401);
    expect((await me(second)).status).toBe(200);
  });
});

describe("a session read a moment ago (decision 0033)", () => {
  it("is trusted for a few seconds by the node that read it, no longer: a row deleted behind the app's back is refused after SESSION_TRUST_MS", async () => {
    clock = Date.now();
    const { cookie } = await s.login("canbo01");
    expect((await me(cookie)).status).toBe(200);
    await s.db.delete(sessions).where(eq(sessions.id, hashToken(tokenOf(cookie))));
    // Nobody told the app: what it read stands for the moment…
    clock += SESSION_TRUST_MS - 1;
    expect((await me(cookie)).status).toBe(200);
    // …and no longer.
    clock += 1;
    expect((await me(cookie)).status).toBe(401);
  });

  it("is read again once its activity is due to be written down, and the idle rule holds on what was read", async () => {
    clock = Date.now();
    const { cookie } = await s.login("canbo03");
    expect((await me(cookie)).status).toBe(200);
    clock += 61_000;
    expect((await me(cookie)).status).toBe(200);
    expect((await sessionRow(cookie))!.lastSeenAt.getTime()).toBe(clock);
  });
});

describe("one's own sessions", () => {
  it("are listed (the current one marked, no token or id) and can be ended, one or all the others", async () => {
    clock = Date.now();
    const a = await s.login("canbo04");
    const b = await s.login("canbo04");
    const c = await s.login("canbo04");
    const list = await s.request("GET", "/api/v1/account/sessions", { cookie: a.cookie });
    expect(list.status).toBe(200);
    const rows = list.body.data as Array<{ handle: string; current: boolean; address: string }>;
    expect(rows).toHaveLength(3);
    expect(rows.filter((r) => r.current)).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(hashToken(tokenOf(b.cookie)));
    expect(rows[0]!.address).toBeTruthy();

    const bHandle = hashToken(tokenOf(b.cookie)).slice(0, 16);
    const { closed } = await openSocket(b.cookie);
    const endOne = await s.request("POST", "/api/v1/account/sessions/end", { cookie: a.cookie, body: { handle: bHandle } });
    expect(endOne.body.data).toEqual({ ended: 1 });
    expect((await closed).reason).toBe("io server disconnect");
    expect((await me(b.cookie)).status).toBe(401);

    const endOthers = await s.request("POST", "/api/v1/account/sessions/end", { cookie: a.cookie, body: {} });
    expect(endOthers.body.data).toEqual({ ended: 1 });
    expect((await me(c.cookie)).status).toBe(401);
    expect((await me(a.cookie)).status).toBe(200);

    const foreign = await s.login("canbo05");
    const notMine = await s.request("POST", "/api/v1/account/sessions/end", { cookie: a.cookie, body: { handle: hashToken(tokenOf(foreign.cookie)).slice(0, 16) } });
    expect(notMine.status).toBe(404);
    expect((await me(foreign.cookie)).status).toBe(200);
  });
});

describe("open sockets follow their session", () => {
  it("closes a socket within seconds of its session expiring in the database", async () => {
    clock = Date.now();
    const { cookie } = await s.login("canbo06");
    const { closed } = await openSocket(cookie);
    const cut = Date.now();
    await s.db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.id, hashToken(tokenOf(cookie))));
    const { reason, at } = await closed;
    expect(reason).toBe("io server disconnect");
    expect(at - cut).toBeLessThan(2_000);
  });

  it("closes a socket within seconds of its user being deactivated in the database", async () => {
    clock = Date.now();
    const { cookie, user } = await s.login("canbo07");
    const { closed } = await openSocket(cookie);
    const cut = Date.now();
    await s.db.update(users).set({ isActive: false }).where(eq(users.id, user.id));
    try {
      const { at } = await closed;
      expect(at - cut).toBeLessThan(2_000);
    } finally {
      await s.db.update(users).set({ isActive: true }).where(eq(users.id, user.id));
    }
  });

  it("answers a message on a socket whose session ended by closing it", async () => {
    clock = Date.now();
    const { cookie } = await s.login("canbo08");
    const { socket, closed } = await openSocket(cookie);
    await s.db.delete(sessions).where(eq(sessions.id, hashToken(tokenOf(cookie))));
    const reply = await new Promise<{ error?: { code: string } }>((resolve) => socket.emit("queue:snapshot", (r) => resolve(r as { error?: { code: string } })));
    expect(reply.error?.code).toBe("unauthenticated");
    expect((await closed).reason).toBe("io server disconnect");
  });
});

describe("passwords and accounts", () => {
  it("changes one's own password: the current one is required, a common one refused; the other sessions end", async () => {
    clock = Date.now();
    const here = await s.login("giamsat");
    const elsewhere = await s.login("giamsat");
    const { closed } = await openSocket(elsewhere.cookie);
    const change = (body: Record<string, string>) => s.request("POST", "/api/v1/account/password", { cookie: here.cookie, body });

    const wrong = await change({ currentPassword: "khong-dung", newPassword: "hoa sen nở muộn 2027" });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toBe("Mật khẩu hiện tại không đúng.");
    for (const weak of ["password123", "12345678910", "giamsat2026", "Giám Trần 2026"]) {
      const refused = await change({ currentPassword: DEMO_PASSWORD_FOR_TESTS, newPassword: weak });
      expect(refused.status, weak).toBe(400);
      expect(refused.body.error.message, weak).toMatch(/Mật khẩu/);
    }
    expect((await me(elsewhere.cookie)).status).toBe(200);

    const done = await change({ currentPassword: DEMO_PASSWORD_FOR_TESTS, newPassword: "hoa sen nở muộn 2027" });
    expect(done.status).toBe(200);
    expect((await closed).reason).toBe("io server disconnect");
    expect((await me(elsewhere.cookie)).status).toBe(401);
    expect((await me(here.cookie)).status).toBe(200);
    expect((await s.request("POST", "/api/v1/auth/login", { body: { username: "giamsat", password: DEMO_PASSWORD_FOR_TESTS } })).status).toBe(401);
    expect((await s.request("POST", "/api/v1/auth/login", { body: { username: "giamsat", password: "hoa sen nở muộn 2027" } })).status).toBe(200);
  });

  it("an administrator's reset and disabling end the person's sessions and sockets at once; re-enabling lets them back", async () => {
    clock = Date.now();
    const admin = await s.login("quantri");
    const officer = await s.login("canbo01");
    const first = await openSocket(officer.cookie);
    const reset = await s.request("POST", `/api/v1/users/${officer.user.id}/password`, { cookie: admin.cookie, body: { newPassword: "mưa phùn tháng hai 88" } });
    expect(reset.status).toBe(200);
    const started = Date.now();
    expect((await first.closed).reason).toBe("io server disconnect");
    expect(Date.now() - started).toBeLessThan(1_000);
    expect((await me(officer.cookie)).status).toBe(401);

    const again = await s.login("canbo01", "mưa phùn tháng hai 88");
    const second = await openSocket(again.cookie);
    const disabledAt = Date.now();
    const disabled = await s.request("POST", `/api/v1/users/${officer.user.id}/disable`, { cookie: admin.cookie });
    expect(disabled.body.data).toEqual({ userId: officer.user.id, active: false, sessionsEnded: 1 });
    expect((await second.closed).reason).toBe("io server disconnect");
    expect(Date.now() - disabledAt).toBeLessThan(1_000);
    const refused = await s.request("POST", "/api/v1/auth/login", { body: { username: "canbo01", password: "mưa phùn tháng hai 88" } });
    expect(refused.status).toBe(401);

    expect((await s.request("POST", `/api/v1/users/${officer.user.id}/enable`, { cookie: admin.cookie })).status).toBe(200);
    expect((await s.request("POST", "/api/v1/auth/login", { body: { username: "canbo01", password: "mưa phùn tháng hai 88" } })).status).toBe(200);
    const self = await s.request("POST", `/api/v1/users/${admin.user.id}/disable`, { cookie: admin.cookie });
    expect(self.body.error.code).toBe("cannot_disable_self");
  });
});

describe("login throttling", () => {
  it("a flood of wrong passwords from one address does not stop the real user signing in from another", async () => {
    clock = Date.now();
    const from = (address: string) => ({ "x-forwarded-for": address });
    for (let i = 0; i < 40; i++) {
      await s.request("POST", "/api/v1/auth/login", { headers: from("10.0.0.66"), body: { username: "canbo05", password: `doan-${i}` } });
    }
    const attacker = await s.request("POST", "/api/v1/auth/login", { headers: from("10.0.0.66"), body: { username: "canbo05", password: DEMO_PASSWORD_FOR_TESTS } });
    expect(attacker.status).toBe(429);
    expect(Number(attacker.headers.get("retry-after"))).toBeGreaterThan(0);
    const owner = await s.request("POST", "/api/v1/auth/login", { headers: from("10.0.0.7"), body: { username: "canbo05", password: DEMO_PASSWORD_FOR_TESTS } });
    expect(owner.status).toBe(200);
  });
});
