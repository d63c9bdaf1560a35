import type { Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import express, { type Express } from "express";
import type { Logger } from "pino";
import type { DatabaseHandle } from "../db/client";
import { apiRouter } from "./api/v1";
import { createLoginService } from "./auth/login";
import { createLookupService } from "./dossiers/lookup";
import { createTrackingService } from "./tracking/service";
import { createAppointmentThrottle } from "./appointments/throttle";
import { createTrackingRatingService } from "./ratings/tracking";
import { authenticate } from "./auth/middleware";
import { SessionCache } from "./auth/session-cache";
import { rejectCrossOrigin } from "./auth/origin";
import { AppError } from "./errors";
import { createDatabaseGate } from "./http/database-gate";
import { allowedMethods, clientErrorOf, pageBodies, refuse } from "./http/guards";
import { liveness, readiness, type Lifecycle } from "./http/health";
import { createHttpServer } from "./http/startup";
import { asRequest, requestContext } from "./http/request-context";
import { runDayEnd } from "./queue/day-end";
import { noStoreWhenSignedIn, securityHeaders } from "./http/security";
import { draftLatenessLettersEverywhere } from "./dossiers/letters";
import { createMetrics, metricsEndpoint } from "./metrics";
import { openNodes, type NodesConfig } from "./nodes";
import { trustProxy } from "./proxy";
import { createRealtime, type Realtime } from "./realtime";
import type { AppConfig, AppServices } from "./services";

export type MotcuaServer = {
  app: Express;
  httpServer: HttpServer;
  realtime: Realtime;
  services: AppServices;
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
};

/** Mounts the pages; may hand back what to close with the server (the development Vite server). */
export type PageHandlerMount = (
  app: Express,
  deps: { httpServer: HttpServer; services: AppServices; authenticate: express.RequestHandler[] },
) => Promise<void | (() => Promise<void>)> | void;

/**
 * The request handling of one process: health, /api/v1, Socket.IO and (when a mount is
 * given) the React Router pages, all on one HTTP server. Process concerns live in index.ts.
 */
export async function createMotcuaServer(options: {
  database: DatabaseHandle;
  config: AppConfig;
  logger: Logger;
  mountPages?: PageHandlerMount;
  /** Scripts only with this response's nonce (production); development's hot reload needs inline scripts. */
  strictScripts?: boolean;
  /** The clock of the services and sessions (tests may fix it). */
  now?: () => Date;
  /** How often open sockets' sessions and devices are checked again (server/realtime). */
  socketRecheckMs?: number;
  /** How often the end-of-day steps run (server/queue/day-end.ts); 0 turns them off (tests run them by hand). */
  dayEndEveryMs?: number;
  /** How often dossiers at risk get their lateness letter drafted; 0 turns it off. */
  lettersEveryMs?: number;
  /** How Socket.IO reaches the other nodes and where the throttles live (server/nodes.ts); none: one node. */
  nodes?: NodesConfig;
  /** A server already listening (server/http/startup.ts), which hands its requests to `app` once built. */
  httpServer?: HttpServer;
  /** The process's phase, for /readyz (default: ready). */
  lifecycle?: Lifecycle;
}): Promise<MotcuaServer> {
  const { database, config, logger, now } = options;
  const app = express();
  app.disable("x-powered-by");
  // No ETag on what `res.send` answers (the API's JSON, health): every API answer is `no-store`,
  // so a tag would never be sent back, and making one hashed each body. Pages and static files
  // set their own.
  app.set("etag", false);
  const trust = trustProxy(config.trustProxy ?? "loopback");
  app.set("trust proxy", trust);
  const httpServer = options.httpServer ?? createHttpServer(app);
  const nodes = await openNodes(options.nodes, { db: database.db, logger });
  logger.info({ adapter: options.nodes?.adapter ?? null }, nodes.description);
  const throttles = nodes.throttles;
  // One tracking service for the page, the API and the socket: one throttle of wrong tokens.
  const tracking = createTrackingService({ db: database.db, logger, now, throttles });
  // Sessions read a moment ago, trusted for a few seconds by this node's requests (decision 0033).
  const sessions = new SessionCache();
  const realtime = createRealtime(httpServer, {
    adapter: nodes.adapter,
    trustProxy: trust,
    db: database.db,
    logger,
    secure: config.cookieSecure,
    sessionPolicy: config.sessionPolicy,
    now,
    recheckMs: options.socketRecheckMs,
    tracking,
    sessions,
  });
  const databaseGate = createDatabaseGate(database, logger);
  const metrics = createMetrics({
    db: database.db,
    now,
    socketCounts: () => realtime.socketCounts(),
    databaseOpen: () => databaseGate.open,
    pool: () => database.pool.stats(),
  });
  const services: AppServices = {
    db: database.db,
    database,
    databaseGate,
    events: realtime,
    throttles,
    login: createLoginService({ db: database.db, events: realtime, logger, now, sessionPolicy: config.sessionPolicy, throttles }),
    lookup: createLookupService({ db: database.db, logger, throttles }),
    tracking,
    appointmentThrottle: createAppointmentThrottle(throttles),
    trackingRatings: createTrackingRatingService({ db: database.db, events: realtime, logger, now, throttles }),
    metrics,
    config,
    logger,
    now,
  };

  const dayEndEveryMs = options.dayEndEveryMs ?? 60_000;
  const runDayEndSafely = () =>
    void runDayEnd(services, { sessionPolicy: config.sessionPolicy }).then(
      (done) => (done.expired || done.released ? logger.info(done, "end of day: tickets closed, counters released") : undefined),
      (err) => logger.warn({ err }, "end-of-day step failed; it runs again in a minute"),
    );
  // Each run of a background step is a "request" of its own: its log lines share an id.
  const dayEnd = dayEndEveryMs > 0 ? setInterval(() => asRequest(runDayEndSafely), dayEndEveryMs) : undefined;
  dayEnd?.unref();
  if (dayEnd) asRequest(runDayEndSafely);

  // Lateness letters are drafted ahead of the deadline (server/dossiers/letters.ts).
  const lettersEveryMs = options.lettersEveryMs ?? 5 * 60_000;
  const draftLettersSafely = () =>
    void draftLatenessLettersEverywhere(services).then(
      (n) => (n ? logger.info({ drafted: n }, "lateness letters drafted for dossiers at risk") : undefined),
      (err) => logger.warn({ err }, "drafting lateness letters failed; it runs again later"),
    );
  const letters = lettersEveryMs > 0 ? setInterval(() => asRequest(draftLettersSafely), lettersEveryMs) : undefined;
  letters?.unref();

  app.use(requestContext);
  app.use(metrics.timeRequests);
  app.use(allowedMethods);
  app.use(securityHeaders({ secure: config.cookieSecure, strictScripts: options.strictScripts ?? true }));

  // The process lives; it is ready when started and the database answers (its own connection, within a second).
  app.get("/healthz", liveness);
  app.get("/readyz", readiness({ lifecycle: options.lifecycle ?? { phase: "ready" }, database, gate: databaseGate, nodes }));
  app.get("/metrics", metricsEndpoint(metrics, { token: config.metricsToken }));

  app.use(rejectCrossOrigin);
  const auth = authenticate(database.db, { secure: config.cookieSecure, sessionPolicy: config.sessionPolicy, now, sessions });
  const noStore: express.RequestHandler = (_req, res, next) => void (res.set("Cache-Control", "no-store"), next());
  app.use("/api/v1", noStore, databaseGate.admit, auth, apiRouter(services));

  app.use(pageBodies);
  const closePages = options.mountPages
    ? await options.mountPages(app, { httpServer, services, authenticate: [databaseGate.admit, auth, noStoreWhenSignedIn] })
    : undefined;
  // What went wrong before a page handled the request (a malformed path, the database gone…), said plainly.
  app.use(databaseGate.answerFailure);
  app.use((error: unknown, req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const client = clientErrorOf(error);
    if (!client) logger.error({ err: error }, "request failed");
    refuse(req, res, client ?? new AppError("internal"));
  });

  return {
    app,
    httpServer,
    realtime,
    services,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(port, host, () => resolve((httpServer.address() as AddressInfo).port));
      }),
    close: async () => {
      clearInterval(dayEnd);
      clearInterval(letters);
      databaseGate.stop();
      await closePages?.();
      await realtime.close();
      await new Promise<void>((resolve) => {
        realtime.io.close(() => resolve());
      });
      await nodes.close();
    },
  };
}
