/**
 * The shared token buckets (server/throttle/): the database's (PGlite, or PostgreSQL with
 * DATABASE_URL) and Redis's, held to the same behaviour — a burst of `capacity`, then one more per
 * refill step; a try over several buckets takes from all or from none; wrong tries spent; a reset;
 * and many takers at once never get more than the capacity. Time is moved on by rewriting the
 * stored instants, not by waiting.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { throttleBuckets } from "../../db/schema";
import { databaseThrottles } from "../../server/throttle/database";
import { redisThrottles } from "../../server/throttle/redis";
import type { Limit, ThrottleStore } from "../../server/throttle/store";
import { createTestDatabase, onPostgres } from "../helpers/database";
import { connectRedis, deleteRedisKeys, redisTestPrefix } from "../helpers/redis";

type Kit = { store: ThrottleStore; advance(ms: number): Promise<void> };

let drop: () => Promise<void>;
let database: Kit;
let redis: (Kit & { done(): Promise<void> }) | null = null;

beforeAll(async () => {
  const test = await createTestDatabase({ max: 25 });
  drop = test.drop;
  const db = test.handle.db;
  database = {
    store: databaseThrottles(db),
    advance: async (ms) => {
      await db.update(throttleBuckets).set({ fullAt: sql`${throttleBuckets.fullAt} - ${ms} * interval '1 millisecond'` });
    },
  };
  const client = await connectRedis();
  if (!client) {
    if (process.env.CI === "true") throw new Error("Redis is not reachable at 127.0.0.1:6379 (CI runs one)");
    return;
  }
  const prefix = redisTestPrefix("throttles");
  const storeClient = client.duplicate();
  storeClient.on("error", () => {});
  await storeClient.connect();
  redis = {
    store: redisThrottles(storeClient, { prefix }),
    advance: async (ms) => {
      for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 100 })) {
        for (const key of keys) {
          const full = Number(await client.get(key)) - ms;
          const left = full - Date.now();
          if (left > 0) await client.set(key, String(full), { PX: left });
          else await client.del(key);
        }
      }
    },
    done: async () => {
      await redis!.store.close();
      await deleteRedisKeys(client, prefix);
      await client.close();
    },
  };
}, 60_000);
afterAll(async () => {
  await database?.store.close();
  await redis?.done();
  await drop?.();
});

const limit = (name: string, capacity: number, refillMs = 60_000): Limit => ({ name, capacity, refillMs });

describe.each([
  { name: onPostgres() ? "PostgreSQL" : "PGlite", kit: () => database },
  { name: "Redis", kit: () => redis },
])("throttle buckets in $name", ({ kit }) => {
  const skip = () => kit() === null;

  it("gives the capacity, then refuses until a refill step has passed", async ({ skip: skipTest }) => {
    if (skip()) return skipTest("Redis is not running here");
    const { store, advance } = kit()!;
    const three = limit("burst", 3, 10_000);
    expect([await store.take([[three, "a"]]), await store.take([[three, "a"]]), await store.take([[three, "a"]])]).toEqual([0, 0, 0]);
    const wait = await store.take([[three, "a"]]);
    expect(wait).toBeGreaterThan(9_000);
    expect(wait).toBeLessThanOrEqual(10_000);
    expect(await store.waitFor([[three, "a"]])).toBeGreaterThan(9_000);
    // Another key of the same limit has its own bucket.
    expect(await store.take([[three, "b"]])).toBe(0);
    await advance(10_000);
    expect(await store.waitFor([[three, "a"]])).toBe(0);
    expect(await store.take([[three, "a"]])).toBe(0);
    expect(await store.take([[three, "a"]])).toBeGreaterThan(0);
    // Long enough for the whole burst again, and no more.
    await advance(60_000);
    const again = [];
    for (let i = 0; i < 4; i++) again.push(await store.take([[three, "a"]]));
    expect(again.map((w) => w === 0)).toEqual([true, true, true, false]);
  });

  it("takes from every bucket of a try or from none", async ({ skip: skipTest }) => {
    if (skip()) return skipTest("Redis is not running here");
    const { store } = kit()!;
    const narrow = limit("narrow", 1);
    const wide = limit("wide", 4);
    expect(await store.take([[narrow, "x"], [wide, "x"]])).toBe(0);
    // The narrow bucket is empty: the wide one is not charged for the refused tries.
    for (let i = 0; i < 5; i++) expect(await store.take([[narrow, "x"], [wide, "x"]])).toBeGreaterThan(0);
    const wideAlone = [];
    for (let i = 0; i < 4; i++) wideAlone.push(await store.take([[wide, "x"]]));
    expect(wideAlone.map((w) => w === 0)).toEqual([true, true, true, false]);
  });

  it("spends a wrong try from each bucket that has a token, and a reset fills a bucket again", async ({ skip: skipTest }) => {
    if (skip()) return skipTest("Redis is not running here");
    const { store } = kit()!;
    const perCode = limit("code", 2);
    const perAddress = limit("address", 5);
    for (let i = 0; i < 3; i++) await store.spend([[perCode, "C1"], [perAddress, "10.0.0.1"]]);
    expect(await store.waitFor([[perCode, "C1"]])).toBeGreaterThan(0);
    // The address lost three of five tokens (the third try found the code's bucket empty, not the address's).
    expect(await store.waitFor([[perAddress, "10.0.0.1"]])).toBe(0);
    expect([await store.take([[perAddress, "10.0.0.1"]]), await store.take([[perAddress, "10.0.0.1"]])]).toEqual([0, 0]);
    expect(await store.take([[perAddress, "10.0.0.1"]])).toBeGreaterThan(0);
    await store.reset([[perCode, "C1"]]);
    expect(await store.waitFor([[perCode, "C1"], [perAddress, "10.0.0.2"]])).toBe(0);
  });

  it("never gives more than the capacity to takers at once", async ({ skip: skipTest }) => {
    if (skip()) return skipTest("Redis is not running here");
    const { store } = kit()!;
    const five = limit("race", 5);
    const other = limit("race-other", 100);
    const waits = await Promise.all(Array.from({ length: 20 }, (_, i) => store.take([[five, "k"], [other, `k${i % 3}`]])));
    expect(waits.filter((w) => w === 0)).toHaveLength(5);
  });
});
