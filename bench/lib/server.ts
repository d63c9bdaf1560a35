/**
 * Starts bench/serve.ts as a child process on the bench database, so the load generator never
 * shares the server's event loop; reads its memory and CPU from /metrics like Prometheus would.
 */
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import serverNodeFlags from "../../scripts/server-node-flags.json";
import { sleep } from "./report";

export type ServerProcess = {
  baseUrl: string;
  pid: number;
  cookieSecure: boolean;
  kioskPaceMs: number;
  /** A full garbage collection in the server (false when it could not). */
  gc(): Promise<boolean>;
  /** The numeric series of /metrics, by name with labels (`name{a="b"}`). */
  metrics(): Promise<Map<string, number>>;
  stop(): Promise<void>;
};

/** The sibling benchmarks start the same way (see bench/README.md). */
export async function startServer(databaseUrl: string, extraEnv: Record<string, string> = {}, options: { checkout?: string } = {}): Promise<ServerProcess> {
  // `checkout`: another working copy of the product (with its node_modules) whose server to run — bench/side-by-side.ts.
  const checkout = path.resolve(options.checkout ?? ".");
  const child: ChildProcess = fork(path.join(checkout, "bench/serve.ts"), [], {
    cwd: checkout,
    // BENCH_CPU_PROF=<dir>: the server writes a V8 CPU profile there when it stops (open it in Chrome's DevTools).
    // The V8 flags production runs the server with (scripts/serve.mjs), and the bench's own.
    execArgv: ["--import", "tsx", "--expose-gc", ...serverNodeFlags, ...(process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [])],
    env: {
      ...process.env,
      NODE_ENV: "production",
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "warn",
      DATABASE_URL: databaseUrl,
      HOST: "127.0.0.1",
      PORT: "0",
      DEMO_DATA: "false",
      ...extraEnv,
    },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const ready = await new Promise<{ port: number; cookieSecure: boolean; kioskPaceMs: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the bench server did not start within 60 s")), 60_000);
    child.once("exit", (code) => reject(new Error(`the bench server exited (${code}) before listening`)));
    child.on("message", (m: { type: string; port: number; cookieSecure: boolean; kioskPaceMs: number }) => {
      if (m.type !== "listening") return;
      clearTimeout(timer);
      resolve(m);
    });
  });
  const baseUrl = `http://127.0.0.1:${ready.port}`;
  return {
    baseUrl,
    pid: child.pid!,
    cookieSecure: ready.cookieSecure,
    kioskPaceMs: ready.kioskPaceMs,
    gc: () =>
      new Promise((resolve) => {
        const onMessage = (m: { type: string; done: boolean }) => {
          if (m.type !== "gc") return;
          child.off("message", onMessage);
          resolve(m.done);
        };
        child.on("message", onMessage);
        child.send({ type: "gc" });
      }),
    async metrics() {
      const text = await (await fetch(`${baseUrl}/metrics`)).text();
      const values = new Map<string, number>();
      for (const line of text.split("\n")) {
        if (!line || line.startsWith("#")) continue;
        const space = line.lastIndexOf(" ");
        values.set(line.slice(0, space), Number(line.slice(space + 1)));
      }
      return values;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.send({ type: "stop" });
      await Promise.race([exited, sleep(10_000)]);
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}

/** The server's CPU seconds (user + system) from /metrics. */
export async function serverCpuSeconds(server: ServerProcess): Promise<number> {
  const m = await server.metrics();
  return (m.get("process_cpu_user_seconds_total") ?? 0) + (m.get("process_cpu_system_seconds_total") ?? 0);
}
