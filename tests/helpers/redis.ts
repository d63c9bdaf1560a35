import { randomBytes } from "node:crypto";
import { createClient } from "redis";

/** The Redis of tests (CI runs one; a developer's machine may not). */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** A key prefix of this run's own, so parallel runs never share a key, a stream or a channel. */
export const redisTestPrefix = (what: string) => `motcua-test:${what}:${process.pid}-${randomBytes(3).toString("hex")}:`;

/** A connected client, or null when Redis does not answer. */
export async function connectRedis(url = TEST_REDIS_URL) {
  const client = createClient({ url, socket: { connectTimeout: 1_000, reconnectStrategy: false } });
  client.on("error", () => {});
  try {
    await client.connect();
    return client;
  } catch {
    return null;
  }
}

/** Deletes every key under `prefix` (streams and buckets a test left). */
export async function deleteRedisKeys(client: NonNullable<Awaited<ReturnType<typeof connectRedis>>>, prefix: string) {
  const keys: string[] = [];
  for await (const batch of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 100 })) keys.push(...batch);
  if (keys.length > 0) await client.del(keys);
}
