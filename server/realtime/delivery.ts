/**
 * How queue events leave a node, in order: each centre's events in sequence to this node's
 * sockets (`inSequence`), and in few messages to the other nodes (`inBatches`). Used by the
 * realtime hub (server/realtime/index.ts); no Socket.IO here.
 */
import type { QueueEvent } from "./events";

/** The most JSON a message to the other nodes carries: under PostgreSQL's 8,000-byte NOTIFY payload, which the adapter would otherwise route through a table. */
export const NODE_MESSAGE_BYTES = 7_000;

/** The least time between two messages to the other nodes, under load (decision 0031). */
export const NODE_MESSAGE_GAP_MS = 10;

/**
 * Gathers what is pushed and sends it in order, as few messages as fit {@link NODE_MESSAGE_BYTES}
 * (an item larger than that goes alone): at the end of the turn of the event loop that pushed it,
 * or, when a message went less than `gapMs` before, once that time has passed. An event after a
 * quiet moment crosses at once; under load the events of many requests cross together — one
 * NOTIFY on PostgreSQL, a round trip and a transaction there — instead of one message per turn
 * (at ~650 calls + finishes a second that was 0.8 NOTIFY a pair, ~5 % of the server's CPU).
 */
export function inBatches<T>(send: (items: T[]) => void, maxBytes = NODE_MESSAGE_BYTES, gapMs = NODE_MESSAGE_GAP_MS) {
  let pending: Array<{ item: T; bytes: number }> = [];
  let scheduled: { cancel(): void } | undefined;
  let lastSentAt = Number.NEGATIVE_INFINITY;
  const flush = () => {
    scheduled?.cancel();
    scheduled = undefined;
    const items = pending;
    pending = [];
    if (items.length === 0) return;
    lastSentAt = performance.now();
    let batch: T[] = [];
    let bytes = 0;
    for (const { item, bytes: size } of items) {
      if (batch.length > 0 && bytes + size > maxBytes) {
        send(batch);
        batch = [];
        bytes = 0;
      }
      batch.push(item);
      bytes += size + 1;
    }
    if (batch.length > 0) send(batch);
  };
  const schedule = () => {
    const wait = lastSentAt + gapMs - performance.now();
    if (wait <= 0) {
      const immediate = setImmediate(flush);
      return { cancel: () => clearImmediate(immediate) };
    }
    const timer = setTimeout(flush, wait);
    return { cancel: () => clearTimeout(timer) };
  };
  return {
    push(item: T) {
      pending.push({ item, bytes: Buffer.byteLength(JSON.stringify(item)) });
      scheduled ??= schedule();
    },
    /** Sends what is pending now (on close). */
    flush,
  };
}

/** How long an event waits for the one before it (committed by a slower request, or on another instance). */
export const ORDER_WAIT_MS = 100;

/**
 * Sends each centre's events in sequence order. Two transactions commit in sequence order, but
 * the requests that made them may reach their "publish" the other way round; an event that
 * arrives ahead of its predecessor waits for it a moment, then goes anyway (the predecessor may
 * have been published by another instance; clients fetch a snapshot on a gap).
 */
export function inSequence(emit: (event: QueueEvent) => void) {
  const last = new Map<number, number>();
  const waiting = new Map<number, Map<number, QueueEvent>>();
  const timers = new Map<number, ReturnType<typeof setTimeout>>();

  const drain = (centreId: number, force: boolean) => {
    const held = waiting.get(centreId);
    if (!held) return;
    for (;;) {
      const next = (last.get(centreId) ?? 0) + 1;
      const seq = held.has(next) ? next : force && held.size > 0 ? Math.min(...held.keys()) : null;
      if (seq === null) break;
      emit(held.get(seq)!);
      held.delete(seq);
      last.set(centreId, seq);
    }
    if (held.size === 0) {
      waiting.delete(centreId);
      clearTimeout(timers.get(centreId));
      timers.delete(centreId);
    }
  };

  return {
    publish(event: QueueEvent) {
      const previous = last.get(event.centreId);
      if (previous === undefined || event.seq === previous + 1 || event.seq <= previous) {
        emit(event);
        if (previous === undefined || event.seq > previous) last.set(event.centreId, event.seq);
        drain(event.centreId, false);
        return;
      }
      const held = waiting.get(event.centreId) ?? new Map<number, QueueEvent>();
      held.set(event.seq, event);
      waiting.set(event.centreId, held);
      if (!timers.has(event.centreId)) {
        const timer = setTimeout(() => {
          timers.delete(event.centreId);
          drain(event.centreId, true);
        }, ORDER_WAIT_MS);
        timer.unref();
        timers.set(event.centreId, timer);
      }
    },
    close() {
      for (const timer of timers.values()) clearTimeout(timer);
    },
  };
}
