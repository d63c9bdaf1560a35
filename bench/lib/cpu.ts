/**
 * Where the machine's cores go during a run: PostgreSQL's processes (every backend of the local
 * cluster, read from /proc) and this load generator's own process. The server's CPU is read from
 * its /metrics (bench/lib/server.ts). Linux only; elsewhere PostgreSQL's figure is absent.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU seconds (user + system) spent so far by the processes named `postgres`, ended backends included; null off Linux. */
export function postgresCpuSeconds(): number | null {
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  let ticks = 0;
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue; // ended meanwhile
    }
    // "pid (comm) state ppid …": comm may hold spaces; the fields after it are counted from its closing parenthesis.
    const close = stat.lastIndexOf(")");
    if (stat.slice(stat.indexOf("(") + 1, close) !== "postgres") continue;
    const fields = stat.slice(close + 2).split(" ");
    // utime, stime, and cutime, cstime (fields 14–17 of the line): a backend that has ended (pgbench
    // closes its connections) is counted in the postmaster's "children" times once it is reaped.
    ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  }
  return ticks / TICKS_PER_SECOND;
}

/** CPU seconds of this process (the load generator) so far. */
export function ownCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/**
 * Measures the CPU each side spends over a stretch of work: call `stop` after it, with the wall
 * time it took, for each side's share of one core in percent (PostgreSQL's null where unknown).
 */
export function cpuMeter() {
  const pg0 = postgresCpuSeconds();
  const own0 = ownCpuSeconds();
  return {
    stop(wallSeconds: number) {
      const pg1 = postgresCpuSeconds();
      const percent = (seconds: number) => Math.round((seconds / wallSeconds) * 1000) / 10;
      return {
        postgresPercent: pg0 === null || pg1 === null ? null : percent(pg1 - pg0),
        loadGeneratorPercent: percent(ownCpuSeconds() - own0),
      };
    },
  };
}
