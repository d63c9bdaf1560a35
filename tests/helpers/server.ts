import { and, eq } from "drizzle-orm";
import pino, { type Logger } from "pino";
import type { AppConfig } from "../../server/services";
import { io, type Socket } from "socket.io-client";
import { counters, fields, users, type DeviceKind } from "../../db/schema";
import { seedDemo } from "../../server/demo/seed";
import { createMotcuaServer } from "../../server/app";
import { developmentPages } from "../../server/pages";
import { SYSTEM_ACTOR, userActor } from "../../server/auth/permissions";
import { DEFAULT_SESSION_POLICY } from "../../server/auth/session";
import { createDevice, pairDevice } from "../../server/devices/service";
import type { ClientToServerEvents, ServerToClientEvents } from "../../server/realtime/events";
import type { DatabaseHandle } from "../../db/client";
import { createTestDatabase } from "./database";

export const DEMO_PASSWORD_FOR_TESTS = "Test@Password1";

/**
 * A real server on a free port over a fresh seeded database. Pages are mounted only when asked
 * (through Vite, as in development: a few seconds more).
 */
export async function startTestServer(
  options: {
    pages?: boolean;
    config?: Partial<AppConfig>;
    logger?: Logger;
    now?: () => Date;
    socketRecheckMs?: number;
    /** A migrated, empty database of the caller's (closed with the server) instead of a fresh test database. */
    database?: DatabaseHandle;
  } = {},
) {
  const { handle, drop } = options.database
    ? { handle: options.database, drop: () => options.database!.close() }
    : await createTestDatabase();
  const seeded = await seedDemo(handle.db, { password: DEMO_PASSWORD_FOR_TESTS });
  const server = await createMotcuaServer({
    database: handle,
    config: { cookieSecure: false, publicUrl: "", demoData: true, sessionPolicy: DEFAULT_SESSION_POLICY, kioskPaceMs: 0, ...options.config },
    logger: options.logger ?? pino({ level: "silent" }),
    now: options.now,
    socketRecheckMs: options.socketRecheckMs,
    // The end-of-day steps run when a test asks (tests/integration/day-end.test.ts), never on their own.
    dayEndEveryMs: 0,
    mountPages: options.pages ? developmentPages({ hotReload: false }) : undefined,
    strictScripts: !options.pages,
  });
  const port = await server.listen(0, "127.0.0.1");
  const baseUrl = `http://127.0.0.1:${port}`;
  const db = handle.db;

  /** `body` is sent as JSON, `form` as a browser's form post. */
  type Options = { cookie?: string; body?: unknown; form?: Record<string, string>; headers?: Record<string, string> };
  async function request(method: string, path: string, options: Options = {}) {
    const response = await fetch(baseUrl + path, {
      method,
      headers: {
        ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
        ...(options.cookie ? { cookie: options.cookie } : {}),
        ...options.headers,
      },
      body: options.form ? new URLSearchParams(options.form) : options.body !== undefined ? JSON.stringify(options.body) : undefined,
      redirect: "manual",
    });
    const text = await response.text();
    let body: any = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: response.status, body, headers: response.headers };
  }

  async function login(username: string, password = DEMO_PASSWORD_FOR_TESTS) {
    const res = await request("POST", "/api/v1/auth/login", { body: { username, password } });
    if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
    const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
    const [user] = await db.select().from(users).where(eq(users.username, username));
    return { cookie, user: user!, actor: userActor(user!) };
  }

  /** A device paired for the test; a rating tablet is bound to `counterId` (by default the demo's counter 1). */
  async function pairedDevice(kind: DeviceKind, name = `Thiết bị thử ${kind}`, options: { counterId?: number } = {}) {
    const counterId = kind === "rating" ? (options.counterId ?? (await db.select().from(counters).where(and(eq(counters.centreId, seeded.centreId), eq(counters.number, 1))))[0]!.id) : null;
    const { pairingCode } = await createDevice(server.services, SYSTEM_ACTOR, { centreId: seeded.centreId, kind, name, counterId });
    const { device, token } = await pairDevice(server.services, pairingCode);
    return { device, cookie: `motcua_device=${token}` };
  }

  async function fieldByCode(code: string) {
    const [field] = await db.select().from(fields).where(eq(fields.code, code));
    return field!;
  }

  function socket(cookie?: string, headers: Record<string, string> = {}): Socket<ServerToClientEvents, ClientToServerEvents> {
    return io(baseUrl, {
      transports: ["websocket"],
      extraHeaders: { ...(cookie ? { cookie } : {}), ...headers },
      reconnection: false,
      forceNew: true,
    });
  }

  return {
    baseUrl,
    db,
    handle,
    seeded,
    request,
    login,
    pairedDevice,
    fieldByCode,
    socket,
    services: server.services,
    events: server.services.events,
    async close() {
      await server.close();
      await drop();
    },
  };
}

export type TestServer = Awaited<ReturnType<typeof startTestServer>>;
