// The server for the Playwright end-to-end tests (started by playwright.config.ts after
// `npm run build`). It gives every run a fresh database, then runs the production server:
//   - DATABASE_URL set: a new database motcua_e2e_<port> on that PostgreSQL server
//     (dropped and created again; the URL's user needs CREATEDB, and the URL should name
//     another database, e.g. postgres, to connect to for that);
//   - otherwise: the embedded PGlite in a new temporary folder.
// Either way DATA_DIR is the folder motcua-e2e-<port> in the system's temporary folder, made
// afresh: it holds the demo password the server makes at its first start (demo-password.txt),
// which the tests read from there (tests/e2e/support.ts).
// The server is a child in this process group, so Playwright's signal reaches both; this
// script forwards SIGTERM/SIGINT, waits for the server, cleans up and exits with its code.
// A spec that restarts a server of its own (tests/e2e/restart.spec.ts) runs this script on
// another E2E_PORT with E2E_FRESH=0 (start on the data left by the last start) and
// E2E_CLEANUP=0 (leave the data for the next start).
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";

const port = Number(process.env.E2E_PORT || 3217);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`e2e-server: invalid E2E_PORT ${process.env.E2E_PORT}`);
  process.exit(2);
}

const env = {
  ...process.env,
  NODE_ENV: "production",
  PORT: String(port),
  // E2E_DEMO=0: a real deployment's start, with no demo centre (the spec makes the first administrator).
  DEMO_DATA: process.env.E2E_DEMO === "0" ? "false" : "true",
  COOKIE_SECURE: "false",
  // The e2e files tap the kiosk faster than a person would; the kiosk's pace is tested in tests/integration.
  KIOSK_PACE_SECONDS: "0",
  LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? "warn",
};

const fresh = process.env.E2E_FRESH !== "0";
const cleanUp = process.env.E2E_CLEANUP !== "0";
const dataDir = path.join(os.tmpdir(), `motcua-e2e-${port}`);
if (fresh) rmSync(dataDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });
env.DATA_DIR = dataDir;
const removeDataDir = () => {
  try {
    rmSync(dataDir, { recursive: true, force: true });
  } catch (error) {
    console.error(`e2e-server: could not remove ${dataDir}:`, error instanceof Error ? error.message : error);
  }
};

/** Runs once, whatever ends the run; never throws. */
let cleanup = async () => (cleanUp ? removeDataDir() : undefined);

if (process.env.DATABASE_URL) {
  const adminUrl = process.env.DATABASE_URL;
  const database = `motcua_e2e_${port}`;
  const sql = postgres(adminUrl, { max: 1, connect_timeout: 10, onnotice: () => {} });
  try {
    if (fresh) {
      await sql.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await sql.unsafe(`CREATE DATABASE ${database}`);
    }
  } catch (error) {
    console.error(`e2e-server: could not create the database ${database}:`, error);
    await sql.end({ timeout: 5 }).catch(() => {});
    process.exit(1);
  }
  await sql.end({ timeout: 5 });
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  env.DATABASE_URL = url.toString();
  console.log(`e2e-server: fresh PostgreSQL database ${url.host}/${database}`);
  cleanup = async () => {
    if (!cleanUp) return;
    removeDataDir();
    const admin = postgres(adminUrl, { max: 1, connect_timeout: 5, onnotice: () => {} });
    try {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    } catch (error) {
      console.error(`e2e-server: could not drop ${database}:`, error instanceof Error ? error.message : error);
    } finally {
      await admin.end({ timeout: 5 }).catch(() => {});
    }
  };
} else {
  console.log(`e2e-server: fresh PGlite folder ${dataDir}`);
}

// E2E_FIRST_ADMIN=username:password: the first administrator, made as a deployment's operator would
// (npm run user:create) before the server starts.
if (process.env.E2E_FIRST_ADMIN) {
  const [username, ...rest] = process.env.E2E_FIRST_ADMIN.split(":");
  const made = spawnSync(
    process.execPath,
    ["--import", "tsx", "server/cli/create-user.ts", "--username", username, "--name", "Quản trị hệ thống", "--centre-code", "TINH", "--centre-name", "Trung tâm Phục vụ hành chính công tỉnh"],
    { env: { ...env, MOTCUA_PASSWORD: rest.join(":") }, stdio: "inherit" },
  );
  if (made.status !== 0) {
    console.error("e2e-server: could not create the first administrator");
    await cleanup();
    process.exit(1);
  }
}

// No `detached`: the server stays in our process group, so Playwright's kill reaches it too.
const child = spawn(process.execPath, ["dist/server/index.js"], { env, stdio: "inherit" });

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  });
}

child.on("error", async (error) => {
  console.error("e2e-server: could not start the server:", error);
  await cleanup();
  process.exit(1);
});

child.on("exit", async (code, signal) => {
  await cleanup();
  process.exit(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 1));
});
