/**
 * Token buckets shared by every node of a deployment: the login throttle and the limits on
 * guessing a citizen's codes and tokens. A guess sent to another node must cost the same, so the
 * buckets live in the database (server/throttle/database.ts) or, when REDIS_URL is set, in Redis
 * (server/throttle/redis.ts); both keep a bucket as the instant it is full again and change it in
 * one atomic step (docs/decisions/0031).
 */

/** `capacity` tries at once, then one more every `refillMs`. `name` keeps limits apart in the store. */
export type Limit = { name: string; capacity: number; refillMs: number };

/** One limit applied to one key (an address, a username, a code). */
export type Bucket = readonly [limit: Limit, key: string];

export type ThrottleStore = {
  /** A token from every bucket, or from none when one is empty: 0 when taken, else the milliseconds until every bucket has one. */
  take(buckets: readonly Bucket[]): Promise<number>;
  /** The milliseconds until every bucket has a token (0: now), taking none. */
  waitFor(buckets: readonly Bucket[]): Promise<number>;
  /** A token from each bucket that has one: a wrong try counted against each. */
  spend(buckets: readonly Bucket[]): Promise<void>;
  /** The buckets full again (a right password after wrong ones). */
  reset(buckets: readonly Bucket[]): Promise<void>;
  close(): Promise<void>;
};

/** The store's key of a bucket. */
export const bucketKey = ([limit, key]: Bucket) => `${limit.name}:${key}`;

/** Each bucket once, in key order (so two statements lock their rows in the same order). */
export function distinct(buckets: readonly Bucket[]): Bucket[] {
  const byKey = new Map(buckets.map((b) => [bucketKey(b), b] as const));
  return [...byKey.keys()].sort().map((k) => byKey.get(k)!);
}

/** A wait as the whole seconds a refusal tells (at least one). */
export const retrySeconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
