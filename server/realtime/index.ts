import type { Server as HttpServer, IncomingMessage } from "node:http";
import type { Logger } from "pino";
import { Server } from "socket.io";
import type { Database } from "../../db/client";
import { DEVICE_COOKIE, SESSION_COOKIE, readCookie } from "../auth/cookies";
import { isSameOrigin } from "../auth/origin";
import { validateSessionToken } from "../auth/session";
import type { EventPublisher } from "../context";
import { validateDeviceToken } from "../devices/service";
import { AppError, isAppError } from "../errors";
import { getCentreSnapshot } from "../queue/read";
import {
  centreRoom,
  deviceRoom,
  sessionRoom,
  type ClientToServerEvents,
  type QueueEvent,
  type ServerToClientEvents,
  type SocketData,
} from "./events";

export type SocketControl = {
  /** Drops the live connections of a revoked or re-paired device. */
  disconnectDevice(deviceId: number): void;
  /** Drops the live connections opened with a session that has ended. */
  disconnectSession(sessionId: string): void;
};

export type Realtime = EventPublisher & SocketControl & { io: Server; close(): Promise<void> };

/**
 * Socket.IO on the app's HTTP server. A connection is accepted only from our own origin and
 * with a valid device token or staff session; it joins its centre's room and nothing else.
 */
export function createRealtime(httpServer: HttpServer, deps: { db: Database; logger: Logger }): Realtime {
  const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(httpServer, {
    serveClient: false,
    allowRequest: (req, callback) => callback(null, isSameOrigin(req.headers.origin, hostOf(req))),
  });

  io.use(async (socket, next) => {
    try {
      const cookieHeader = socket.request.headers.cookie;
      const deviceToken = readCookie(cookieHeader, DEVICE_COOKIE);
      const device = deviceToken ? await validateDeviceToken(deps.db, deviceToken) : null;
      if (device) {
        socket.data = { centreId: device.centreId, principal: { kind: "device", deviceId: device.id } };
        return next();
      }
      const sessionToken = readCookie(cookieHeader, SESSION_COOKIE);
      const auth = sessionToken ? await validateSessionToken(deps.db, sessionToken) : null;
      if (auth) {
        socket.data = {
          centreId: auth.user.centreId,
          principal: { kind: "user", userId: auth.user.id, sessionId: auth.session.id },
        };
        return next();
      }
      next(new AppError("unauthenticated"));
    } catch (error) {
      deps.logger.error({ err: error }, "socket authentication failed");
      next(new AppError("internal"));
    }
  });

  io.on("connection", (socket) => {
    const { principal } = socket.data;
    void socket.join([
      centreRoom(socket.data.centreId),
      principal.kind === "device" ? deviceRoom(principal.deviceId) : sessionRoom(principal.sessionId),
    ]);
    socket.on("queue:snapshot", async (ack) => {
      if (typeof ack !== "function") return;
      try {
        ack({ data: await getCentreSnapshot(deps, socket.data.centreId) });
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
      io.to(centreRoom(event.centreId)).emit("queue:event", event);
    },
    disconnectDevice: (deviceId) => io.in(deviceRoom(deviceId)).disconnectSockets(true),
    disconnectSession: (sessionId) => io.in(sessionRoom(sessionId)).disconnectSockets(true),
    close: () =>
      new Promise<void>((resolve) => {
        // Closing io also closes the HTTP server; let the caller own that.
        io.disconnectSockets(true);
        resolve();
      }),
  };
}

function hostOf(req: IncomingMessage): string | undefined {
  return req.headers.host;
}
