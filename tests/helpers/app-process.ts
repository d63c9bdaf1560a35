/**
 * The app as a process of its own, for the fault tests (killed, stopped, started again) and the
 * tests of several nodes (tests/integration/nodes.test.ts): what
 * server/index.ts runs — the environment, the database of DATABASE_URL, server/app.ts with the
 * adapter to other nodes the environment chooses (server/nodes.ts) and its shutdown on SIGTERM
 * (server/shutdown.ts) — without the pages (Vite takes seconds to start and
 * is not what these tests are about) and without the demo data (the test seeds its database).
 * Bundled and forked by tests/helpers/app-child.ts; it says { type: "serving", port } once it listens.
 */
import { openDatabase } from "../../db/client";
import { createMotcuaServer } from "../../server/app";
import { loadEnv } from "../../server/env";
import { createLogger } from "../../server/logger";
import { stopOnSignals } from "../../server/shutdown";

const env = loadEnv();
if (!env.DATABASE_URL) throw new Error("app-process: DATABASE_URL is required");
const logger = createLogger({ level: env.LOG_LEVEL });
const database = await openDatabase({ url: env.DATABASE_URL });
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
    trustProxy: env.TRUST_PROXY,
  },
  logger,
  nodes: env.nodes,
  // A test of several nodes turns the periodic re-check of sockets off, so that a socket closed
  // for a change made on another node can only have been closed through the adapter.
  socketRecheckMs: process.env.TEST_SOCKET_RECHECK_MS ? Number(process.env.TEST_SOCKET_RECHECK_MS) : undefined,
});
const port = await server.listen(env.PORT, env.HOST);
stopOnSignals({ server, database, logger });
process.send?.({ type: "serving", port });
