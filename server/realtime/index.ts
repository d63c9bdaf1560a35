import type { Server as HttpServer } from "node:http";
import type { Logger } from "pino";
import { Server } from "socket.io";
import type { Database } from "../../db/client";
import { DEVICE_COOKIE, SESSION_COOKIE, readCookie } from "../auth/cookies";
import { isSameOrigin } from "../auth/origin";
import { authorize, can, type DeviceActor, type UserActor } from "../auth/permissions";
import { userActor, validateSessionToken } from "../auth/session";
import type { ConnectionsToEnd, EventPublisher } from "../context";
import { deviceActor, validateDeviceToken } from "../devices/service";
import { AppError, isAppError } from "../errors";
import { snapshotFor } from "../queue/snapshot";
import {
  CLIENT_EVENT_PERMISSIONS,
  centreRoom,
  deviceRoom,
  sessionRoom,
  type ClientToServerEvents,
  type QueueEvent,
  type ServerToClientEvents,
} from "./events";
import { publicEvent } from "./projection";

type Principal = { actor: UserActor | DeviceActor; sessionId?: string };
type SocketData = Principal;

export type Realtime = EventPublisher & { io: Server; close(): Promise<void> };

/**
 * Socket.IO on the app's HTTP server. A connection is accepted only from our own origin and
 * with a valid device token or staff session allowed to watch the queue; it joins its centre's
 * room for the projection it may see (staff or public), and its device's or session's room.
 */
export function createRealtime(httpServer: HttpServer, deps: { db: Database; logger: Logger }): Realtime {
  const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(httpServer, {
    serveClient: false,
    allowRequest: (req, callback) => callback(null, isSameOrigin(req.headers.origin, req.headers.host)),
  });

  io.use(async (socket, next) => {
    try {
      const principal = await principalOf(deps.db, socket.request.headers.cookie);
      if (!principal) return next(new AppError("unauthenticated"));
      if (!can(principal.actor, "queue.watch")) return next(new AppError("forbidden"));
      socket.data = principal;
      next();
    } catch (error) {
      deps.logger.error({ err: error }, "socket authentication failed");
      next(new AppError("internal"));
    }
  });

  io.on("connection", (socket) => {
    const { actor, sessionId } = socket.data;
    void socket.join([
      centreRoom(actor.centreId, can(actor, "queue.staffView") ? "staff" : "public"),
      actor.kind === "device" ? deviceRoom(actor.deviceId) : sessionRoom(sessionId!),
    ]);
    socket.on("queue:snapshot", async (ack) => {
      if (typeof ack !== "function") return;
      try {
        authorize(actor, CLIENT_EVENT_PERMISSIONS["queue:snapshot"]);
        ack({ data: await snapshotFor(deps, actor) });
      } catch (error) {
        const appError = isAppError(error) ? error : new AppError("internal");
        if (!isAppError(error)) deps.logger.error({ err: error }, "snapshot failed");
        ack(appError.toJSON());
      }
    });
  });

  return {
    io,
    publish(event: QueueEvent) {
      io.to(centreRoom(event.centreId, "staff")).emit("queue:event", event);
      io.to(centreRoom(event.centreId, "public")).emit("queue:event", publicEvent(event));
    },
    endConnections(which: ConnectionsToEnd) {
      const rooms = [...(which.deviceIds ?? []).map(deviceRoom), ...(which.sessionIds ?? []).map(sessionRoom)];
      if (rooms.length > 0) io.in(rooms).disconnectSockets(true);
    },
    close: async () => {
      // Closing io also closes the HTTP server; let the caller own that.
      io.disconnectSockets(true);
    },
  };
}

/** Who opens the connection: a paired device first, else a staff session. */
async function principalOf(db: Database, cookieHeader: string | undefined): Promise<Principal | null> {
  const deviceToken = readCookie(cookieHeader, DEVICE_COOKIE);
  const device = deviceToken ? await validateDeviceToken(db, deviceToken) : null;
  if (device) return { actor: deviceActor(device) };
  const sessionToken = readCookie(cookieHeader, SESSION_COOKIE);
  const auth = sessionToken ? await validateSessionToken(db, sessionToken) : null;
  if (auth) return { actor: userActor(auth.user), sessionId: auth.session.id };
  return null;
}
