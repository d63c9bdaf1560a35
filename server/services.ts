import type { Logger } from "pino";
import type { Database, DatabaseHandle } from "../db/client";
import type { LoginService } from "./auth/login";
import type { SessionPolicy } from "./auth/session";
import type { EventPublisher } from "./context";

export type AppConfig = {
  cookieSecure: boolean;
  publicUrl: string;
  /** The deployment runs with the demo centre (its pages are marked as made-up data). */
  demoData: boolean;
  /** How long staff sessions live (server/auth/session.ts). */
  sessionPolicy: SessionPolicy;
  /** The shortest time between two tickets of one kiosk (server/queue/issuing.ts). */
  kioskPaceMs: number;
};

/** What loaders, actions and API handlers are handed: one set of services per process. */
export type AppServices = {
  db: Database;
  database: DatabaseHandle;
  events: EventPublisher;
  login: LoginService;
  config: AppConfig;
  logger: Logger;
  /** The services' clock (tests may fix it). */
  now?: () => Date;
};
