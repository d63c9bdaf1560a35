/**
 * The admission gate in front of the connection pool (decision 0032). postgres.js queues a
 * query without limit when every connection is busy, so under a burst a request could wait
 * for ever; here database work waits at most `waitMs` for one of `permits` places, else it is
 * refused with `DatabaseBusyError` before anything is sent (a transaction never starts).
 *
 * Two ways in:
 * - `hold`: an HTTP request takes one place before it reads anything and keeps it until its
 *   answer is sent, so a request once admitted runs to its end without queueing again
 *   (per-query queueing would let new arrivals starve requests half done);
 * - `run`: anything else (a socket message, a timer, a script) takes a place per query or
 *   transaction, unless the code runs inside a request or a transaction that holds one.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { Semaphore, withTimeout, type SemaphoreInterface } from "async-mutex";

/** Thrown when database work waited `waitMs` without a free place on the pool. */
export class DatabaseBusyError extends Error {
  readonly code = "DATABASE_BUSY";
  constructor(waitMs: number) {
    super(`no database connection free within ${waitMs} ms`);
    this.name = "DatabaseBusyError";
  }
}

export function isDatabaseBusy(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === "DATABASE_BUSY") return true;
  }
  return false;
}

export type PoolStats = {
  /** Connections the pool may open. */
  max: number;
  /** Places held: requests and operations doing database work now. */
  inUse: number;
  /** Work waiting for a place. */
  waiting: number;
  /** Work refused after waiting `waitMs`, since the start. */
  refused: number;
  /** When the last refusal happened (ms since the epoch), or null. */
  lastRefusedAt: number | null;
  waitMs: number;
};

export type Admission = {
  /**
   * Waits for a place (at most `waitMs`); resolves to its release, or rejects with the busy error.
   * `priority`: served before the lower ones waiting (work resuming after `aside`).
   */
  acquire(priority?: number): Promise<() => void>;
  /** A hold of `release`'s place: database work run in it takes no other place, until `end` (idempotent). */
  hold(release: () => void): { run<T>(work: () => T): T; end(): void };
  /** Runs one query or transaction: in a hold it goes straight on, otherwise it takes a place for its duration. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /**
   * Waits for `wait` without holding a place: a request waiting for something other than the
   * database (its centre's turn to call) gives its place back meanwhile and takes one again
   * after (at most `waitMs`, else the busy error). Outside a hold, just `wait()`.
   */
  aside<T>(wait: () => Promise<T>): Promise<T>;
  stats(): PoolStats;
};

/** A request's or an operation's place: `release` gives it back (absent while set aside); `ended` once its work is over. */
type Scope = { held: boolean; release?: () => void; ended?: boolean };

/** The priority of a place taken again after `aside` (new work waits at 0). */
const RESUMING = 1;

export function createAdmission(options: {
  /** Places; Infinity admits everything at once (PGlite: its one connection takes turns by itself). */
  permits: number;
  /** The pool's size as reported (the permits, or 1 for PGlite). */
  max: number;
  waitMs: number;
  /** What to throw on refusal (the server throws its own `database_busy` refusal). */
  busyError?: () => Error;
}): Admission {
  const { permits, waitMs } = options;
  // Unlimited: no semaphore at all (its release walks every free place, one by one).
  const unlimited = !Number.isFinite(permits);
  const semaphore = new Semaphore(unlimited ? 1 : permits);
  const busy = () => options.busyError?.() ?? new DatabaseBusyError(waitMs);
  const timedOut = new Error("admission wait timed out");
  const bounded: SemaphoreInterface = Number.isFinite(waitMs) ? withTimeout(semaphore, waitMs, timedOut) : semaphore;
  const scopes = new AsyncLocalStorage<Scope>();
  let inUse = 0;
  let waiting = 0;
  let refused = 0;
  let lastRefusedAt: number | null = null;

  const granted = (release: () => void) => {
    inUse += 1;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      inUse -= 1;
      release();
    };
  };

  const admission: Admission = {
    async acquire(priority = 0) {
      if (unlimited) return granted(() => {});
      // A free place is taken without a timer (the common case, on every query).
      if (semaphore.getValue() > 0) return granted((await semaphore.acquire(1, priority))[1]);
      waiting += 1;
      try {
        return granted((await bounded.acquire(1, priority))[1]);
      } catch (error) {
        refused += 1;
        lastRefusedAt = Date.now();
        // A fresh error each time, so its stack says who was refused.
        throw error === timedOut ? busy() : error;
      } finally {
        waiting -= 1;
      }
    },
    hold(release) {
      const scope: Scope = { held: true, release };
      return {
        run: (work) => scopes.run(scope, work),
        end() {
          scope.ended = true;
          if (!scope.held) return;
          // Work that outlives its request (an aborted client) takes places of its own from now on.
          scope.held = false;
          scope.release?.();
          scope.release = undefined;
        },
      };
    },
    async aside(wait) {
      const scope = scopes.getStore();
      if (!scope?.held || !scope.release) return wait();
      scope.held = false;
      scope.release();
      scope.release = undefined;
      try {
        return await wait();
      } finally {
        if (!scope.ended) {
          // Ahead of new requests: this one was admitted already, and others may be waiting for
          // what it does next (the calls of its centre, behind it in turn).
          const release = await admission.acquire(RESUMING);
          // The request ended while it waited (its client went away): the place goes straight back.
          if (scope.ended) release();
          else {
            scope.release = release;
            scope.held = true;
          }
        }
      }
    },
    async run(work) {
      if (scopes.getStore()?.held) return work();
      const release = await admission.acquire();
      // Top-level queries made inside this transaction do not take a second place.
      const scope: Scope = { held: true };
      try {
        return await scopes.run(scope, work);
      } finally {
        scope.held = false;
        release();
      }
    },
    stats: () => ({ max: options.max, inUse, waiting, refused, lastRefusedAt, waitMs }),
  };
  return admission;
}
