import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { sql, type ExtractTablesWithRelations } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
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
  ping(): Promise<void>;
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
  /** Pool size for postgres.js. */
  max?: number;
  /** PGlite only: start from this dump of a data folder (tests copy a migrated template). */
  loadDataDir?: Blob;
};

export const defaultMigrationsFolder = path.resolve(process.cwd(), "db/migrations");

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  const migrationsFolder = options.migrationsFolder ?? defaultMigrationsFolder;
  if (options.url) {
    const client = postgres(options.url, {
      max: options.max ?? 10,
      // A database that does not answer is reported in time for a request's 2-second budget.
      connect_timeout: 2,
      // A connection that failed waits before it tries again, and the queries given to it wait
      // with it. postgres.js's default grows with every failure of the pool (up to 20 s), so
      // after a longer outage the app came back many seconds after the database; capped at
      // half a second, it is back within a probe or two (tests/integration/database-outage.test.ts).
      backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 0.5),
      onnotice: () => {},
    });
    const db = drizzlePostgres({ client, schema }) as unknown as Database;
    const url = new URL(options.url);
    return {
      db,
      driver: "postgres",
      location: `${url.hostname}:${url.port || 5432}${url.pathname}`,
      migrate: (folder = migrationsFolder) => migratePostgres(db as never, { migrationsFolder: folder }),
      ping: async () => {
        await client`select 1`;
      },
      close: once(() => client.end({ timeout: 5 })),
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
    ping: async () => {
      await client.query("select 1");
    },
    dumpDataDir: async () => (await client.dumpDataDir("none")) as Blob,
    close: once(async () => {
      await client.close();
      releaseLock();
    }),
  };
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
