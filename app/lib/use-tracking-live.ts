/**
 * The citizen's tracking page's link: a socket opened with the ticket's tracking token (no
 * session, no device), which the server lets into its centre's public room only. The page does
 * not keep a queue: on each event of the centre, and on every (re)connection, it reloads its
 * ticket's view from the server (debounced, with a little jitter so a hall of phones does not
 * ask at the same instant). Offline and restarts are handled as on every live page.
 */
import { useEffect, useRef, useState } from "react";
import { io } from "socket.io-client";
import { DAY_CHECK_MS, RECONNECTION, TRANSPORTS, superviseLink, type Connection } from "./live-connection";
import { reloadWhenHealthy } from "./offline";

/** An event is followed by its siblings (a finish, then a call): one reload for the lot. */
const SETTLE_MS = 400;
const JITTER_MS = 800;

/** While `live`, keeps the page's view current through `refresh`; returns the link's state. */
export function useTrackingLive(token: string, live: boolean, refresh: () => void): Connection {
  const [connection, setConnection] = useState<Connection>("connecting");
  const latest = useRef(refresh);
  useEffect(() => {
    latest.current = refresh;
  });

  useEffect(() => {
    if (!live) return;
    const socket = io({ auth: { trackingToken: token }, ...TRANSPORTS, ...RECONNECTION });
    let pending: ReturnType<typeof setTimeout> | undefined;
    const soon = () => {
      if (pending) return;
      pending = setTimeout(() => {
        pending = undefined;
        latest.current();
      }, SETTLE_MS + Math.random() * JITTER_MS);
    };
    const link = superviseLink(socket, {
      onConnection: setConnection,
      // A first connection too: the page may have been served a while before its script ran.
      onConnect: soon,
      reloadWhenHealthy,
      refusedForGood: ["tracking_not_found"],
    });
    socket.on("queue:event", soon);
    // A new day expires a ticket even when nothing else happens in the hall.
    const dayCheck = setInterval(soon, DAY_CHECK_MS);
    return () => {
      clearTimeout(pending);
      clearInterval(dayCheck);
      link.stop();
    };
  }, [token, live]);

  return live ? connection : "online";
}
