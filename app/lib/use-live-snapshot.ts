import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { io } from "socket.io-client";
import type { CentreSnapshot, DeviceModesReport, DossierNotice, LoggedCall, QueueEvent, RatingNotice, View } from "../../server/realtime/events";
import { connectLive, RECONNECTION, TRANSPORTS, type Connection, type LiveSocket } from "./live-connection";
import { LiveSnapshotStore } from "./live-store";
import { reloadWhenHealthy } from "./offline";

export type { Connection };

type LiveOptions<V extends View> = {
  onEvent?: (event: QueueEvent<V>) => void;
  /** After a reconnect: the calls made while the page was away (the TV lists and announces them). */
  onMissedCalls?: (calls: LoggedCall[]) => void;
  /** Asked every minute: while it says yes, the page tells the server its person is at work (the session stays alive). */
  keepAlive?: () => boolean;
  /** A dossier of the centre moved a step (staff pages only). */
  onDossier?: (notice: DossierNotice) => void;
  /** A citizen rated a visit this officer served (the officer's own pages only; never the value). */
  onRating?: (notice: RatingNotice) => void;
  /** A paired device's modes (voice, print…): told to the server on every connection and whenever they change. */
  modes?: DeviceModesReport;
};

/**
 * Keeps a centre snapshot live over Socket.IO (app/lib/live-connection.ts): events applied in
 * sequence, a fresh snapshot on (re)connect or on a gap, and the state of the link, so a
 * screen never shows old data without saying so.
 */
export function useLiveSnapshot<V extends View>(initial: CentreSnapshot<V>, options: LiveOptions<V> = {}) {
  const [store] = useState(() => new LiveSnapshotStore(initial));
  const snapshot = useSyncExternalStore(store.subscribe, store.get, store.get);
  const [connection, setConnection] = useState<Connection>("connecting");
  const latest = useRef(options);
  const socketRef = useRef<LiveSocket<V> | null>(null);
  useEffect(() => {
    latest.current = options;
  });

  // Loader data after an action or a revalidation is newer when its sequence is.
  useEffect(() => store.offer(initial), [store, initial]);

  useEffect(() => {
    const socket: LiveSocket<V> = io({ withCredentials: true, ...TRANSPORTS, ...RECONNECTION });
    socket.on("dossier:changed", (notice) => latest.current.onDossier?.(notice));
    socket.on("rating:received", (notice) => latest.current.onRating?.(notice));
    socket.on("connect", () => {
      const modes = latest.current.modes;
      if (modes) socket.emit("device:modes", modes, () => {});
    });
    socketRef.current = socket;
    return connectLive(socket, store, {
      onConnection: setConnection,
      onEvent: (event) => latest.current.onEvent?.(event),
      onMissedCalls: (calls) => latest.current.onMissedCalls?.(calls),
      keepAlive: () => latest.current.keepAlive?.() ?? false,
      reloadWhenHealthy,
    });
  }, [store]);

  // Modes that change while connected (sound allowed, a voice found) are told at once.
  const modesKey = options.modes ? JSON.stringify(options.modes) : null;
  useEffect(() => {
    const socket = socketRef.current;
    if (modesKey && socket?.connected) socket.emit("device:modes", JSON.parse(modesKey) as DeviceModesReport, () => {});
  }, [modesKey]);

  return { snapshot, connection };
}
