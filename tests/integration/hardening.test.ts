/**
 * Bad input never gets a 500, and nothing is written: oversized bodies, wrong content types,
 * encodings and charsets, NUL bytes, huge ids, malformed paths, unknown methods — to the pages
 * and to /api/v1, with and without a session. Then the kiosk's pace, the security headers and
 * the security log.
 */
import { request as httpRequest } from "node:http";
import { Writable } from "node:stream";
import { count, eq, gt, max } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as schema from "../../db/schema";
import { createLogger } from "../../server/logger";
import { startTestServer, type TestServer } from "../helpers/server";

const logLines: Array<Record<string, unknown>> = [];
const logSink = new Writable({
  write(chunk, _encoding, done) {
    for (const line of String(chunk).split("\n").filter(Boolean)) logLines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  },
});

let s: TestServer;
let officerCookie: string;
let kioskCookie: string;
beforeAll(async () => {
  s = await startTestServer({ pages: true, logger: createLogger({ level: "info" }, logSink), config: { kioskPaceMs: 3_000 } });
  officerCookie = (await s.login("canbo01")).cookie;
  kioskCookie = (await s.pairedDevice("kiosk")).cookie;
}, 120_000);
afterAll(() => s?.close());

/** Row counts of every table: nothing a refused request does may change them. */
async function rowCounts() {
  const tables = Object.values(schema).filter((v): v is typeof schema.tickets => typeof v === "object" && v !== null && "getSQL" in v);
  const counts: Record<string, number> = {};
  for (const table of tables) counts[String((table as unknown as { [k: symbol]: string })[Symbol.for("drizzle:Name")])] = (await s.db.select({ n: count() }).from(table))[0]!.n;
  return counts;
}

/** A raw HTTP request (node:http, which sends any method, header and path as given). */
function raw(method: string, path: string, options: { headers?: Record<string, string>; body?: string; cookie?: string } = {}) {
  return new Promise<{ status: number; text: string; headers: Headers }>((resolve, reject) => {
    const chunked = options.headers?.["transfer-encoding"] === "chunked";
    const headers: Record<string, string> = { ...(options.cookie ? { cookie: options.cookie } : {}), ...options.headers };
    if (options.body !== undefined && !chunked) headers["content-length"] = String(Buffer.byteLength(options.body));
    const req = httpRequest(`${s.baseUrl}${path}`, { method, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => {
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === "string") h.set(k, v);
        resolve({ status: res.statusCode ?? 0, text, headers: h });
      });
    });
    req.on("error", reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** A path segment from any hostile value, percent-encoded as a browser would (lone surrogates as raw bytes). */
const segment = (value: unknown) => {
  try {
    return encodeURIComponent(String(value));
  } catch {
    return "%ED%A0%80";
  }
};

const FORM = { "content-type": "application/x-www-form-urlencoded" };
const JSON_TYPE = { "content-type": "application/json" };

describe("bad input: a clear 4xx, nothing written", () => {
  it("answers the known cases of the security review, none with a 5xx", async () => {
    const before = await rowCounts();
    const big = "x".repeat(1024 * 1024);
    const cases: Array<[string, Promise<{ status: number; text: string }>, number]> = [
      ["1 MB form to /login", raw("POST", "/login", { headers: FORM, body: `username=${big}` }), 413],
      ["1 MB JSON to the API", raw("POST", "/api/v1/auth/login", { headers: JSON_TYPE, body: JSON.stringify({ username: big, password: "x" }) }), 413],
      ["text/plain to a page form", raw("POST", "/login", { headers: { "content-type": "text/plain" }, body: "username=a&password=b" }), 415],
      ["JSON to a page form", raw("POST", "/counter", { cookie: officerCookie, headers: JSON_TYPE, body: '{"intent":"call-next"}' }), 415],
      ["broken multipart to a page form", raw("POST", "/login", { headers: { "content-type": "multipart/form-data; boundary=zzz" }, body: "--zzz\r\nnot a part" }), 400],
      ["unknown charset to a page form", raw("POST", "/login", { headers: { "content-type": "application/x-www-form-urlencoded; charset=ebcdic" }, body: "a=b" }), 415],
      ["bogus Content-Encoding to a page", raw("POST", "/login", { headers: { ...FORM, "content-encoding": "br0tli" }, body: "a=b" }), 415],
      ["bogus Content-Encoding to the API", raw("POST", "/api/v1/auth/login", { headers: { ...JSON_TYPE, "content-encoding": "br0tli" }, body: "{}" }), 415],
      ["unknown charset to the API", raw("POST", "/api/v1/auth/login", { headers: { "content-type": "application/json; charset=ebcdic" }, body: "{}" }), 415],
      ["broken JSON to the API", raw("POST", "/api/v1/auth/login", { headers: JSON_TYPE, body: '{"username":' }), 400],
      ["NUL in a username (API)", raw("POST", "/api/v1/auth/login", { headers: JSON_TYPE, body: JSON.stringify({ username: "can\u0000bo01", password: "x" }) }), 400],
      ["NUL in a username (page)", raw("POST", "/login", { headers: FORM, body: "username=can%00bo01&password=x" }), 400],
      ["NUL in a transfer note", raw("POST", "/api/v1/tickets/1/transfer", { cookie: officerCookie, headers: JSON_TYPE, body: JSON.stringify({ fieldId: 1, note: "a\u0000b" }) }), 400],
      ["NUL in a cancel reason", raw("POST", "/api/v1/tickets/1/cancel", { cookie: officerCookie, headers: JSON_TYPE, body: JSON.stringify({ reason: "\u0000" }) }), 400],
      ["an id above 2^31-1 in the path", raw("POST", "/api/v1/counters/2147483648/call-next", { cookie: officerCookie }), 400],
      ["an id above 2^31-1 in a body", raw("POST", "/api/v1/reception/tickets", { cookie: officerCookie, headers: JSON_TYPE, body: '{"fieldId": 99999999999}' }), 400],
      ["an id above 2^31-1 in a page form", raw("POST", "/counter", { cookie: officerCookie, headers: FORM, body: "intent=sign-in&counterId=99999999999" }), 400],
      ["malformed %-encoding in an API path", raw("GET", "/api/v1/counters/%E0%A4%A/queue", { cookie: officerCookie }), 400],
      ["malformed %-encoding in a page path", raw("GET", "/counter%E0%A4%A", { cookie: officerCookie }), 400],
      ["TRACE", raw("TRACE", "/login"), 405],
      ["PUT to the API", raw("PUT", "/api/v1/snapshot", { cookie: officerCookie }), 405],
      ["a chunked page form without a length", raw("POST", "/login", { headers: { ...FORM, "transfer-encoding": "chunked" }, body: "a=b" }), 411],
    ];
    const wrong: string[] = [];
    for (const [name, pending, expected] of cases) {
      const res = await pending;
      if (res.status !== expected) wrong.push(`${name}: ${res.status} (expected ${expected}) ${res.text.slice(0, 100)}`);
      else if (!/[\u00C0-\u1EF9]/.test(res.text) && res.status !== 404) wrong.push(`${name}: no Vietnamese message: ${res.text.slice(0, 100)}`);
    }
    expect(wrong).toEqual([]);
    expect(await rowCounts()).toEqual(before);
  });
});

/** Hostile values for any input: wrong types, huge numbers and strings, control and odd characters, markup. */
const HOSTILE: unknown[] = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\u0007\u001b[31m",
  "x".repeat(70_000),
  "ư".repeat(5_000),
  "\ud800",
  "<script>alert(1)</script>",
  "' or 1=1 --",
  "../../etc/passwd",
  "%00",
  "NaN",
  "-1",
  "0",
  "1e309",
  "99999999999999999999",
  "2147483648",
  -1,
  0,
  1.5,
  2 ** 31,
  Number.MAX_SAFE_INTEGER,
  true,
  null,
  [],
  [1, 2],
  {},
  { $gt: "" },
];
/** A seeded PRNG, so a failure names its case. */
function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("fuzzing every page form and API route", () => {
  const FIELDS = ["intent", "counterId", "ticketId", "fieldId", "priorityClassId", "reason", "note", "outcome", "activeTicket", "officerId", "name", "kind", "deviceId", "id", "username", "password", "redirectTo", "queueMode", "priorityRatio", "cutoffTime", "handle", "currentPassword", "newPassword"];
  const INTENTS = ["sign-in", "call-next", "call", "recall", "no-show", "transfer", "finish", "pause", "resume", "rejoin", "cancel", "sign-out", "issue", "create", "new-link", "revoke", "field", "class-add", "class-rename", "class-activate", "class-deactivate", "bogus"];
  const PAGES = ["/login", "/logout", "/counter", "/reception", "/admin/devices", "/admin/queue", "/kiosk", "/pair/khong-co", "/account", "/supervisor", "/"];

  it("answers 400 hostile requests without a 5xx, writing nothing", { timeout: 240_000 }, async () => {
    const { API_ROUTES } = await import("../../server/api/v1");
    // Sessions of their own: the fuzz may well log them out.
    const principals = [undefined, (await s.login("canbo02")).cookie, (await s.login("quantri")).cookie, (await s.pairedDevice("kiosk", "Máy lấy số thử fuzz")).cookie];
    const rng = mulberry32(20261129);
    const pick = <T>(list: readonly T[]) => list[Math.floor(rng() * list.length)]!;
    const before = await rowCounts();
    const lastAuditId = (await s.db.select({ id: max(schema.auditEvents.id) }).from(schema.auditEvents))[0]!.id ?? 0;
    const failures: string[] = [];
    for (let i = 0; i < 400; i++) {
      const cookie = pick(principals);
      const payload: Record<string, unknown> = {};
      for (let k = 0; k < 1 + Math.floor(rng() * 5); k++) payload[pick(FIELDS)] = pick(HOSTILE);
      if (rng() < 0.7) payload.intent = pick(INTENTS);
      let res: { status: number; text: string };
      if (rng() < 0.5) {
        const route = pick(API_ROUTES.filter((r) => r.path !== "/auth/logout"));
        const path = "/api/v1" + route.path.replace(/:(\w+)/g, () => segment(pick(HOSTILE)));
        res = await raw(route.method.toUpperCase(), path, { cookie, headers: JSON_TYPE, body: route.method === "post" ? JSON.stringify(rng() < 0.2 ? pick(HOSTILE) : payload) : undefined });
        if (res.status >= 500) failures.push(`#${i} ${route.method} ${path} ${JSON.stringify(payload).slice(0, 80)}: ${res.status} ${res.text.slice(0, 80)}`);
      } else {
        const page = pick(PAGES);
        const form = new URLSearchParams(Object.entries(payload).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
        const type = pick(["application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain", "application/json"]);
        res = await raw("POST", page, { cookie, headers: { "content-type": type }, body: form.toString() });
        if (res.status >= 500) failures.push(`#${i} POST ${page} (${type}) ${form.toString().slice(0, 80)}: ${res.status} ${res.text.slice(0, 80)}`);
      }
    }
    expect(failures).toEqual([]);
    // Valid-looking hostile input may not create anything either: no field, counter or ticket id exists in it.
    // Sessions may end (a fuzzed /logout), the audit may record that or a failed sign-in, and the
    // throttles count the tries (their buckets are rows); nothing else.
    const after = await rowCounts();
    const counted = { sessions: 0, audit_events: 0, throttle_buckets: 0 };
    expect({ ...after, ...counted }).toEqual({ ...before, ...counted });
    const audited = await s.db.selectDistinct({ action: schema.auditEvents.action }).from(schema.auditEvents).where(gt(schema.auditEvents.id, lastAuditId));
    expect(audited.map((r) => r.action).filter((a) => a !== "logout" && a !== "login.failed")).toEqual([]);
  });
});

describe("the kiosk's pace", () => {
  it("gives one ticket per kiosk every few seconds, tells the citizen to wait, and counts the refused taps for the supervisor", async () => {
    const field = await s.fieldByCode("XD");
    const kiosk = await s.pairedDevice("kiosk", "Máy lấy số tầng 2");
    const tap = () => s.request("POST", "/api/v1/kiosk/tickets", { cookie: kiosk.cookie, body: { fieldId: field.id } });
    expect((await tap()).status).toBe(201);
    const burst = await Promise.all([tap(), tap(), tap(), tap()]);
    expect(burst.map((r) => r.status)).toEqual([429, 429, 429, 429]);
    expect(burst[0]!.body.error).toEqual({ code: "kiosk_too_fast", message: "Máy vừa cấp một số. Vui lòng chờ vài giây rồi chạm lại." });
    expect(burst[0]!.headers.get("retry-after")).toBe("3");
    const [row] = await s.db.select().from(schema.devices).where(eq(schema.devices.id, kiosk.device.id));
    expect(row!.refusedCount).toBe(4);
    const supervisor = await s.login("giamsat");
    const board = await s.request("GET", "/supervisor", { cookie: supervisor.cookie });
    expect(board.body).toContain("Máy lấy số tầng 2");
    // Another kiosk is not slowed by this one; a staff member at reception is not paced at all.
    expect((await s.request("POST", "/api/v1/kiosk/tickets", { cookie: kioskCookie, body: { fieldId: field.id } })).status).toBe(201);
    for (let i = 0; i < 3; i++) expect((await s.request("POST", "/api/v1/reception/tickets", { cookie: officerCookie, body: { fieldId: field.id } })).status).toBe(201);
  });
});

describe("headers", () => {
  it("sends a nonce-based Content-Security-Policy, no framing, and no-store to signed-in people", async () => {
    const page = await raw("GET", "/counter", { cookie: officerCookie });
    expect(page.headers.get("content-security-policy")).toMatch(/frame-ancestors 'none'/);
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    expect(page.headers.get("cache-control")).toBe("no-store");
    expect(page.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const api = await raw("GET", "/api/v1/snapshot", { cookie: officerCookie });
    expect(api.headers.get("cache-control")).toBe("no-store");
    // Data, not a page: a policy that lets nothing load or run, the same on every answer (no nonce), and no ETag.
    expect(api.headers.get("content-security-policy")).toBe("default-src 'none';frame-ancestors 'none'");
    expect(api.headers.get("x-frame-options")).toBe("DENY");
    expect(api.headers.get("x-content-type-options")).toBe("nosniff");
    expect(api.headers.get("etag")).toBeNull();
    expect(page.headers.get("content-security-policy")).toMatch(/script-src 'self'/);
    const again = await raw("GET", "/api/v1/snapshot", { cookie: officerCookie });
    expect(again.headers.get("content-security-policy")).toBe(api.headers.get("content-security-policy"));
    const health = await raw("GET", "/healthz");
    expect(health.headers.get("content-security-policy")).toBe("default-src 'none';frame-ancestors 'none'");
    expect(page.headers.get("strict-transport-security")).toBeNull();
  });

  it("with Secure cookies: HSTS, and cookie names with the __Host- prefix", async () => {
    const secure = await startTestServer({ config: { cookieSecure: true } });
    try {
      const login = await secure.request("POST", "/api/v1/auth/login", { body: { username: "canbo02", password: "Test@Password1" } });
      const cookie = login.headers.get("set-cookie")!;
      expect(cookie).toMatch(/^__Host-motcua_session=[a-z2-7]{32};/);
      expect(cookie).toMatch(/; Path=\//);
      expect(cookie).toMatch(/; Secure/);
      expect(cookie).not.toMatch(/Domain=/i);
      expect(login.headers.get("strict-transport-security")).toMatch(/max-age=31536000/);
      const me = await secure.request("GET", "/api/v1/me", { cookie: cookie.split(";")[0] });
      expect(me.status).toBe(200);
      expect((await secure.request("GET", "/api/v1/me", { cookie: cookie.split(";")[0]!.replace("__Host-", "") })).status).toBe(401);
    } finally {
      await secure.close();
    }
  });
});

describe("the security log", () => {
  it("writes a line with the request id for sign-ins, failures, throttling, refusals and device changes, never a password or token", async () => {
    logLines.length = 0;
    await s.request("POST", "/api/v1/auth/login", { body: { username: "canbo03", password: "sai-mat-khau-123" } });
    const ok = await s.request("POST", "/api/v1/auth/login", { body: { username: "canbo03", password: "Test@Password1" } });
    const token = ok.headers.get("set-cookie")!.split(";")[0]!.split("=")[1]!;
    const admin = await s.login("quantri");
    await s.request("POST", "/api/v1/counters/1/sign-in", { cookie: admin.cookie });
    await s.request("GET", "/counter", { cookie: admin.cookie });
    const display = await s.pairedDevice("display", "Màn hình thử nhật ký");
    const { revokeDevice } = await import("../../server/devices/service");
    await revokeDevice(s.services, admin.actor, { deviceId: display.device.id });
    for (let i = 0; i < 6; i++) await s.request("POST", "/api/v1/auth/login", { headers: { "x-forwarded-for": "10.9.9.9" }, body: { username: "canbo04", password: `sai-${i}-xyz` } });

    const events = logLines.filter((l) => l.security);
    const kinds = new Set(events.map((l) => l.security));
    for (const kind of ["login.failed", "login.succeeded", "access.refused", "device.paired", "device.revoked", "login.throttled"]) expect(kinds, kind).toContain(kind);
    const refusedApi = events.find((l) => l.security === "access.refused" && l.via === "api");
    expect(refusedApi).toMatchObject({ code: "forbidden", path: "/api/v1/counters/1/sign-in" });
    expect(events.find((l) => l.security === "access.refused" && l.via === "page")).toMatchObject({ path: "/counter", permission: "counter.operate" });
    // What came through HTTP carries its request's id (the device lines here come from direct service calls).
    for (const line of events.filter((l) => String(l.security).startsWith("login.") || l.security === "access.refused")) {
      expect(line.reqId, JSON.stringify(line)).toMatch(/^[0-9a-f-]{36}$/);
    }
    const text = JSON.stringify(logLines);
    for (const secret of ["Test@Password1", "sai-mat-khau-123", token]) expect(text).not.toContain(secret);
  });
});

describe("signing in over plain HTTP with Secure cookies", () => {
  it("says why the browser would not keep the session, and what to do, instead of looping back to the login page", async () => {
    const secure = await startTestServer({ pages: true, config: { cookieSecure: true } });
    try {
      const port = new URL(secure.baseUrl).port;
      const post = (host: string) =>
        new Promise<{ status: number; text: string; cookie: string | undefined }>((resolve, reject) => {
          const body = "username=canbo03&password=Test%40Password1";
          const req = httpRequest(
            { host: "127.0.0.1", port, path: "/login", method: "POST", headers: { host, "content-type": "application/x-www-form-urlencoded", "content-length": String(body.length) } },
            (res) => {
              let text = "";
              res.setEncoding("utf8");
              res.on("data", (c: string) => (text += c));
              res.on("end", () => resolve({ status: res.statusCode ?? 0, text, cookie: res.headers["set-cookie"]?.[0] }));
            },
          );
          req.on("error", reject);
          req.end(body);
        });
      const before = (await secure.db.select({ n: count() }).from(schema.sessions))[0]!.n;
      const lan = await post(`192.168.1.20:${port}`);
      expect(lan.status).toBe(400);
      expect(lan.text).toContain("COOKIE_SECURE=false");
      expect(lan.text).toContain("http://192.168.1.20:");
      expect(lan.cookie).toBeUndefined();
      expect((await secure.db.select({ n: count() }).from(schema.sessions))[0]!.n).toBe(before);
      // On the machine itself (localhost) browsers keep Secure cookies: the sign-in goes through.
      const local = await post(`localhost:${port}`);
      expect(local.status).toBe(302);
      expect(local.cookie).toMatch(/^__Host-motcua_session=/);
    } finally {
      await secure.close();
    }
  });
});
