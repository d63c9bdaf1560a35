/**
 * Two versions of the server compared at the same moment: both on one bench database, each
 * driven in a closed loop by half of the busy centres' officers at once, the halves swapped
 * every round. On a shared machine whose speed drifts within minutes (bench/README.md), runs
 * one after another compare the machine's moods; side by side, drift hits both alike.
 *
 *   git worktree add /tmp/before <commit> && (cd /tmp/before && npm ci)
 *   BENCH_BEFORE=/tmp/before npm run bench:side-by-side
 *
 * Prints, for each round and on average, each server's calls a second and its CPU (user +
 * system, from its /metrics) per call + finish; writes JSON to bench/results/. Without BENCH_BEFORE
 * both sides run this checkout (the figures then show the method's own spread). Asserts nothing.
 */
import path from "node:path";
import { throwawayDatabase } from "./lib/database";
import { HttpClient } from "./lib/http";
import { closedLoop } from "./lib/load";
import { seedProvince, topUpQueues } from "./lib/province";
import { load, machine, printTable, round, row, setting, SMOKE, writeResults } from "./lib/report";
import { serverCpuSeconds, startServer, type ServerProcess } from "./lib/server";
import { signInOfficers } from "./lib/staff";

const CENTRES = setting("BENCH_CENTRES", 20, 4);
const OFFICERS = setting("BENCH_OFFICERS", 8, 2);
const ROUNDS = setting("BENCH_ROUNDS", 6, 2);
const SECONDS = setting("BENCH_SECONDS", 12, 1.5);
const WARMUP = setting("BENCH_WARMUP", 3, 0.3);
const BEFORE = process.env.BENCH_BEFORE ? path.resolve(process.env.BENCH_BEFORE) : path.resolve(".");

type Side = { name: string; checkout: string; server?: ServerProcess; http?: HttpClient; rounds: Array<{ callsPerSecond: number; cpuMsPerPair: number; errors: Record<string, number> }> };

const db = await throwawayDatabase("motcua_bench_side_by_side");
const sides: Side[] = [
  { name: "before", checkout: BEFORE, rounds: [] },
  { name: "after", checkout: path.resolve("."), rounds: [] },
];
try {
  const province = await seedProvince(db.sql, { centres: CENTRES, officers: OFFICERS, fields: 4 });
  for (const side of sides) {
    side.server = await startServer(db.url, {}, { checkout: side.checkout });
    side.http = new HttpClient(side.server.baseUrl);
  }
  // Sessions live in the database: signed in once, valid on both servers.
  const officers = await signInOfficers(sides[0]!.http!, province.centres);
  const half = (parity: number) => officers.filter((o) => province.centres.indexOf(o.centre) % 2 === parity);
  const perField = Math.ceil((1_000 * (SECONDS + WARMUP) * 1.5) / (CENTRES * 4)) + 5;
  for (let r = 0; r < ROUNDS; r++) {
    await topUpQueues(db.sql, province.day, province.centres, perField);
    await db.sql`analyze tickets`;
    const before = await Promise.all(sides.map((s) => serverCpuSeconds(s.server!)));
    const started = performance.now();
    const results = await Promise.all(sides.map((s, i) => closedLoop(s.http!, half((r + i) % 2), SECONDS, WARMUP)));
    const wall = (performance.now() - started) / 1000;
    const after = await Promise.all(sides.map((s) => serverCpuSeconds(s.server!)));
    const line = sides.map((s, i) => {
      const result = results[i]!;
      const cpuMsPerPair = round((((after[i]! - before[i]!) / wall) * 1000) / Math.max(result.callsPerSecond, 0.001), 3);
      s.rounds.push({ callsPerSecond: result.callsPerSecond, cpuMsPerPair, errors: result.errors });
      return `${s.name} ${result.callsPerSecond} calls/s, ${cpuMsPerPair} ms CPU a pair${Object.keys(result.errors).length ? ` errors ${JSON.stringify(result.errors)}` : ""}`;
    });
    console.log(`[side by side · load ${load()}] round ${r + 1}: ${line.join(" | ")}`);
  }
  const mean = (s: Side, key: "callsPerSecond" | "cpuMsPerPair") => round(s.rounds.reduce((sum, x) => sum + x[key], 0) / s.rounds.length, key === "cpuMsPerPair" ? 3 : 1);
  const [b, a] = sides as [Side, Side];
  const faster = a.rounds.filter((x, i) => x.callsPerSecond > b.rounds[i]!.callsPerSecond).length;
  printTable(`Side by side${SMOKE ? " (smoke)" : ""} — ${ROUNDS} rounds × ${SECONDS} s, ${CENTRES / 2} centres × ${OFFICERS} officers each`, [
    row(`calls a second, before (${b.checkout})`, `${mean(b, "callsPerSecond")}`),
    row("calls a second, after (this checkout)", `${mean(a, "callsPerSecond")}; higher in ${faster} of ${ROUNDS} rounds`),
    row("server CPU a call + finish, before / after", `${mean(b, "cpuMsPerPair")} / ${mean(a, "cpuMsPerPair")} ms (${round((mean(a, "cpuMsPerPair") / mean(b, "cpuMsPerPair") - 1) * 100)} %)`),
  ]);
  const file = writeResults("side-by-side", SMOKE, {
    at: new Date().toISOString(),
    machine: machine(db.serverVersion),
    setup: { centres: CENTRES, officers: OFFICERS, rounds: ROUNDS, seconds: SECONDS, warmup: WARMUP },
    sides: sides.map(({ name, checkout, rounds }) => ({ name, checkout, rounds })),
  });
  console.log(`wrote ${file}`);
} finally {
  for (const side of sides) await side.server?.stop();
  await db.drop();
}
