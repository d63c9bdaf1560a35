import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { t } from "../../server/i18n";
import { formatDate, formatDateTime, serviceDate } from "../../server/time";
import { isSameOrigin } from "../../server/auth/origin";
import { loadEnv } from "../../server/env";
import { clientAddress, trustProxy } from "../../server/proxy";
import { ticketCode } from "../../server/queue/rules";

describe("ticketCode", () => {
  it.each([
    ["A", 1, "A001"],
    ["B", 15, "B015"],
    ["C", 999, "C999"],
    ["D", 1000, "D1000"],
  ])("%s + %i → %s", (prefix, n, code) => expect(ticketCode(prefix, n)).toBe(code));
});

describe("service day in Asia/Ho_Chi_Minh", () => {
  it("starts at midnight Vietnam time, not UTC", () => {
    expect(serviceDate(new Date("2026-11-28T16:59:59Z"))).toBe("2026-11-28");
    expect(serviceDate(new Date("2026-11-28T17:00:00Z"))).toBe("2026-11-29");
  });
  it("is the same whether or not the minute was asked before, at the day's edge and across days", () => {
    const edge = Date.parse("2026-11-28T17:00:00Z");
    const instants = [edge - 1, edge - 60_000, edge, edge + 59_999, edge - 1, edge + 86_400_000, edge + 30_000, edge - 86_400_000];
    // Asked in turn (each answer possibly kept from the one before) and each after a different minute.
    const inTurn = instants.map((t) => serviceDate(new Date(t)));
    const fresh = instants.map((t) => (serviceDate(new Date(t + 7 * 60_000)), serviceDate(new Date(t))));
    expect(inTurn).toEqual(["2026-11-28", "2026-11-28", "2026-11-29", "2026-11-29", "2026-11-28", "2026-11-30", "2026-11-29", "2026-11-28"]);
    expect(fresh).toEqual(inTurn);
  });
  it("formats dates as dd/mm/yyyy in Vietnam time", () => {
    expect(formatDate("2026-11-28T17:30:00Z")).toBe("29/11/2026");
    expect(formatDateTime("2026-11-29T01:05:00Z")).toBe("08:05 29/11/2026");
  });
});

describe("message catalogue", () => {
  it("fills placeholders and keeps unknown ones visible", () => {
    expect(t("error.counter_busy", { code: "A015" })).toBe("Quầy đang phục vụ số A015. Hãy hoàn thành số này trước khi gọi số mới.");
    expect(t("kiosk.ahead", {})).toBe("Trước bạn còn {n} người");
  });
});

describe("isSameOrigin", () => {
  it("accepts no Origin (a non-browser client) and our own host, refuses others", () => {
    expect(isSameOrigin(undefined, "localhost:3000")).toBe(true);
    expect(isSameOrigin("http://localhost:3000", "localhost:3000")).toBe(true);
    expect(isSameOrigin("http://localhost:3001", "localhost:3000")).toBe(false);
    expect(isSameOrigin("https://evil.example", "localhost:3000")).toBe(false);
    expect(isSameOrigin("null", "localhost:3000")).toBe(false);
  });
});

describe("loadEnv", () => {
  it("defaults to the embedded database with demo data, Secure cookies only in production", () => {
    const env = loadEnv({});
    expect(env).toMatchObject({ PORT: 3000, DATA_DIR: "./data", demoData: true, cookieSecure: false, publicUrl: "http://localhost:3000" });
    expect(loadEnv({ NODE_ENV: "production" }).cookieSecure).toBe(true);
    expect(loadEnv({ DATABASE_URL: "postgres://u@h/db" }).demoData).toBe(false);
  });
  it("says which variable is wrong", () => {
    expect(() => loadEnv({ PORT: "abc" })).toThrow(/PORT/);
    expect(() => loadEnv({ TRUST_PROXY: "10.0.0.0/99" })).toThrow(/TRUST_PROXY/);
  });
  it("picks how nodes reach each other: Redis when REDIS_URL is set, else PostgreSQL's adapter, none on PGlite", () => {
    const pg = "postgres://u@h/db";
    expect(loadEnv({}).nodes).toBeUndefined();
    expect(loadEnv({ DATABASE_URL: pg }).nodes).toEqual({ adapter: "postgres", databaseUrl: pg });
    expect(loadEnv({ DATABASE_URL: pg, REDIS_URL: "redis://r:6379" }).nodes).toEqual({ adapter: "redis", redisUrl: "redis://r:6379", prefix: "motcua:" });
    // The embedded database is one process: asking for several nodes on it is refused, saying why.
    expect(() => loadEnv({ REDIS_URL: "redis://r:6379" })).toThrow(/REDIS_URL: several nodes need PostgreSQL \(DATABASE_URL\)/);
  });
});

describe("the client's address behind proxies", () => {
  const from = (remoteAddress: string, forwarded?: string) =>
    ({ socket: { remoteAddress }, connection: { remoteAddress }, headers: forwarded ? { "x-forwarded-for": forwarded } : {} }) as unknown as IncomingMessage;
  it("believes X-Forwarded-For only from a trusted proxy (loopback by default, or TRUST_PROXY's subnets)", () => {
    expect(clientAddress(from("127.0.0.1", "203.0.113.9"), trustProxy("loopback"))).toBe("203.0.113.9");
    expect(clientAddress(from("10.0.0.5", "203.0.113.9"), trustProxy("loopback"))).toBe("10.0.0.5");
    expect(clientAddress(from("10.0.0.5", "203.0.113.9"), trustProxy("loopback, 10.0.0.0/24"))).toBe("203.0.113.9");
    // A client's own X-Forwarded-For is not believed: only what the trusted proxy appended.
    expect(clientAddress(from("10.0.0.5", "127.0.0.1, 203.0.113.9"), trustProxy("loopback, 10.0.0.0/24"))).toBe("203.0.113.9");
  });
});
