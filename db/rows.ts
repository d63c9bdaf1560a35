/**
 * Raw statements whose rows are still typed: a data-modifying CTE (claim a ticket, bump the
 * centre's sequence and append the event in one round trip) returns `table.*`, which drizzle's
 * builder cannot express; `fromRow` maps such a row through the table's own column definitions.
 */
import { getTableColumns, type SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Queryable } from "./client";

export type Row = Record<string, unknown>;

/** The rows of a raw query, whichever driver ran it (postgres.js gives an array, PGlite `{ rows }`). */
export async function rowsOf(db: Queryable, query: SQL): Promise<Row[]> {
  const result = (await db.execute(query)) as unknown as Row[] | { rows: Row[] };
  return Array.isArray(result) ? result : result.rows;
}

/**
 * A row of `table` as the builder would have returned it: database names to property names,
 * each value through its column's own mapping (timestamps to Date, dates kept as text...).
 * `prefix` reads columns returned under another name (`t_id` for `id` with prefix "t_").
 */
export function fromRow<T extends PgTable>(table: T, raw: Row, prefix = ""): T["$inferSelect"] {
  const out: Row = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = raw[prefix + column.name];
    out[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return out as T["$inferSelect"];
}
