#!/usr/bin/env node
// Keeps the server running: `node scripts/serve.mjs dist/server/index.js` starts it as a child
// and starts it again if it dies after it was serving (a crash must not become an outage: the
// screens of the hall reconnect by themselves to the new process). A child that dies before it
// is serving (a configuration error, the port in use) is not restarted: its exit code is ours.
// SIGTERM and SIGINT go to the child, which shuts down cleanly; then this process exits too.
import { fork } from "node:child_process";
import { readFileSync } from "node:fs";

const entry = process.argv[2];
if (!entry) {
  console.error("usage: node scripts/serve.mjs <server entry> [arguments…]");
  process.exit(2);
}
const args = process.argv.slice(3);
// V8's flags for the server (scripts/server-node-flags.json, decision 0034: a larger young
// generation, measured to cut the time the server spends collecting garbage under load).
const nodeFlags = JSON.parse(readFileSync(new URL("./server-node-flags.json", import.meta.url), "utf8"));
const MAX_DELAY_MS = 30_000;
/** A child that served this long before it died starts again at once (its crash was not a loop). */
const STABLE_MS = 60_000;
const firstDelayMs = Number(process.env.MOTCUA_RESTART_DELAY_MS ?? 1_000);

let child = null;
let stopping = false;
let failures = 0;

function start() {
  const startedAt = Date.now();
  let serving = false;
  child = fork(entry, args, { stdio: "inherit", execArgv: [...process.execArgv, ...nodeFlags], env: { ...process.env, MOTCUA_SUPERVISED: "1" } });
  child.on("message", (message) => {
    if (message && message.type === "serving") serving = true;
  });
  child.on("exit", (code, signal) => {
    child = null;
    if (stopping) process.exit(code ?? 0);
    if (!serving) {
      console.error(`[serve] the server stopped before serving (${signal ?? `exit code ${code}`}); not restarting.`);
      process.exit(code || 1);
    }
    if (Date.now() - startedAt > STABLE_MS) failures = 0;
    const delay = Math.min(firstDelayMs * 2 ** failures, MAX_DELAY_MS);
    failures += 1;
    console.error(`[serve] the server stopped unexpectedly (${signal ?? `exit code ${code}`}); starting it again in ${delay} ms.`);
    setTimeout(() => {
      if (!stopping) start();
    }, delay);
  });
}

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    if (child) child.kill(signal);
    else process.exit(0);
  });
}

start();
