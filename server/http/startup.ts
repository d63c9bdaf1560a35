/**
 * The HTTP server of a process from its first moment (decision 0032): it listens before the
 * database is migrated, so an orchestrator sees it live (`/healthz`) and not yet ready
 * (`/readyz`: migrating, seeding, starting) instead of a refused connection; every other
 * request gets a 503 that says the system is starting (a Vietnamese page that reloads itself
 * once ready, or JSON `starting`), with `Retry-After`. Once the app is built, every request
 * goes to it (its own /healthz and /readyz included).
 */
import { existsSync } from "node:fs";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import express, { type Express } from "express";
import type { Logger } from "pino";
import { isConnectionFailure } from "../../db/client";
import { reasonOf } from "./database-gate";
import { liveness, readiness, type Lifecycle } from "./health";
import { requestContext } from "./request-context";
import { securityHeaders } from "./security";
import { answerUnavailable } from "./unavailable";

/**
 * An HTTP server with the product's keep-alive settings. An idle keep-alive connection stays
 * open longer than clients and proxies keep theirs (nginx: 60 s), so the server never closes
 * one just as a client sends on it (a request reset, lost).
 */
export function createHttpServer(handler?: Express): HttpServer {
  const httpServer = handler ? createServer(handler) : createServer();
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;
  return httpServer;
}

export type StartingServer = {
  httpServer: HttpServer;
  lifecycle: Lifecycle;
  listen(port: number, host?: string): Promise<number>;
  /** From now on every request goes to `app`. */
  serve(app: Express): void;
};

export function startingServer(options: { lifecycle?: Lifecycle; /** HSTS, as the app will send it. */ secure?: boolean } = {}): StartingServer {
  const lifecycle: Lifecycle = options.lifecycle ?? { phase: "migrating" };
  const starting = express();
  starting.disable("x-powered-by");
  starting.use(requestContext);
  starting.use(securityHeaders({ secure: options.secure ?? false, strictScripts: true }));
  starting.get("/healthz", liveness);
  starting.get("/readyz", readiness({ lifecycle }));
  const css = [path.resolve("build/client/unavailable.css"), path.resolve("public/unavailable.css")].find((file) => existsSync(file));
  if (css) starting.get("/unavailable.css", (_req, res) => res.sendFile(css));
  starting.use((req, res) => answerUnavailable(req, res, "starting"));

  // One listener for the life of the server; Socket.IO, once attached, takes its own paths first.
  let handler: Express = starting;
  const httpServer = createHttpServer();
  httpServer.on("request", (req, res) => handler(req, res));

  return {
    httpServer,
    lifecycle,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(port, host, () => {
          httpServer.off("error", reject);
          resolve((httpServer.address() as AddressInfo).port);
        });
      }),
    serve(app) {
      handler = app;
    },
  };
}

/**
 * Runs a start-up step (the migrations), trying again while the database cannot be reached:
 * a server started before its database waits for it, saying so on /readyz, instead of exiting.
 * Any other failure (a migration that does not apply) ends the start as before.
 */
export async function whenReachable(step: () => Promise<void>, lifecycle: Lifecycle, logger: Logger): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await step();
      lifecycle.databaseUnreachable = false;
      return;
    } catch (error) {
      if (!isConnectionFailure(error)) throw error;
      lifecycle.databaseUnreachable = true;
      const retryInMs = Math.min(500 * 2 ** attempt, 5_000);
      logger.warn({ attempt, retryInMs, reason: reasonOf(error) }, "the database cannot be reached at start-up; trying again");
      await new Promise((resolve) => setTimeout(resolve, retryInMs));
    }
  }
}
