/** Runs PostgreSQL's pgbench with one of bench/pgbench/*.sql on the bench database and reads its figures. */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

export const PGBENCH = process.env.PGBENCH ?? "/usr/bin/pgbench";

export type PgbenchResult = {
  script: string;
  clients: number;
  threads: number;
  seconds: number;
  /** What pgbench reports; its "transaction" is one run of the script. */
  transactions: number;
  tps: number;
  latencyAverageMs: number | null;
  /** Clients that stopped on an error (an empty queue: the top-up was too small). */
  aborted: number;
  exitCode: number;
  args: string[];
};

export async function runPgbench(input: {
  databaseUrl: string;
  script: string;
  clients: number;
  threads: number;
  seconds: number;
  variables: Record<string, string | number>;
}): Promise<PgbenchResult> {
  if (!existsSync(PGBENCH)) throw new Error(`pgbench is not at ${PGBENCH}: install PostgreSQL's client programs (Debian: postgresql-client) or set PGBENCH`);
  const url = new URL(input.databaseUrl);
  const args = [
    "-h", url.hostname, "-p", url.port || "5432", "-U", decodeURIComponent(url.username || "postgres"),
    // No vacuum of pgbench's own tables (there are none); prepared statements, as postgres.js uses.
    "-n", "-M", "prepared",
    "-c", String(input.clients), "-j", String(input.threads), "-T", String(input.seconds),
    "-f", path.resolve("bench/pgbench", input.script),
    ...Object.entries(input.variables).flatMap(([k, v]) => ["-D", `${k}=${v}`]),
    url.pathname.slice(1),
  ];
  const { code, out, err } = await new Promise<{ code: number; out: string; err: string }>((resolve, reject) => {
    const child = spawn(PGBENCH, args, { env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) } });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", reject);
    child.on("close", (c) => resolve({ code: c ?? -1, out, err }));
  });
  const number = (re: RegExp) => {
    const m = re.exec(out);
    return m ? Number(m[1]) : null;
  };
  const aborted = (err.match(/client \d+ aborted/g) ?? []).length;
  if (code !== 0 && aborted === 0) throw new Error(`pgbench failed (${code}):\n${err || out}`);
  if (aborted > 0) console.warn(`pgbench ${input.script}: ${aborted} clients aborted; first: ${/client \d+ aborted[^\n]*/.exec(err)?.[0]}`);
  return {
    script: input.script,
    clients: input.clients,
    threads: input.threads,
    seconds: input.seconds,
    transactions: number(/number of transactions actually processed: (\d+)/) ?? 0,
    tps: number(/tps = ([\d.]+)/) ?? 0,
    latencyAverageMs: number(/latency average = ([\d.]+) ms/),
    aborted,
    exitCode: code,
    args,
  };
}
