/**
 * A process of waiting-room screens (bench/screens.ts forks several): each screen is a paired
 * display device running the TV page's own link code (app/lib/live-connection.ts connectLive and
 * app/lib/live-store.ts) over a Node socket.io-client: its device cookie, a fresh snapshot on
 * connect and on any gap, its modes told on connect, the calls it missed asked for after a
 * reconnect. Each screen notes when every `ticket.called` reached it, on the machine's shared
 * clock, and hands the notes to the parent when asked.
 *
 * The transport is WebSocket only (the TV starts with HTTP long-polling and upgrades): 2,000
 * polling handshakes would measure the generator, and a deployment of several nodes runs
 * WebSocket-only or sticky anyway.
 */
import { io } from "socket.io-client";
import { connectLive, RECONNECTION, type LiveSocket } from "../../app/lib/live-connection";
import { LiveSnapshotStore } from "../../app/lib/live-store";
import type { PublicSnapshot, PublicView } from "../../server/realtime/events";
import { eachLimited } from "./http";
import { clockMs } from "./report";

export type ScreenSpec = { deviceId: number; centreId: number; cookie: string };
export type ScreenNotes = {
  deviceId: number;
  centreId: number;
  /** [ticket id, when] of each call heard live. */
  heard: Array<[number, number]>;
  /** [ticket id, when] of calls learnt from the log after a reconnect. */
  recovered: Array<[number, number]>;
  disconnects: number;
  snapshots: number;
  reloads: number;
};
export type WorkerCommand = { type: "connect"; baseUrl: string; screens: ScreenSpec[]; concurrency: number } | { type: "collect" } | { type: "close" };
export type WorkerReply =
  | { type: "connected"; connected: number; failed: number; errors: string[] }
  | { type: "notes"; screens: ScreenNotes[] }
  | { type: "closed" };

type Screen = { spec: ScreenSpec; notes: ScreenNotes; stop: () => void };
const screens: Screen[] = [];
const reply = (message: WorkerReply) => process.send?.(message);

async function connectAll(baseUrl: string, specs: ScreenSpec[], concurrency: number) {
  const origin = new URL(baseUrl).origin;
  // The page's loader gives it its first snapshot; one read per centre stands in for it.
  const initial = new Map<number, PublicSnapshot>();
  for (const spec of specs) {
    if (initial.has(spec.centreId)) continue;
    const response = await fetch(`${baseUrl}/api/v1/snapshot`, { headers: { cookie: spec.cookie } });
    if (!response.ok) throw new Error(`snapshot for screen ${spec.deviceId}: ${response.status}`);
    initial.set(spec.centreId, ((await response.json()) as { data: PublicSnapshot }).data);
  }
  let failed = 0;
  const errors: string[] = [];
  await eachLimited(specs, concurrency, async (spec) => {
    const notes: ScreenNotes = { deviceId: spec.deviceId, centreId: spec.centreId, heard: [], recovered: [], disconnects: 0, snapshots: 0, reloads: 0 };
    const socket = io(baseUrl, {
      transports: ["websocket"],
      extraHeaders: { cookie: spec.cookie, origin },
      forceNew: true,
      ...RECONNECTION,
    }) as unknown as LiveSocket<PublicView>;
    // Noted before the page's own handler runs.
    socket.on("queue:event", (event) => {
      if (event.type === "ticket.called") notes.heard.push([event.ticket.id, clockMs()]);
    });
    socket.on("disconnect", () => notes.disconnects++);
    socket.on("connect", () => socket.emit("device:modes", { voice: "clips" }, () => {}));
    const emit = socket.emit.bind(socket) as (...args: unknown[]) => LiveSocket<PublicView>;
    (socket as unknown as { emit: typeof emit }).emit = (...args: unknown[]) => {
      if (args[0] === "queue:snapshot") notes.snapshots++;
      return emit(...args);
    };
    const store = new LiveSnapshotStore<PublicView>(structuredClone(initial.get(spec.centreId)!));
    const ready = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 60_000);
      const unsubscribe = store.subscribe(() => {
        clearTimeout(timer);
        unsubscribe();
        resolve(true);
      });
    });
    const stop = connectLive(socket, store, {
      onConnection: () => {},
      onMissedCalls: (calls) => {
        const at = clockMs();
        for (const call of calls) if (call.kind === "called") notes.recovered.push([call.ticket.id, at]);
      },
      reloadWhenHealthy: () => {
        notes.reloads++;
        return () => {};
      },
    });
    screens.push({ spec, notes, stop });
    // Ready once its first snapshot over the socket arrived (the store changed).
    if (!(await ready)) {
      failed++;
      if (errors.length < 5) errors.push(`screen ${spec.deviceId}: no snapshot within 60 s (connected: ${socket.connected})`);
    }
  });
  reply({ type: "connected", connected: specs.length - failed, failed, errors });
}

process.on("message", (command: WorkerCommand) => {
  if (command.type === "connect") {
    connectAll(command.baseUrl, command.screens, command.concurrency).catch((error: unknown) => {
      reply({ type: "connected", connected: 0, failed: command.screens.length, errors: [String(error)] });
    });
  } else if (command.type === "collect") {
    reply({ type: "notes", screens: screens.map((s) => ({ ...s.notes })) });
    for (const s of screens) {
      s.notes.heard = [];
      s.notes.recovered = [];
    }
  } else if (command.type === "close") {
    for (const s of screens.splice(0)) s.stop();
    reply({ type: "closed" });
    setTimeout(() => process.exit(0), 100);
  }
});
process.on("disconnect", () => process.exit(0));
