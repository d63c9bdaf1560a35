import { setImmediate as nextTurn, setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { inBatches, NODE_MESSAGE_BYTES } from "../../server/realtime/delivery";

describe("inBatches: what crosses to the other nodes", () => {
  it("sends what one turn of the event loop pushed as one message, in order, at the turn's end", async () => {
    const sent: number[][] = [];
    // No gap between messages here (see below).
    const batches = inBatches<number>((items) => sent.push(items), NODE_MESSAGE_BYTES, 0);
    batches.push(1);
    batches.push(2);
    batches.push(3);
    expect(sent).toEqual([]);
    await nextTurn();
    expect(sent).toEqual([[1, 2, 3]]);
    batches.push(4);
    await nextTurn();
    expect(sent).toEqual([[1, 2, 3], [4]]);
  });

  it("under load sends at most one message per gap: what is pushed meanwhile waits for it, then goes together", async () => {
    const sent: Array<{ items: number[] }> = [];
    // A gap far longer than a few turns of the event loop, even on a loaded machine.
    const batches = inBatches<number>((items) => sent.push({ items }), NODE_MESSAGE_BYTES, 400);
    batches.push(1);
    await nextTurn();
    // Less than the gap after the first message: these wait…
    batches.push(2);
    await nextTurn();
    batches.push(3);
    await nextTurn();
    expect(sent.map((m) => m.items)).toEqual([[1]]);
    // …and go together once it has passed.
    await sleep(450);
    expect(sent.map((m) => m.items)).toEqual([[1], [2, 3]]);
    // After a quiet moment longer than the gap, an item goes at the end of its turn again.
    await sleep(450);
    batches.push(4);
    await nextTurn();
    expect(sent.map((m) => m.items)).toEqual([[1], [2, 3], [4]]);
  });

  it("splits a turn's items so no message passes the size, keeping their order; an item larger than the size goes alone", async () => {
    const sent: string[][] = [];
    const batches = inBatches<string>((items) => sent.push(items), 30);
    // Each item is 10 bytes of JSON ("xxxxxxxx" with its quotes).
    for (const item of ["aaaaaaaa", "bbbbbbbb", "cccccccc", "dddddddd"]) batches.push(item);
    batches.push("e".repeat(40));
    batches.push("ffffffff");
    await nextTurn();
    expect(sent).toEqual([["aaaaaaaa", "bbbbbbbb"], ["cccccccc", "dddddddd"], ["e".repeat(40)], ["ffffffff"]]);
    expect(sent.flat()).toHaveLength(6);
  });

  it("counts bytes, not characters: Vietnamese text takes more than one byte a letter", async () => {
    const sent: string[][] = [];
    const batches = inBatches<string>((items) => sent.push(items), 28);
    batches.push("Nguyễn Văn"); // JSON: 12 characters, 15 bytes
    batches.push("Trần Thị"); // 10 characters, 14 bytes: together 23 characters but 30 bytes
    await nextTurn();
    expect(sent).toEqual([["Nguyễn Văn"], ["Trần Thị"]]);
  });

  it("flush sends what is pending at once, and nothing twice", async () => {
    const sent: number[][] = [];
    const batches = inBatches<number>((items) => sent.push(items));
    batches.push(1);
    batches.flush();
    expect(sent).toEqual([[1]]);
    await nextTurn();
    expect(sent).toEqual([[1]]);
  });
});
