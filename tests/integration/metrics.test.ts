import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { counters } from "../../db/schema";
import { startTestServer, type TestServer } from "../helpers/server";

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ config: { metricsToken: "scrape-secret-0123456789" } });
});
afterAll(() => s?.close());

/** The value of one series (name and exact label set) in Prometheus' text format, or undefined. */
function valueOf(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

it("/metrics has the request and call-next latencies, sockets by kind, queue depth and longest wait per field, the database, the pool and the event loop", async () => {
  const kiosk = await s.pairedDevice("kiosk");
  const field = await s.fieldByCode("HT");
  for (let i = 0; i < 3; i++) expect((await s.request("POST", "/api/v1/kiosk/tickets", { cookie: kiosk.cookie, body: { fieldId: field.id } })).status).toBe(201);

  const officer = await s.login("canbo01");
  const [counter] = await s.db.select().from(counters).where(and(eq(counters.centreId, s.seeded.centreId), eq(counters.number, 1)));
  expect((await s.request("POST", `/api/v1/counters/${counter!.id}/sign-in`, { cookie: officer.cookie })).status).toBe(200);
  expect((await s.request("POST", `/api/v1/counters/${counter!.id}/call-next`, { cookie: officer.cookie })).status).toBe(200);

  const screen = await s.pairedDevice("display");
  const tv = s.socket(screen.cookie, { origin: s.baseUrl });
  await new Promise<void>((resolve, reject) => {
    tv.once("connect", () => resolve());
    tv.once("connect_error", reject);
  });

  try {
    const res = await fetch(`${s.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();

    // Requests by route pattern (never the raw path with its ids), method and status.
    expect(valueOf(text, 'http_request_duration_seconds_count{method="POST",route="/api/v1/kiosk/tickets",status="201"}')).toBe(3);
    expect(text).toContain('route="/api/v1/counters/:counterId/call-next"');
    expect(text).not.toMatch(new RegExp(`route="[^"]*/counters/${counter!.id}/`));
    expect(valueOf(text, 'motcua_call_next_duration_seconds_count{outcome="called"}')).toBe(1);
    expect(valueOf(text, 'motcua_sockets_connected{kind="display"}')).toBe(1);
    expect(valueOf(text, 'motcua_sockets_connected{kind="tracking"}')).toBe(0);
    // Three issued, one called: two wait in Hộ tịch.
    expect(valueOf(text, 'motcua_queue_waiting{centre="DEMO",field="HT"}')).toBe(2);
    expect(valueOf(text, 'motcua_queue_longest_wait_seconds{centre="DEMO",field="HT"}')).toBeGreaterThanOrEqual(0);
    expect(valueOf(text, "motcua_database_up")).toBe(1);
    // The pool's admission gate (decision 0032): its size, places held and waiting, refusals.
    expect(valueOf(text, "motcua_db_pool_max")).toBe(s.handle.pool.stats().max);
    expect(valueOf(text, "motcua_db_pool_max")).toBe(process.env.DATABASE_URL ? 12 : 1);
    expect(valueOf(text, "motcua_db_pool_in_use")).toBeGreaterThanOrEqual(0);
    expect(valueOf(text, "motcua_db_pool_waiting")).toBe(0);
    expect(valueOf(text, "motcua_db_pool_refused_total")).toBe(0);
    expect(text).toContain("# TYPE motcua_db_pool_refused_total counter");
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d/m);
  } finally {
    tv.close();
  }

});

it("is not shown to another machine without the token, and is with it", async () => {
  // Through a proxy on this machine (trust proxy: loopback), the client is the forwarded address.
  const stranger = await fetch(`${s.baseUrl}/metrics`, { headers: { "x-forwarded-for": "203.0.113.9" } });
  expect(stranger.status).toBe(404);
  const wrong = await fetch(`${s.baseUrl}/metrics`, { headers: { "x-forwarded-for": "203.0.113.9", authorization: "Bearer scrape-secret-wrong-0000" } });
  expect(wrong.status).toBe(404);
  const scraper = await fetch(`${s.baseUrl}/metrics`, { headers: { "x-forwarded-for": "203.0.113.9", authorization: "Bearer scrape-secret-0123456789" } });
  expect(scraper.status).toBe(200);
  expect(await scraper.text()).toContain("motcua_call_next_duration_seconds_bucket");
});
