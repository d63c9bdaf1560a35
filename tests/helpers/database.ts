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
    /** Leave it empty (no migration) instead of migrated. */ empty?: boolean;
    /** On this PostgreSQL server even on the PGlite run (a test that needs PostgreSQL itself). */ postgresUrl?: string;
  } = {},
): Promise<{ handle: DatabaseHandle; url: string | null; drop(): Promise<void> }> {
  const url = options.postgresUrl ?? process.env.DATABASE_URL;
  if (!url) {
    if (options.empty) {
      const handle = await openDatabase({});
      return { handle, url: null, drop: () => handle.close() };
    }
    const template = inject("pgliteTemplate");
    const handle = await openDatabase(template ? { loadDataDir: new Blob([readFileSync(template)]) } : {});
    await handle.migrate(); // a no-op on the migrated template
    return { handle, url: null, drop: () => handle.close() };
  }
  const name = `motcua_t_${process.pid}_${randomBytes(4).toString("hex")}`;
  await adminQuery(url, `CREATE DATABASE ${name}`);
  const testUrl = new URL(url);
  testUrl.pathname = `/${name}`;
  const handle = await openDatabase({ url: testUrl.toString(), max: options.max ?? 12 });
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

export const onPostgres = () => Boolean(process.env.DATABASE_URL);

/** The PostgreSQL server of DATABASE_URL, or the local one (CI and this machine run one), when it answers. */
export async function reachablePostgres(url = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres"): Promise<string | null> {
  const probe = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await probe`select 1`;
    return url;
  } catch {
    return null;
  } finally {
    await probe.end({ timeout: 1 });
  }
}
