import type { CentreSnapshot, QueueEvent, View } from "../../server/realtime/events";
import { applyQueueEvent } from "./board";

/**
 * A centre's snapshot kept current from realtime events, outside React (read with
 * useSyncExternalStore). Events are applied in sequence; a gap, a new service day or a
 * settings change asks for a fresh snapshot, and events that arrive while it loads are kept
 * and applied after it, in order, so nothing received is lost.
 */
export class LiveSnapshotStore<V extends View> {
  private snapshot: CentreSnapshot<V>;
  private readonly listeners = new Set<() => void>();
  private loading = false;
  private buffered: Array<QueueEvent<V>> = [];

  constructor(initial: CentreSnapshot<V>) {
    this.snapshot = initial;
  }

  get = () => this.snapshot;

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };

  /** Whether a snapshot is being loaded (events are buffered meanwhile). */
  get resyncing() {
    return this.loading;
  }

  /** A snapshot from elsewhere (loader data after an action or a revalidation): taken when it is newer or of another day. */
  offer(snapshot: CentreSnapshot<V>) {
    if (snapshot.seq > this.snapshot.seq || snapshot.serviceDate !== this.snapshot.serviceDate) this.set(snapshot);
  }

  /**
   * An event from the socket. "resync": the caller must load a fresh snapshot (beginResync,
   * then endResync with it). Events older than the snapshot are ignored.
   */
  receive(event: QueueEvent<V>): "applied" | "ignored" | "buffered" | "resync" {
    if (this.loading) {
      this.buffered.push(event);
      return "buffered";
    }
    if (event.seq <= this.snapshot.seq) return "ignored";
    const next = applyQueueEvent(this.snapshot, event);
    if (next === null) return "resync";
    this.set(next);
    return "applied";
  }

  /** Starts loading a snapshot; false when one is already on its way. */
  beginResync(): boolean {
    if (this.loading) return false;
    this.loading = true;
    this.buffered = [];
    return true;
  }

  /**
   * The snapshot arrived (or null: the load failed). The events received meanwhile are applied
   * after it, in sequence order; returns "resync" when they still leave a gap.
   */
  endResync(snapshot: CentreSnapshot<V> | null): "done" | "resync" {
    this.loading = false;
    const pending = this.buffered.sort((a, b) => a.seq - b.seq);
    this.buffered = [];
    if (snapshot && (snapshot.seq >= this.snapshot.seq || snapshot.serviceDate !== this.snapshot.serviceDate)) this.set(snapshot);
    let outcome: "done" | "resync" = "done";
    for (const event of pending) if (this.receive(event) === "resync") outcome = "resync";
    return outcome;
  }

  private set(next: CentreSnapshot<V>) {
    this.snapshot = next;
    for (const listener of this.listeners) listener();
  }
}
