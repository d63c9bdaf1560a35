import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { io, type Socket } from "socket.io-client";
import type { CentreSnapshot, ClientToServerEvents, QueueEvent, ServerToClientEvents, View } from "../../server/realtime/events";
import { LiveSnapshotStore } from "./live-store";

type LiveOptions<V extends View> = {
  onEvent?: (event: QueueEvent<V>) => void;
  /** Asked every minute: while it says yes, the page tells the server its person is at work (the session stays alive). */
  keepAlive?: () => boolean;
};
const KEEP_ALIVE_MS = 60_000;

/** "connecting" only at first (no alarm for the page's first second); "offline" once it is lost or slow to come. */
export type Connection = "connecting" | "online" | "offline";
const FIRST_CONNECT_GRACE_MS = 5_000;

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
    const socket: Socket<ServerToClientEvents<V>, ClientToServerEvents<V>> = io({ withCredentials: true });
    const resync = () => {
      if (!store.beginResync()) return;
      socket.timeout(10_000).emit("queue:snapshot", (error, reply) => {
        const fresh = !error && "data" in reply ? reply.data : null;
        if (store.endResync(fresh) === "resync") resync();
      });
    };
    socket.on("connect", () => {
      setConnection("online");
      resync();
    });
    socket.on("disconnect", (reason) => {
      setConnection("offline");
      // The server cut us off (device revoked, session ended): the page must re-check who we are.
      if (reason === "io server disconnect") setTimeout(() => window.location.reload(), 1_000);
    });
    socket.on("connect_error", () => {
      setConnection("offline");
      // Refused by the server's checks (not a network error): reload to show why.
      if (!socket.active) setTimeout(() => window.location.reload(), 5_000);
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
      clearInterval(dayCheck);
      clearInterval(alive);
      socket.disconnect();
    };
  }, [store]);

  return { snapshot, connection };
}
