import type { Logger } from "pino";
import type { Database, DatabaseHandle } from "../db/client";
import type { LoginService } from "./auth/login";
import type { LookupService } from "./dossiers/lookup";
import type { TrackingService } from "./tracking/service";
import type { AppointmentThrottle } from "./appointments/throttle";
import type { TrackingRatingService } from "./ratings/tracking";
import type { SessionPolicy } from "./auth/session";
import type { EventPublisher } from "./context";
import type { DatabaseGate } from "./http/database-gate";
import type { Metrics } from "./metrics";
import type { ThrottleStore } from "./throttle/store";

export type AppConfig = {
  cookieSecure: boolean;
  publicUrl: string;
  /** The deployment runs with the demo centre (its pages are marked as made-up data). */
  demoData: boolean;
  /** How long staff sessions live (server/auth/session.ts). */
  sessionPolicy: SessionPolicy;
  /** The shortest time between two tickets of one kiosk (server/queue/issuing.ts). */
  kioskPaceMs: number;
  /** Lets Prometheus scrape /metrics from another machine (server/metrics.ts); unset: this machine only. */
  metricsToken?: string;
  /** Proxies trusted to forward the client's address (server/proxy.ts); unset: `loopback`. */
  trustProxy?: string;
};

/** What loaders, actions and API handlers are handed: one set of services per process. */
export type AppServices = {
  db: Database;
  database: DatabaseHandle;
  /** Closed while the database cannot be reached (requests are answered 503 at once). */
  databaseGate: DatabaseGate;
  events: EventPublisher;
  /** The token buckets every node shares (server/throttle/): the services below count tries in them. */
  throttles: ThrottleStore;
  login: LoginService;
  /** The citizen's dossier lookup, throttled (server/dossiers/lookup.ts). */
  lookup: LookupService;
  /** The citizen's ticket tracking (/t/<token>), throttled (server/tracking/service.ts). */
  tracking: TrackingService;
  /** The limits on booking, cancelling and checking in appointments (server/appointments/throttle.ts). */
  appointmentThrottle: AppointmentThrottle;
  /** The rating page of a ticket's tracking link, throttled (server/ratings/tracking.ts). */
  trackingRatings: TrackingRatingService;
  /** The process's Prometheus metrics (/metrics). */
  metrics: Metrics;
  config: AppConfig;
  logger: Logger;
  /** The services' clock (tests may fix it). */
  now?: () => Date;
};
