import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { sql, type ExtractTablesWithRelations } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres, { type Sql } from "postgres";
import { createAdmission, type Admission } from "./admission";
import * as schema from "./schema";

export type Schema = typeof schema;
/** The one database type the domain services see, whichever driver is behind it. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Anything that can run a query: the database or an open transaction. */
export type Queryable = Database | Transaction;

export type DatabaseHandle = {
  db: Database;
  driver: "postgres" | "pglite";
  /** Where the data lives, for logs: a host/database or a folder. */
  location: string;
  /** Applies the pending migrations (of `folder`, by default the project's). */
  migrate(folder?: string): Promise<void>;
  /** Asks the database for `select 1` on a connection of its own, never the requests' pool (decision 0032). */
  ping(): Promise<void>;
  /** The admission gate in front of the pool: bounded waits, and what /metrics and /readyz report. */
  pool: Admission;
  /**
   * Runs `select 1` once on each pooled connection; resolves to how many failed. After an
   * outage, connections the restart cut fail here (and are replaced) rather than in a request.
   */
  touchPool(): Promise<number>;
  close(): Promise<void>;
  /** PGlite only: the data folder as a tarball (to copy a migrated template). */
  dumpDataDir?: () => Promise<Blob>;
};

export type DatabaseOptions = {
  /** postgres:// URL; when absent the embedded PGlite is used. */
  url?: string;
  /** PGlite data folder; `memory://` (or undefined) keeps it in memory. */
  dataDir?: string;
  migrationsFolder?: string;
  /** Pool size for postgres.js (default 10); as many requests may do database work at once. */
  max?: number;
  /** The longest wait for a place on the pool before the work is refused (default: no limit). */
  waitMs?: number;
  /** What a refused wait throws (default `DatabaseBusyError`). */
  busyError?: () => Error;
  /** PGlite only: start from this dump of a data folder (tests copy a migrated template). */
  loadDataDir?: Blob;
};

export const defaultMigrationsFolder = path.resolve(process.cwd(), "db/migrations");

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  const migrationsFolder = options.migrationsFolder ?? defaultMigrationsFolder;
  const waitMs = options.waitMs ?? Number.POSITIVE_INFINITY;
  if (options.url) {
    const max = options.max ?? 10;
    const client = postgres(options.url, {
      max,
      // A database that does not answer is reported in time for a request's 2-second budget.
      connect_timeout: 2,
      // A connection that failed waits before it tries again, and the queries given to it wait
      // with it. postgres.js's default grows with every failure of the pool (up to 20 s), so
      // after a longer outage the app came back many seconds after the database; capped at
      // half a second, it is back within a probe or two (tests/integration/database-outage.test.ts).
      backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 0.5),
      onnotice: () => {},
    });
    // The health checks' own connection: a pool busy with requests is not a database down.
    const pinger = postgres(options.url, { max: 1, connect_timeout: 2, onnotice: () => {} });
    const pool = createAdmission({ permits: max, max, waitMs, busyError: options.busyError });
    const db = drizzlePostgres({ client: admitted(client, pool), schema }) as unknown as Database;
    const url = new URL(options.url);
    return {
      db,
      driver: "postgres",
      location: `${url.hostname}:${url.port || 5432}${url.pathname}`,
      migrate: (folder = migrationsFolder) => migrateAlone(options.url!, folder),
      ping: async () => {
        await pinger`select 1`;
      },
      pool,
      // As many at once as the pool has connections: each takes one of its own.
      touchPool: async () =>
        (await Promise.allSettled(Array.from({ length: max }, () => client`select 1`))).filter((r) => r.status === "rejected").length,
      close: once(async () => {
        await Promise.all([client.end({ timeout: 5 }), pinger.end({ timeout: 1 })]);
      }),
    };
  }

  const dataDir = options.dataDir && options.dataDir !== "memory://" ? path.resolve(options.dataDir) : undefined;
  const releaseLock = dataDir ? lockDataDir(dataDir) : () => {};
  let client: PGlite;
  try {
    client = new PGlite(dataDir, options.loadDataDir ? { loadDataDir: options.loadDataDir } : {});
    await client.waitReady;
  } catch (error) {
    releaseLock();
    throw error;
  }
  const db = drizzlePglite({ client, schema }) as unknown as Database;
  return {
    db,
    driver: "pglite",
    location: dataDir ?? "memory",
    migrate: (folder = migrationsFolder) => migratePglite(db as never, { migrationsFolder: folder }),
    // One connection in the process: its queries take turns inside PGlite, so nothing waits at the gate.
    ping: async () => {
      await client.query("select 1");
    },
    pool: createAdmission({ permits: Number.POSITIVE_INFINITY, max: 1, waitMs }),
    touchPool: async () => 0,
    dumpDataDir: async () => (await client.dumpDataDir("none")) as Blob,
    close: once(async () => {
      await client.close();
      releaseLock();
    }),
  };
}

/**
 * Applies the pending migrations while holding a lock no other node can take: nodes started
 * together (a deployment, several instances on one database) would otherwise both find a
 * migration pending and both run it — the second fails ("already exists") and that node does not
 * start. The session advisory lock lives on a connection of its own (max 1: the migrator's
 * transaction runs on it too) and goes with it; the next node finds nothing left to do.
 */
async function migrateAlone(url: string, folder: string) {
  const session = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await session`select pg_advisory_lock(hashtext('motcua:migrate'))`;
    await migratePostgres(drizzlePostgres({ client: session }), { migrationsFolder: folder });
  } finally {
    await session.end({ timeout: 5 });
  }
}

/**
 * The postgres.js client as drizzle sees it, with every top-level query and transaction going
 * through the admission gate first. Drizzle calls `unsafe(…)` (awaited, or `.values()` then
 * awaited) and `begin(…)`; a postgres.js query is lazy (sent when awaited), so nothing reaches
 * the pool before the gate admits it. Queries inside a transaction use the transaction's own
 * connection, not this object.
 */
function admitted(client: Sql, pool: Admission): Sql {
  const unsafe = (query: string, params?: unknown[], options?: object) => {
    let values = false;
    let result: Promise<unknown> | undefined;
    const deferred = {
      values() {
        values = true;
        return deferred;
      },
      then<A, B>(onFulfilled?: (value: unknown) => A | PromiseLike<A>, onRejected?: (reason: unknown) => B | PromiseLike<B>) {
        result ??= pool.run(async () => {
          const q = client.unsafe(query, params as never, options);
          return values ? await q.values() : await q;
        });
        return result.then(onFulfilled, onRejected);
      },
    };
    return deferred;
  };
  const begin = (...args: unknown[]) => pool.run(() => (client.begin as (...a: unknown[]) => Promise<unknown>)(...args));
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === "unsafe") return unsafe;
      if (property === "begin") return begin;
      return Reflect.get(target, property, receiver);
    },
  });
}

/**
 * PGlite is a single-process database: two processes on one folder corrupt it.
 * A pid file in the folder refuses a second process while the first is alive.
 */
function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lockFile = path.join(dataDir, "motcua.pid");
  for (let attempt = 0; ; attempt++) {
    try {
      // "wx": created only if absent, so two processes starting together cannot both win.
      const fd = openSync(lockFile, "wx");
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) throw error;
      const pid = Number(readFileSync(lockFile, "utf8").trim());
      if (pid && isAlive(pid)) {
        throw new Error(
          `The embedded database in ${dataDir} is in use by process ${pid}. Stop it, or set DATA_DIR to another folder.`,
          { cause: error },
        );
      }
      rmSync(lockFile, { force: true }); // left by a process that died
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** True when a database has no users yet (fresh install). */
export async function isEmpty(db: Database): Promise<boolean> {
  const rows = await db.select({ n: sql<number>`count(*)::int` }).from(schema.users);
  return (rows[0]?.n ?? 0) === 0;
}

const CONNECTION_CODES = new Set([
  // postgres.js
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  // the network
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  // PostgreSQL: the server is shutting down, crashed or still starting (class 57P), or the connection failed (class 08)
  "57P01",
  "57P02",
  "57P03",
]);

/**
 * Whether an error says the database cannot be reached (rather than that a query was wrong):
 * the driver's connection errors, the network's, and PostgreSQL's shutdown and connection
 * classes, looked for through drizzle's wrapping (`cause`).
 */
export function isConnectionFailure(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (CONNECTION_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  }
  return false;
}

/** Closing twice (a test that closed the database, then its teardown) is harmless. */
function once(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => (closing ??= close());
}
