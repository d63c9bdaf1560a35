import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { io, type Socket } from "socket.io-client";
import type { CentreSnapshot, ClientToServerEvents, QueueEvent, ServerToClientEvents, View } from "../../server/realtime/events";
import { LiveSnapshotStore } from "./live-store";
import { reloadWhenHealthy } from "./offline";

type LiveOptions<V extends View> = {
  onEvent?: (event: QueueEvent<V>) => void;
  /** Asked every minute: while it says yes, the page tells the server its person is at work (the session stays alive). */
  keepAlive?: () => boolean;
};
const KEEP_ALIVE_MS = 60_000;

/**
 * "connecting" only at first (no alarm for the page's first second); "offline" once the link is
 * lost or slow to come; "restarting" when the server said it is stopping for a moment.
 */
export type Connection = "connecting" | "online" | "offline" | "restarting";
const FIRST_CONNECT_GRACE_MS = 5_000;
/** Reconnection after a refusal that is not about who we are (the database away): growing pauses. */
const RETRY_FIRST_MS = 1_000;
const RETRY_MAX_MS = 5_000;
/** Refusals of the socket that only a reload can answer (the page then shows the sign-in or pairing). */
const REFUSED_FOR_GOOD = new Set(["unauthenticated", "forbidden"]);

/**
 * Keeps a centre snapshot live over Socket.IO: applies events in sequence, refetches a
 * snapshot on (re)connect or on a gap, and says whether the link is up, so a screen never
 * shows old data without saying so.
 */
export function useLiveSnapshot<V extends View>(initial: CentreSnapshot<V>, options: LiveOptions<V> = {}) {
  const [store] = useState(() => new LiveSnapshotStore(initial));
  const snapshot = useSyncExternalStore(store.subscribe, store.get, store.get);
  const [connection, setConnection] = useState<Connection>("connecting");
  const onEvent = useRef(options.onEvent);
  const keepAlive = useRef(options.keepAlive);
  useEffect(() => {
    onEvent.current = options.onEvent;
    keepAlive.current = options.keepAlive;
  });

  // Loader data after an action or a revalidation is newer when its sequence is.
  useEffect(() => store.offer(initial), [store, initial]);

  useEffect(() => {
    // A server going away is a network loss: Socket.IO reconnects with growing pauses (1 s up to
    // 5 s, randomised so a hall of screens does not come back all at once), so a screen is live
    // again within seconds of the server.
    const socket: Socket<ServerToClientEvents<V>, ClientToServerEvents<V>> = io({
      withCredentials: true,
      reconnectionDelay: RETRY_FIRST_MS,
      reconnectionDelayMax: RETRY_MAX_MS,
      randomizationFactor: 0.5,
    });
    let retry: ReturnType<typeof setTimeout> | undefined;
    let cancelReload: (() => void) | undefined;
    let refusals = 0;
    let restarting = false;
    const resync = () => {
      if (!store.beginResync()) return;
      socket.timeout(10_000).emit("queue:snapshot", (error, reply) => {
        const fresh = !error && "data" in reply ? reply.data : null;
        if (store.endResync(fresh) === "resync") resync();
        // The snapshot could not be read (the database away): ask again shortly.
        if (!fresh && socket.connected) retry = setTimeout(resync, RETRY_FIRST_MS * 3);
      });
    };
    socket.on("connect", () => {
      refusals = 0;
      restarting = false;
      setConnection("online");
      resync();
    });
    socket.on("server:restarting", () => {
      restarting = true;
      setConnection("restarting");
    });
    socket.on("disconnect", (reason) => {
      setConnection(restarting ? "restarting" : "offline");
      // The server ended this socket (the session ended, the device was revoked): the page must
      // ask again who we are — once the server answers, so the reload never lands on an error page.
      if (reason === "io server disconnect") cancelReload ??= reloadWhenHealthy({ firstDelayMs: 1_000 });
    });
    socket.on("connect_error", (error) => {
      setConnection(restarting ? "restarting" : "offline");
      if (socket.active) return; // a network error: Socket.IO tries again by itself
      const code = (error as Error & { data?: { code?: string } }).data?.code;
      if (code && REFUSED_FOR_GOOD.has(code)) {
        cancelReload ??= reloadWhenHealthy();
        return;
      }
      // Refused for a passing reason (the database away): try again, waiting longer each time.
      refusals += 1;
      retry = setTimeout(() => socket.connect(), Math.min(RETRY_FIRST_MS * 2 ** refusals, RETRY_MAX_MS));
    });
    socket.on("queue:event", (event) => {
      const outcome = store.receive(event);
      if (outcome === "resync") resync();
      if (outcome !== "ignored") onEvent.current?.(event);
    });
    const slow = setTimeout(() => setConnection((c) => (c === "connecting" ? "offline" : c)), FIRST_CONNECT_GRACE_MS);
    // A new service day starts at midnight even when nothing happens.
    const dayCheck = setInterval(resync, 5 * 60 * 1000);
    const alive = setInterval(() => {
      if (socket.connected && keepAlive.current?.()) socket.emit("session:active", () => {});
    }, KEEP_ALIVE_MS);
    return () => {
      clearTimeout(slow);
      clearTimeout(retry);
      cancelReload?.();
      clearInterval(dayCheck);
      clearInterval(alive);
      socket.disconnect();
    };
  }, [store]);

  return { snapshot, connection };
}
