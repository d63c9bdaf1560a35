import { startBanner } from "./banner";
import { loadEnv } from "./env";
import { createLogger } from "./logger";
import { developmentPages, productionPages } from "./pages";
import { stopOnSignals } from "./shutdown";
import { StartRefused, startMotcua } from "./start";

const env = loadEnv();
const logger = createLogger({ level: env.LOG_LEVEL, pretty: env.NODE_ENV === "development" });

// Listens at once (/healthz alive, /readyz not yet), then migrates, loads the demo, serves (decision 0032).
const { server, database, port, lifecycle, pairings, newDemoPassword } = await startMotcua({
  env,
  logger,
  mountPages: env.NODE_ENV === "production" ? productionPages() : developmentPages(),
}).catch((error: unknown) => {
  if (!(error instanceof StartRefused)) throw error;
  logger.fatal(error.message);
  process.exit(1);
});
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

stopOnSignals({ server, database, logger, lifecycle });
