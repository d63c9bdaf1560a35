import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { inject } from "vitest";
import postgres from "postgres";
import { openDatabase, type DatabaseHandle } from "../../db/client";

/**
 * A fresh, migrated database for one test file: a new database on the PostgreSQL server of
 * DATABASE_URL when it is set, otherwise an in-memory PGlite. Never a mock.
 */
export async function createTestDatabase(
  options: {
    max?: number;
    /** The pool's admission wait and refusal (db/admission.ts); by default no limit. */
    waitMs?: number;
    busyError?: () => Error;
    /** Leave it empty (no migration) instead of migrated. */
    empty?: boolean;
    /** On PostgreSQL even in the PGlite run (LOCAL_POSTGRES then): for tests that run the app as a process of its own. */
    postgres?: boolean;
  } = {},
): Promise<{ handle: DatabaseHandle; drop(): Promise<void>; /** PostgreSQL only: the new database's URL. */ url?: string }> {
  const url = process.env.DATABASE_URL ?? (options.postgres ? LOCAL_POSTGRES : undefined);
  if (!url) {
    if (options.empty) {
      const handle = await openDatabase({});
      return { handle, drop: () => handle.close() };
    }
    const template = inject("pgliteTemplate");
    const handle = await openDatabase(template ? { loadDataDir: new Blob([readFileSync(template)]) } : {});
    await handle.migrate(); // a no-op on the migrated template
    return { handle, drop: () => handle.close() };
  }
  const name = `motcua_t_${process.pid}_${randomBytes(4).toString("hex")}`;
  await adminQuery(url, `CREATE DATABASE ${name}`);
  const testUrl = new URL(url);
  testUrl.pathname = `/${name}`;
  const handle = await openDatabase({ url: testUrl.toString(), max: options.max ?? 12, waitMs: options.waitMs, busyError: options.busyError });
  if (!options.empty) await handle.migrate();
  return {
    handle,
    url: testUrl.toString(),
    async drop() {
      await handle.close();
      await adminQuery(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

async function adminQuery(url: string, statement: string) {
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(statement);
  } finally {
    await admin.end();
  }
}

/** The PostgreSQL server of the tests that need one in the PGlite run too (CI starts it). */
export const LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres";

export const onPostgres = () => Boolean(process.env.DATABASE_URL);
