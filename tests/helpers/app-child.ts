/**
 * The app as a child process for the fault tests (tests/helpers/app-process.ts), over a fresh
 * PostgreSQL database that the test process also reads, with a centre made for the test:
 * one field served by `counters` counters, an officer per counter, a receptionist, a kiosk and
 * a waiting-room TV. Clients talk to the child over HTTP and Socket.IO as real ones do.
 */
import { fork, type ChildProcess } from "node:child_process";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { build } from "esbuild";
import postgres from "postgres";
import { io, type Socket } from "socket.io-client";
import { counterFields, counters, fields, users, type Counter, type Field } from "../../db/schema";
import { SYSTEM_ACTOR } from "../../server/auth/permissions";
import { hashPassword } from "../../server/auth/password";
import { seedDemo } from "../../server/demo/seed";
import { createDevice, pairDevice } from "../../server/devices/service";
import type { ClientToServerEvents, ServerToClientEvents } from "../../server/realtime/events";
import { recordingPublisher } from "./actors";
import { createTestDatabase } from "./database";
import { DEMO_PASSWORD_FOR_TESTS } from "./server";

let bundled: Promise<string> | null = null;

/**
 * The entry bundled once per test process (as `npm run build` bundles server/index.ts): Node
 * then loads plain JavaScript, a second or more sooner at every start than through tsx. Kept in
 * node_modules/.cache (its imports resolve to node_modules; git and ESLint leave it alone),
 * written under a name of its own and renamed, so two test files building at once never meet.
 */
function bundledEntry(): Promise<string> {
  bundled ??= (async () => {
    const folder = path.resolve("node_modules/.cache/motcua-tests");
    const outfile = path.join(folder, "app-process.mjs");
    const result = await build({
      entryPoints: [path.resolve("tests/helpers/app-process.ts")],
      outfile,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      packages: "external",
      logLevel: "warning",
      write: false,
    });
    mkdirSync(folder, { recursive: true });
    const partial = `${outfile}.${process.pid}`;
    writeFileSync(partial, result.outputFiles[0]!.contents);
    renameSync(partial, outfile);
    return outfile;
  })();
  return bundled;
}

export type AppChild = {
  child: ChildProcess;
  port: number;
  /** Settles when the process ends: its exit code, or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** What it wrote on stdout and stderr (its log), to show when a test fails. */
  output(): string;
};

/** Starts the app on `databaseUrl`; resolves once it listens (on `port`, or a port of its choosing). */
export async function startAppProcess(databaseUrl: string, port = 0, env: Record<string, string> = {}): Promise<AppChild> {
  const child = fork(await bundledEntry(), [], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: "127.0.0.1",
      COOKIE_SECURE: "false",
      KIOSK_PACE_SECONDS: "0",
      LOG_LEVEL: "warn",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  let log = "";
  child.stdout!.on("data", (chunk: Buffer) => (log += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const listening = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the app did not start within 30 s:\n${log}`)), 30_000);
    child.on("message", (message: { type?: string; port?: number }) => {
      if (message?.type !== "serving") return;
      clearTimeout(timer);
      resolve(message.port!);
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the app ended before serving (${signal ?? code}):\n${log}`));
    });
  });
  return { child, port: listening, exited, output: () => log };
}

export type Reply = { status: number; body: any; headers?: Headers; error?: string };

/** A client of a base URL that never throws: a request the server never answered is status 0 with the reason. */
export function httpClient(baseUrl: () => string) {
  return async function request(method: string, urlPath: string, options: { cookie?: string; body?: unknown } = {}): Promise<Reply> {
    try {
      const response = await fetch(baseUrl() + urlPath, {
        method,
        headers: {
          ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
          ...(options.cookie ? { cookie: options.cookie } : {}),
        },
        body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
        redirect: "manual",
        // A hang guard only: a request the process never answers fails the test instead of stalling it.
        signal: AbortSignal.timeout(15_000),
      });
      const text = await response.text();
      let body: any = text;
      try {
        body = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      return { status: response.status, body, headers: response.headers };
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      return { status: 0, body: null, error: cause?.code ?? cause?.message ?? String(error) };
    }
  };
}

/** A TV's socket: reconnects by itself as the browser's does (1 s to 5 s), over WebSocket. */
export function displaySocket(baseUrl: string, cookie: string): Socket<ServerToClientEvents, ClientToServerEvents> {
  return io(baseUrl, {
    transports: ["websocket"],
    extraHeaders: { cookie },
    reconnectionDelay: 200,
    reconnectionDelayMax: 1_000,
    forceNew: true,
  });
}

export type FaultDesk = { counter: Counter; username: string };

/**
 * A fresh PostgreSQL database (even in the PGlite run) with the demo centre, a field of the
 * test's own served by `counters` new counters (an officer each, not yet signed in), a kiosk and
 * a TV paired (their cookies), and the demo receptionist `canbo02`.
 */
export async function faultWorld(options: { counters: number }) {
  const database = await createTestDatabase({ postgres: true, max: 4 });
  const db = database.handle.db;
  const { centreId } = await seedDemo(db, { password: DEMO_PASSWORD_FOR_TESTS });
  const [field] = await db.insert(fields).values({ centreId, code: "TSC", name: "Lĩnh vực thử sự cố", prefix: "S", sortOrder: 99 }).returning();
  const passwordHash = await hashPassword(DEMO_PASSWORD_FOR_TESTS);
  const desks: FaultDesk[] = [];
  for (let i = 0; i < options.counters; i++) {
    const [counter] = await db.insert(counters).values({ centreId, number: 200 + i, name: `Quầy ${200 + i}` }).returning();
    await db.insert(counterFields).values({ counterId: counter!.id, fieldId: field!.id });
    const username = `canbosuco${i}`;
    await db.insert(users).values({ centreId, username, fullName: `Cán bộ sự cố ${i}`, role: "officer", passwordHash });
    desks.push({ counter: counter!, username });
  }
  const deps = { db, events: recordingPublisher([]) };
  const paired = async (kind: "kiosk" | "display") => {
    const { pairingCode } = await createDevice(deps, SYSTEM_ACTOR, { centreId, kind, name: `Thiết bị sự cố ${kind}` });
    return `motcua_device=${(await pairDevice(deps, pairingCode)).token}`;
  };
  return {
    url: database.url!,
    db,
    centreId,
    field: field! as Field,
    desks,
    kioskCookie: await paired("kiosk"),
    displayCookie: await paired("display"),
    receptionist: "canbo02",
    drop: database.drop,
  };
}

/** Signs `username` in over HTTP: the session cookie. */
export async function logIn(request: ReturnType<typeof httpClient>, username: string): Promise<string> {
  const res = await request("POST", "/api/v1/auth/login", { body: { username, password: DEMO_PASSWORD_FOR_TESTS } });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${res.error ?? JSON.stringify(res.body)}`);
  return res.headers!.get("set-cookie")!.split(";")[0]!;
}

/** A free port of 127.0.0.1, for a process started again on the same address. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Polls `check` every 50 ms until it holds; fails after `ms` (a hang guard, not a speed check). */
export async function until(what: string | (() => string), ms: number, check: () => Promise<boolean> | boolean) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${typeof what === "string" ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Row locks held by a transaction of the test's own: the app's requests that need these counters
 * or this field (a call, a finish, an issue) wait in PostgreSQL, inside their transaction, until
 * `release()` commits it. `waiting()` counts the sessions of the database waiting for a lock.
 */
export async function holdRows(url: string, rows: { counterIds: number[]; fieldId: number }) {
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const holding = new Promise<void>((resolve) => (locked = resolve));
  const transaction = sql.begin(async (tx) => {
    await tx`select id from counters where id in ${tx(rows.counterIds)} order by id for update`;
    await tx`select id from fields where id = ${rows.fieldId} for update`;
    locked();
    await released;
  });
  transaction.catch(() => {}); // awaited by release(); a failed test must not leave it unhandled
  await Promise.race([holding, transaction]);
  return {
    async waiting() {
      const [row] = await sql<Array<{ n: number }>>`
        select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`;
      return row!.n;
    },
    async release() {
      release();
      await transaction;
      await sql.end();
    },
  };
}
