/**
 * Statements built once. Drizzle builds a query's SQL text from its builder on every run — on
 * the call path that was a sixth of the server's CPU (bench/README.md). A hot statement is
 * written once with `sql.placeholder(name)` for what varies, prepared by drizzle the first time
 * a database runs it, and then only executed with the values (decision 0005).
 *
 *   const byId = preparedOn((db) => db.select().from(t).where(eq(t.id, sql.placeholder("id"))).prepare("t_by_id"));
 *   const [row] = await byId(db).execute({ id });
 *
 * A prepared query is bound to the session it was prepared on: given a transaction, the statement
 * is built for that transaction (once, however often it runs in it), as it was before.
 */
import { sql, type Placeholder, type SQL } from "drizzle-orm";
import type { PgDialect, PgSession } from "drizzle-orm/pg-core";
import type { Queryable } from "./client";
import type { Row } from "./rows";

export function preparedOn<Q>(prepare: (db: Queryable) => Q): (db: Queryable) => Q {
  const built = new WeakMap<Queryable, Q>();
  return (db) => {
    let query = built.get(db);
    if (query === undefined) {
      query = prepare(db);
      built.set(db, query);
    }
    return query;
  };
}

/**
 * A raw statement (`sql`…``, with placeholders) prepared the way `db.execute` runs one, for
 * statements drizzle's builders cannot express (a data-modifying CTE). Its rows come back as
 * the database names them, whichever driver (see db/rows.ts).
 */
export function prepareRaw(db: Queryable, query: SQL): { execute(values: Record<string, unknown>): Promise<Row[]> } {
  // The same two internals `db.execute` uses (drizzle-orm/pg-core/db.js): they are not in its typings.
  const { session, dialect } = db as unknown as { session: PgSession; dialect: PgDialect };
  const prepared = session.prepareQuery(dialect.sqlToQuery(query), undefined, undefined, false);
  return {
    async execute(values) {
      const result = (await prepared.execute(values)) as unknown as Row[] | { rows: Row[] };
      return Array.isArray(result) ? result : result.rows;
    },
  };
}

/** Placeholders by name, for a statement built once: `const p = placeholders("id", "day")`, then `p.id`. */
export function placeholders<const N extends string>(...names: N[]): { [K in N]: Placeholder<K> } {
  return Object.fromEntries(names.map((name) => [name, sql.placeholder(name)])) as { [K in N]: Placeholder<K> };
}

/**
 * A LIMIT written into a statement built once, where drizzle would bind it as a parameter
 * (`limit $2`). A plan made once for every run (PostgreSQL's generic plan, tried after five
 * runs) then knows it takes one row; with the limit unknown it looks dearer than a plan made
 * for the values, and the statement is planned again at every run (decision 0005).
 */
export function fixedLimit(rows: number): number {
  if (!Number.isSafeInteger(rows) || rows < 0) throw new Error(`fixedLimit: ${rows} is not a row count`);
  // drizzle writes a LIMIT given as SQL into the statement as it is (pg-core dialect buildLimit).
  return sql.raw(String(rows)) as unknown as number;
}
