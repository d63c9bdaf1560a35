/**
 * A live page's link to the server, outside React (use-live-snapshot.ts wraps it; tests drive
 * it with a Node socket): keeps the snapshot store current, says how the link is, and treats a
 * server going away as a network loss — reconnect with growing pauses, reload only when the
 * server itself ended this socket or refuses who we are, and then only once it answers.
 * After a reconnect it asks the event log for the calls made while away.
 */
import type { ManagerOptions, Socket, SocketOptions } from "socket.io-client";
import type { ClientToServerEvents, LoggedCall, QueueEvent, ServerToClientEvents, View } from "../../server/realtime/events";
import type { LiveSnapshotStore } from "./live-store";

/**
 * "connecting" only at first (no alarm for the page's first second); "offline" once the link is
 * lost or slow to come; "restarting" when the server said it is stopping for a moment.
 */
export type Connection = "connecting" | "online" | "offline" | "restarting";

export type LiveSocket<V extends View> = Socket<ServerToClientEvents<V>, ClientToServerEvents<V>>;

export type LiveHandlers<V extends View> = {
  onConnection(connection: Connection): void;
  onEvent?(event: QueueEvent<V>): void;
  /** After a reconnect and its fresh snapshot: the calls made while the page was away, oldest first. */
  onMissedCalls?(calls: LoggedCall[]): void;
  /** Asked every minute: while it says yes, the server is told the page's person is at work. */
  keepAlive?(): boolean;
  /** Reloads the page once the server answers (app/lib/offline.ts); returns a cancel. */
  reloadWhenHealthy(options?: { firstDelayMs?: number }): () => void;
};

/** Socket.IO's reconnection for live pages: 1 s growing to 5 s, randomised so a hall of screens does not return all at once. */
export const RECONNECTION = { reconnectionDelay: 1_000, reconnectionDelayMax: 5_000, randomizationFactor: 0.5 } as const;
/**
 * WebSocket first: one connection, which any node behind a load balancer can hold
 * (docs/deployment.md); long-polling only where a WebSocket cannot open (a proxy that drops the
 * upgrade), and then the balancer must keep a client on one node (sticky sessions).
 */
export const TRANSPORTS: Partial<ManagerOptions & SocketOptions> = { transports: ["websocket", "polling"], tryAllTransports: true };
const FIRST_CONNECT_GRACE_MS = 5_000;
const KEEP_ALIVE_MS = 60_000;
export const DAY_CHECK_MS = 5 * 60_000;
/** Refusals of the socket that only a reload can answer (the page then shows the sign-in or pairing). */
const REFUSED_FOR_GOOD = new Set(["unauthenticated", "forbidden"]);

/** How a link to the server is watched: its state, and what to do on each (re)connection. */
export type LinkHandlers = {
  onConnection(connection: Connection): void;
  /** The socket is connected (`again`: after a loss, not the page's first connection). */
  onConnect(again: boolean): void;
  /** Reloads the page once the server answers (app/lib/offline.ts); returns a cancel. */
  reloadWhenHealthy(options?: { firstDelayMs?: number }): () => void;
  /** Refusals of the handshake that only a reload can answer (besides unauthenticated and forbidden). */
  refusedForGood?: readonly string[];
};

/**
 * The part of a live page's link that every live page shares (the queue screens below, the
 * citizen's tracking page): says how the link is, treats a server going away as a network loss,
 * reconnects with growing pauses, and reloads only when the server ended this socket or refuses
 * who we are — once it answers. Returns what stops it, and `later` for timers stopped with it.
 */
export function superviseLink(socket: Socket, handlers: LinkHandlers) {
  let stopped = false;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  /** Runs `work` after `ms` unless the connection was stopped meanwhile. */
  const later = (work: () => void, ms: number) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!stopped) work();
    }, ms);
    timers.add(timer);
  };
  let cancelReload: (() => void) | undefined;
  let refusals = 0;
  let restarting = false;
  let everConnected = false;
  let connection: Connection = "connecting";
  const say = (next: Connection) => {
    if (next === connection) return;
    connection = next;
    handlers.onConnection(next);
  };
  const refusedForGood = new Set([...REFUSED_FOR_GOOD, ...(handlers.refusedForGood ?? [])]);

  socket.on("connect", () => {
    refusals = 0;
    restarting = false;
    say("online");
    const again = everConnected;
    everConnected = true;
    handlers.onConnect(again);
  });
  socket.on("server:restarting", () => {
    restarting = true;
    say("restarting");
  });
  socket.on("disconnect", (reason) => {
    say(restarting ? "restarting" : "offline");
    // The server ended this socket (the session ended, the device was revoked): the page must
    // ask again who we are — once the server answers, so the reload never lands on an error page.
    if (reason === "io server disconnect") cancelReload ??= handlers.reloadWhenHealthy({ firstDelayMs: 1_000 });
  });
  socket.on("connect_error", (error) => {
    say(restarting ? "restarting" : "offline");
    if (socket.active) return; // a network error: Socket.IO tries again by itself
    const code = (error as Error & { data?: { code?: string } }).data?.code;
    if (code && refusedForGood.has(code)) {
      cancelReload ??= handlers.reloadWhenHealthy();
      return;
    }
    // Refused for a passing reason (the database away): try again, waiting longer each time.
    refusals += 1;
    later(() => socket.connect(), Math.min(RECONNECTION.reconnectionDelay * 2 ** refusals, RECONNECTION.reconnectionDelayMax));
  });

  const slow = setTimeout(() => connection === "connecting" && say("offline"), FIRST_CONNECT_GRACE_MS);
  return {
    later,
    connected: () => socket.connected,
    stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      clearTimeout(slow);
      cancelReload?.();
      socket.disconnect();
    },
  };
}

/** Wires `socket` to `store`; returns what stops it all. */
export function connectLive<V extends View>(socket: LiveSocket<V>, store: LiveSnapshotStore<V>, handlers: LiveHandlers<V>): () => void {
  // After a reconnect: the last sequence seen before it, until the calls made since are asked for.
  let missedSince: number | undefined;

  /** Loads a fresh snapshot (the events meanwhile are kept and applied after it). */
  const resync = () => {
    if (!store.beginResync()) return;
    socket.timeout(10_000).emit("queue:snapshot", (error, reply) => {
      const fresh = !error && "data" in reply ? reply.data : null;
      if (store.endResync(fresh) === "resync") return resync();
      // Not read (the database away): ask again shortly, if still connected.
      if (!fresh) {
        if (socket.connected) link.later(resync, 3_000);
        return;
      }
      if (missedSince === undefined || !handlers.onMissedCalls) return;
      const afterSeq = missedSince;
      missedSince = undefined;
      socket.timeout(10_000).emit("queue:callsSince", afterSeq, (err, calls) => {
        if (!err && "data" in calls && calls.data.length > 0) handlers.onMissedCalls?.(calls.data);
      });
    });
  };

  const link = superviseLink(socket as unknown as Socket, {
    onConnection: handlers.onConnection,
    reloadWhenHealthy: handlers.reloadWhenHealthy,
    onConnect(again) {
      if (again) missedSince ??= store.get().seq;
      resync();
    },
  });
  socket.on("queue:event", (event) => {
    const outcome = store.receive(event);
    if (outcome === "resync") resync();
    if (outcome !== "ignored") handlers.onEvent?.(event);
  });

  // A new service day starts at midnight even when nothing happens.
  const dayCheck = setInterval(resync, DAY_CHECK_MS);
  const alive = setInterval(() => {
    if (socket.connected && handlers.keepAlive?.()) socket.emit("session:active", () => {});
  }, KEEP_ALIVE_MS);
  return () => {
    link.stop();
    clearInterval(dayCheck);
    clearInterval(alive);
  };
}
