/**
 * Benchmark: a burst of concurrent reads (GET /api/v1/snapshot as an officer) against a real
 * server process on PostgreSQL, with the pool's admission wait bounded (DB_POOL_WAIT_MS, default
 * 2 s) and, for comparison, practically unbounded (60 s: every request queues, as before
 * decision 0032). Prints, per setting, how many were served and refused (503 database_busy) and
 * their latencies, and what /readyz said during the burst. Asserts nothing.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/overload.ts
 *   BENCH_CONCURRENCY=1000 BENCH_POOL=10 BENCH_WAIT_MS=2000
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import pino from "pino";
import { openDatabase } from "../db/client";
import { seedDemo } from "../server/demo/seed";
import { loadEnv } from "../server/env";
import { startMotcua } from "../server/start";

// The child: a server without pages on the given database (what `npm start` runs, minus the pages).
if (process.argv[2] === "--serve") {
  const started = await startMotcua({ env: loadEnv(), logger: pino({ level: "warn" }) });
  process.send?.({ port: started.port });
  process.on("SIGTERM", () => void started.server.close().then(() => started.database.close()).then(() => process.exit(0)));
} else {
  await main();
}

async function main() {
  const url = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 1000);
  const pool = Number(process.env.BENCH_POOL ?? 10);
  const waitMs = Number(process.env.BENCH_WAIT_MS ?? 2000);
  const name = `motcua_bench_overload_${randomBytes(3).toString("hex")}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), "motcua-bench-overload-"));
  const password = "Bench@Password-2026";
  const results: unknown[] = [];
  try {
    const handle = await openDatabase({ url: target.toString(), max: 2 });
    await handle.migrate();
    await seedDemo(handle.db, { password });
    await handle.close();

    for (const [label, wait] of [
      [`bounded wait ${waitMs} ms`, waitMs],
      ["practically unbounded (60 s)", 60_000],
    ] as const) {
      const server = await serve({ DATABASE_URL: target.toString(), DB_POOL_MAX: String(pool), DB_POOL_WAIT_MS: String(wait), DATA_DIR: dataDir });
      try {
        const base = `http://127.0.0.1:${server.port}`;
        const login = await fetch(`${base}/api/v1/auth/login`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ username: "canbo01", password }),
        });
        const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
        const read = async () => {
          const started = performance.now();
          // Node's fetch opens as many connections to one origin as there are requests in flight.
          const res = await fetch(`${base}/api/v1/snapshot`, { headers: { cookie } });
          await res.arrayBuffer();
          return { status: res.status, ms: performance.now() - started };
        };
        await Promise.all(Array.from({ length: 20 }, read)); // warm-up: connections, caches

        const readiness: string[] = [];
        let probing = true;
        const probe = (async () => {
          while (probing) {
            const started = performance.now();
            const res = await fetch(`${base}/readyz`).catch(() => null);
            const body = res ? ((await res.json()) as { status: string; warnings?: string[]; reasons?: string[] }) : null;
            readiness.push(`${res?.status ?? "no answer"} ${body?.status ?? ""} ${[...(body?.reasons ?? []), ...(body?.warnings ?? [])].join(",")} (${Math.round(performance.now() - started)} ms)`);
            await new Promise((resolve) => setTimeout(resolve, 250));
          }
        })();
        const started = performance.now();
        const answers = await Promise.all(Array.from({ length: concurrency }, read));
        const wallMs = performance.now() - started;
        probing = false;
        await probe;

        const served = answers.filter((a) => a.status === 200).map((a) => a.ms);
        const refused = answers.filter((a) => a.status === 503).map((a) => a.ms);
        const other = answers.filter((a) => a.status !== 200 && a.status !== 503).map((a) => a.status);
        const row = {
          setting: label,
          concurrency,
          pool,
          served: summary(served),
          refused: summary(refused),
          other,
          all: summary(answers.map((a) => a.ms)),
          wallMs: Math.round(wallMs),
          readiness: [...new Set(readiness.map((r) => r.replace(/ \(\d+ ms\)$/, "")))],
          slowestReadyzMs: Math.max(...readiness.map((r) => Number(/\((\d+) ms\)$/.exec(r)?.[1] ?? 0))),
          loadAverage: loadavg()[0]!.toFixed(1),
        };
        results.push(row);
        console.log(
          `${label.padEnd(24)} ${concurrency} at once, pool ${pool}: served ${served.length} (p50 ${row.served.p50} ms, p99 ${row.served.p99} ms, max ${row.served.max} ms), ` +
            `refused ${refused.length} (p50 ${row.refused.p50} ms, max ${row.refused.max} ms), other ${other.length}; ` +
            `all p50 ${row.all.p50} ms p99 ${row.all.p99} ms; wall ${row.wallMs} ms; /readyz: ${row.readiness.join(" | ")} (slowest ${row.slowestReadyzMs} ms); load ${row.loadAverage}`,
        );
      } finally {
        await server.stop();
      }
    }
    mkdirSync("bench/results", { recursive: true });
    const file = `bench/results/overload-${new Date().toISOString().replace(/[:.]/g, "-")}.json`;
    writeFileSync(file, JSON.stringify({ machine: { cores: (await import("node:os")).cpus().length }, results }, null, 2));
    console.log(`wrote ${file}`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => (sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!) : null);
  return { n: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted.length ? Math.round(sorted.at(-1)!) : null };
}

async function serve(env: Record<string, string>): Promise<{ port: number; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "bench/overload.ts", "--serve"], {
    env: { ...process.env, ...env, NODE_ENV: "production", PORT: "0", HOST: "127.0.0.1", DEMO_DATA: "false", LOG_LEVEL: "warn" },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("message", (m) => resolve((m as { port: number }).port));
    child.once("exit", (code) => reject(new Error(`the server exited (${code}) before serving`)));
  });
  return {
    port,
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
