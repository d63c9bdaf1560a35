import { describe, expect, it } from "vitest";
import { applyQueueEvent } from "../../app/lib/board";
import { RECENT_CALLS } from "../../server/realtime/events";
import type { QueueEvent } from "../../server/realtime/events";
import { at, base, counter, ticket } from "../helpers/snapshot-fixtures";

describe("applyQueueEvent", () => {
  it("counts an issued ticket as waiting", () => {
    const next = applyQueueEvent(base, { type: "ticket.issued", seq: 11, centreId: 1, at, ticket: ticket(5, "A003") });
    expect(next!.seq).toBe(11);
    expect(next!.fields[0]!.waiting).toBe(3);
  });

  it("moves a called ticket to its counter and to the top of the recent calls", () => {
    const called = ticket(5, "A003", { status: "called", counterId: 7, calledAt: at });
    const event: QueueEvent = { type: "ticket.called", seq: 11, centreId: 1, at, ticket: called, counter: counter(called) };
    const next = applyQueueEvent(base, event)!;
    expect(next.fields[0]!.waiting).toBe(1);
    expect(next.counters[0]!.current!.code).toBe("A003");
    expect(next.recentCalls[0]).toEqual({ ticket: called, counterNumber: 3 });
  });

  it("keeps only the latest calls", () => {
    let state = base;
    for (let i = 0; i < RECENT_CALLS + 3; i++) {
      const called = ticket(100 + i, `A${100 + i}`, { status: "called", counterId: 7 });
      state = applyQueueEvent(state, { type: "ticket.called", seq: state.seq + 1, centreId: 1, at, ticket: called, counter: counter(called) })!;
    }
    expect(state.recentCalls).toHaveLength(RECENT_CALLS);
    expect(state.recentCalls[0]!.ticket.code).toBe(`A${100 + RECENT_CALLS + 2}`);
  });

  it("ignores an event it already has, and asks for a snapshot after a gap or on a new day", () => {
    const old: QueueEvent = { type: "ticket.issued", seq: 10, centreId: 1, at, ticket: ticket(5, "A003") };
    expect(applyQueueEvent(base, old)).toBe(base);
    expect(applyQueueEvent(base, { ...old, seq: 12 })).toBeNull();
    expect(applyQueueEvent(base, { ...old, seq: 11, at: "2026-11-29T17:00:00.000Z" })).toBeNull();
  });

  it("never shows a negative waiting count", () => {
    const empty = { ...base, fields: [{ ...base.fields[0]!, waiting: 0 }] };
    const called = ticket(5, "A003", { status: "called" });
    const next = applyQueueEvent(empty, { type: "ticket.called", seq: 11, centreId: 1, at, ticket: called, counter: counter(called) });
    expect(next!.fields[0]!.waiting).toBe(0);
  });
});

describe("settings.updated", () => {
  it("always asks for a fresh snapshot: the fields or priority classes changed", () => {
    expect(applyQueueEvent(base, { type: "settings.updated", seq: 11, centreId: 1, at })).toBeNull();
  });
});
