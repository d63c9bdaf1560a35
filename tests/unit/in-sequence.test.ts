import { afterEach, describe, expect, it, vi } from "vitest";
import type { QueueEvent } from "../../server/realtime/events";
import { inSequence, ORDER_WAIT_MS } from "../../server/realtime/delivery";

const event = (seq: number, centreId = 1): QueueEvent => ({ type: "settings.updated", seq, centreId, at: "2026-11-29T02:00:00.000Z" });

afterEach(() => vi.useRealTimers());

describe("publishing a centre's events in sequence", () => {
  it("holds an event that overtook its predecessor until the predecessor arrives", () => {
    const sent: number[] = [];
    const ordered = inSequence((e) => sent.push(e.seq));
    ordered.publish(event(10));
    ordered.publish(event(12));
    ordered.publish(event(13));
    expect(sent).toEqual([10]);
    ordered.publish(event(11));
    expect(sent).toEqual([10, 11, 12, 13]);
    ordered.close();
  });

  it("sends held events after a moment when the predecessor never comes (another instance sent it)", () => {
    vi.useFakeTimers();
    const sent: number[] = [];
    const ordered = inSequence((e) => sent.push(e.seq));
    ordered.publish(event(1));
    ordered.publish(event(4));
    ordered.publish(event(3));
    expect(sent).toEqual([1]);
    vi.advanceTimersByTime(ORDER_WAIT_MS);
    expect(sent).toEqual([1, 3, 4]);
    ordered.publish(event(5));
    expect(sent).toEqual([1, 3, 4, 5]);
  });

  it("keeps centres apart, and sends an old or first event at once", () => {
    const sent: string[] = [];
    const ordered = inSequence((e) => sent.push(`${e.centreId}:${e.seq}`));
    ordered.publish(event(7, 1));
    ordered.publish(event(3, 2));
    ordered.publish(event(9, 1));
    ordered.publish(event(4, 2));
    ordered.publish(event(2, 2));
    expect(sent).toEqual(["1:7", "2:3", "2:4", "2:2"]);
    ordered.close();
  });
});
