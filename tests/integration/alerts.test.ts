/**
 * The supervisor's alerts with an injected clock: each appears once its threshold has passed,
 * says since when, and clears itself when its cause ends.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { centres, counters, devices, fields, procedures, tickets, users } from "../../db/schema";
import { openDossier } from "../../server/dossiers/dossiers";
import { decideLetter, draftLetter } from "../../server/dossiers/letters";
import { takeStep } from "../../server/dossiers/steps";
import type { UserActor } from "../../server/auth/permissions";
import type { ServiceDeps } from "../../server/context";
import { seedDemo } from "../../server/demo/seed";
import { callNextTicket } from "../../server/queue/calling";
import { setCounterPaused, signInToCounter, signOutOfCounter } from "../../server/queue/counters";
import { finishTicket } from "../../server/queue/at-counter";
import { issueTicket } from "../../server/queue/issuing";
import { computeAlerts } from "../../server/supervision/alerts";
import { supervisionBoard } from "../../server/supervision/board";
import { validateDeviceToken } from "../../server/devices/service";
import { kioskActor, NO_KIOSK_PACE, recordingPublisher } from "../helpers/actors";
import { createTestDatabase } from "../helpers/database";

// 09:00 in Vietnam on a working day: the whole test stays inside one service day.
const T0 = new Date("2026-12-01T02:00:00Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

let db: Database;
let drop: () => Promise<void>;
let centreId: number;
let clockNow = T0;
let deps: ServiceDeps;
const actors = new Map<string, UserActor>();
const fieldId = new Map<string, number>();
const counterId = new Map<number, number>();

beforeAll(async () => {
  const test = await createTestDatabase();
  db = test.handle.db;
  drop = test.drop;
  centreId = (await seedDemo(db, { password: "Alerts@Test#2026" })).centreId;
  deps = { db, events: recordingPublisher([]), now: () => clockNow, config: NO_KIOSK_PACE };
  for (const u of await db.select().from(users)) actors.set(u.username, { kind: "user", userId: u.id, centreId: u.centreId, role: u.role });
  for (const f of await db.select().from(fields)) fieldId.set(f.code, f.id);
  for (const c of await db.select().from(counters)) counterId.set(c.number, c.id);
  // The demo's devices: only paired ones are watched; none is yet.
}, 60_000);
afterAll(() => drop?.());

const supervisor = () => actors.get("giamsat")!;
const board = async (minutes: number) => {
  clockNow = at(minutes);
  return supervisionBoard(deps, supervisor());
};
const kinds = async (minutes: number) => (await board(minutes)).alerts.map((a) => `${a.kind}:${a.subject}`).sort();

/** A ticket issued at T0 + `minutes` (its issue time is the database's; set to the test's clock). */
async function issueAt(code: string, minutes: number) {
  clockNow = at(minutes);
  const { ticket } = await issueTicket(deps, await kioskActor(db, centreId, `Máy ${Math.random()}`), { fieldId: fieldId.get(code)! });
  await db.update(tickets).set({ issuedAt: at(minutes) }).where(eq(tickets.id, ticket.id));
  return ticket;
}

describe("alerts on the supervisor's board", () => {
  it("a field with people waiting and no open counter: at once; it clears when a counter serving it opens", async () => {
    await issueAt("XD", 0);
    expect(await kinds(0)).toEqual(["unserved_field:Xây dựng"]);
    const alert = (await board(3)).alerts[0]!;
    expect(alert.since).toBe(T0.toISOString());
    expect(alert.minutes).toBe(3);
    clockNow = at(3);
    await signInToCounter(deps, actors.get("canbo05")!, { counterId: counterId.get(7)! });
    expect(await kinds(3)).toEqual([]);
  });

  it("a wait longer than the centre's threshold, since the oldest ticket's issue; it clears once that ticket is called", async () => {
    await db.update(centres).set({ alertWaitMinutes: 30, alertIdleMinutes: 60 }).where(eq(centres.id, centreId));
    expect(await kinds(29)).toEqual([]);
    expect(await kinds(31)).toEqual(["long_wait:Xây dựng"]);
    expect((await board(31)).alerts[0]!.since).toBe(T0.toISOString());
    clockNow = at(31);
    const called = await callNextTicket(deps, actors.get("canbo05")!, { counterId: counterId.get(7)! });
    expect(await kinds(32)).toEqual([]);
    clockNow = at(40);
    await finishTicket(deps, actors.get("canbo05")!, { ticketId: called.ticket.id });
  });

  it("an open counter that calls nobody while people wait, from its last finish; it clears when it calls", async () => {
    await db.update(centres).set({ alertIdleMinutes: 20 }).where(eq(centres.id, centreId));
    await issueAt("XD", 41);
    expect(await kinds(59)).toEqual([]);
    expect(await kinds(61)).toEqual(["counter_idle:7"]);
    expect((await board(61)).alerts[0]!.since).toBe(at(40).toISOString());
    clockNow = at(61);
    await callNextTicket(deps, actors.get("canbo05")!, { counterId: counterId.get(7)! });
    expect(await kinds(62)).toEqual([]);
  });

  it("a counter paused longer than the threshold; it clears when it reopens", async () => {
    await db.update(centres).set({ alertPausedMinutes: 15 }).where(eq(centres.id, centreId));
    clockNow = at(70);
    await signInToCounter(deps, actors.get("canbo01")!, { counterId: counterId.get(1)! });
    await setCounterPaused(deps, actors.get("canbo01")!, { paused: true, reason: "break" });
    expect(await kinds(85)).toEqual([]);
    expect(await kinds(86)).toEqual(["counter_paused:1"]);
    clockNow = at(90);
    await setCounterPaused(deps, actors.get("canbo01")!, { paused: false });
    expect(await kinds(90)).toEqual([]);
    clockNow = at(90);
    await signOutOfCounter(deps, actors.get("canbo01")!, {});
  });

  it("a paired screen not heard from for longer than the threshold; it clears when it is heard from again", async () => {
    const [display] = await db.select().from(devices).where(eq(devices.kind, "display"));
    await db.update(devices).set({ tokenHash: "a".repeat(64), lastSeenAt: at(90), connectedAt: at(80), pairingCodeHash: null }).where(eq(devices.id, display!.id));
    // Heard from within the last 90 s (its socket's heartbeat is every 30 s): on line, connected since its socket opened.
    expect((await board(91)).devices.find((d) => d.id === display!.id)!).toMatchObject({ online: true, since: at(80).toISOString() });
    // Silent longer: off line in the list at once, an alert only past the centre's threshold (2 minutes).
    expect(await kinds(92)).toEqual([]);
    expect((await board(92)).devices.find((d) => d.id === display!.id)!).toMatchObject({ online: false, since: at(90).toISOString() });
    expect(await kinds(93)).toEqual([`device_offline:${display!.name}`]);
    expect((await board(93)).devices.find((d) => d.id === display!.id)!.online).toBe(false);
    // Its next request (or its socket's heartbeat) writes it down.
    await db.update(devices).set({ tokenHash: null }).where(eq(devices.id, display!.id));
    const { hashToken } = await import("../../server/auth/token");
    await db.update(devices).set({ tokenHash: hashToken("token-of-the-test") }).where(eq(devices.id, display!.id));
    await validateDeviceToken(db, "token-of-the-test", at(93));
    expect(await kinds(93)).toEqual([]);
  });
});

describe("dossiers near or past their due date", () => {
  it("flag the dossier two working days before it is due, say it is late after, and clear once it is returned", async () => {
    const [procedure] = await db.select().from(procedures).where(eq(procedures.code, "HT-05"));
    clockNow = T0; // Tuesday 1/12 09:00: 3 working days, due Friday 4/12
    const officer = actors.get("canbo02")!;
    const opened = await openDossier(deps, officer, {
      procedureId: procedure!.id,
      applicantName: "Vũ Thị Thu",
      applicantIdNumber: "001190011111",
      applicantPhone: "0912000111",
      received: procedure!.documents.map((d) => d.key),
    });
    if (!opened.ok) throw new Error("not opened");
    const code = opened.value.code;
    const dossierAlerts = async (minutes: number) =>
      (await board(minutes)).alerts.filter((a) => a.kind.startsWith("dossier_")).map((a) => ({ kind: a.kind, subject: a.subject, since: a.since }));
    expect(await dossierAlerts(0)).toEqual([]);
    // Wednesday: two working days left.
    expect(await dossierAlerts(24 * 60)).toEqual([{ kind: "dossier_due", subject: code, since: "2026-12-01T17:00:00.000Z" }]);
    // Monday 7/12: late since Friday's end of day.
    expect(await dossierAlerts(6 * 24 * 60)).toEqual([{ kind: "dossier_late", subject: code, since: "2026-12-04T10:00:00.000Z" }]);
    const approver = { ...officer, role: "approver" as const };
    const appraiser = { ...officer, role: "appraiser" as const };
    // A leader approved an apology with a new date, Friday 11/12: the board follows the new date.
    clockNow = at(6 * 24 * 60);
    const { letter } = await draftLetter(deps, officer, { dossierId: opened.value.id, reason: "Chờ kết quả xác minh", proposedDueDay: "2026-12-11" });
    await decideLetter(deps, approver, { letterId: letter.id, decision: "approve" });
    expect(await dossierAlerts(6 * 24 * 60)).toEqual([]);
    // Wednesday 9/12: two working days before the new date.
    expect((await dossierAlerts(8 * 24 * 60)).map((a) => a.kind)).toEqual(["dossier_due"]);
    await takeStep(deps, appraiser, { dossierId: opened.value.id, action: "appraise" });
    await takeStep(deps, approver, { dossierId: opened.value.id, action: "approve" });
    await takeStep(deps, officer, { dossierId: opened.value.id, action: "result" });
    await takeStep(deps, officer, { dossierId: opened.value.id, action: "return" });
    expect(await dossierAlerts(6 * 24 * 60)).toEqual([]);
  });
});

describe("computeAlerts", () => {
  const thresholds = { waitMinutes: 30, pausedMinutes: 15, idleMinutes: 20, deviceOfflineMinutes: 2 };
  it("orders the urgent first, then the oldest", () => {
    const alerts = computeAlerts(
      {
        fields: [{ id: 1, name: "Hộ tịch", isOpen: true, waiting: 3, oldestWaitingSince: at(0), openCounters: 1 }],
        counters: [{ id: 9, number: 9, status: "paused", staffed: true, serving: false, statusSince: at(-40), lastActivityAt: null, peopleWaiting: true }],
        devices: [{ id: 4, name: "Máy lấy số", kind: "kiosk", lastSeenAt: at(30) }],
      },
      thresholds,
      at(45),
    );
    expect(alerts.map((a) => a.key)).toEqual(["long_wait:1", "device_offline:4", "counter_paused:9"]);
  });
  it("a closed field with people still waiting is a long wait, not an unserved field", () => {
    const alerts = computeAlerts(
      { fields: [{ id: 1, name: "Hộ tịch", isOpen: false, waiting: 1, oldestWaitingSince: at(0), openCounters: 0 }], counters: [], devices: [] },
      thresholds,
      at(10),
    );
    expect(alerts).toEqual([]);
  });
});
