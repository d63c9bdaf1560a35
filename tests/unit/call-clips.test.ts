import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { callClips, CLIP_TEXT, codeClips, numberClips } from "../../app/lib/call-clips";
import { CallAnnouncer, callKey, missedCallsToAnnounce, type CallToAnnounce } from "../../app/lib/announcer";
import type { LoggedCall } from "../../server/realtime/events";

describe("a call said with the recorded clips", () => {
  it("says «A015 → quầy 3» as: mời công dân có số, a, không, một, năm, đến quầy số, ba", () => {
    expect(callClips("A015", 3)).toEqual(["phrase-call", "letter-a", "digit-0", "digit-1", "digit-5", "phrase-counter", "digit-3"]);
  });

  it("reads a counter's number as Vietnamese does", () => {
    const said = (n: number) => numberClips(n).map((c) => CLIP_TEXT[c]).join(" ");
    expect(said(3)).toBe("ba");
    expect(said(10)).toBe("mười");
    expect(said(11)).toBe("mười một");
    expect(said(15)).toBe("mười lăm");
    expect(said(20)).toBe("hai mươi");
    expect(said(21)).toBe("hai mươi mốt");
    expect(said(24)).toBe("hai mươi tư");
    expect(said(35)).toBe("ba mươi lăm");
    expect(said(99)).toBe("chín mươi chín");
    expect(said(105)).toBe("một không năm");
  });

  it("has a clip for every letter and digit a ticket may hold, and skips anything else", () => {
    for (const ch of "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") expect(CLIP_TEXT[codeClips(ch)[0]!], ch).toBeTruthy();
    expect(codeClips("B-07")).toEqual(["letter-b", "digit-0", "digit-7"]);
    for (let n = 1; n < 200; n++) for (const clip of numberClips(n)) expect(CLIP_TEXT[clip], `${n}: ${clip}`).toBeTruthy();
  });

  it("ships the clips the build made (npm run build: scripts/build-audio.ts)", () => {
    // The build makes them; a checkout that was never built has none, and the e2e run builds first.
    if (!existsSync("public/audio/manifest.json")) return;
    for (const name of Object.keys(CLIP_TEXT)) expect(existsSync(`public/audio/${name}.wav`), name).toBe(true);
  });
});

describe("the announcer", () => {
  /** A player that takes its time, records what it said and whether two calls ever overlapped. */
  function recordingPlayer() {
    const said: string[] = [];
    let playing = 0;
    let overlapped = false;
    return {
      said,
      overlapped: () => overlapped,
      async play(call: CallToAnnounce) {
        playing += 1;
        if (playing > 1) overlapped = true;
        said.push(`${call.code}→${call.counterNumber}: ${callClips(call.code, call.counterNumber).join(" ")}`);
        await new Promise((r) => setTimeout(r, 20));
        playing -= 1;
      },
    };
  }

  it("queues calls so they never overlap, and says each once", async () => {
    const player = recordingPlayer();
    const announcer = new CallAnnouncer(player);
    expect(announcer.announce({ key: callKey(15, 40), code: "A015", counterNumber: 3 })).toBe(true);
    expect(announcer.announce({ key: callKey(16, 41), code: "B002", counterNumber: 12 })).toBe(true);
    // The same call again (seen live, then found in the log after a reconnect): not said twice.
    expect(announcer.announce({ key: callKey(15, 40), code: "A015", counterNumber: 3 })).toBe(false);
    // A recall is a new call of the same ticket: said again.
    expect(announcer.announce({ key: callKey(15, 44), code: "A015", counterNumber: 3 })).toBe(true);
    await announcer.settled();
    expect(player.said).toEqual([
      "A015→3: phrase-call letter-a digit-0 digit-1 digit-5 phrase-counter digit-3",
      "B002→12: phrase-call letter-b digit-0 digit-0 digit-2 phrase-counter number-10 digit-2",
      "A015→3: phrase-call letter-a digit-0 digit-1 digit-5 phrase-counter digit-3",
    ]);
    expect(player.overlapped()).toBe(false);
  });

  it("goes on after a call that could not be played", async () => {
    const said: string[] = [];
    const announcer = new CallAnnouncer({
      play: async (call) => {
        if (call.code === "A001") throw new Error("sound is blocked");
        said.push(call.code);
      },
    });
    announcer.announce({ key: "1:1", code: "A001", counterNumber: 1 });
    announcer.announce({ key: "2:2", code: "A002", counterNumber: 1 });
    await announcer.settled();
    expect(said).toEqual(["A002"]);
  });

  it("of the calls missed while away, says the latest call of each ticket still called and at most two minutes old", () => {
    const now = Date.parse("2026-11-29T09:00:00Z");
    const call = (seq: number, id: number, status: LoggedCall["ticket"]["status"], secondsAgo: number, counterNumber = 1): LoggedCall => ({
      seq,
      at: new Date(now - secondsAgo * 1000).toISOString(),
      kind: "called",
      counterNumber,
      ticket: { id, code: `A${String(id).padStart(3, "0")}`, fieldId: 1, status },
    });
    const calls = [call(10, 1, "called", 150), call(11, 2, "done", 60), call(12, 3, "called", 50, 2), call(13, 4, "called", 40), call(14, 3, "called", 10, 5)];
    expect(missedCallsToAnnounce(calls, now)).toEqual([
      { key: "4:13", code: "A004", counterNumber: 1 },
      { key: "3:14", code: "A003", counterNumber: 5 },
    ]);
  });
});
