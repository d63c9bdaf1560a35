import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

// scripts/serve.mjs (what `npm start` runs): a server that dies after it was serving is started
// again; one that dies before serving is not (its exit code is passed on); SIGTERM goes to the
// server, which stops cleanly, and then the supervisor exits.
const folder = mkdtempSync(path.join(tmpdir(), "motcua-serve-"));
function fakeServer(body: string) {
  const file = path.join(folder, `server-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, body);
  return file;
}

function supervise(entry: string) {
  const child = spawn(process.execPath, ["scripts/serve.mjs", entry], {
    env: { ...process.env, MOTCUA_RESTART_DELAY_MS: "50" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const waitFor = async (text: string, times = 1) => {
    for (let i = 0; i < 200; i++) {
      if (output.split(text).length - 1 >= times) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`never printed ${JSON.stringify(text)} ×${times}: ${output}`);
  };
  return { child, exited, waitFor, output: () => output };
}

describe("npm start's supervisor", () => {
  it("starts a server that crashed while serving again, and passes SIGTERM on", async () => {
    const marker = path.join(folder, "crashed-once");
    const entry = fakeServer(`
      import { existsSync, writeFileSync, writeSync } from "node:fs";
      // The handler comes first, as in a real server: a SIGTERM that arrives before it would kill
      // the process outright. Written synchronously: process.exit may lose an asynchronous pipe write.
      process.on("SIGTERM", () => { writeSync(1, "stopped cleanly\\n"); process.exit(0); });
      console.log("started");
      process.send({ type: "serving" });
      if (!existsSync(${JSON.stringify(marker)})) {
        writeFileSync(${JSON.stringify(marker)}, "1");
        setTimeout(() => { throw new TypeError("Cannot read properties of null (reading 'write')"); }, 50);
      }
      setInterval(() => {}, 1000);
    `);
    const s = supervise(entry);
    await s.waitFor("started", 2);
    expect(s.output()).toContain("starting it again");
    s.child.kill("SIGTERM");
    expect(await s.exited).toBe(0);
    expect(s.output()).toContain("stopped cleanly");
  });

  it("does not restart a server that stopped before serving, and keeps its exit code", async () => {
    const entry = fakeServer(`console.log("no users and no demo data"); process.exit(3);`);
    const s = supervise(entry);
    expect(await s.exited).toBe(3);
    expect(s.output().split("no users").length - 1).toBe(1);
    expect(s.output()).toContain("not restarting");
  });
});
