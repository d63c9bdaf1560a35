import pino from "pino";
import { isEmpty, openDatabase } from "../db/client";
import { DEMO_PASSWORD, demoUsers, refreshDemoPairings, seedDemo } from "./demo/seed";
import { pairingPath } from "./devices/service";
import { createMotcuaServer } from "./app";
import { loadEnv } from "./env";
import { developmentPages, productionPages } from "./pages";

const env = loadEnv();
const logger = pino({
  level: env.LOG_LEVEL,
  ...(env.NODE_ENV === "development" ? { transport: { target: "pino-pretty", options: { ignore: "pid,hostname" } } } : {}),
});

const database = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR });
await database.migrate();
if (await isEmpty(database.db)) {
  if (!env.demoData) {
    logger.fatal(
      "The database has no users, and Một Cửa does not invent passwords for a real deployment. " +
        "Create the first administrator: MOTCUA_PASSWORD='…' npm run user:create -- --username … --name … " +
        "--role admin --centre-code … --centre-name … (or set DEMO_DATA=true for a demo centre with published passwords).",
    );
    await database.close();
    process.exit(1);
  }
  await seedDemo(database.db);
  logger.info("Loaded the demo centre into the empty database.");
}
const pairings = env.demoData ? await refreshDemoPairings(database.db) : [];

const server = await createMotcuaServer({
  database,
  config: { cookieSecure: env.cookieSecure, publicUrl: env.publicUrl },
  logger,
  mountPages: env.NODE_ENV === "production" ? productionPages() : developmentPages(),
});
const port = await server.listen(env.PORT, env.HOST);
const base = env.PUBLIC_URL ?? `http://localhost:${port}`;

const lines = [
  "",
  `Một Cửa is running (${env.NODE_ENV}) on ${base}`,
  `  database: ${database.driver} (${database.location})`,
  `  staff login:  ${base}/login`,
  `  health:       ${base}/healthz`,
];
if (pairings.length > 0) {
  lines.push("", `Demo logins (password for all: ${DEMO_PASSWORD}):`);
  for (const u of demoUsers) lines.push(`  ${u.username.padEnd(9)} ${u.role.padEnd(10)} ${u.fullName}`);
  lines.push("", "Pairing links for the demo devices (one-time, valid 24 h; open on the device):");
  for (const p of pairings) lines.push(`  ${p.kind.padEnd(8)} ${p.name}: ${base}${pairingPath(p.pairingCode)}`);
}
console.log(lines.join("\n") + "\n");

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "shutting down");
  const force = setTimeout(() => {
    logger.error("shutdown took too long; exiting");
    process.exit(1);
  }, 10_000);
  force.unref();
  server.httpServer.closeIdleConnections();
  await server.close();
  await database.close();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
