/**
 * Benchmark: every report over a year, a quarter and a month of a busy centre (≈ 300 k tickets),
 * on PostgreSQL. Creates a throwaway database, migrates it, seeds the demo centre with enough
 * counters and officers for ~1 200 citizens a day, writes a year of history (server/demo/history.ts),
 * ANALYZEs, then times runReport for each kind and range (a warm-up, then 5 runs: median and max).
 * Prints a table and writes bench/results/reports-<timestamp>.json; drops the database. Asserts
 * nothing: the target (1 s) is printed beside each figure.
 *
 *   npm run bench:reports                  # postgres://postgres@127.0.0.1:5432/postgres, or DATABASE_URL
 *   BENCH_SMOKE=1 npm run bench:reports    # a few days, one run: seconds (for CI)
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { openDatabase } from "../db/client";
import { counterFields, counters, fields, users } from "../db/schema";
import { userActor } from "../server/auth/permissions";
import { generateHistory } from "../server/demo/history";
import { seedDemo } from "../server/demo/seed";
import { resolveReportFilter } from "../server/reports/filter";
import { runReport } from "../server/reports/service";
import { REPORT_KINDS } from "../server/reports/types";
import { previousDay, serviceDate } from "../server/time";
import { SMOKE } from "./lib/report";

const DAYS = Number(process.env.BENCH_DAYS ?? (SMOKE ? 5 : 250));
const PER_DAY = Number(process.env.BENCH_TICKETS_PER_DAY ?? 1200);
const RUNS = SMOKE ? 1 : 5;
const TARGET_MS = 1000;
const NAME = "motcua_bench_reports";
// BENCH_KEEP=1 leaves the generated database in place, to look at plans with psql afterwards.
const KEEP = Boolean(process.env.BENCH_KEEP);

// Extra counters of a busy centre, one field each (code → how many), on top of the demo's ten.
const EXTRA_COUNTERS: Record<string, number> = { DD: 6, DKKD: 4, XD: 4, LDTBXH: 4, GTVT: 4, HT: 3, CT: 2 };

const adminUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
await admin.unsafe(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
await admin.unsafe(`CREATE DATABASE ${NAME}`);
const target = new URL(adminUrl);
target.pathname = `/${NAME}`;
const handle = await openDatabase({ url: target.toString(), max: 4 });

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

try {
  await handle.migrate();
  const db = handle.db;
  const { centreId } = await seedDemo(db, { password: "Bench@Password1" });

  // A busy centre: more counters, each with an officer of its own.
  const fieldRows = await db.select().from(fields).where(eq(fields.centreId, centreId));
  let number = 10;
  const extra = Object.entries(EXTRA_COUNTERS).flatMap(([code, n]) => Array.from({ length: n }, () => ({ code, number: ++number })));
  const added = await db
    .insert(counters)
    .values(extra.map((c) => ({ centreId, number: c.number, name: `Quầy ${c.number}` })))
    .returning();
  await db.insert(counterFields).values(added.map((c, i) => ({ counterId: c.id, fieldId: fieldRows.find((f) => f.code === extra[i]!.code)!.id })));
  await db.insert(users).values(added.map((c) => ({ centreId, username: `bench_canbo${c.number}`, fullName: `Cán bộ quầy ${c.number}`, role: "officer" as const, passwordHash: "x" })));

  const now = new Date();
  console.log(`PostgreSQL ${NAME}: generating ${DAYS} working days at ~${PER_DAY} tickets a day…`);
  const history = await generateHistory(db, { centreId, days: DAYS, ticketsPerDay: PER_DAY, seed: "bench", now });
  console.log(
    `generated ${history.firstDay} – ${history.lastDay} (${history.days} working days): ${history.tickets} tickets, ${history.events} events, ` +
      `${history.ratings} ratings, ${history.dossiers} dossiers (${history.dossierSteps} steps), ${history.appointments} appointments in ${(history.ms / 1000).toFixed(1)} s`,
  );
  let t0 = performance.now();
  await db.execute(sql`analyze`);
  const analyzeMs = performance.now() - t0;
  console.log(`ANALYZE in ${(analyzeMs / 1000).toFixed(1)} s`);

  const [supervisor] = await db.select().from(users).where(and(eq(users.centreId, centreId), eq(users.username, "giamsat")));
  const actor = userActor(supervisor!);
  const deps = { db, now: () => now };
  const anchor = previousDay(serviceDate(now));
  const ranges = (SMOKE ? ["month"] : ["year", "quarter", "month"]) as Array<"year" | "quarter" | "month">;
  const rows: Array<{ report: string; range: string; from: string; to: string; medianMs: number; maxMs: number; ok: boolean }> = [];
  for (const period of ranges) {
    const filter = await resolveReportFilter(deps, actor, { period, date: anchor, centre: String(centreId) });
    for (const kind of REPORT_KINDS) {
      await runReport(deps, actor, kind, filter); // warm-up
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        t0 = performance.now();
        await runReport(deps, actor, kind, filter);
        times.push(performance.now() - t0);
      }
      const m = median(times);
      const max = Math.max(...times);
      rows.push({ report: kind, range: period, from: filter.from, to: filter.to, medianMs: Math.round(m * 10) / 10, maxMs: Math.round(max * 10) / 10, ok: max < TARGET_MS });
    }
  }

  console.log("");
  console.log(`${"report".padEnd(14)} | ${"range".padEnd(8)} | ${"median ms".padStart(9)} | ${"max ms".padStart(8)} | target ${TARGET_MS} ms | ok?`);
  console.log(`${"-".repeat(14)}-|-${"-".repeat(8)}-|-${"-".repeat(9)}-|-${"-".repeat(8)}-|-${"-".repeat(14)}-|----`);
  for (const r of rows) {
    console.log(`${r.report.padEnd(14)} | ${r.range.padEnd(8)} | ${r.medianMs.toFixed(1).padStart(9)} | ${r.maxMs.toFixed(1).padStart(8)} | ${String(TARGET_MS).padStart(14)} | ${r.ok ? "ok" : "SLOW"}`);
  }

  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const dir = path.resolve("bench/results");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `reports-${SMOKE ? "smoke-" : ""}${stamp}.json`);
  const [version] = await db.execute<{ server_version: string }>(sql`show server_version`).then((r) => [...(r as unknown as Iterable<{ server_version: string }>)]);
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        at: new Date().toISOString(),
        smoke: SMOKE,
        machine: { cpus: os.cpus().length, node: process.version, postgres: version?.server_version ?? null },
        dataset: { ...history, ticketsPerDay: PER_DAY, counters: 10 + added.length },
        analyzeMs: Math.round(analyzeMs),
        runs: RUNS,
        targetMs: TARGET_MS,
        results: rows,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`\nwrote ${path.relative(process.cwd(), file)}`);
} finally {
  await handle.close();
  if (!KEEP) await admin.unsafe(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
  await admin.end();
}
