/**
 * One node of the app in a process of its own, for the tests of several nodes
 * (tests/integration/nodes.test.ts): the API and Socket.IO over DATABASE_URL (migrated and seeded
 * by the test), with the adapter server/env.ts chooses — PostgreSQL's, or Redis's when REDIS_URL is
 * set. Prints `{"port":…}` as its first line once it listens; SIGTERM closes it. Logs go to stderr.
 */
import pino from "pino";
import { openDatabase } from "../../db/client";
import { createMotcuaServer } from "../../server/app";
import { loadEnv } from "../../server/env";

const env = loadEnv();
const logger = pino({ level: env.LOG_LEVEL }, pino.destination(2));
const database = await openDatabase({ url: env.DATABASE_URL, max: 12 });
const server = await createMotcuaServer({
  database,
  config: { cookieSecure: false, publicUrl: "", demoData: false, sessionPolicy: env.sessionPolicy, kioskPaceMs: 0 },
  logger,
  nodes: env.nodes,
  dayEndEveryMs: 0,
  lettersEveryMs: 0,
  // No periodic re-check of sockets: a socket closed on this node for a change made on another
  // was closed through the adapter.
  socketRecheckMs: 3_600_000,
});
const port = await server.listen(0, "127.0.0.1");
process.stdout.write(`${JSON.stringify({ port })}\n`);

process.on("SIGTERM", () => {
  void server
    .close()
    .then(() => database.close())
    .finally(() => process.exit(0));
});
