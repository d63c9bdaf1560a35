import { expect, it } from "vitest";
import { CallAnnouncer, callKey, missedCallsToAnnounce, type CallToAnnounce } from "../../app/lib/announcer";
import { connectLive, type Connection, type LiveSocket } from "../../app/lib/live-connection";
import { LiveSnapshotStore } from "../../app/lib/live-store";
import type { PublicSnapshot, PublicView } from "../../server/realtime/events";
import { deskWorld, type Desk } from "../helpers/desks";

// A waiting-room screen's socket is cut for 30 s while 10 calls are made (5 counters call,
// finish and call again). Back online, the screen lists all 10 in its recent calls (its fresh
// snapshot) and says aloud, once each, the 5 still waiting for their citizen — the same client
// code as the TV page (app/lib/live-connection.ts, app/lib/announcer.ts), over a Node socket.
const { world, kit } = deskWorld();

const waitFor = async (what: string, ok: () => boolean, ms = 10_000) => {
  const until = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

it("after a 30 s cut, the TV lists the 10 calls it missed and announces the 5 still active, once each", async () => {
  const { s } = world;
  const field = await kit.newField("Lĩnh vực thử mất kết nối");
  const desks: Desk[] = [];
  for (let i = 0; i < 5; i++) desks.push(await kit.desk([field]));
  for (let i = 0; i < 10; i++) await kit.issue(field.id);

  const display = await s.pairedDevice("display");
  const initial = (await s.request("GET", "/api/v1/snapshot", { cookie: display.cookie })).body.data as PublicSnapshot;
  const store = new LiveSnapshotStore<PublicView>(initial);
  const said: CallToAnnounce[] = [];
  const announcer = new CallAnnouncer({ play: async (call) => void said.push(call) });
  const states: Connection[] = [];
  const socket = s.socket(display.cookie) as unknown as LiveSocket<PublicView>;
  const stop = connectLive(socket, store, {
    onConnection: (c) => states.push(c),
    onEvent: (event) => {
      if (event.type === "ticket.called" || event.type === "ticket.recalled")
        announcer.announce({ key: callKey(event.ticket.id, event.seq), code: event.ticket.code, counterNumber: event.counter.number });
    },
    onMissedCalls: (calls) => {
      for (const call of missedCallsToAnnounce(calls, Date.now())) announcer.announce(call);
    },
    reloadWhenHealthy: () => {
      throw new Error("the screen must not reload for a network cut");
    },
  });
  try {
    await waitFor("the first connection", () => states.includes("online"));

    // The cut: 10 calls while the screen hears nothing.
    socket.disconnect();
    await waitFor("offline", () => states.at(-1) === "offline");
    const cutAt = Date.now();
    const codes: string[] = [];
    for (const desk of desks) {
      const first = await s.request("POST", `/api/v1/counters/${desk.counter.id}/call-next`, { cookie: desk.officer.cookie });
      expect(first.status).toBe(200);
      codes.push(first.body.data.ticket.code);
      expect((await s.request("POST", `/api/v1/tickets/${first.body.data.ticket.id}/finish`, { cookie: desk.officer.cookie })).status).toBe(200);
    }
    const active: string[] = [];
    for (const desk of desks) {
      const second = await s.request("POST", `/api/v1/counters/${desk.counter.id}/call-next`, { cookie: desk.officer.cookie });
      expect(second.status).toBe(200);
      codes.push(second.body.data.ticket.code);
      active.push(second.body.data.ticket.code);
    }
    expect(said).toEqual([]);
    expect(store.get().recentCalls.map((c) => c.ticket.code)).not.toContain(codes[0]);
    await new Promise((r) => setTimeout(r, Math.max(0, cutAt + 30_000 - Date.now())));

    // Back: the fresh snapshot lists all 10; the 5 still called are said, oldest first, once.
    socket.connect();
    await waitFor("the missed calls announced", () => said.length >= 5);
    await announcer.settled();
    const recent = store.get().recentCalls.map((c) => c.ticket.code);
    for (const code of codes) expect(recent, code).toContain(code);
    expect(said.map((c) => c.code)).toEqual(active);
    expect(said.map((c) => c.counterNumber)).toEqual(desks.map((d) => d.counter.number));

    // A live call afterwards is said once too, and nothing of the gap is said again.
    const last = desks.at(-1)!;
    const serving = store.get().counters.find((c) => c.id === last.counter.id)!.current!;
    expect((await s.request("POST", `/api/v1/tickets/${serving.id}/finish`, { cookie: last.officer.cookie })).status).toBe(200);
    await kit.issue(field.id);
    const live = await s.request("POST", `/api/v1/counters/${last.counter.id}/call-next`, { cookie: last.officer.cookie });
    expect(live.status).toBe(200);
    await waitFor("the live call said", () => said.length === 6);
    await announcer.settled();
    expect(said.at(-1)!.code).toBe(live.body.data.ticket.code);
    expect(new Set(said.map((c) => c.key)).size).toBe(said.length);
    expect(states).not.toContain("restarting");
  } finally {
    stop();
  }
}, 90_000);
