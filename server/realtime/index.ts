import type { Server as HttpServer } from "node:http";
import { and, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { Logger } from "pino";
import { Server, type ServerOptions, type Socket } from "socket.io";
import { isConnectionFailure, type Database } from "../../db/client";
import { devices } from "../../db/schema";
import { readCookie, type CookieOptions } from "../auth/cookies";
import { isSameOrigin } from "../auth/origin";
import { authorize, can, userActor, type DeviceActor, type Permission, type UserActor } from "../auth/permissions";
import type { SessionCache } from "../auth/session-cache";
import { liveSessionIds, validateSession, validateSessionToken, type SessionPolicy } from "../auth/session";
import { hashToken } from "../auth/token";
import type { ConnectionsToEnd, EventPublisher } from "../context";
import { deviceConnected, devicesDisconnected, reportDeviceModes } from "../devices/health";
import { deviceActor, validateDeviceToken } from "../devices/service";
import { AppError, isAppError, type ErrorCode } from "../errors";
import { isBusy } from "../http/database-gate";
import { asRequest } from "../http/request-context";
import { clientAddress, trustProxy, type TrustProxy } from "../proxy";
import { callsSince, snapshotFor } from "../queue/snapshot";
import { securityLog } from "../security-log";
import {
  CLIENT_EVENT_PERMISSIONS,
  centreRoom,
  deviceRoom,
  sessionRoom,
  userRoom,
  type Ack,
  type ClientToServerEvents,
  type QueueEvent,
  type ServerToClientEvents,
  type StaffNotice,
} from "./events";
import { inBatches, inSequence } from "./delivery";
import { publicEvent } from "./projection";
import type { TrackingService } from "../tracking/service";

/** A handshake refused: the client reads the code (`data.code`) to know whether to reload or to try again. */
function refusal(code: ErrorCode): Error {
  return Object.assign(new AppError(code), { data: { code } });
}

/**
 * Who holds the connection, as of its handshake: the device and its token, the staff session,
 * or a citizen's phone following one ticket by its tracking token (no actor: it may do nothing).
 */
type Principal = { actor: UserActor; sessionId: string } | { actor: DeviceActor; tokenHash: string } | { tracking: { centreId: number; ticketId: number } };
type StaffOrDevice = Exclude<Principal, { tracking: unknown }>;
type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, Principal>;
/** What the nodes say to each other through the adapter: each queue event once, whole (each node projects it for its own sockets), several to a message. */
type InterServerEvents = {
  "queue:events": (events: QueueEvent[]) => void;
  /** Sessions that ended or changed: each node drops what it remembers of them (decision 0033). */
  "sessions:changed": (sessionIds: string[]) => void;
};

type Deps = CookieOptions & {
  /** How broadcasts reach the sockets of the other nodes (server/nodes.ts); none: this process only. */
  adapter?: ServerOptions["adapter"];
  /** The proxies trusted to forward a client's address, as for Express's `req.ip` (server/proxy.ts); none: loopback. */
  trustProxy?: TrustProxy;
  db: Database;
  logger: Logger;
  sessionPolicy: SessionPolicy;
  now?: () => Date;
  recheckMs?: number;
  /** Opens a tracking token (server/tracking/service.ts, throttled per address like the page). */
  tracking?: Pick<TrackingService, "follow">;
  /** The sessions this node's requests trust for a moment (server/auth/session-cache.ts): told here when one ends or changes, on every node. */
  sessions?: SessionCache;
};

export type Realtime = EventPublisher & {
  io: Server;
  /** Open connections by kind of client: staff, kiosk, display, rating (tablets), tracking (citizens' phones). */
  socketCounts(): Record<string, number>;
  close(): Promise<void>;
};

/** How often every open socket's session or device is checked again. */
export const RECHECK_MS = 5_000;

/**
 * Socket.IO on the app's HTTP server. A connection is accepted only from our own origin and
 * with a valid device token or staff session allowed to watch the queue; it joins its centre's
 * room for the projection it may see (staff or public), and its device's or session's room.
 * Its session or device is checked again on every message and every few seconds: a session
 * that ends (logout, idle, expired, user disabled) or a device revoked loses its sockets.
 */
export function createRealtime(httpServer: HttpServer, deps: Deps): Realtime {
  const io = new Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, Principal>(httpServer, {
    serveClient: false,
    ...(deps.adapter ? { adapter: deps.adapter } : {}),
    allowRequest: (req, callback) => callback(null, isSameOrigin(req.headers.origin, req.headers.host)),
  });
  const clock = () => deps.now?.() ?? new Date();
  const trust = deps.trustProxy ?? trustProxy("loopback");

  // Each handshake is a request of its own: its log lines carry a request id.
  io.use((socket, next) => asRequest(() => authenticateSocket(socket, next)));
  const authenticateSocket = async (socket: LiveSocket, next: (error?: Error) => void) => {
    try {
      // A citizen's phone: the token of its ticket, whatever cookies the browser has.
      const trackingToken = (socket.handshake.auth as { trackingToken?: unknown } | undefined)?.trackingToken;
      if (trackingToken !== undefined) {
        if (!deps.tracking || typeof trackingToken !== "string") return next(refusal("tracking_not_found"));
        socket.data = { tracking: await deps.tracking.follow({ token: trackingToken, address: clientAddress(socket.request, trust) }) };
        return next();
      }
      const principal = await principalOf(deps, socket.request.headers.cookie);
      if (!principal) return next(refusal("unauthenticated"));
      if (!can(principal.actor, "queue.watch")) {
        securityLog(deps, "access.refused", { via: "socket", actor: principal.actor, permission: "queue.watch" });
        return next(refusal("forbidden"));
      }
      socket.data = principal;
      next();
    } catch (error) {
      if (isAppError(error)) return next(refusal(error.code));
      // The database gone is a reason to try again later, not a refusal (the client keeps its page).
      if (isConnectionFailure(error)) return next(refusal("database_unavailable"));
      // The pool too busy to admit it (decision 0032): try again shortly, like an outage.
      if (isBusy(error)) return next(refusal("database_busy"));
      deps.logger.error({ err: error }, "socket authentication failed");
      next(refusal("internal"));
    }
  };

  /** A client message: its principal is checked again first, then the permission the event needs. */
  const handle = <T>(socket: LiveSocket, event: keyof ClientToServerEvents, work: () => Promise<T>) => (ack: (reply: Ack<T>) => void) =>
    asRequest(async () => {
      if (typeof ack !== "function") return;
      const principal = socket.data;
      if ("tracking" in principal) return ack(new AppError("forbidden").toJSON());
      try {
        if (!(await stillValid(deps, principal, clock(), event === "session:active"))) {
          ack(new AppError("unauthenticated").toJSON());
          socket.disconnect(true);
          return;
        }
        authorize(principal.actor, CLIENT_EVENT_PERMISSIONS[event] as Permission);
        ack({ data: await work() });
      } catch (error) {
        const appError = isAppError(error)
          ? error
          : new AppError(isConnectionFailure(error) ? "database_unavailable" : isBusy(error) ? "database_busy" : "internal");
        if (appError.code === "internal") deps.logger.error({ err: error, event }, "socket event failed");
        ack(appError.toJSON());
      }
    });

  io.on("connection", (socket) => {
    const held = socket.data;
    if ("tracking" in held) {
      // Its centre's public room and nothing else: the projection the hall's screens get.
      void socket.join(centreRoom(held.tracking.centreId, "public"));
      // It only listens (its page reads the ticket's view over HTTP): every message is refused.
      const refuse = (ack: unknown) => void (typeof ack === "function" && ack(new AppError("forbidden").toJSON()));
      socket.on("queue:snapshot", refuse);
      socket.on("session:active", refuse);
      socket.on("queue:callsSince", (_afterSeq, ack) => refuse(ack));
      socket.on("device:modes", (_modes, ack) => refuse(ack));
      return;
    }
    const principal = held;
    void socket.join([
      centreRoom(principal.actor.centreId, can(principal.actor, "queue.staffView") ? "staff" : "public"),
      ...("sessionId" in principal ? [sessionRoom(principal.sessionId), userRoom(principal.actor.userId)] : [deviceRoom(principal.actor.deviceId)]),
    ]);
    if (!("sessionId" in principal)) {
      // Its connection is its health: connected from now, and offline from the moment its last socket here closes.
      // (Its sockets on another node, rare, are counted there: that node's heartbeat marks it connected again.)
      const deviceId = principal.actor.deviceId;
      void deviceConnected(deps.db, deviceId, clock()).catch((err) => deps.logger.warn({ err, deviceId }, "could not note a device's connection"));
      socket.on("disconnect", () => {
        if ((io.of("/").adapter.rooms.get(deviceRoom(deviceId))?.size ?? 0) > 0) return;
        void devicesDisconnected(deps.db, [deviceId], clock()).catch((err) => deps.logger.debug({ err, deviceId }, "could not note a device's disconnection"));
      });
    }
    socket.on("device:modes", (modes, ack) => handle(socket, "device:modes", () => reportDeviceModes({ db: deps.db, now: deps.now }, principal.actor, modes))(ack));
    socket.on("queue:snapshot", handle(socket, "queue:snapshot", () => snapshotFor({ db: deps.db, now: deps.now }, principal.actor)));
    socket.on("session:active", handle(socket, "session:active", async () => true as const));
    socket.on("queue:callsSince", (afterSeq, ack) =>
      handle(socket, "queue:callsSince", () => callsSince({ db: deps.db, now: deps.now }, principal.actor, { afterSeq: Number(afterSeq) }))(ack),
    );
  });

  const sweep = setInterval(() => void recheckAll(io, deps, clock()).catch((err) => deps.logger.warn({ err }, "socket re-check failed")), deps.recheckMs ?? RECHECK_MS);
  sweep.unref();

  // An event reaches this node's sockets in each audience's room, in the centre's sequence order;
  // it reaches the other nodes once, whole, through the adapter, together with the other events
  // of the same turn of the event loop (one message — one NOTIFY on PostgreSQL — for all of them),
  // and each node projects it and orders it among the events of the centre it has seen, its own
  // and the other nodes' (decision 0031).
  const deliver = (event: QueueEvent) => {
    io.local.to(centreRoom(event.centreId, "staff")).emit("queue:event", event);
    io.local.to(centreRoom(event.centreId, "public")).emit("queue:event", publicEvent(event));
  };
  const ordered = inSequence(deliver);
  const toNodes = deps.adapter ? inBatches<QueueEvent>((events) => io.serverSideEmit("queue:events", events)) : undefined;
  const publish = (event: QueueEvent) => {
    ordered.publish(event);
    toNodes?.push(event);
  };
  io.on("queue:events", (events) => {
    for (const event of events) ordered.publish(event);
  });
  // A session that ends or changes is forgotten here at once and on the other nodes by a message
  // (lost with the link to them: then their entries lapse within SESSION_TRUST_MS).
  const sessionsChanged = (sessionIds: string[]) => {
    if (sessionIds.length === 0) return;
    deps.sessions?.forget(sessionIds);
    if (deps.adapter) io.serverSideEmit("sessions:changed", sessionIds);
  };
  io.on("sessions:changed", (sessionIds) => deps.sessions?.forget(sessionIds));

  return {
    io,
    socketCounts() {
      const counts: Record<string, number> = { staff: 0, kiosk: 0, display: 0, rating: 0, tracking: 0 };
      for (const socket of io.of("/").sockets.values()) {
        const held = socket.data;
        const kind = !held ? null : "tracking" in held ? "tracking" : held.actor.kind === "device" ? held.actor.deviceKind : "staff";
        if (kind) counts[kind] = (counts[kind] ?? 0) + 1;
      }
      return counts;
    },
    publish,
    notify(notice: StaffNotice) {
      if (notice.type === "dossier.changed") io.to(centreRoom(notice.centreId, "staff")).emit("dossier:changed", notice);
      else io.to(userRoom(notice.officerId)).emit("rating:received", notice);
    },
    sessionsChanged,
    endConnections(which: ConnectionsToEnd) {
      sessionsChanged(which.sessionIds ?? []);
      const rooms = [...(which.deviceIds ?? []).map(deviceRoom), ...(which.sessionIds ?? []).map(sessionRoom)];
      if (rooms.length > 0) io.in(rooms).disconnectSockets(true);
    },
    close: async () => {
      clearInterval(sweep);
      toNodes?.flush();
      ordered.close();
      // Clients are told the server is going away for a moment. Their connections then close with
      // the server (io.close, by the caller), which a client takes as a network loss: it keeps its
      // page and reconnects. A disconnect from the server would end its socket for good.
      // Only this node's clients: the other nodes stay up (`io.emit` would cross the adapter).
      io.local.emit("server:restarting");
    },
  };
}

/** Who opens the connection: a paired device first, else a staff session. */
async function principalOf(deps: Deps, cookieHeader: string | undefined): Promise<StaffOrDevice | null> {
  const deviceToken = readCookie(cookieHeader, "device", deps);
  const device = deviceToken ? await validateDeviceToken(deps.db, deviceToken) : null;
  if (device) return { actor: deviceActor(device), tokenHash: hashToken(deviceToken!) };
  const sessionToken = readCookie(cookieHeader, "session", deps);
  const auth = sessionToken ? await validateSessionToken(deps.db, sessionToken, { policy: deps.sessionPolicy, now: deps.now?.(), touch: false }) : null;
  if (auth) return { actor: userActor(auth.user), sessionId: auth.session.id };
  return null;
}

/** Whether a socket's session or device still stands (`touch`: the message is activity of the person). */
async function stillValid(deps: Deps, principal: StaffOrDevice, now: Date, touch: boolean): Promise<boolean> {
  if ("sessionId" in principal) return (await validateSession(deps.db, principal.sessionId, { policy: deps.sessionPolicy, now, touch })) !== null;
  return (await liveDevices(deps.db, [principal])).has(deviceKey(principal));
}

const deviceKey = (held: { actor: DeviceActor; tokenHash: string }) => `${held.actor.deviceId}:${held.tokenHash}`;

/** The (device, token) pairs still good: not revoked, and not paired again since (a new token). */
async function liveDevices(db: Database, held: Array<{ actor: DeviceActor; tokenHash: string }>): Promise<Set<string>> {
  if (held.length === 0) return new Set();
  const rows = await db
    .select({ id: devices.id, tokenHash: devices.tokenHash })
    .from(devices)
    .where(and(inArray(devices.id, [...new Set(held.map((h) => h.actor.deviceId))]), isNull(devices.revokedAt)));
  return new Set(rows.map((r) => `${r.id}:${r.tokenHash}`));
}

/** Closes this instance's sockets whose session ended or whose device was revoked or paired again: two queries, whatever the count. */
async function recheckAll(io: Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, Principal>, deps: Deps, now: Date) {
  const sockets = [...io.of("/").sockets.values()].flatMap((s) => (s.data && "actor" in s.data ? [s as LiveSocket & { data: StaffOrDevice }] : []));
  if (sockets.length === 0) return;
  const sessionIds = [...new Set(sockets.flatMap((s) => ("sessionId" in s.data ? [s.data.sessionId] : [])))];
  const held = sockets.flatMap((s) => ("tokenHash" in s.data ? [s.data] : []));
  const [liveSessions, liveDeviceKeys] = await Promise.all([
    liveSessionIds(deps.db, sessionIds, { now, policy: deps.sessionPolicy }),
    liveDevices(deps.db, held),
  ]);
  for (const socket of sockets) {
    const alive = "sessionId" in socket.data ? liveSessions.has(socket.data.sessionId) : liveDeviceKeys.has(deviceKey(socket.data));
    if (!alive) socket.disconnect(true);
  }
  // The devices connected here are alive: their heartbeat (the supervisor sees a TV or kiosk go offline from it).
  const connected = [...new Set(held.filter((h) => liveDeviceKeys.has(deviceKey(h))).map((h) => h.actor.deviceId))];
  if (connected.length > 0) {
    await deps.db
      .update(devices)
      // A connection noted as closed while another socket of the device lives (another tab) is connected again.
      .set({ lastSeenAt: now, connectedAt: sql`coalesce(${devices.connectedAt}, ${now.toISOString()}::timestamptz)` })
      .where(and(inArray(devices.id, connected), or(isNull(devices.lastSeenAt), lt(devices.lastSeenAt, new Date(now.getTime() - HEARTBEAT_MS)))));
  }
}

/** How often a connected device's last-seen time is written down. */
export const HEARTBEAT_MS = 30_000;
