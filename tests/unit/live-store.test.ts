import { describe, expect, it } from "vitest";
import { LiveSnapshotStore } from "../../app/lib/live-store";
import type { CentreSnapshot, QueueEvent } from "../../server/realtime/events";
import { at, base, counter, ticket } from "../helpers/snapshot-fixtures";

const issued = (seq: number, id: number): QueueEvent => ({ type: "ticket.issued", seq, centreId: 1, at, ticket: ticket(id, `A${id}`) });
const called = (seq: number, id: number): QueueEvent => {
  const t = ticket(id, `A${id}`, { status: "called", counterId: 7, calledAt: at });
  return { type: "ticket.called", seq, centreId: 1, at, ticket: t, counter: counter(t) };
};
const waiting = (s: CentreSnapshot) => s.fields[0]!.waiting;

describe("the live snapshot store of a screen", () => {
  it("applies events in sequence and asks for a snapshot after a gap", () => {
    const store = new LiveSnapshotStore(base);
    expect(store.receive(issued(11, 50))).toBe("applied");
    expect(store.receive(issued(11, 50))).toBe("ignored");
    expect(store.receive(issued(13, 52))).toBe("resync");
    expect(store.get().seq).toBe(11);
    expect(waiting(store.get())).toBe(3);
  });

  it("keeps the events that arrive while a snapshot loads and applies them after it, in order", () => {
    const store = new LiveSnapshotStore(base);
    let notified = 0;
    store.subscribe(() => notified++);
    expect(store.beginResync()).toBe(true);
    expect(store.beginResync()).toBe(false);
    // The server's snapshot is at 12; 14 and 13 arrive (out of order) before it, 12 (already in it) too.
    expect(store.receive(called(14, 61))).toBe("buffered");
    expect(store.receive(issued(13, 60))).toBe("buffered");
    expect(store.receive(issued(12, 59))).toBe("buffered");
    expect(store.get()).toBe(base);
    const loaded: CentreSnapshot = { ...base, seq: 12, fields: [{ ...base.fields[0]!, waiting: 4 }] };
    expect(store.endResync(loaded)).toBe("done");
    const now = store.get();
    expect(now.seq).toBe(14);
    expect(waiting(now)).toBe(4 + 1 - 1);
    expect(now.counters[0]!.current!.code).toBe("A61");
    expect(now.recentCalls[0]!.ticket.id).toBe(61);
    expect(notified).toBe(3);
  });

  it("asks again when the buffered events still leave a gap, and keeps its snapshot when the load fails", () => {
    const store = new LiveSnapshotStore(base);
    store.beginResync();
    store.receive(issued(15, 70));
    expect(store.endResync({ ...base, seq: 12 })).toBe("resync");
    expect(store.get().seq).toBe(12);
    store.beginResync();
    expect(store.endResync(null)).toBe("done");
    expect(store.get().seq).toBe(12);
  });

  it("takes loader data only when it is newer, or of another service day", () => {
    const store = new LiveSnapshotStore({ ...base, seq: 20 });
    store.offer({ ...base, seq: 19 });
    expect(store.get().seq).toBe(20);
    store.offer({ ...base, seq: 21 });
    expect(store.get().seq).toBe(21);
    store.offer({ ...base, seq: 1, serviceDate: "2026-11-30" });
    expect(store.get().serviceDate).toBe("2026-11-30");
  });
});
