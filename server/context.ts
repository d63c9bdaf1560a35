import type { Logger } from "pino";
import type { Admission } from "../db/admission";
import type { Database, Transaction } from "../db/client";
import type { QueueEvent, StaffNotice } from "./realtime/events";
import type { Metrics } from "./metrics";

/** Live connections to close once a session or a device has ended. */
export type ConnectionsToEnd = { sessionIds?: string[]; deviceIds?: number[] };

/** Where the consequences of a committed change go: queue events, and connections to cut. */
export type EventPublisher = {
  publish(event: QueueEvent): void;
  endConnections(which: ConnectionsToEnd): void;
  /** A session's row changed (the centre it works in): what any node remembers of it is dropped (decision 0033). Ending one goes through `endConnections`. */
  sessionsChanged?(sessionIds: string[]): void;
  /** Tells the centre's staff pages of a change outside the queue's sequence (a dossier's step). */
  notify?(notice: StaffNotice): void;
};

/** What a transaction leaves for after its commit. */
export class Outbox {
  readonly events: QueueEvent[] = [];
  readonly ended: ConnectionsToEnd[] = [];
  readonly notices: StaffNotice[] = [];

  push(event: QueueEvent) {
    this.events.push(event);
  }

  endConnections(which: ConnectionsToEnd) {
    this.ended.push(which);
  }

  notify(notice: StaffNotice) {
    this.notices.push(notice);
  }
}

/** What every domain service needs: the database and the event publisher; a logger for the security log. */
export type ServiceDeps = {
  db: Database;
  events: EventPublisher;
  now?: () => Date;
  logger?: Logger;
  /** Settings of the deployment the services read (server/services.ts has them all). */
  config?: { kioskPaceMs?: number };
  /** Where the services' own timings go (/metrics); none in scripts and most tests. */
  metrics?: Pick<Metrics, "timeCallNext">;
  /** The pool's admission gate (db/admission.ts): a call waiting for its centre's turn steps aside from it. */
  database?: { pool: Pick<Admission, "aside"> };
};

/** How a service waits for something other than the database while its request holds a place on the pool: aside from it. */
export const waitAside = (deps: Pick<ServiceDeps, "database">) => (wait: () => Promise<void>) => (deps.database ? deps.database.pool.aside(wait) : wait());

/** The services' notion of now (tests may fix it). */
export const clock = (deps: Pick<ServiceDeps, "now">) => deps.now?.() ?? new Date();

/**
 * Runs `work` in one transaction; what it leaves in the outbox (queue events, connections to
 * end) happens only after the commit, so no client ever hears of a change that was rolled back.
 */
export async function inTransaction<T>(deps: ServiceDeps, work: (tx: Transaction, outbox: Outbox) => Promise<T>): Promise<T> {
  const outbox = new Outbox();
  const result = await deps.db.transaction((tx) => work(tx as Transaction, outbox));
  publishOutbox(deps, outbox);
  return result;
}

/** What a committed change left in its outbox goes out: queue events, connections to end, notices. */
export function publishOutbox(deps: Pick<ServiceDeps, "events">, outbox: Outbox) {
  for (const event of outbox.events) deps.events.publish(event);
  for (const which of outbox.ended) deps.events.endConnections(which);
  for (const notice of outbox.notices) deps.events.notify?.(notice);
}
