/**
 * The start of a server process, in order (decision 0032): listen at once (alive, not ready),
 * open and migrate the database (waiting for it while it cannot be reached), load the demo
 * centre into an empty database, build the app, then hand it every request (ready).
 * server/index.ts runs it and owns the process (the banner, signals, shutdown); tests run it
 * on a port of their own.
 */
import type { Logger } from "pino";
import { isEmpty, openDatabase, type DatabaseHandle } from "../db/client";
import { createMotcuaServer, type MotcuaServer, type PageHandlerMount } from "./app";
import { ensureDemoPassword, generateDemoPassword, saveDemoPassword } from "./demo/password";
import { DEMO_HISTORY, generateHistory } from "./demo/history";
import { refreshDemoPairings, seedDemo, type DemoPairing } from "./demo/seed";
import type { Env } from "./env";
import { AppError } from "./errors";
import type { Lifecycle } from "./http/health";
import { startingServer, whenReachable } from "./http/startup";

/** A start that must not go on (a real deployment's empty database): said to the operator, the process ends. */
export class StartRefused extends Error {}

export type Started = {
  server: MotcuaServer;
  database: DatabaseHandle;
  port: number;
  lifecycle: Lifecycle;
  pairings: DemoPairing[];
  newDemoPassword: string | null;
};

export async function startMotcua(options: {
  env: Env;
  logger: Logger;
  mountPages?: PageHandlerMount;
  /** Awaited once listening, before the database is touched (tests look at the start from there). */
  onListening?: (port: number, lifecycle: Lifecycle) => Promise<void> | void;
}): Promise<Started> {
  const { env, logger } = options;
  // Listening first: /healthz says the process lives and /readyz what it still waits for;
  // other requests are told the system is starting.
  const front = startingServer({ secure: env.cookieSecure });
  const port = await front.listen(env.PORT, env.HOST);
  const { lifecycle } = front;

  let database: DatabaseHandle | undefined;
  try {
    await options.onListening?.(port, lifecycle);
    database = await openDatabase({
      url: env.DATABASE_URL,
      dataDir: env.DATA_DIR,
      max: env.DB_POOL_MAX,
      waitMs: env.DB_POOL_WAIT_MS,
      // A socket message or a background step refused a connection in time says so like any refusal.
      busyError: () => new AppError("database_busy"),
    });
    const db = database;
    await whenReachable(() => db.migrate(), lifecycle, logger);

    lifecycle.phase = env.demoData ? "seeding" : "starting";
    let newDemoPassword: string | null = null;
    if (await isEmpty(db.db)) {
      if (!env.demoData) {
        throw new StartRefused(
          "The database has no users, and Một Cửa does not invent passwords for a real deployment. " +
            "Create the first administrator: MOTCUA_PASSWORD='…' npm run user:create -- --username … --name … " +
            "--centre-code … --centre-name … (or set DEMO_DATA=true for a demo centre with made-up data).",
        );
      }
      newDemoPassword = generateDemoPassword();
      const { centreId } = await seedDemo(db.db, { password: newDemoPassword });
      saveDemoPassword(env.DATA_DIR, newDemoPassword);
      // Weeks of made-up past activity, so the reports have something to show (only here: an empty database, demo data on).
      const history = await generateHistory(db.db, { centreId, ...DEMO_HISTORY });
      logger.info({ history }, `Loaded the demo centre into the empty database, with ${history.days} working days of history (${history.tickets} tickets, ${history.events} events) in ${history.ms} ms.`);
    } else if (env.demoData) {
      newDemoPassword = await ensureDemoPassword(db.db, env.DATA_DIR);
      if (newDemoPassword) logger.info("Gave the demo accounts a password of this installation's own.");
    }
    const pairings = env.demoData ? await refreshDemoPairings(db.db) : [];

    lifecycle.phase = "starting";
    const server = await createMotcuaServer({
      database: db,
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
      mountPages: options.mountPages,
      strictScripts: env.NODE_ENV === "production",
      httpServer: front.httpServer,
      lifecycle,
      nodes: env.nodes,
    });
    front.serve(server.app);
    lifecycle.phase = "ready";
    return { server, database: db, port, lifecycle, pairings, newDemoPassword };
  } catch (error) {
    await database?.close().catch(() => {});
    await new Promise((resolve) => front.httpServer.close(resolve));
    throw error;
  }
}
