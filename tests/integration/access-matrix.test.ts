/**
 * The permission table (server/auth/permissions.ts) is the one source of who may do what. This
 * test reads it and drives every /api/v1 route, every page (loader and each form's intent) and
 * every socket event with each role, each device kind and no one, over real HTTP and Socket.IO,
 * and checks each answer is "refused" exactly where the table says so.
 */
import { and, eq } from "drizzle-orm";
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import routeConfig from "../../app/routes";
import { counters, fields, priorityClasses, procedures, users } from "../../db/schema";
import { hashPassword } from "../../server/auth/password";
import { API_ROUTES } from "../../server/api/v1";
import { can, userActor, type Actor, type Permission } from "../../server/auth/permissions";
import { deviceActor } from "../../server/devices/service";
import { CLIENT_EVENT_PERMISSIONS } from "../../server/realtime/events";
import { DEMO_PASSWORD_FOR_TESTS, startTestServer, type TestServer } from "../helpers/server";

type Principal = { name: string; cookie?: string; user?: Actor; device?: Actor };

let s: TestServer;
const principals: Principal[] = [];
let ids: Record<string, string>;

beforeAll(async () => {
  s = await startTestServer({ pages: true });
  // A deployment administrator, beside the demo's staff.
  await s.db.insert(users).values({ centreId: s.seeded.centreId, username: "hethong", fullName: "Quản trị hệ thống", role: "sysadmin", passwordHash: await hashPassword(DEMO_PASSWORD_FOR_TESTS) });
  for (const username of ["canbo05", "giamsat", "quantri", "hethong"]) {
    const { cookie, user } = await s.login(username);
    principals.push({ name: `${user.role} ${username}`, cookie, user: userActor(user) });
  }
  // The tablet sits at counter 9 (the demo's own tablet has counter 1).
  const [counter9] = await s.db.select().from(counters).where(and(eq(counters.centreId, s.seeded.centreId), eq(counters.number, 9)));
  for (const kind of ["kiosk", "display", "rating"] as const) {
    const { cookie, device } = await s.pairedDevice(kind, `Thiết bị kiểm tra quyền (${kind})`, { counterId: counter9!.id });
    principals.push({ name: kind, cookie, device: deviceActor(device) });
  }
  principals.push({ name: "no one" });

  const [counter] = await s.db.select().from(counters).where(and(eq(counters.centreId, s.seeded.centreId), eq(counters.number, 6)));
  const [field] = await s.db.select().from(fields).where(and(eq(fields.centreId, s.seeded.centreId), eq(fields.code, "DKKD")));
  const [pc] = await s.db.select().from(priorityClasses).where(eq(priorityClasses.centreId, s.seeded.centreId));
  const kiosk = principals.find((p) => p.name === "kiosk")!;
  const issued = await s.request("POST", "/api/v1/kiosk/tickets", { cookie: kiosk.cookie, body: { fieldId: field!.id } });
  expect(issued.status).toBe(201);
  ids = {
    counterId: String(counter!.id),
    fieldId: String(field!.id),
    ticketId: String(issued.body.data.ticket.id),
    priorityClassId: String(pc!.id),
    deviceId: String((kiosk.device as { deviceId: number }).deviceId),
    ratingDeviceId: String((principals.find((p) => p.name === "rating")!.device as { deviceId: number }).deviceId),
    userId: String((await s.db.select().from(users).where(eq(users.username, "canbo08")))[0]!.id),
    centreId: String(s.seeded.centreId),
    // No dossier or letter has these: allowed principals get "not found" or "bad request", never a refusal.
    dossierId: "999999",
    letterId: "999999",
    procedureId: String((await s.db.select().from(procedures).where(and(eq(procedures.centreId, s.seeded.centreId), eq(procedures.code, "HT-01"))))[0]!.id),
    year: String(new Date().getFullYear()),
    // A report every allowed principal may read.
    kind: "tickets",
  };
}, 120_000);
afterAll(() => s?.close());

/** What the table says: the principal the entry point acts as, allowed the permission. */
function allowed(p: Principal, permission: Permission, as: "user" | "device" | "any") {
  const actor = as === "user" ? p.user : as === "device" ? p.device : (p.user ?? p.device);
  return can(actor, permission);
}

const REFUSAL_CODES = ["unauthenticated", "forbidden", "device_required", "device_wrong_kind"];

describe("/api/v1: every route against the permission table", () => {
  const routes = API_ROUTES.flatMap((r) => (r.access === "public" ? [] : [r]));

  it("declares a permission for every route but logging in and out, a ticket's tracking (its token is the key) the citizen's appointments and a visit's rating by its tracking link", () => {
    // The appointments: reading the slots, booking, cancelling (throttled in their service).
    expect(API_ROUTES.filter((r) => r.access === "public").map((r) => r.path)).toEqual([
      "/auth/login",
      "/auth/logout",
      "/tracking/:token",
      "/appointments/choices",
      "/appointments/slots",
      "/appointments",
      "/appointments/cancel",
      "/ratings/tracking/:token",
      "/ratings/tracking/:token",
    ]);
    expect(routes.length).toBeGreaterThanOrEqual(18);
  });

  it("refuses exactly the principals the table does not allow, and only them", async () => {
    const mismatches: string[] = [];
    for (const route of routes) {
      const path = `/api/v1${route.path.replace(/:(\w+)/g, (_, name: string) => ids[name]!)}`;
      for (const p of principals) {
        const res = await s.request(route.method.toUpperCase(), path, { cookie: p.cookie, ...(route.method === "post" ? { body: {} } : {}) });
        const refused = [401, 403].includes(res.status) && REFUSAL_CODES.includes(res.body?.error?.code);
        const expected = allowed(p, route.access, route.as);
        if (refused === expected || res.status >= 500) {
          mismatches.push(`${route.method.toUpperCase()} ${route.path} as ${p.name}: ${res.status} ${JSON.stringify(res.body).slice(0, 120)} (table: ${expected ? "allowed" : "refused"})`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });
});

/**
 * Every page and every intent of its forms, with the permission the page checks (and, for an
 * intent that needs more than the page, the permission its service checks).
 */
const PAGES: Array<{
  path: string;
  permission: Permission | null;
  as: "user" | "device";
  intents?: Array<Record<string, string>>;
  intentPermissions?: Record<string, Permission>;
}> = [
  {
    path: "/counter",
    permission: "counter.operate",
    as: "user",
    intents: [
      { intent: "sign-in", counterId: "$counterId" },
      { intent: "call-next", counterId: "$counterId" },
      { intent: "call", counterId: "$counterId", ticketId: "$ticketId", reason: "urgent" },
      { intent: "recall", ticketId: "$ticketId" },
      { intent: "no-show", ticketId: "$ticketId" },
      { intent: "transfer", ticketId: "$ticketId", fieldId: "$fieldId" },
      { intent: "finish", ticketId: "$ticketId" },
      { intent: "pause", reason: "break" },
      { intent: "resume" },
      { intent: "rejoin", ticketId: "$ticketId" },
      { intent: "cancel", ticketId: "$ticketId" },
      { intent: "sign-out" },
    ],
  },
  {
    path: "/reception",
    permission: "ticket.issue",
    as: "user",
    intents: [
      { intent: "issue", fieldId: "$fieldId", priorityClassId: "" },
      { intent: "cancel", ticketId: "$ticketId" },
    ],
  },
  { path: "/supervisor", permission: "board.watch", as: "user" },
  {
    path: "/dossiers",
    permission: "dossier.work",
    as: "user",
    intents: [
      { intent: "step", dossierId: "999999", action: "appraise" },
      // Reception without a ticket: refused as a whole for those the table does not let work on dossiers (receiving is checked by the service).
      { intent: "open", procedureId: "$procedureId", applicantName: "Người thử quyền", applicantIdNumber: "001190012345", applicantPhone: "0912345678", received: "to_khai" },
    ],
  },
  // No dossier has this code: allowed principals get the "not found" page, the others a refusal.
  { path: "/dossiers/:code/giay-tiep-nhan", permission: "dossier.work", as: "user" },
  { path: "/dossiers/:code/phieu-kiem-soat", permission: "dossier.work", as: "user" },
  { path: "/dossiers/:code/giay-tiep-nhan.pdf", permission: "dossier.work", as: "user" },
  { path: "/dossiers/:code/phieu/:form", permission: "dossier.work", as: "user" },
  { path: "/dossiers/:code/phieu-kiem-soat.pdf", permission: "dossier.work", as: "user" },
  { path: "/dossiers/:code/phieu/:form/pdf", permission: "dossier.work", as: "user" },
  // No letter has this id: a leader gets "not found", the other dossier workers the workflow's own refusal.
  { path: "/dossiers/xin-loi", permission: "dossier.work", as: "user", intents: [{ intent: "approve", letterId: "999999", proposedDueDay: "2030-01-02" }] },
  { path: "/dossiers/so-theo-doi", permission: "dossier.work", as: "user" },
  { path: "/dossiers/so-theo-doi.xlsx", permission: "dossier.work", as: "user" },
  { path: "/reports", permission: "reports.read", as: "user" },
  { path: "/reports/in", permission: "reports.read", as: "user" },
  { path: "/reports/xlsx", permission: "reports.read", as: "user" },
  { path: "/reports/:kind/csv", permission: "reports.read", as: "user" },
  { path: "/reports/:kind/xlsx", permission: "reports.read", as: "user" },
  {
    path: "/account",
    permission: "account.self",
    as: "user",
    intents: [{ intent: "password", currentPassword: "sai", newPassword: "mot cau dai du 2027", confirmPassword: "mot cau dai du 2027" }],
  },
  {
    path: "/admin/devices",
    permission: "devices.manage",
    as: "user",
    intents: [
      { intent: "create", name: "Máy thử quyền", kind: "display" },
      { intent: "new-link", deviceId: "$deviceId" },
      { intent: "printing", deviceId: "$deviceId", enabled: "on" },
      { intent: "counter", deviceId: "$ratingDeviceId", counterId: "$counterId" },
    ],
  },
  {
    path: "/admin/queue",
    permission: "settings.edit",
    as: "user",
    intents: [
      { intent: "field", fieldId: "$fieldId", isOpen: "on", queueMode: "ratio", priorityRatio: "2", recallsBeforeNoShow: "2", rejoinGraceMinutes: "60", defaultServiceMinutes: "10" },
      { intent: "class-add", name: "Diện thử quyền $n" },
      { intent: "class-rename", id: "$priorityClassId", name: "Người cao tuổi" },
    ],
  },
  {
    path: "/admin/users",
    permission: "users.manage",
    as: "user",
    intents: [
      { intent: "create", username: "quyenthu$n", fullName: "Người thử quyền", role: "officer", password: "mưa xuân trên phố cổ $n" },
      { intent: "edit", userId: "$userId", fullName: "Ngô Minh Tuấn", role: "officer" },
    ],
  },
  {
    path: "/admin/centre",
    permission: "centre.configure",
    as: "user",
    intents: [
      { intent: "field", name: "Lĩnh vực thử quyền", code: "TQ", prefix: "Q", sortOrder: "20", isOpen: "on" },
      { intent: "counter", number: "40", name: "Quầy thử quyền", isActive: "on" },
      {
        intent: "own-centre",
        name: "Trung tâm Phục vụ hành chính công",
        address: "Số 1 Đường Trần Phú",
        opensAt: "07:30",
        closesAt: "17:30",
        alertWaitMinutes: "30",
        alertPausedMinutes: "15",
        alertIdleMinutes: "20",
        alertDeviceOfflineMinutes: "2",
      },
    ],
  },
  {
    path: "/admin/procedures",
    permission: "centre.configure",
    as: "user",
    intents: [
      {
        intent: "save",
        fieldId: "$fieldId",
        code: "TQ-$n",
        name: "Thủ tục thử quyền $n",
        level: "commune",
        legalBasis: "Luật thử quyền",
        fee: "Miễn lệ phí",
        timeUnit: "days",
        time: "3",
        approverRole: "approver",
        "documents[0].name": "Tờ khai",
        "documents[0].form": "original",
        "documents[0].count": "1",
        "documents[0].mandatory": "on",
      },
      { intent: "deactivate", id: "$procedureId" },
      { intent: "activate", id: "$procedureId" },
    ],
  },
  {
    path: "/admin/calendar",
    permission: "centre.configure",
    as: "user",
    intents: [
      { intent: "centre-day", year: "$year", day: "$year-12-31", kind: "none" },
      { intent: "cutoff", mode: "on", cutoff: "15:00" },
      { intent: "deployment", year: "$year", source: "Thông báo thử quyền" },
    ],
    // The deployment's decision is its administrator's; a centre's administrator reads it only.
    intentPermissions: { deployment: "centres.manage" },
  },
  { path: "/admin/audit", permission: "audit.read", as: "user" },
  {
    path: "/admin/centres",
    permission: "centres.manage",
    as: "user",
    intents: [
      { intent: "centre", code: "THU$n", name: "Trung tâm thử quyền", level: "commune", address: "", opensAt: "07:30", closesAt: "17:00", alertWaitMinutes: "30", alertPausedMinutes: "15", alertIdleMinutes: "20", alertDeviceOfflineMinutes: "2" },
      { intent: "work-here", centreId: "$centreId" },
    ],
  },
  { path: "/kiosk", permission: "ticket.issue", as: "device", intents: [{ fieldId: "$fieldId", priorityClassId: "" }] },
  { path: "/kiosk/lich-hen", permission: "ticket.issue", as: "device", intents: [{ code: "ABCDE23456" }] },
  { path: "/display", permission: "calls.announce", as: "device" },
  { path: "/lich-hen", permission: "appointments.view", as: "user" },
  // The tablet may rate only a visit just finished at its counter: allowed, it is told this one is not.
  { path: "/danh-gia", permission: "rating.collect", as: "device", intents: [{ ticketId: "$ticketId", value: "satisfied" }] },
];
/** Pages open to anyone, or to anyone signed in (they send each one to the page they may use); a ticket's tracking page opens with its token. */
const OPEN_PAGES = ["/", "/login", "/logout", "/pair/:code", "/tra-cuu", "/t/:token", "/dat-lich", "/dat-lich/huy", "/t/:token/danh-gia"];

/** A page's answer is a refusal: to the login page, or the 401/403 page naming why. */
function refusedPage(res: { status: number; body: unknown; headers: Headers }) {
  if ([302, 303].includes(res.status)) return /^\/login\?redirectTo=/.test(res.headers.get("location") ?? "");
  if (![401, 403].includes(res.status)) return false;
  // A resource route (the receipt's PDF) answers its refusal as JSON: { message }.
  const html = typeof res.body === "object" && res.body !== null ? String((res.body as { message?: unknown }).message) : String(res.body);
  return ["Bạn không có quyền thực hiện thao tác này.", "Thiết bị này chưa được ghép", "Thiết bị này được ghép làm"].some((m) => html.includes(m));
}

describe("pages: every loader and every form intent against the permission table", () => {
  it("covers every route of the app", () => {
    const paths = routeConfig.map((r) => `/${r.path ?? ""}`);
    expect([...PAGES.map((p) => p.path), ...OPEN_PAGES].sort()).toEqual(paths.sort());
  });

  it("refuses exactly the principals the table does not allow, and only them", async () => {
    const mismatches: string[] = [];
    let n = 0;
    for (const page of PAGES) {
      for (const p of principals) {
        const check = (what: string, res: { status: number; body: unknown; headers: Headers }, permission: Permission = page.permission!) => {
          const expected = allowed(p, permission, page.as);
          if (refusedPage(res) === expected || res.status >= 500) {
            mismatches.push(`${what} as ${p.name}: ${res.status} ${String(res.body).slice(0, 80)} (table: ${expected ? "allowed" : "refused"})`);
          }
        };
        check(`GET ${page.path}`, await s.request("GET", page.path, { cookie: p.cookie }));
        for (const intent of page.intents ?? []) {
          const form = Object.fromEntries(Object.entries(intent).map(([k, v]) => [k, v.replace(/\$(\w+)/g, (_, name: string) => (name === "n" ? String(n++) : ids[name]!))]));
          check(`POST ${page.path} ${intent.intent ?? ""}`, await s.request("POST", page.path, { cookie: p.cookie, form }), page.intentPermissions?.[intent.intent ?? ""]);
        }
      }
    }
    expect(mismatches).toEqual([]);
    // Every page and intent as each principal, one after the other: slow on a busy machine.
  }, 120_000);
});

describe("sockets: the connection and every client event against the permission table", () => {
  it("accepts exactly those allowed to watch the queue, and answers each event as the table says", async () => {
    const mismatches: string[] = [];
    for (const p of principals) {
      const actor = p.user ?? p.device;
      const socket: Socket = s.socket(p.cookie);
      const connected = await new Promise<boolean>((resolve) => {
        socket.once("connect", () => resolve(true));
        socket.once("connect_error", () => resolve(false));
      });
      if (connected !== can(actor, "queue.watch")) mismatches.push(`connect as ${p.name}: ${connected}`);
      if (connected) {
        for (const [event, permission] of Object.entries(CLIENT_EVENT_PERMISSIONS)) {
          // Each event's arguments before its acknowledgement.
          const modes = { kiosk: { print: "on" }, display: { voice: "clips" }, rating: { counter: "9" } }[p.device ? (p.device as { deviceKind: "kiosk" | "display" | "rating" }).deviceKind : "kiosk"];
          const args: Record<string, unknown[]> = { "queue:callsSince": [0], "device:modes": [modes] };
          const reply = await new Promise<{ data?: unknown; error?: { code: string } }>((resolve) =>
            (socket.emit as (event: string, ...rest: unknown[]) => void)(event, ...(args[event] ?? []), resolve),
          );
          if (Boolean(reply.data) !== can(actor, permission)) mismatches.push(`${event} as ${p.name}: ${JSON.stringify(reply).slice(0, 80)}`);
        }
      }
      socket.disconnect();
    }
    expect(mismatches).toEqual([]);
  });
});
