import type { Database, Transaction } from "../db/client";
import type { QueueEvent } from "./realtime/events";

/** Where domain events go once their transaction has committed. */
export type EventPublisher = { publish(event: QueueEvent): void };

/** What every domain service needs: the database and the event publisher. */
export type ServiceDeps = { db: Database; events: EventPublisher; now?: () => Date };

/** The services' notion of now (tests may fix it). */
export const clock = (deps: Pick<ServiceDeps, "now">) => deps.now?.() ?? new Date();

/**
 * Runs `work` in one transaction; the events it queues are published only after the
 * commit, so no client ever hears of a change that was rolled back.
 */
export async function inTransaction<T>(
  deps: ServiceDeps,
  work: (tx: Transaction, outbox: QueueEvent[]) => Promise<T>,
): Promise<T> {
  const outbox: QueueEvent[] = [];
  const result = await deps.db.transaction((tx) => work(tx as Transaction, outbox));
  for (const event of outbox) deps.events.publish(event);
  return result;
}
