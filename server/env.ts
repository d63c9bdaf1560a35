import { z } from "zod";
import type { NodesConfig } from "./nodes";
import { trustProxy } from "./proxy";

/** The one reader of process.env. */
const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  /** postgres://…; when unset the embedded PGlite in DATA_DIR is used. */
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default("./data"),
  /** redis://…; when set, Socket.IO reaches the other nodes through Redis Streams and the throttles live there (server/nodes.ts). */
  REDIS_URL: z.string().url().optional(),
  /** Prefix of every Redis key and channel of this deployment (several may share one Redis). */
  REDIS_PREFIX: z.string().regex(/^[\w:.-]{1,40}$/, "REDIS_PREFIX: letters, digits and _ : . - (at most 40)").default("motcua:"),
  /** Proxies trusted to forward the client's address: `loopback`, or addresses and subnets, comma-separated (server/proxy.ts). */
  TRUST_PROXY: z.string().default("loopback"),
  /** PostgreSQL connections of the pool; as many requests do database work at once (decision 0032). */
  DB_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
  /** Milliseconds a request waits for a place on the pool before it is answered 503 database_busy. */
  DB_POOL_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(2_000),
  /** Load the demo centre into an empty database. Default: on for the embedded database. */
  DEMO_DATA: z.enum(["true", "false"]).optional(),
  /** The address people reach the app at, for printed links (default http://localhost:PORT). */
  PUBLIC_URL: z.string().url().optional(),
  /** Send cookies with Secure; default on in production. */
  COOKIE_SECURE: z.enum(["true", "false"]).optional(),
  /** Minutes without activity after which a staff session ends. */
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(5).max(24 * 60).default(30),
  /** Hours after sign-in at which a staff session ends, however busy. */
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(72).default(12),
  /** Seconds a kiosk waits between two tickets (a burst of taps gives one ticket). */
  KIOSK_PACE_SECONDS: z.coerce.number().int().min(0).max(60).default(3),
  /** A secret that lets Prometheus scrape /metrics from another machine (Authorization: Bearer …). */
  METRICS_TOKEN: z.string().min(16, "METRICS_TOKEN must be at least 16 characters").optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Env = z.infer<typeof schema> & {
  demoData: boolean;
  cookieSecure: boolean;
  publicUrl: string;
  sessionPolicy: { idleMs: number; absoluteMs: number };
  /** How this node reaches the others; none on the embedded database, which is one process. */
  nodes: NodesConfig | undefined;
};

export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== "")));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid environment:\n${problems}`);
  }
  const env = parsed.data;
  try {
    trustProxy(env.TRUST_PROXY);
  } catch (error) {
    throw new Error(`Invalid environment:\n  TRUST_PROXY: ${(error as Error).message} (loopback, or addresses and subnets such as 10.0.0.5, 10.0.0.0/24)`, {
      cause: error,
    });
  }
  if (env.REDIS_URL && !env.DATABASE_URL) {
    throw new Error(
      "Invalid environment:\n  REDIS_URL: several nodes need PostgreSQL (DATABASE_URL). The embedded database (PGlite) " +
        "serves one process only, with no adapter; unset REDIS_URL, or set DATABASE_URL (docs/deployment.md).",
    );
  }
  return {
    ...env,
    demoData: env.DEMO_DATA ? env.DEMO_DATA === "true" : !env.DATABASE_URL,
    cookieSecure: env.COOKIE_SECURE ? env.COOKIE_SECURE === "true" : env.NODE_ENV === "production",
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ""),
    sessionPolicy: { idleMs: env.SESSION_IDLE_MINUTES * 60_000, absoluteMs: env.SESSION_MAX_HOURS * 3_600_000 },
    nodes: env.REDIS_URL
      ? { adapter: "redis", redisUrl: env.REDIS_URL, prefix: env.REDIS_PREFIX }
      : env.DATABASE_URL
        ? { adapter: "postgres", databaseUrl: env.DATABASE_URL }
        : undefined,
  };
}
