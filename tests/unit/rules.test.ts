import { describe, expect, it } from "vitest";
import { t } from "../../server/i18n";
import { formatDate, formatDateTime, serviceDate } from "../../server/time";
import { TokenBucket } from "../../server/auth/rate-limit";
import { isSameOrigin } from "../../server/auth/origin";
import { loadEnv } from "../../server/env";
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

describe("TokenBucket", () => {
  it("allows the capacity, then refuses until a token is refilled", () => {
    const bucket = new TokenBucket(3, 1_000);
    const t0 = 1_000_000;
    expect([1, 2, 3, 4].map(() => bucket.consume("u", t0))).toEqual([true, true, true, false]);
    expect(bucket.retryAfterMs("u", t0 + 200)).toBe(800);
    expect(bucket.consume("u", t0 + 999)).toBe(false);
    expect(bucket.consume("u", t0 + 1_000)).toBe(true);
    expect(bucket.consume("other", t0)).toBe(true);
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
  });
});
