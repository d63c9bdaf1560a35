/**
 * What Prometheus scrapes from `/metrics` (prom-client): request and call-next latencies,
 * connected sockets by kind, each field's queue depth and longest wait, the database gate, the
 * pool's admission gate (in use, waiting, size, refusals) and the process (event-loop lag, memory, CPU — prom-client's defaults). The series of a server are its
 * own, so several servers in one process (the tests) never mix theirs; the process's are shared.
 *
 * Who may scrape: a request from this machine, or one bearing `METRICS_TOKEN` (decision 0029).
 */
import { timingSafeEqual } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import { sql } from "drizzle-orm";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { PoolStats } from "../db/admission";
import type { Queryable } from "../db/client";
import { serviceDate } from "./time";

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export type Metrics = ReturnType<typeof createMetrics>;

let processMetrics: Registry | undefined;
/** Event-loop lag, memory, CPU, handles, GC: prom-client's defaults, collected once per process. */
function processRegistry(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
  }
  return processMetrics;
}

export function createMetrics(deps: {
  db: Queryable;
  now?: () => Date;
  /** Open sockets by kind (staff, kiosk, display, rating, tracking). */
  socketCounts: () => Record<string, number>;
  /** False while the database is known to be unreachable (server/http/database-gate.ts). */
  databaseOpen: () => boolean;
  /** The admission gate in front of the pool (db/admission.ts). */
  pool: () => PoolStats;
}) {
  const own = new Registry();

  const httpDuration = new Histogram({
    name: "http_request_duration_seconds",
    help: "Time to answer an HTTP request, by method, route and status.",
    labelNames: ["method", "route", "status"] as const,
    buckets: LATENCY_BUCKETS,
    registers: [own],
  });
  const callNext = new Histogram({
    name: "motcua_call_next_duration_seconds",
    help: "Time of a call-next in the queue service (its transaction included), by outcome.",
    labelNames: ["outcome"] as const,
    buckets: LATENCY_BUCKETS,
    registers: [own],
  });
  new Gauge({
    name: "motcua_sockets_connected",
    help: "Open Socket.IO connections, by kind of client.",
    labelNames: ["kind"] as const,
    registers: [own],
    collect() {
      this.reset();
      for (const [kind, n] of Object.entries(deps.socketCounts())) this.set({ kind }, n);
    },
  });
  new Gauge({
    name: "motcua_database_up",
    help: "1 while the database answers, 0 while it is known to be unreachable.",
    registers: [own],
    collect() {
      this.set(deps.databaseOpen() ? 1 : 0);
    },
  });

  const pool = (name: string, help: string, value: (stats: PoolStats) => number) =>
    new Gauge({
      name,
      help,
      registers: [own],
      collect() {
        this.set(value(deps.pool()));
      },
    });
  pool("motcua_db_pool_max", "Connections the database pool may open (DB_POOL_MAX; 1 for the embedded PGlite).", (p) => p.max);
  pool("motcua_db_pool_in_use", "Places on the pool held now: requests and operations doing database work.", (p) => p.inUse);
  pool("motcua_db_pool_waiting", "Requests and operations waiting for a place on the pool.", (p) => p.waiting);
  new Counter({
    name: "motcua_db_pool_refused_total",
    help: "Requests and operations refused (503 database_busy) after waiting DB_POOL_WAIT_MS for a place on the pool.",
    registers: [own],
    collect() {
      // The gate counts; the counter shows its count (a counter may only go up, and this one does).
      this.reset();
      this.inc(deps.pool().refused);
    },
  });

  // Both queue gauges come from one query per scrape over today's waiting tickets.
  type Depth = { centre: string; field: string; waiting: number; longestSeconds: number };
  let depths: Promise<Depth[]> | null = null;
  const readDepths = () =>
    (depths ??= queueDepths(deps.db, deps.now?.() ?? new Date()).finally(() => {
      depths = null;
    }));
  new Gauge({
    name: "motcua_queue_waiting",
    help: "Tickets waiting now, per centre and field.",
    labelNames: ["centre", "field"] as const,
    registers: [own],
    async collect() {
      this.reset();
      for (const d of await readDepths().catch(() => [])) this.set({ centre: d.centre, field: d.field }, d.waiting);
    },
  });
  new Gauge({
    name: "motcua_queue_longest_wait_seconds",
    help: "How long the longest-waiting ticket has waited, per centre and field.",
    labelNames: ["centre", "field"] as const,
    registers: [own],
    async collect() {
      this.reset();
      for (const d of await readDepths().catch(() => [])) this.set({ centre: d.centre, field: d.field }, d.longestSeconds);
    },
  });

  // Each (method, route, status)'s series, found by one string: prom-client's own lookup sorts and
  // joins the labels at every observation. As bounded as the series (routes are patterns).
  const requestSeries = new Map<string, { observe(seconds: number): void }>();
  /** Times every request; the route is the matched pattern (never the raw path, whose ids would explode the series). */
  const timeRequests = (req: Request, res: Response, next: NextFunction) => {
    const start = performance.now();
    res.once("finish", () => {
      const route = routeOf(req);
      const key = `${req.method} ${res.statusCode} ${route}`;
      let series = requestSeries.get(key);
      if (!series) {
        series = httpDuration.labels({ method: req.method, route, status: String(res.statusCode) });
        requestSeries.set(key, series);
      }
      series.observe((performance.now() - start) / 1000);
    });
    next();
  };

  return {
    // This server's series, with the process's (one set per process, however many servers it
    // runs). Merged once every series above exists: a merge copies the list it is given.
    registry: Registry.merge([own, processRegistry()]),
    timeRequests,
    /** Times `work` as a call-next: `called`, `refused` (an answer such as an empty queue) or `failed`. */
    async timeCallNext<T>(work: () => Promise<T>): Promise<T> {
      const end = callNext.startTimer();
      try {
        const result = await work();
        end({ outcome: "called" });
        return result;
      } catch (error) {
        end({ outcome: (error as { status?: number })?.status && (error as { status: number }).status < 500 ? "refused" : "failed" });
        throw error;
      }
    },
  };
}

function routeOf(req: Request): string {
  if (req.route?.path) return `${req.baseUrl}${String(req.route.path)}`;
  if (req.path.startsWith("/api/")) return "/api/unmatched";
  if (req.path.startsWith("/socket.io/")) return "/socket.io";
  if (/^\/(assets|audio)\//.test(req.path) || /\.[a-z0-9]+$/i.test(req.path)) return "static";
  return "page";
}

async function queueDepths(db: Queryable, now: Date) {
  const result = (await db.execute(sql`
    select c.code as centre, f.code as field, count(*)::int as waiting,
      greatest(coalesce(max(date_part('epoch', ${now.toISOString()}::timestamptz - t.issued_at)), 0), 0) as longest
    from tickets t join fields f on f.id = t.field_id join centres c on c.id = t.centre_id
    where t.service_date = ${serviceDate(now)}::date and t.status = 'waiting'
    group by c.code, f.code`)) as unknown as Array<Record<string, unknown>> | { rows: Array<Record<string, unknown>> };
  const rows = Array.isArray(result) ? result : result.rows;
  return rows.map((r) => ({ centre: String(r.centre), field: String(r.field), waiting: Number(r.waiting), longestSeconds: Math.round(Number(r.longest)) }));
}

/** `/metrics`: from this machine, or with `Authorization: Bearer <METRICS_TOKEN>`; anyone else gets 404. */
export function metricsEndpoint(metrics: Metrics, options: { token?: string }) {
  return async (req: Request, res: Response) => {
    if (!mayScrape(req, options.token)) {
      res.status(404).json({ error: { code: "not_found", message: "Không tìm thấy." } });
      return;
    }
    res.set("Content-Type", metrics.registry.contentType);
    res.set("Cache-Control", "no-store");
    res.send(await metrics.registry.metrics());
  };
}

function mayScrape(req: Request, token: string | undefined): boolean {
  const given = /^Bearer (.+)$/.exec(req.get("authorization") ?? "")?.[1];
  if (token && given) {
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  }
  // `trust proxy` is loopback only: req.ip is the client's own address, or the one a local proxy forwarded.
  const ip = req.ip ?? "";
  return ip === "127.0.0.1" || ip === "::1" || ip === "::ffff:127.0.0.1";
}
