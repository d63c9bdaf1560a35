/**
 * Several nodes of the app on one PostgreSQL: how each node's Socket.IO reaches the sockets of
 * the others, and where the throttles every node must share live (docs/decisions/0031).
 *
 * - REDIS_URL set: Socket.IO's Redis Streams adapter, and the throttles in Redis.
 * - Otherwise, on PostgreSQL: Socket.IO's PostgreSQL adapter (LISTEN/NOTIFY over a `pg` pool of
 *   its own), and the throttles in the database.
 * - On the embedded PGlite (one process by design): no adapter, the throttles in the database.
 */
import { createAdapter as createPostgresAdapter } from "@socket.io/postgres-adapter";
import { createAdapter as createRedisStreamsAdapter } from "@socket.io/redis-streams-adapter";
import pg from "pg";
import type { Logger } from "pino";
import { createClient } from "redis";
import type { ServerOptions } from "socket.io";
import type { Database } from "../db/client";
import { databaseThrottles } from "./throttle/database";
import { redisThrottles } from "./throttle/redis";
import type { ThrottleStore } from "./throttle/store";

/** Which adapter a node uses (server/env.ts chooses it from DATABASE_URL and REDIS_URL). */
export type NodesConfig = { adapter: "postgres"; databaseUrl: string } | { adapter: "redis"; redisUrl: string; prefix: string };

/**
 * Whether this node's link to the others works, for /readyz (server/http/health.ts): Redis's
 * connection is ready; on PostgreSQL, no message to the other nodes failed lately (the adapter
 * sends a heartbeat every 5 s, so a broken link shows within seconds even when nothing happens).
 */
export type NodesHealth = { adapter: "postgres" | "redis"; linked: boolean; lastFailureAt: Date | null };

/** How long after a failed message the PostgreSQL link is reported broken (three heartbeats). */
export const LINK_FAILURE_WINDOW_MS = 15_000;

export type Nodes = {
  /** Socket.IO's adapter; none: this process is the only node. */
  adapter?: ServerOptions["adapter"];
  /** The link to the other nodes; null: this process is the only node. */
  health(): NodesHealth | null;
  throttles: ThrottleStore;
  /** For the start-up log: how broadcasts reach other nodes and where throttles are counted. */
  description: string;
  /** After Socket.IO is closed (it closes the adapter, which gives back its connections). */
  close(): Promise<void>;
};

export async function openNodes(config: NodesConfig | undefined, deps: { db: Database; logger: Logger }): Promise<Nodes> {
  if (!config) {
    const throttles = databaseThrottles(deps.db, deps);
    return { throttles, health: () => null, description: "one node: Socket.IO in memory, throttles in the database", close: () => throttles.close() };
  }
  if (config.adapter === "postgres") return postgresNodes(config.databaseUrl, deps);
  return redisNodes(config.redisUrl, config.prefix, deps);
}

function postgresNodes(databaseUrl: string, deps: { db: Database; logger: Logger }): Nodes {
  // Two connections: the adapter holds one for LISTEN; the other sends every NOTIFY of this node
  // one after another, so the other nodes receive this node's broadcasts in the order it sent them.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2, connectionTimeoutMillis: 2_000, application_name: "motcua socket.io" });
  // pg emits "error" on a connection that PostgreSQL ends (a restart); unheard, it would end the
  // process. The adapter sees the connection end and listens again on a new one (and, patched —
  // patches/@socket.io+postgres-adapter+0.5.0.patch —, gives the dead one back to the pool).
  let lastFailureAt: Date | null = null;
  const failed = () => void (lastFailureAt = new Date());
  pool.on("error", (err) => {
    failed();
    deps.logger.warn({ err }, "Socket.IO adapter: a PostgreSQL connection failed");
  });
  pool.on("connect", (client) => client.on("error", (err) => deps.logger.warn({ err }, "Socket.IO adapter: the PostgreSQL connection failed")));
  const adapter = createPostgresAdapter(pool, {
    // NOTIFY takes less than 8,000 bytes and 0.5.0 sends exactly 8,000 through it (fixed upstream, unreleased).
    payloadThreshold: 7_999,
    errorHandler: (err) => {
      failed();
      deps.logger.warn({ err }, "Socket.IO adapter: a message to the other nodes failed");
    },
  });
  const throttles = databaseThrottles(deps.db, deps);
  return {
    adapter,
    throttles,
    health: () => ({ adapter: "postgres", linked: lastFailureAt === null || Date.now() - lastFailureAt.getTime() > LINK_FAILURE_WINDOW_MS, lastFailureAt }),
    description: "Socket.IO over PostgreSQL (LISTEN/NOTIFY), throttles in the database",
    async close() {
      await throttles.close();
      await pool.end();
    },
  };
}

async function redisNodes(redisUrl: string, prefix: string, deps: { logger: Logger }): Promise<Nodes> {
  let connected = false;
  let failing = false;
  const client = createClient({
    url: redisUrl,
    socket: {
      connectTimeout: 2_000,
      // At start-up an unreachable Redis is an error to say at once; later, reconnect for ever.
      reconnectStrategy: (retries, cause) => (connected ? Math.min(100 * 2 ** retries, 2_000) : cause),
    },
  });
  let lastFailureAt: Date | null = null;
  client.on("error", (err) => {
    if (!connected) return;
    lastFailureAt = new Date();
    if (failing) return;
    failing = true;
    deps.logger.warn({ err }, "Redis connection lost; reconnecting");
  });
  client.on("ready", () => {
    if (failing) deps.logger.info("Redis connection back");
    failing = false;
  });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`Redis at REDIS_URL could not be reached (${(error as Error).message}). Start it, or unset REDIS_URL to use PostgreSQL alone.`, {
      cause: error,
    });
  }
  connected = true;
  // The throttles' own connection refuses a command at once while Redis is away (the try is then
  // refused with 503) rather than queueing it; the adapter's keeps queueing, so broadcasts resume.
  const throttleClient = client.duplicate({ disableOfflineQueue: true });
  throttleClient.on("error", () => {});
  await throttleClient.connect();
  const adapter = createRedisStreamsAdapter(client, {
    streamName: `${prefix}socket.io`,
    channelPrefix: `${prefix}socket.io`,
    sessionKeyPrefix: `${prefix}sio:session:`,
    onlyPlaintext: true,
  });
  const throttles = redisThrottles(throttleClient, { prefix });
  return {
    adapter,
    throttles,
    health: () => ({ adapter: "redis", linked: client.isReady, lastFailureAt }),
    description: `Socket.IO over Redis Streams (${prefix}socket.io), throttles in Redis`,
    async close() {
      await throttles.close();
      await client.close();
    },
  };
}
