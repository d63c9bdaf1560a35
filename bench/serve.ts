/**
 * The server under measurement, in a process of its own (bench/lib/server.ts forks it): what
 * server/index.ts starts — the environment read by server/env.ts, the database, createMotcuaServer
 * with the Socket.IO adapter of the environment — without the pages, the demo data or the
 * banner, on a port of the system's choosing. Run
 * with NODE_ENV=production and LOG_LEVEL=warn by the benchmarks.
 *
 * Over the IPC channel it says where it listens and with which settings, and runs a full
 * garbage collection when asked (node --expose-gc), so the memory read from /metrics is what
 * stays alive, not what waits to be collected.
 */
import { openDatabase } from "../db/client";
import { createMotcuaServer } from "../server/app";
import { loadEnv } from "../server/env";
import { createLogger } from "../server/logger";

type Command = { type: "gc" } | { type: "stop" };

const env = loadEnv();
const logger = createLogger({ level: env.LOG_LEVEL });
const database = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR });
await database.migrate();
const server = await createMotcuaServer({
  database,
  config: {
    cookieSecure: env.cookieSecure,
    publicUrl: env.publicUrl,
    demoData: false,
    sessionPolicy: env.sessionPolicy,
    kioskPaceMs: env.KIOSK_PACE_SECONDS * 1000,
    metricsToken: env.METRICS_TOKEN,
  },
  // As deployed: on PostgreSQL, Socket.IO's broadcasts go through its PostgreSQL adapter (one
  // NOTIFY each), or Redis with REDIS_URL — even with one node, as production runs it.
  nodes: env.nodes,
  logger,
});
const port = await server.listen(env.PORT, env.HOST);
process.send?.({ type: "listening", port, cookieSecure: env.cookieSecure, kioskPaceMs: env.KIOSK_PACE_SECONDS * 1000, driver: database.driver });

process.on("message", (command: Command) => {
  if (command.type === "gc") {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    process.send?.({ type: "gc", done: Boolean(gc) });
  } else if (command.type === "stop") {
    void (async () => {
      server.httpServer.closeIdleConnections();
      await server.close();
      await database.close();
      process.exit(0);
    })();
  }
});
// The benchmark went away without saying so: do not outlive it.
process.on("disconnect", () => process.exit(0));
