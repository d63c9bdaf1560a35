/** Waiting-room screens spread over several processes (bench/lib/screen-worker.ts), driven from the benchmark. */
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { ScreenNotes, ScreenSpec, WorkerCommand, WorkerReply } from "./screen-worker";

export type Fleet = {
  connect(baseUrl: string, screens: ScreenSpec[]): Promise<{ connected: number; failed: number; errors: string[] }>;
  collect(): Promise<ScreenNotes[]>;
  close(): Promise<void>;
};

export function screenFleet(processes: number, concurrency = 25): Fleet {
  const workers: ChildProcess[] = Array.from({ length: processes }, () =>
    fork(path.resolve("bench/lib/screen-worker.ts"), [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] }),
  );
  const ask = <T extends WorkerReply["type"]>(worker: ChildProcess, command: WorkerCommand, answer: T) =>
    new Promise<Extract<WorkerReply, { type: T }>>((resolve, reject) => {
      const onMessage = (m: WorkerReply) => {
        if (m.type !== answer) return;
        worker.off("message", onMessage);
        worker.off("exit", onExit);
        resolve(m as Extract<WorkerReply, { type: T }>);
      };
      const onExit = (code: number | null) => reject(new Error(`a screen process exited (${code})`));
      worker.on("message", onMessage);
      worker.once("exit", onExit);
      worker.send(command);
    });
  return {
    async connect(baseUrl, screens) {
      const replies = await Promise.all(
        workers.map((w, i) => ask(w, { type: "connect", baseUrl, screens: screens.filter((_, j) => j % workers.length === i), concurrency }, "connected")),
      );
      return {
        connected: replies.reduce((n, r) => n + r.connected, 0),
        failed: replies.reduce((n, r) => n + r.failed, 0),
        errors: replies.flatMap((r) => r.errors),
      };
    },
    async collect() {
      return (await Promise.all(workers.map((w) => ask(w, { type: "collect" }, "notes")))).flatMap((r) => r.screens);
    },
    async close() {
      await Promise.all(workers.map((w) => (w.exitCode === null ? ask(w, { type: "close" }, "closed").catch(() => undefined) : undefined)));
    },
  };
}
