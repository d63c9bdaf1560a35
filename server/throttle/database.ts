/**
 * The throttles' buckets in the database (table throttle_buckets), for PGlite and PostgreSQL alike.
 * A bucket is the instant it is full again (`full_at`): a token can be taken when that instant,
 * moved on by one refill step, is at most `capacity` steps ahead of now. Taking is one UPSERT whose
 * condition and new value are computed by the database, on its clock, under the row's lock, so
 * two nodes taking at once cannot both get the last token.
 */
import { inArray, lte, sql } from "drizzle-orm";
import type { Logger } from "pino";
import type { Database } from "../../db/client";
import { throttleBuckets } from "../../db/schema";
import { bucketKey, distinct, type Bucket, type ThrottleStore } from "./store";

/** How often buckets already full again are deleted (each node does it; deleting twice is harmless). */
const PRUNE_EVERY_MS = 5 * 60_000;

const step = sql`excluded.refill_ms * interval '1 millisecond'`;
const nextFull = sql`greatest(${throttleBuckets.fullAt}, now()) + ${step}`;

export function databaseThrottles(db: Database, options: { logger?: Logger } = {}): ThrottleStore {
  /** Takes a token from each bucket that has one; answers the keys that gave one. */
  async function takeEach(buckets: Bucket[]): Promise<Set<string>> {
    if (buckets.length === 0) return new Set();
    const taken = await db
      .insert(throttleBuckets)
      .values(
        buckets.map(([limit, key]) => ({
          key: bucketKey([limit, key]),
          capacity: limit.capacity,
          refillMs: limit.refillMs,
          fullAt: sql`now() + ${limit.refillMs} * interval '1 millisecond'`,
        })),
      )
      .onConflictDoUpdate({
        target: throttleBuckets.key,
        set: { capacity: sql`excluded.capacity`, refillMs: sql`excluded.refill_ms`, fullAt: nextFull },
        setWhere: sql`${nextFull} <= now() + excluded.capacity * ${step}`,
      })
      .returning({ key: throttleBuckets.key });
    return new Set(taken.map((row) => row.key));
  }

  async function waitFor(buckets: readonly Bucket[]): Promise<number> {
    if (buckets.length === 0) return 0;
    const [row] = await db
      .select({
        ms: sql<number | string | null>`max(extract(epoch from ${throttleBuckets.fullAt} - now()) * 1000 - (${throttleBuckets.capacity} - 1) * ${throttleBuckets.refillMs}::float8)`,
      })
      .from(throttleBuckets)
      .where(inArray(throttleBuckets.key, buckets.map(bucketKey)));
    return Math.max(0, Math.ceil(Number(row?.ms ?? 0)));
  }

  const prune = setInterval(() => {
    void db
      .delete(throttleBuckets)
      .where(lte(throttleBuckets.fullAt, sql`now()`))
      .catch((err: unknown) => options.logger?.debug({ err }, "could not delete full throttle buckets"));
  }, PRUNE_EVERY_MS);
  prune.unref();

  return {
    async take(buckets) {
      const wanted = distinct(buckets);
      const taken = await takeEach(wanted);
      if (taken.size === wanted.length) return 0;
      // One bucket was empty: the tokens taken from the others go back, so a refused try costs nothing.
      if (taken.size > 0) {
        await db
          .update(throttleBuckets)
          .set({ fullAt: sql`${throttleBuckets.fullAt} - ${throttleBuckets.refillMs} * interval '1 millisecond'` })
          .where(inArray(throttleBuckets.key, [...taken]));
      }
      return Math.max(1, await waitFor(wanted.filter((b) => !taken.has(bucketKey(b)))));
    },
    waitFor,
    async spend(buckets) {
      await takeEach(distinct(buckets));
    },
    async reset(buckets) {
      if (buckets.length > 0) await db.delete(throttleBuckets).where(inArray(throttleBuckets.key, buckets.map(bucketKey)));
    },
    async close() {
      clearInterval(prune);
    },
  };
}
