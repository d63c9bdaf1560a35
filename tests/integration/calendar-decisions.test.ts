/**
 * The calendar's decisions in the database: a centre's own day off and a deployment's make-up
 * Saturday move the due dates of dossiers opened after them; the centre's cut-off can be turned
 * off; only the deployment's administrator edits the deployment's decision, a centre's
 * administrator only their centre's days; every refusal names the problem and writes nothing;
 * every save leaves its audit row.
 */
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, calendarDecisions, centres, procedures, users } from "../../db/schema";
import { hashPassword } from "../../server/auth/password";
import { userActor, type UserActor } from "../../server/auth/permissions";
import { calendarFor } from "../../server/calendar/calendars";
import { calendarYear, saveCentreDecision, saveCutoff, saveDeploymentDecision, setCentreDay } from "../../server/calendar/decisions";
import type { ServiceDeps } from "../../server/context";
import { openDossier } from "../../server/dossiers/dossiers";
import { isAppError } from "../../server/errors";
import { recordingPublisher } from "../helpers/actors";
import { DEMO_PASSWORD_FOR_TESTS, startTestServer, type TestServer } from "../helpers/server";

/** A Vietnam-time instant: "2026-12-01T09:00" → 02:00 UTC. */
const vn = (local: string) => new Date(`${local}:00+07:00`);

let s: TestServer;
let now = vn("2026-12-01T09:00");
let deps: ServiceDeps;
let admin: UserActor;
let sysadmin: UserActor;
let officer: UserActor;
let adminB: UserActor;
let centreA: number;
let centreB: number;
let procedureId: number;
let documents: string[];
const cookies: Record<string, string> = {};

beforeAll(async () => {
  // The server keeps the real clock (sessions); the services called directly get the test's clock.
  s = await startTestServer();
  deps = { db: s.db, events: recordingPublisher([]), now: () => now };
  centreA = s.seeded.centreId;
  const passwordHash = await hashPassword(DEMO_PASSWORD_FOR_TESTS);
  await s.db.insert(users).values({ centreId: centreA, username: "hethong", fullName: "Quản trị hệ thống", role: "sysadmin", passwordHash });
  const [b] = await s.db.insert(centres).values({ code: "XA_B", name: "Trung tâm xã B", level: "commune" }).returning();
  centreB = b!.id;
  await s.db.insert(users).values({ centreId: centreB, username: "quantri.xab", fullName: "Quản trị xã B", role: "admin", passwordHash });
  for (const username of ["quantri", "hethong", "canbo01", "quantri.xab"]) {
    const login = await s.login(username);
    cookies[username] = login.cookie;
    if (username === "quantri") admin = login.actor as UserActor;
    if (username === "hethong") sysadmin = login.actor as UserActor;
    if (username === "canbo01") officer = login.actor as UserActor;
    if (username === "quantri.xab") adminB = userActor(login.user);
  }
  const [procedure] = await s.db.select().from(procedures).where(and(eq(procedures.centreId, centreA), eq(procedures.code, "HT-05")));
  procedureId = procedure!.id;
  documents = procedure!.documents.map((d) => d.key);
}, 120_000);
afterAll(() => s?.close());

const applicant = { applicantName: "Nguyễn Thị Mai", applicantIdNumber: "001190012345", applicantPhone: "0912 345 678" };

/** Opens a 3-working-day dossier (HT-05) at `local` Vietnam time, through the service, with the centre's calendar from the database. */
async function openAt(local: string) {
  now = vn(local);
  const opened = await openDossier(deps, officer, { ...applicant, procedureId, received: documents });
  if (!opened.ok) throw new Error(JSON.stringify(opened.fieldErrors));
  return { countsFrom: opened.value.countsFrom, dueDay: opened.value.dueDay };
}

/** Everything a refused save must leave as it was. */
async function written() {
  return {
    decisions: await s.db.select().from(calendarDecisions).orderBy(calendarDecisions.id),
    audit: (await s.db.select().from(auditEvents)).length,
    cutoffs: await s.db.select({ id: centres.id, cutoff: centres.dossierCutoff }).from(centres).orderBy(centres.id),
  };
}

describe("the centre's calendar moves due dates", () => {
  it("a centre's own day off moves the due date of a dossier opened after it", async () => {
    // Tuesday 1/12/2026 09:00 + 3 working days: Wed 2, Thu 3, Fri 4.
    expect(await openAt("2026-12-01T09:00")).toEqual({ countsFrom: "2026-12-01", dueDay: "2026-12-04" });
    const saved = await saveCentreDecision(deps, admin, { year: 2026, daysOff: ["03/12/2026"], source: "Quyết định số 12/QĐ-UBND của UBND tỉnh" });
    expect(saved).toMatchObject({ ok: true, value: { daysOff: ["2026-12-03"], workingDays: [] } });
    // Thursday is off at this centre: Wed 2, Fri 4, Mon 7.
    expect(await openAt("2026-12-01T09:30")).toEqual({ countsFrom: "2026-12-01", dueDay: "2026-12-07" });
    // Centre B is untouched.
    const other = await calendarFor(s.db, centreB);
    expect(other.decisions.find((d) => d.year === 2026)?.daysOff ?? []).not.toContain("2026-12-03");
  });

  it("a deployment make-up Saturday shortens one", async () => {
    // Wednesday 9/12 + 3: Thu 10, Fri 11, Mon 14.
    expect(await openAt("2026-12-09T09:00")).toEqual({ countsFrom: "2026-12-09", dueDay: "2026-12-14" });
    const saved = await saveDeploymentDecision(deps, sysadmin, { year: 2026, workingDays: "12/12/2026", source: "Thông báo thử của Bộ Nội vụ về làm bù năm 2026" });
    expect(saved.ok).toBe(true);
    // Saturday 12/12 is worked everywhere: Thu 10, Fri 11, Sat 12.
    expect(await openAt("2026-12-09T09:30")).toEqual({ countsFrom: "2026-12-09", dueDay: "2026-12-12" });
    // The centre's own day off of 3/12 still holds over the deployment's new row.
    expect((await calendarFor(s.db, centreA)).decisions.find((d) => d.year === 2026)).toMatchObject({ daysOff: ["2026-12-03"], workingDays: ["2026-12-12"] });
    expect((await calendarFor(s.db, centreB)).decisions.find((d) => d.year === 2026)).toMatchObject({ daysOff: [], workingDays: ["2026-12-12"] });
  });

  it("with the cut-off turned off, a 16:00 dossier counts from the same day", async () => {
    // 15:00 by default: Tuesday 15/12 at 16:00 counts from Wednesday 16 → Thu 17, Fri 18, Mon 21.
    expect(await openAt("2026-12-15T16:00")).toEqual({ countsFrom: "2026-12-16", dueDay: "2026-12-21" });
    expect(await saveCutoff(deps, admin, { cutoff: null })).toEqual({ ok: true, value: { cutoff: null } });
    expect(await openAt("2026-12-15T16:00")).toEqual({ countsFrom: "2026-12-15", dueDay: "2026-12-18" });
    expect(await saveCutoff(deps, admin, { cutoff: "16:30" })).toEqual({ ok: true, value: { cutoff: "16:30" } });
    expect(await openAt("2026-12-15T16:00")).toEqual({ countsFrom: "2026-12-15", dueDay: "2026-12-18" });
    expect(await openAt("2026-12-15T16:45")).toEqual({ countsFrom: "2026-12-16", dueDay: "2026-12-21" });
  });

  it("a centre's make-up day wins over a deployment day off of the same date", async () => {
    // The deployment swaps Friday 24/12 … (a weekday): every centre is off; this one works it.
    expect((await saveDeploymentDecision(deps, sysadmin, { year: 2026, daysOff: ["24/12/2026"], workingDays: ["12/12/2026"], source: "Thông báo thử của Bộ Nội vụ" })).ok).toBe(true);
    expect((await saveCentreDecision(deps, admin, { year: 2026, daysOff: ["03/12/2026"], workingDays: ["24/12/2026"], source: "Quyết định số 12/QĐ-UBND" })).ok).toBe(true);
    const a = (await calendarFor(s.db, centreA)).decisions.find((d) => d.year === 2026)!;
    expect(a.daysOff).not.toContain("2026-12-24");
    expect(a.workingDays).toContain("2026-12-24");
    const b = (await calendarFor(s.db, centreB)).decisions.find((d) => d.year === 2026)!;
    expect(b.daysOff).toContain("2026-12-24");
  });
});

describe("who may change what", () => {
  it("a centre's administrator cannot edit the deployment's decision (service and API)", async () => {
    const before = await written();
    await expect(saveDeploymentDecision(deps, admin, { year: 2026, workingDays: ["19/12/2026"], source: "Không được phép" })).rejects.toMatchObject({ code: "forbidden" });
    const res = await s.request("POST", "/api/v1/calendar/2026/deployment", { cookie: cookies.quantri, body: { workingDays: ["19/12/2026"], source: "Không được phép" } });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("forbidden");
    expect(await written()).toEqual(before);
  });

  it("the deployment's administrator can, through the API", async () => {
    const res = await s.request("POST", "/api/v1/calendar/2027/deployment", { cookie: cookies.hethong, body: { workingDays: ["2027-01-09"], source: "Thông báo thử năm 2027" } });
    expect(res.status).toBe(200);
    expect(res.body.data.decision).toMatchObject({ year: 2027, workingDays: ["2027-01-09"], nationalDayExtra: "2027-09-01" });
  });

  it("another centre's administrator changes only their own centre", async () => {
    const aBefore = await calendarFor(s.db, centreA);
    expect((await saveCentreDecision(deps, adminB, { year: 2026, daysOff: ["04/12/2026"], source: "Quyết định của UBND xã B" })).ok).toBe(true);
    expect((await saveCutoff(deps, adminB, { cutoff: "14:00" })).ok).toBe(true);
    // Through the API, too: the centre is the session's, never the request's.
    const res = await s.request("POST", "/api/v1/calendar/2026/centre", { cookie: cookies["quantri.xab"], body: { daysOff: ["04/12/2026", "07/12/2026"], source: "Quyết định của UBND xã B", centreId: centreA } });
    expect(res.status).toBe(200);
    expect(await calendarFor(s.db, centreA)).toEqual(aBefore);
    const b = await calendarFor(s.db, centreB);
    expect(b.cutoff).toBe("14:00");
    expect(b.decisions.find((d) => d.year === 2026)!.daysOff).toEqual(["2026-12-04", "2026-12-07", "2026-12-24"]);
    // A's page does not show B's days, B's does not show A's.
    const viewA = await calendarYear(deps, admin, { year: 2026 });
    expect(viewA.centre.daysOff.map((d) => d.day)).toEqual(["2026-12-03"]);
    const viewB = await calendarYear(deps, adminB, { year: 2026 });
    expect(viewB.centre.daysOff.map((d) => d.day)).toEqual(["2026-12-04", "2026-12-07"]);
  });

  it("an officer can neither read nor change the calendar", async () => {
    await expect(calendarYear(deps, officer, { year: 2026 })).rejects.toMatchObject({ code: "forbidden" });
    await expect(saveCutoff(deps, officer, { cutoff: null })).rejects.toMatchObject({ code: "forbidden" });
    expect((await s.request("GET", "/api/v1/calendar/2026", { cookie: cookies.canbo01 })).status).toBe(403);
  });
});

describe("refusals name the problem and write nothing", () => {
  const deployment = { year: 2026, source: "Thông báo thử của Bộ Nội vụ" };
  const centre = { year: 2026, source: "Quyết định số 12/QĐ-UBND" };
  it.each([
    ["deployment", { ...deployment, year: 2031 }, "year", /Năm phải từ 2025 đến 2028/],
    ["deployment", { ...deployment, workingDays: "31/02/2026" }, "workingDays", /«31\/02\/2026» không phải là một ngày có thật/],
    ["deployment", { ...deployment, workingDays: "ngày mai" }, "workingDays", /«ngày mai» không phải là một ngày có thật/],
    ["deployment", { ...deployment, workingDays: ["2026-12-16"] }, "workingDays", /Ngày làm bù 16\/12\/2026 là Thứ Tư: ngày làm bù phải là thứ Bảy hoặc Chủ nhật/],
    ["deployment", { ...deployment, workingDays: ["2027-01-09"] }, "workingDays", /Ngày 09\/01\/2027 không thuộc năm 2026/],
    ["deployment", { ...deployment, daysOff: ["19/12/2026"] }, "daysOff", /Ngày nghỉ 19\/12\/2026 là Thứ Bảy, vốn đã là ngày nghỉ hằng tuần/],
    ["deployment", { ...deployment, daysOff: ["30/04/2026"] }, "daysOff", /Ngày 30\/04\/2026 đã là ngày nghỉ \(Ngày Chiến thắng\)/],
    ["deployment", { ...deployment, daysOff: ["27/04/2026"] }, "daysOff", /đã là ngày nghỉ \(Nghỉ bù Giỗ Tổ Hùng Vương\)/],
    ["deployment", { ...deployment, workingDays: ["01/01/2026", "03/01/2026"] }, "workingDays", /là Thứ Năm/],
    ["deployment", { ...deployment, tet: ["16/02/2026", "17/02/2026", "18/02/2026", "19/02/2026"] }, "tet", /từ 5 đến 10 ngày liên tiếp \(đang có 4 ngày\)/],
    ["deployment", { ...deployment, tet: ["14/02/2026", "15/02/2026", "16/02/2026", "17/02/2026", "18/02/2026", "19/02/2026", "20/02/2026", "21/02/2026", "22/02/2026", "23/02/2026", "24/02/2026"] }, "tet", /đang có 11 ngày/],
    ["deployment", { ...deployment, tet: "16/02/2026, 17/02/2026, 18/02/2026, 20/02/2026, 21/02/2026" }, "tet", /phải liên tiếp: sau ngày 18\/02\/2026 thiếu ngày 19\/02\/2026/],
    ["deployment", { ...deployment, tet: "10/02/2026, 11/02/2026, 12/02/2026, 13/02/2026, 14/02/2026" }, "tet", /phải gồm mùng 1 Tết \(17\/02\/2026\)/],
    ["deployment", { ...deployment, nationalDayExtra: "2026-09-05" }, "nationalDayExtra", /01\/09 hoặc 03\/09/],
    ["deployment", { ...deployment, source: "   " }, "source", /Hãy ghi căn cứ/],
    ["deployment", { ...deployment, source: "x".repeat(301) }, "source", /tối đa 300 ký tự/],
    ["deployment", { ...deployment, source: "Thông báo\u0000" }, "source", /ký tự điều khiển/],
    ["centre", { ...centre, workingDays: ["16/12/2026"] }, "workingDays", /là Thứ Tư: ngày làm bù phải là thứ Bảy hoặc Chủ nhật/],
    ["centre", { ...centre, workingDays: ["12/12/2026"] }, "workingDays", /Ngày 12\/12\/2026 đã là ngày làm bù theo quyết định chung/],
    ["centre", { ...centre, daysOff: ["20/12/2026"] }, "daysOff", /là Chủ nhật, vốn đã là ngày nghỉ hằng tuần/],
    ["centre", { ...centre, daysOff: ["02/09/2026"] }, "daysOff", /đã là ngày nghỉ \(Quốc khánh\)/],
    ["centre", { ...centre, daysOff: ["31/12/2026", "32/12/2026"] }, "daysOff", /«32\/12\/2026» không phải là một ngày có thật/],
    ["centre", { ...centre, daysOff: ["2027-01-04"] }, "daysOff", /không thuộc năm 2026/],
    ["centre", { ...centre, daysOff: ["21/12/2026"], source: "" }, "source", /Hãy ghi căn cứ/],
    ["centre", { ...centre, year: 2024 }, "year", /Năm phải từ 2025 đến 2028/],
    ["cutoff", { cutoff: "25:00" }, "cutoff", /dạng HH:MM .* \(07:30–17:30\)/],
    ["cutoff", { cutoff: "06:00" }, "cutoff", /trong giờ làm việc/],
    ["cutoff", { cutoff: "3 giờ chiều" }, "cutoff", /dạng HH:MM/],
  ] as const)("%s %j → %s", async (what, input, inputName, message) => {
    const before = await written();
    const result =
      what === "deployment"
        ? await saveDeploymentDecision(deps, sysadmin, input as never)
        : what === "centre"
          ? await saveCentreDecision(deps, admin, input as never)
          : await saveCutoff(deps, admin, input as never);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.fieldErrors[inputName]?.[0]).toMatch(message);
    expect(await written()).toEqual(before);
  });

  it("through the API, a refusal is a JSON error with a code and the message", async () => {
    const before = await written();
    const res = await s.request("POST", "/api/v1/calendar/2026/centre", { cookie: cookies.quantri, body: { workingDays: ["16/12/2026"], source: "Quyết định thử" } });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: "bad_request_field", message: expect.stringMatching(/ngày làm bù phải là thứ Bảy hoặc Chủ nhật/) });
    const year = await s.request("GET", "/api/v1/calendar/2035", { cookie: cookies.quantri });
    expect(year.status).toBe(400);
    expect(year.body.error.code).toBe("calendar_year");
    expect(await written()).toEqual(before);
  });
});

describe("the page's ways in: one day at a time, Tết as a range", () => {
  it("adds and takes away one centre day, refusals given for the day typed", async () => {
    const before = await written();
    expect(await setCentreDay(deps, admin, { year: 2027, day: "", kind: "off", source: "Quyết định thử" })).toEqual({ ok: false, fieldErrors: { day: ["Hãy chọn một ngày."] } });
    const saturday = await setCentreDay(deps, admin, { year: 2027, day: "19/06/2027", kind: "off", source: "Quyết định thử" });
    expect(saturday).toEqual({ ok: false, fieldErrors: { day: ["Ngày nghỉ 19/06/2027 là Thứ Bảy, vốn đã là ngày nghỉ hằng tuần: ngày nghỉ phải là ngày thường."] } });
    expect(await setCentreDay(deps, admin, { year: 2027, day: "16/6/2027", kind: "off" })).toMatchObject({ ok: false, fieldErrors: { source: [expect.stringMatching(/Hãy ghi căn cứ/)] } });
    expect(await written()).toEqual(before);

    expect(await setCentreDay(deps, admin, { year: 2027, day: "16/6/2027", kind: "off", source: "Quyết định thử" })).toEqual({ ok: true, value: { daysOff: ["2027-06-16"], workingDays: [], source: "Quyết định thử" } });
    expect(await setCentreDay(deps, admin, { year: 2027, day: "2027-06-19", kind: "work" })).toEqual({ ok: true, value: { daysOff: ["2027-06-16"], workingDays: ["2027-06-19"], source: "Quyết định thử" } });
    // The same day again as the other kind moves it.
    expect(await setCentreDay(deps, admin, { year: 2027, day: "16/06/2027", kind: "none" })).toMatchObject({ ok: true, value: { daysOff: [], workingDays: ["2027-06-19"] } });
    expect(await setCentreDay(deps, admin, { year: 2027, day: "19/06/2027", kind: "none" })).toMatchObject({ ok: true, value: { daysOff: [], workingDays: [] } });
    // Nothing left: the centre follows the deployment, its row is gone.
    const rows = await s.db.select().from(calendarDecisions).where(and(eq(calendarDecisions.centreId, centreA), eq(calendarDecisions.year, 2027)));
    expect(rows).toEqual([]);
  });

  it("takes Tết as a first and a last day, and refuses a range that is not one", async () => {
    const range = (tetFrom: string, tetTo: string) => saveDeploymentDecision(deps, sysadmin, { year: 2028, tetFrom, tetTo, source: "Thông báo thử năm 2028" });
    // Mùng 1 Tết 2028 is Wednesday 26/1/2028.
    expect(await range("27/01/2028", "24/01/2028")).toMatchObject({ ok: false, fieldErrors: { tet: [expect.stringMatching(/ngày kết thúc không trước ngày bắt đầu/)] } });
    expect(await range("20/01/2028", "05/02/2028")).toMatchObject({ ok: false, fieldErrors: { tet: [expect.stringMatching(/đang có 11 ngày/)] } });
    expect(await range("27/01/2028", "31/01/2028")).toMatchObject({ ok: false, fieldErrors: { tet: [expect.stringMatching(/mùng 1 Tết \(26\/01\/2028\)/)] } });
    const saved = await range("22/01/2028", "30/01/2028");
    expect(saved).toMatchObject({ ok: true, value: { tet: ["2028-01-22", "2028-01-23", "2028-01-24", "2028-01-25", "2028-01-26", "2028-01-27", "2028-01-28", "2028-01-29", "2028-01-30"] } });
    const view = await calendarYear(deps, admin, { year: 2028 });
    expect(view.holidays.filter((h) => h.name === "Tết Nguyên đán")).toHaveLength(9);
    // A Tết decided whole gives no compensating day for its weekend days.
    expect(view.holidays.some((h) => h.name === "Nghỉ bù Tết Nguyên đán")).toBe(false);
  });
});

describe("the year as the administrator sees it, and the audit log", () => {
  it("lists the holidays with their names, the make-up days, the decision and the cut-off", async () => {
    const res = await s.request("GET", "/api/v1/calendar/2026", { cookie: cookies.quantri });
    expect(res.status).toBe(200);
    const view = res.body.data.calendar;
    expect(view.holidays).toContainEqual({ day: "2026-04-26", weekday: "Chủ nhật", name: "Giỗ Tổ Hùng Vương", workedHere: false });
    expect(view.holidays).toContainEqual({ day: "2026-04-27", weekday: "Thứ Hai", name: "Nghỉ bù Giỗ Tổ Hùng Vương", workedHere: false });
    expect(view.holidays).toContainEqual({ day: "2026-12-24", weekday: "Thứ Năm", name: "Nghỉ hoán đổi", workedHere: true });
    expect(view.makeUpDays).toEqual([{ day: "2026-12-12", weekday: "Thứ Bảy", offHere: false }]);
    expect(view.decision).toMatchObject({ origin: "deployment", source: "Thông báo thử của Bộ Nội vụ", updatedBy: "Quản trị hệ thống", nationalDayExtra: "2026-09-01" });
    expect(view.centre).toMatchObject({ daysOff: [{ day: "2026-12-03", weekday: "Thứ Năm" }], workingDays: [{ day: "2026-12-24", weekday: "Thứ Năm" }], updatedBy: "Nguyễn Văn Quản" });
    expect(view.cutoff).toBe("16:30");
    expect(view.canEditDeployment).toBe(false);
    expect(view.years).toEqual([2025, 2026, 2027, 2028]);
  });

  it("records every save, with what changed", async () => {
    const rows = await s.db.select().from(auditEvents).where(eq(auditEvents.centreId, centreA)).orderBy(auditEvents.id);
    const centreSaves = rows.filter((r) => r.action === "calendar.centre_saved");
    expect(centreSaves[0]).toMatchObject({ actorUserId: admin.userId, targetType: "calendar_decision", before: { year: 2026, daysOff: [], source: "" }, after: { year: 2026, daysOff: ["2026-12-03"] } });
    const deploymentSaves = rows.filter((r) => r.action === "calendar.deployment_saved");
    expect(deploymentSaves[0]).toMatchObject({ actorUserId: sysadmin.userId, before: { year: 2026, workingDays: [] }, after: { year: 2026, workingDays: ["2026-12-12"] } });
    const cutoffs = rows.filter((r) => r.action === "calendar.cutoff_changed");
    expect(cutoffs.map((r) => [r.before, r.after])).toEqual([
      [{ dossierCutoff: "15:00" }, { dossierCutoff: null }],
      [{ dossierCutoff: null }, { dossierCutoff: "16:30" }],
    ]);
    const [b] = await s.db.select().from(auditEvents).where(and(eq(auditEvents.centreId, centreB), eq(auditEvents.action, "calendar.cutoff_changed")));
    expect(b).toMatchObject({ actorUserId: adminB.userId, after: { dossierCutoff: "14:00" } });
  });

  it("a save whose audit row cannot be written is not made", async () => {
    const before = await written();
    await s.db.execute(
      sql.raw(`create or replace function refuse_calendar_audit() returns trigger language plpgsql as $$ begin if new.action like 'calendar.%' then raise exception 'audit refused'; end if; return new; end $$`),
    );
    await s.db.execute(sql.raw(`create trigger refuse_calendar_audit before insert on audit_events for each row execute function refuse_calendar_audit()`));
    try {
      await expect(saveCentreDecision(deps, admin, { year: 2026, daysOff: ["22/12/2026"], source: "Quyết định thử" })).rejects.toThrow();
      await expect(saveCutoff(deps, admin, { cutoff: null })).rejects.toThrow();
      await expect(saveDeploymentDecision(deps, sysadmin, { year: 2028, workingDays: ["08/01/2028"], source: "Thông báo thử" })).rejects.toThrow();
    } finally {
      await s.db.execute(sql.raw(`drop trigger refuse_calendar_audit on audit_events`));
    }
    expect(await written()).toEqual(before);
  });
});

describe("guards", () => {
  it("isAppError recognises the year refusal of the service", async () => {
    try {
      await calendarYear(deps, admin, { year: 2040 });
      expect.unreachable();
    } catch (error) {
      expect(isAppError(error) && error.code).toBe("calendar_year");
      expect((error as Error).message).toBe("Năm phải từ 2025 đến 2028.");
    }
  });
});
