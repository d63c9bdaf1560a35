/**
 * Where the machine's cores go during a run: PostgreSQL's processes (every backend of the local
 * cluster, read from /proc), this load generator's own process, the machine's idle time, and the
 * server's event loop thread (on a CPU or waiting for one). The server's CPU is read from its
 * /metrics (bench/lib/server.ts). Linux only; elsewhere the /proc figures are absent.
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
 * Measures where the machine's CPU goes over a stretch of work: call `stop` after it, with the
 * wall time it took. In percent: PostgreSQL's and this load generator's share of one core, the
 * machine's idle share, and — given the server's pid — the share of the wall time its event loop
 * thread was on a CPU and was waiting for one (null where unknown).
 */
export function cpuMeter(serverPid?: number) {
  const pg0 = postgresCpuSeconds();
  const own0 = ownCpuSeconds();
  const thread0 = serverPid === undefined ? null : threadSchedule(serverPid);
  const machine0 = machineCpuSeconds();
  return {
    stop(wallSeconds: number) {
      const pg1 = postgresCpuSeconds();
      const thread1 = serverPid === undefined ? null : threadSchedule(serverPid);
      const machine1 = machineCpuSeconds();
      const percent = (share: number) => Math.round(share * 1000) / 10;
      return {
        postgresPercent: pg0 === null || pg1 === null ? null : percent((pg1 - pg0) / wallSeconds),
        loadGeneratorPercent: percent((ownCpuSeconds() - own0) / wallSeconds),
        machineIdlePercent: machine0 && machine1 ? percent((machine1.idle - machine0.idle) / Math.max(machine1.total - machine0.total, 1e-9)) : null,
        eventLoopOnCpuPercent: thread0 && thread1 ? percent((thread1.onCpuSeconds - thread0.onCpuSeconds) / wallSeconds) : null,
        eventLoopWaitingPercent: thread0 && thread1 ? percent((thread1.waitingSeconds - thread0.waitingSeconds) / wallSeconds) : null,
      };
    },
  };
}

/**
 * How a thread spent its time (Linux's schedstat): on a CPU, and runnable but waiting for one.
 * A process's main thread — the server's event loop — that is runnable nearly all the time and
 * yet on a CPU for only part of it is held back by the machine's other work, not by its own
 * waits. Null off Linux or when the thread is gone.
 */
export function threadSchedule(pid: number): { onCpuSeconds: number; waitingSeconds: number } | null {
  try {
    const [onCpu, waiting] = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, "utf8").trim().split(" ").map(Number);
    return { onCpuSeconds: onCpu! / 1e9, waitingSeconds: waiting! / 1e9 };
  } catch {
    return null;
  }
}

/** The machine's CPU time so far, idle and in all (every core, from /proc/stat); null off Linux. */
export function machineCpuSeconds(): { idle: number; total: number } | null {
  try {
    const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest times are inside user already)
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
    return { idle: (fields[3]! + fields[4]!) / TICKS_PER_SECOND, total: total / TICKS_PER_SECOND };
  } catch {
    return null;
  }
}
