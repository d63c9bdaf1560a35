import { isEmpty, openDatabase } from "../db/client";
import { createMotcuaServer } from "./app";
import { startBanner } from "./banner";
import { ensureDemoPassword, generateDemoPassword, saveDemoPassword } from "./demo/password";
import { DEMO_HISTORY, generateHistory } from "./demo/history";
import { refreshDemoPairings, seedDemo } from "./demo/seed";
import { loadEnv } from "./env";
import { createLogger } from "./logger";
import { developmentPages, productionPages } from "./pages";
import { stopOnSignals } from "./shutdown";

const env = loadEnv();
const logger = createLogger({ level: env.LOG_LEVEL, pretty: env.NODE_ENV === "development" });

const database = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR });
await database.migrate();
let newDemoPassword: string | null = null;
if (await isEmpty(database.db)) {
  if (!env.demoData) {
    logger.fatal(
      "The database has no users, and Một Cửa does not invent passwords for a real deployment. " +
        "Create the first administrator: MOTCUA_PASSWORD='…' npm run user:create -- --username … --name … " +
        "--centre-code … --centre-name … (or set DEMO_DATA=true for a demo centre with made-up data).",
    );
    await database.close();
    process.exit(1);
  }
  newDemoPassword = generateDemoPassword();
  const { centreId } = await seedDemo(database.db, { password: newDemoPassword });
  saveDemoPassword(env.DATA_DIR, newDemoPassword);
  // Weeks of made-up past activity, so the reports have something to show (only here: an empty database, demo data on).
  const history = await generateHistory(database.db, { centreId, ...DEMO_HISTORY });
  logger.info({ history }, `Loaded the demo centre into the empty database, with ${history.days} working days of history (${history.tickets} tickets, ${history.events} events) in ${history.ms} ms.`);
} else if (env.demoData) {
  newDemoPassword = await ensureDemoPassword(database.db, env.DATA_DIR);
  if (newDemoPassword) logger.info("Gave the demo accounts a password of this installation's own.");
}
const pairings = env.demoData ? await refreshDemoPairings(database.db) : [];

const server = await createMotcuaServer({
  database,
  config: {
    cookieSecure: env.cookieSecure,
    publicUrl: env.publicUrl,
    demoData: env.demoData,
    sessionPolicy: env.sessionPolicy,
    kioskPaceMs: env.KIOSK_PACE_SECONDS * 1000,
    metricsToken: env.METRICS_TOKEN,
    trustProxy: env.TRUST_PROXY,
  },
  logger,
  mountPages: env.NODE_ENV === "production" ? productionPages() : developmentPages(),
  strictScripts: env.NODE_ENV === "production",
  nodes: env.nodes,
});
const port = await server.listen(env.PORT, env.HOST);
console.log(
  startBanner({
    mode: env.NODE_ENV,
    port,
    publicUrl: env.PUBLIC_URL,
    database: `${database.driver} (${database.location})`,
    cookieSecure: env.cookieSecure,
    demo: pairings.length > 0 ? { pairings, newPassword: newDemoPassword } : null,
  }),
);

// Under scripts/serve.mjs (npm start): from now on, a death of this process is a crash to recover from.
process.send?.({ type: "serving" });

stopOnSignals({ server, database, logger });
