/**
 * A throwaway PostgreSQL database for one benchmark: created (dropped first if a crashed run
 * left it), migrated with the product's migrations, dropped at the end unless BENCH_KEEP=1.
 */
import postgres from "postgres";
import { openDatabase, type DatabaseHandle } from "../../db/client";

export const ADMIN_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const KEEP = Boolean(process.env.BENCH_KEEP);

export type BenchDatabase = {
  name: string;
  url: string;
  /** The product's handle (drizzle), used for the migration only. */
  handle: DatabaseHandle;
  /** Plain postgres.js for the bench's own bulk writes and checks. */
  sql: postgres.Sql;
  serverVersion: string;
  drop(): Promise<void>;
};

export async function throwawayDatabase(name: string): Promise<BenchDatabase> {
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const target = new URL(ADMIN_URL);
  target.pathname = `/${name}`;
  const url = target.toString();
  const handle = await openDatabase({ url, max: 2 });
  await handle.migrate();
  const sql = postgres(url, { max: 4, onnotice: () => {} });
  const [{ server_version }] = (await sql`show server_version`) as unknown as [{ server_version: string }];
  return {
    name,
    url,
    handle,
    sql,
    serverVersion: server_version,
    async drop() {
      await sql.end({ timeout: 5 });
      await handle.close();
      if (KEEP) console.log(`BENCH_KEEP: the database ${name} is left in place`);
      else await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
