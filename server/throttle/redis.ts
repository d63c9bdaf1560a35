/**
 * The throttles' buckets in Redis (when REDIS_URL is set): the same buckets as the database's
 * (server/throttle/database.ts), each key holding the instant in milliseconds its bucket is full
 * again, and expiring then. One Lua script reads and writes all the buckets of a try on Redis's
 * clock; Redis runs a script alone, so taking is atomic across nodes.
 */
import type { createClient } from "redis";
import { AppError } from "../errors";
import { bucketKey, distinct, type Bucket, type ThrottleStore } from "./store";

type RedisClient = ReturnType<typeof createClient>;

// KEYS: the buckets. ARGV: the mode ("take": from all or none, "spend": from each that can,
// "wait": none), then each bucket's capacity and refill step in ms. Answers the wait in ms.
const SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local mode = ARGV[1]
local wait = 0
local next = {}
for i, key in ipairs(KEYS) do
  local capacity = tonumber(ARGV[2 * i])
  local refill = tonumber(ARGV[2 * i + 1])
  local full = tonumber(redis.call('GET', key) or '0')
  local after = math.max(full, now) + refill
  local w = after - now - capacity * refill
  if w > 0 then
    if w > wait then wait = w end
  else
    next[i] = after
  end
end
if mode == 'wait' or (mode == 'take' and wait > 0) then return wait end
for i, key in ipairs(KEYS) do
  if next[i] then
    redis.call('SET', key, string.format('%.0f', next[i]), 'PX', string.format('%.0f', next[i] - now))
  end
end
if mode == 'spend' then return 0 end
return wait
`;

export function redisThrottles(client: RedisClient, options: { prefix: string }): ThrottleStore {
  const keyOf = (b: Bucket) => `${options.prefix}throttle:${bucketKey(b)}`;

  async function run(mode: "take" | "spend" | "wait", buckets: readonly Bucket[]): Promise<number> {
    const wanted = distinct(buckets);
    if (wanted.length === 0) return 0;
    try {
      const reply = await client.eval(SCRIPT, {
        keys: wanted.map(keyOf),
        arguments: [mode, ...wanted.flatMap(([limit]) => [String(limit.capacity), String(limit.refillMs)])],
      });
      return Number(reply);
    } catch (error) {
      // Redis unreachable: refuse the try (a throttle that cannot count must not let guesses through).
      throw new AppError("service_unavailable", {}, { cause: error });
    }
  }

  return {
    take: (buckets) => run("take", buckets),
    waitFor: (buckets) => run("wait", buckets),
    async spend(buckets) {
      await run("spend", buckets);
    },
    async reset(buckets) {
      if (buckets.length === 0) return;
      try {
        await client.del(buckets.map(keyOf));
      } catch (error) {
        throw new AppError("service_unavailable", {}, { cause: error });
      }
    },
    async close() {
      await client.close();
    },
  };
}
