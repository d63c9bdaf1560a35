/**
 * What every benchmark of the province prints and keeps: latency summaries, a table of
 * figure | value | target | ok?, and bench/results/<name>-<timestamp>.json with the machine.
 * Nothing here asserts: a missed target is printed, never thrown.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export type Latency = { n: number; p50: number; p99: number; max: number; mean: number };

/** Nearest-rank percentile of sorted samples (ms). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function summarise(samples: readonly number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? NaN),
    mean: round(sorted.length ? sum / sorted.length : NaN),
  };
}

/** A figure for the table: "—" when there was nothing to measure. */
export const fig = (x: number) => (Number.isFinite(x) ? String(x) : "—");

export const round = (x: number, digits = 1) => (Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : x);

/** A line of the table. `ok`: null when the figure has no target (printed as "—"). */
export type Row = { figure: string; value: string; target: string; ok: boolean | null };

export const row = (figure: string, value: string, target = "—", ok: boolean | null = null): Row => ({ figure, value, target, ok });

export function printTable(title: string, rows: readonly Row[]) {
  const width = (pick: (r: Row) => string, head: string) => Math.max(head.length, ...rows.map((r) => pick(r).length));
  const w = [width((r) => r.figure, "figure"), width((r) => r.value, "value"), width((r) => r.target, "target")];
  const ok = (r: Row) => (r.ok === null ? "—" : r.ok ? "ok" : "MISSED");
  console.log(`\n${title}\n`);
  console.log(`| ${"figure".padEnd(w[0]!)} | ${"value".padStart(w[1]!)} | ${"target".padStart(w[2]!)} | ok? |`);
  console.log(`|${"-".repeat(w[0]! + 2)}|${"-".repeat(w[1]! + 1)}:|${"-".repeat(w[2]! + 1)}:|-----|`);
  for (const r of rows) console.log(`| ${r.figure.padEnd(w[0]!)} | ${r.value.padStart(w[1]!)} | ${r.target.padStart(w[2]!)} | ${ok(r)} |`);
}

/** BENCH_SMOKE=1: every benchmark at tiny sizes, in seconds (CI); its figures mean nothing. */
export const SMOKE = Boolean(process.env.BENCH_SMOKE);

/** A benchmark's setting: the environment variable `name`, else the full-run or the smoke-run default. */
export const setting = (name: string, full: number, smoke: number) => Number(process.env[name] ?? (SMOKE ? smoke : full));

/** The 1-minute load average now: printed with each run, it says how shared the cores were meanwhile. */
export const load = () => round(os.loadavg()[0]!, 2);

/** The machine as the results file records it: the load average says how shared the 2 cores were. */
export function machine(postgres: string | null) {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? null,
    memoryGiB: round(os.totalmem() / 2 ** 30),
    node: process.version,
    postgres,
    loadAverage: os.loadavg().map((x) => round(x, 2)),
  };
}

/** Writes bench/results/<name>[-smoke]-<timestamp>.json; returns its path relative to the project. */
export function writeResults(name: string, smoke: boolean, data: unknown): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const dir = path.resolve("bench/results");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}-${smoke ? "smoke-" : ""}${stamp}.json`);
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return path.relative(process.cwd(), file);
}

/** One clock for every process of a run (CLOCK_MONOTONIC, shared on the machine), in ms. */
export const clockMs = () => Number(process.hrtime.bigint()) / 1e6;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
