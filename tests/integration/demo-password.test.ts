/**
 * The demo centre has no published password: each installation gets its own, printed by the
 * first start only, kept hashed in the database and for the operator in a file of the data
 * folder; the logs and the README never hold it. Runs the real server process (`server/index.ts`)
 * on fresh embedded databases.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { users } from "../../db/schema";
import { verifyPassword } from "../../server/auth/password";
import { ensureDemoPassword, readDemoPassword } from "../../server/demo/password";
import { seedDemo } from "../../server/demo/seed";
import { createTestDatabase } from "../helpers/database";

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function freshDataDir() {
  const folder = mkdtempSync(path.join(tmpdir(), "motcua-demo-"));
  folders.push(folder);
  return folder;
}

/** Runs `script` under tsx with the embedded database in `dataDir`; resolves with all it printed once `until` shows up (or it exits). */
function run(script: string, dataDir: string, until?: string): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script], {
      env: { ...process.env, DATABASE_URL: "", DATA_DIR: dataDir, PORT: "0", HOST: "127.0.0.1", NODE_ENV: "test", LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (until && stdout.includes(until)) child.kill("SIGTERM");
    });
    child.stderr.on("data", (chunk: Buffer) => void (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code });
    });
  });
}

const READY = "Một Cửa is running";
const printedPassword = (output: string) => /Password for all of them: (\S+)/.exec(output)?.[1];
/** pino's lines: JSON objects, one a line. */
const logLines = (output: string) => output.split("\n").filter((line) => line.startsWith("{"));

describe("the demo password", () => {
  it("is made per installation, printed by the first start only, kept in a private file, and never logged", { timeout: 240_000 }, async () => {
    const first = freshDataDir();
    const start1 = await run("server/index.ts", first, READY);
    const password = printedPassword(start1.stdout);
    expect(password, start1.stdout + start1.stderr).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}-[a-z2-9]{5}$/);
    expect(start1.stdout).toContain("npm run demo:password");
    expect(logLines(start1.stdout).length).toBeGreaterThan(0);
    for (const line of logLines(start1.stdout)) expect(line).not.toContain(password!);
    expect(start1.stderr).not.toContain(password!);

    const file = path.join(first, "demo-password.txt");
    expect(readFileSync(file, "utf8").trim()).toBe(password);
    expect(statSync(file).mode & 0o077).toBe(0);

    const start2 = await run("server/index.ts", first, READY);
    expect(start2.stdout).toContain(READY);
    expect(start2.stdout).not.toContain(password!);
    expect(start2.stdout).toContain("Password: run `npm run demo:password` on this machine.");

    const asked = await run("server/cli/demo-password.ts", first);
    expect(asked.code).toBe(0);
    expect(asked.stdout).toContain(password!);

    const other = await run("server/index.ts", freshDataDir(), READY);
    const otherPassword = printedPassword(other.stdout);
    expect(otherPassword).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}-[a-z2-9]{5}$/);
    expect(otherPassword).not.toBe(password);

    const readme = readFileSync("README.md", "utf8");
    expect(readme).not.toContain(password!);
    expect(readme).not.toContain("MotCua@2025");
    expect(readme).not.toMatch(/password for all: \S+\)/i);
  });
});

describe("a demo installed before passwords were per installation", () => {
  it("gets a password of its own at the next start: the published one stops working", async () => {
    const test = await createTestDatabase();
    try {
      await seedDemo(test.handle.db, { password: "MotCua@2025" });
      const dataDir = freshDataDir();
      const fresh = await ensureDemoPassword(test.handle.db, dataDir);
      expect(fresh).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}-[a-z2-9]{5}$/);
      expect(readDemoPassword(dataDir)).toBe(fresh);
      const [admin] = await test.handle.db.select().from(users).where(eq(users.username, "quantri"));
      expect(await verifyPassword(admin!.passwordHash, fresh!)).toBe(true);
      expect(await verifyPassword(admin!.passwordHash, "MotCua@2025")).toBe(false);
      expect(await ensureDemoPassword(test.handle.db, dataDir)).toBeNull();
    } finally {
      await test.drop();
    }
  });
});
