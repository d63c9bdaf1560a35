/**
 * The reports over a fixed week written row by row (tests/integration/reports-fixture.ts): every
 * figure — counts, mean/median/p90 waits and service times, arrivals and the peak hour,
 * out-of-order calls, satisfaction shares, dossiers on time, appointments kept — equals the value
 * this file computes on its own from the fixture's arrays; lines per dimension and series buckets
 * too; narrowing; another centre's data never shows; the deployment scope; bad filters refused.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { userActor, type Actor } from "../../server/auth/permissions";
import { isAppError } from "../../server/errors";
import { resolveReportFilter } from "../../server/reports/filter";
import { runReport, runReports } from "../../server/reports/service";
import type { ReportKind, ResolvedFilter } from "../../server/reports/types";
import { createTestDatabase } from "../helpers/database";
import { APPOINTMENTS, DOSSIERS, NOW, RATINGS, TICKETS, at, buildFixture, type Fixture, type TicketSpec } from "./reports-fixture";

let db: Database;
let drop: () => Promise<void>;
let fx: Fixture;
let supervisor: Actor;
let sysadmin: Actor;
const deps = () => ({ db, now: () => NOW });
const RANGE = { from: "2026-11-01", to: "2026-11-20" };

beforeAll(async () => {
  const test = await createTestDatabase();
  db = test.handle.db;
  drop = test.drop;
  fx = await buildFixture(db);
  supervisor = userActor(fx.people.supervisor);
  sysadmin = userActor(fx.people.sysadmin);
}, 60_000);
afterAll(() => drop?.());

const filterOf = (params: Record<string, string>, actor: Actor = supervisor) => resolveReportFilter(deps(), actor, { ...RANGE, ...params });
const run = async <K extends ReportKind>(kind: K, params: Record<string, string> = {}, actor: Actor = supervisor) => runReport(deps(), actor, kind, await filterOf(params, actor));

// The test's own arithmetic ------------------------------------------------------------------
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
/** Linear interpolation between the closest ranks (what percentile_cont does). */
function percentile(xs: number[], p: number): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const pos = p * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}
const durations = (xs: number[]) => ({ count: xs.length, meanSeconds: mean(xs), medianSeconds: percentile(xs, 0.5), p90Seconds: percentile(xs, 0.9) });
const share = (a: number, b: number) => (b === 0 ? null : a / b);
const secs = (day: string, from: string, to: string) => (at(day, to).getTime() - at(day, from).getTime()) / 1000;
const waitOf = (s: TicketSpec) => (s.calls.length ? secs(s.day, s.issued, s.calls[0]!.at) : null);
const serviceOf = (s: TicketSpec) => (s.status === "done" ? secs(s.day, s.calls.at(-1)!.at, s.finished!) : null);
const lastOf = (s: TicketSpec) => s.calls.at(-1);
const nums = (xs: Array<number | null>) => xs.filter((x): x is number => x !== null);

function ticketFigures(list: TicketSpec[]) {
  const n = (p: (s: TicketSpec) => boolean) => list.filter(p).length;
  return {
    issued: list.length,
    byChannel: { kiosk: n((s) => s.channel === "kiosk"), reception: n((s) => s.channel === "reception"), appointment: n((s) => s.channel === "appointment"), api: n((s) => s.channel === "api") },
    served: n((s) => s.status === "done"),
    noShow: n((s) => s.status === "no_show"),
    cancelled: n((s) => s.status === "cancelled"),
    expired: n((s) => s.status === "expired"),
    open: n((s) => s.status === "waiting" || s.status === "called"),
    servedShare: list.length ? n((s) => s.status === "done") / list.length : null,
    noShowShare: list.length ? n((s) => s.status === "no_show") / list.length : null,
  };
}
const waitFigures = (list: TicketSpec[]) => ({ wait: durations(nums(list.map(waitOf))), service: durations(nums(list.map(serviceOf))) });
/** toEqual with float tolerance: numbers rounded to 6 decimals on both sides. */
const rounded = (value: unknown): unknown =>
  typeof value === "number" ? Math.round(value * 1e6) / 1e6 : Array.isArray(value) ? value.map(rounded) : value && typeof value === "object" ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rounded(v)])) : value;
const same = (actual: unknown, expected: unknown) => expect(rounded(actual)).toEqual(rounded(expected));

describe("the filter", () => {
  it("defaults to the last 30 days, by field, the actor's centre, with the words of a title", async () => {
    const f = await resolveReportFilter(deps(), supervisor, {});
    expect(f).toEqual({
      period: "custom",
      from: "2026-10-22",
      to: "2026-11-20",
      centreId: fx.ids.centre,
      fieldId: null,
      counterId: null,
      officerId: null,
      procedureId: null,
      by: "field",
      label: "30 ngày qua (22/10/2026 – 20/11/2026)",
      lines: ["Trung tâm: Trung tâm Báo cáo, thử"],
      granularity: "day",
    });
    const narrowed = await filterOf({ field: String(fx.ids.F1), officer: String(fx.ids.O2), procedure: String(fx.ids.P1), counter: String(fx.ids.C2) });
    expect(narrowed.lines).toEqual(["Trung tâm: Trung tâm Báo cáo, thử", "Lĩnh vực: Hộ tịch", "Quầy: Quầy 2", "Cán bộ: Bùi Thị Bình", "Thủ tục: Đăng ký khai sinh"]);
    expect((await resolveReportFilter(deps(), supervisor, new URLSearchParams("period=month&date=2026-11-05"))).label).toBe("Tháng 11/2026 (01/11/2026 – 20/11/2026), số liệu đến hôm nay");
  });

  async function refusal(params: Record<string, string>, actor: Actor = supervisor) {
    try {
      await resolveReportFilter(deps(), actor, params);
    } catch (error) {
      if (isAppError(error)) return { code: error.code, status: error.status, message: error.message };
      throw error;
    }
    throw new Error("not refused");
  }

  it("refuses bad ranges and unknown values with a code and a Vietnamese message", async () => {
    expect(await refusal({ from: "2026-11-10", to: "2026-11-01" })).toEqual({ code: "report_range_invalid", status: 400, message: "Khoảng ngày không hợp lệ: từ ngày (10/11/2026) phải trước hoặc bằng đến ngày (01/11/2026)." });
    expect(await refusal({ from: "2025-01-01", to: "2026-11-01" })).toMatchObject({ code: "report_range_too_long", message: "Khoảng ngày quá dài: tối đa 400 ngày (đang chọn 670 ngày)." });
    expect(await refusal({ from: "2026-02-30" })).toMatchObject({ code: "report_date_invalid", status: 400 });
    expect(await refusal({ period: "day", date: "2026-12-01" })).toMatchObject({ code: "report_range_future", status: 400 });
    expect(await refusal({ period: "fortnight" })).toMatchObject({ code: "report_filter_invalid", message: "Bộ lọc báo cáo không hợp lệ: period = «fortnight»." });
    expect(await refusal({ by: "colour" })).toMatchObject({ code: "report_filter_invalid" });
    expect(await refusal({ field: "abc" })).toMatchObject({ code: "report_filter_invalid" });
  });

  it("never reaches another centre: its ids are not found, its scope is refused to a supervisor, open to a sysadmin", async () => {
    expect(await refusal({ field: String(fx.other.field) })).toEqual({ code: "report_scope_not_found", status: 404, message: `Không tìm thấy lĩnh vực mã ${fx.other.field} tại trung tâm đang xem báo cáo.` });
    expect(await refusal({ officer: String(fx.other.officer) })).toMatchObject({ code: "report_scope_not_found" });
    expect(await refusal({ counter: String(fx.other.counter) })).toMatchObject({ code: "report_scope_not_found" });
    expect(await refusal({ procedure: String(fx.other.procedure) })).toMatchObject({ code: "report_scope_not_found" });
    expect(await refusal({ centre: "all" })).toMatchObject({ code: "forbidden", status: 403 });
    expect(await refusal({ centre: String(fx.other.centre) })).toMatchObject({ code: "forbidden", status: 403 });
    expect(await refusal({}, userActor(fx.people.officer))).toMatchObject({ code: "forbidden", status: 403 });
    for (const people of [fx.people.admin, fx.people.approver]) expect((await filterOf({}, userActor(people))).centreId).toBe(fx.ids.centre);
    // A resolved filter of another centre is refused by the service too.
    const other = await filterOf({ centre: String(fx.other.centre) }, sysadmin);
    await expect(runReport(deps(), supervisor, "tickets", other)).rejects.toMatchObject({ code: "forbidden" });

    const deployment = await filterOf({ centre: "all" }, sysadmin);
    expect(deployment).toMatchObject({ centreId: null, by: "centre", lines: ["Phạm vi: toàn bộ các trung tâm"] });
    const tickets = await runReport(deps(), sysadmin, "tickets", deployment);
    expect(tickets.total.issued).toBe(TICKETS.length + 4);
    expect(tickets.lines.map((l) => [l.key, l.label, l.issued])).toEqual([
      [String(fx.ids.centre), "Trung tâm Báo cáo, thử", TICKETS.length],
      [String(fx.other.centre), "Trung tâm khác", 4],
    ]);
    const otherOnly = await runReport(deps(), sysadmin, "satisfaction", other);
    expect(otherOnly.total.count).toBe(4);
    expect(otherOnly.comments.every((c) => c.text === "Trung tâm khác")).toBe(true);
  });
});

describe("tickets, waits and arrivals", () => {
  it("tickets by channel and outcome, per field (in the fields' order) and per day", async () => {
    const r = await run("tickets");
    expect(r.by).toBe("field");
    same(r.total, ticketFigures(TICKETS));
    expect(r.lines.map((l) => l.label)).toEqual(["Hộ tịch", "Đất đai"]);
    for (const [key, field] of [[fx.ids.F1, "F1"], [fx.ids.F2, "F2"]] as const) same(r.lines.find((l) => l.key === String(key))!, { key: String(key), label: field === "F1" ? "Hộ tịch" : "Đất đai", ...ticketFigures(TICKETS.filter((s) => s.field === field)) });
    // Every day of the range, those without tickets too.
    expect(r.series).toHaveLength(20);
    expect(r.series[0]!.bucket).toBe("2026-11-01");
    for (const p of r.series) {
      const day = TICKETS.filter((s) => s.day === p.bucket);
      expect(p).toEqual({ bucket: p.bucket, issued: day.length, served: day.filter((s) => s.status === "done").length, noShow: day.filter((s) => s.status === "no_show").length });
    }
  });

  it("waits (issue → first call, a transfer's first call included) and service times: mean, median and p90, per field and per officer", async () => {
    const r = await run("waits");
    same(r.total, waitFigures(TICKETS));
    for (const field of ["F1", "F2"] as const) same(r.lines.find((l) => l.key === String(fx.ids[field]))!, { key: String(fx.ids[field]), label: field === "F1" ? "Hộ tịch" : "Đất đai", ...waitFigures(TICKETS.filter((s) => s.field === field)) });
    // The transfer: its wait is 15 minutes (08:10 → 08:25), its service 15 minutes (08:40 → 08:55).
    expect(waitOf(TICKETS[5]!)).toBe(900);

    const byOfficer = await run("waits", { by: "officer" });
    // Officers by name, the tickets never called (no officer) last.
    expect(byOfficer.lines.map((l) => l.key)).toEqual([String(fx.ids.O2), String(fx.ids.O1), "none"]);
    for (const officer of ["O1", "O2"] as const) same(byOfficer.lines.find((l) => l.key === String(fx.ids[officer]))!, { key: String(fx.ids[officer]), label: officer === "O1" ? 'Trần "Bé", Văn An' : "Bùi Thị Bình", ...waitFigures(TICKETS.filter((s) => lastOf(s)?.officer === officer)) });
    same(byOfficer.total, r.total);
    for (const p of r.series) {
      const day = TICKETS.filter((s) => s.day === p.bucket);
      same(p, { bucket: p.bucket, meanWaitSeconds: mean(nums(day.map(waitOf))), meanServiceSeconds: mean(nums(day.map(serviceOf))) });
    }
  });

  it("arrivals per hour in Vietnam time, per day of the days that had any, the peak hour, weekdays", async () => {
    const r = await run("arrivals");
    const days = new Set(TICKETS.map((s) => s.day)).size;
    expect(r.days).toBe(days);
    const hourOf = (s: TicketSpec) => Number(s.issued.slice(0, 2));
    const counts = new Map<number, number>();
    for (const s of TICKETS) counts.set(hourOf(s), (counts.get(hourOf(s)) ?? 0) + 1);
    expect(r.hours.map((h) => h.hour)).toEqual([7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]);
    for (const h of r.hours) same(h, { hour: h.hour, issued: counts.get(h.hour) ?? 0, perDay: (counts.get(h.hour) ?? 0) / days });
    const peak = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]![0];
    expect(r.peakHour).toBe(peak);
    expect(r.peakHour).toBe(8);
    const weekday = (day: string) => ((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
    for (const w of r.weekdays) {
      const list = TICKETS.filter((s) => weekday(s.day) === w.weekday);
      same(w, { weekday: w.weekday, issued: list.length, perDay: list.length ? list.length / new Set(list.map((s) => s.day)).size : 0 });
    }
  });
});

describe("out-of-order calls", () => {
  it("per officer, with every call counted, the share and the reasons; the latest with notes", async () => {
    const r = await run("out_of_order", { by: "field" });
    const calls = TICKETS.flatMap((s) => s.calls.map((c) => ({ ...c, ticket: s })));
    const figures = (list: typeof calls) => {
      const ooo = list.filter((c) => c.reason);
      return {
        calls: list.length,
        outOfOrder: ooo.length,
        share: share(ooo.length, list.length),
        byReason: Object.fromEntries((["appointment", "returning", "urgent", "leader", "technical", "other"] as const).map((x) => [x, ooo.filter((c) => c.reason === x).length])),
      };
    };
    same(r.total, figures(calls));
    expect(r.officers.map((o) => o.label)).toEqual(["Bùi Thị Bình", 'Trần "Bé", Văn An']);
    for (const officer of ["O1", "O2"] as const) same(r.officers.find((o) => o.key === String(fx.ids[officer]))!, { key: String(fx.ids[officer]), label: r.officers.find((o) => o.key === String(fx.ids[officer]))!.label, ...figures(calls.filter((c) => c.officer === officer)) });
    const ooo = calls.filter((c) => c.reason).sort((a, b) => at(b.ticket.day, b.at).getTime() - at(a.ticket.day, a.at).getTime());
    expect(r.recent).toEqual(
      ooo.map((c) => ({ at: at(c.ticket.day, c.at).toISOString(), code: `${c.ticket.field}-${c.ticket.n}`, officer: c.officer === "O1" ? 'Trần "Bé", Văn An' : "Bùi Thị Bình", counter: c.counter === "C1" ? 1 : 2, reason: c.reason, note: c.note ?? null })),
    );
  });
});

describe("satisfaction", () => {
  const figures = (list: typeof RATINGS) => {
    const n = (v: string) => list.filter((r) => r.value === v).length;
    return {
      count: list.length,
      verySatisfied: n("very_satisfied"),
      satisfied: n("satisfied"),
      unsatisfied: n("unsatisfied"),
      verySatisfiedShare: share(n("very_satisfied"), list.length),
      satisfiedShare: share(n("satisfied"), list.length),
      unsatisfiedShare: share(n("unsatisfied"), list.length),
      satisfactionRate: share(n("very_satisfied") + n("satisfied"), list.length),
    };
  };
  const ticketOf = (r: (typeof RATINGS)[number]) => TICKETS.find((s) => s.n === r.ticket)!;

  it("the three levels with their shares, per counter and per day; the reasons most frequent first; the latest comments", async () => {
    const r = await run("satisfaction", { by: "counter" });
    same(r.total, figures(RATINGS));
    expect(r.lines.map((l) => l.label)).toEqual(["Quầy 1", "Quầy 2"]);
    for (const counter of ["C1", "C2"] as const) same(r.lines.find((l) => l.key === String(fx.ids[counter]))!, { key: String(fx.ids[counter]), label: counter === "C1" ? "Quầy 1" : "Quầy 2", ...figures(RATINGS.filter((x) => lastOf(ticketOf(x))!.counter === counter)) });
    const reasons = new Map<string, number>();
    for (const x of RATINGS) for (const reason of x.reasons) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    const order = ["long_wait", "attitude", "unclear_guidance", "extra_documents", "complex_procedure", "facilities", "other"];
    expect(r.reasons).toEqual([...reasons.entries()].sort((a, b) => b[1] - a[1] || order.indexOf(a[0]) - order.indexOf(b[0])).map(([reason, count]) => ({ reason, count })));
    expect(r.reasons[0]).toEqual({ reason: "long_wait", count: 3 });
    const withWords = RATINGS.filter((x) => x.comment).map((x) => ({ x, at: new Date(at(ticketOf(x).day, ticketOf(x).finished!).getTime() + x.minutesAfter * 60_000) }));
    withWords.sort((a, b) => b.at.getTime() - a.at.getTime());
    expect(r.comments).toEqual(withWords.map(({ x, at: when }) => ({ at: when.toISOString(), text: x.comment, value: x.value, officer: lastOf(ticketOf(x))!.officer === "O1" ? 'Trần "Bé", Văn An' : "Bùi Thị Bình", counter: lastOf(ticketOf(x))!.counter === "C1" ? 1 : 2 })));
    for (const p of r.series) {
      const day = RATINGS.filter((x) => ticketOf(x).day === p.bucket);
      same(p, { bucket: p.bucket, count: day.length, satisfactionRate: figures(day).satisfactionRate });
    }
  });

  it("narrowed by a procedure: the ratings of that procedure's dossiers", async () => {
    const r = await run("satisfaction", { procedure: String(fx.ids.P1), by: "procedure" });
    const p1 = RATINGS.filter((x) => x.dossier && DOSSIERS.find((d) => d.code === x.dossier)!.procedure === "P1");
    same(r.total, figures(p1));
    expect(r.lines.map((l) => [l.label, l.count])).toEqual([["Đăng ký khai sinh", p1.length]]);
  });
});

describe("dossiers", () => {
  const asOf = NOW;
  const inRange = (d: string, hm: string) => at(d, hm) >= at(RANGE.from, "00:00") && at(d, hm) < at("2026-11-21", "00:00");
  function figures(list: typeof DOSSIERS) {
    const received = list.filter((d) => inRange(...d.received));
    const settledAt = (d: (typeof DOSSIERS)[number]) => d.steps.filter((s) => s.action !== "supplement").map((s) => at(...s.at))[0] ?? null;
    const returns = list.flatMap((d) => d.steps.filter((s) => s.action === "return" && s.from !== "refused" && inRange(...s.at)).map((s) => ({ d, at: at(...s.at) })));
    const onTime = returns.filter((x) => x.at.getTime() <= at(...x.d.due).getTime()).length;
    const open = received.filter((d) => settledAt(d) === null || settledAt(d)! >= asOf);
    return {
      received: received.length,
      returned: returns.length,
      onTime,
      late: returns.length - onTime,
      onTimeRate: share(onTime, returns.length),
      supplemented: received.filter((d) => d.steps.some((s) => s.action === "supplement")).length,
      refused: list.filter((d) => d.steps.some((s) => s.action === "refuse" && inRange(...s.at))).length,
      stopped: list.filter((d) => d.steps.some((s) => s.action === "stop" && inRange(...s.at))).length,
      open: open.length,
      overdue: open.filter((d) => at(...d.due) < asOf).length,
    };
  }

  it("received, returned on time or late (the due time itself is on time), supplemented, refused, stopped, open and overdue — per procedure and per officer", async () => {
    const r = await run("dossiers", { by: "procedure" });
    same(r.total, figures(DOSSIERS));
    expect(r.total).toMatchObject({ returned: 4, onTime: 2, late: 2, onTimeRate: 0.5, refused: 1, stopped: 1, open: 2, overdue: 1 });
    expect(r.lines.map((l) => l.label)).toEqual(["Đăng ký khai sinh", "Cấp giấy chứng nhận quyền sử dụng đất"]);
    for (const p of ["P1", "P2"] as const) same(r.lines.find((l) => l.key === String(fx.ids[p]))!, { key: String(fx.ids[p]), label: r.lines.find((l) => l.key === String(fx.ids[p]))!.label, ...figures(DOSSIERS.filter((d) => d.procedure === p)) });
    const byOfficer = await run("dossiers", { by: "officer" });
    for (const o of ["O1", "O2"] as const) same(byOfficer.lines.find((l) => l.key === String(fx.ids[o]))!, { key: String(fx.ids[o]), label: byOfficer.lines.find((l) => l.key === String(fx.ids[o]))!.label, ...figures(DOSSIERS.filter((d) => d.receivedBy === o)) });
    for (const point of r.series) {
      const returns = DOSSIERS.flatMap((d) => d.steps.filter((s) => s.action === "return" && s.from !== "refused" && s.at[0] === point.bucket).map(() => d));
      const onTime = returns.filter((d) => at(...d.steps.find((s) => s.action === "return")!.at) <= at(...d.due)).length;
      same(point, { bucket: point.bucket, returned: returns.length, onTime, onTimeRate: share(onTime, returns.length) });
    }
    // Narrowed by field: the dossiers of the field's procedures.
    same((await run("dossiers", { field: String(fx.ids.F2) })).total, figures(DOSSIERS.filter((d) => d.procedure === "P2")));
  });
});

describe("appointments", () => {
  it("kept, missed, cancelled, pending and the kept rate; by counter they go by field", async () => {
    const figures = (list: typeof APPOINTMENTS) => {
      const n = (s: string) => list.filter((a) => a.status === s).length;
      return { booked: list.length, kept: n("checked_in"), missed: n("no_show"), cancelled: n("cancelled"), pending: n("booked"), keptRate: share(n("checked_in"), n("checked_in") + n("no_show")) };
    };
    const r = await run("appointments", { by: "counter" });
    expect(r.by).toBe("field");
    same(r.total, figures(APPOINTMENTS));
    for (const f of ["F1", "F2"] as const) same(r.lines.find((l) => l.key === String(fx.ids[f]))!, { key: String(fx.ids[f]), label: f === "F1" ? "Hộ tịch" : "Đất đai", ...figures(APPOINTMENTS.filter((a) => a.field === f)) });
    same((await run("appointments", { procedure: String(fx.ids.P2) })).total, figures(APPOINTMENTS.filter((a) => a.procedure === "P2")));
  });
});

describe("narrowing the queue's reports", () => {
  it("by field, officer (who last served), counter and procedure (a dossier received from the visit)", async () => {
    same((await run("tickets", { field: String(fx.ids.F1) })).total, ticketFigures(TICKETS.filter((s) => s.field === "F1")));
    same((await run("waits", { officer: String(fx.ids.O1) })).total, waitFigures(TICKETS.filter((s) => lastOf(s)?.officer === "O1")));
    same((await run("waits", { counter: String(fx.ids.C2) })).total, waitFigures(TICKETS.filter((s) => lastOf(s)?.counter === "C2")));
    const withP1 = new Set(DOSSIERS.filter((d) => d.procedure === "P1" && d.ticket).map((d) => d.ticket));
    const tickets = await run("tickets", { procedure: String(fx.ids.P1), by: "procedure" });
    same(tickets.total, ticketFigures(TICKETS.filter((s) => withP1.has(s.n))));
    expect(tickets.lines.map((l) => [l.key, l.issued])).toEqual([[String(fx.ids.P1), withP1.size]]);
    // By procedure without narrowing: each visit under the procedure of its dossier, the others on a line of their own, last.
    const byProcedure = await run("tickets", { by: "procedure" });
    expect(byProcedure.lines.map((l) => [l.label, l.issued])).toEqual([
      ["Đăng ký khai sinh", DOSSIERS.filter((d) => d.procedure === "P1" && d.ticket).length],
      ["Cấp giấy chứng nhận quyền sử dụng đất", DOSSIERS.filter((d) => d.procedure === "P2" && d.ticket).length],
      ["", TICKETS.length - DOSSIERS.filter((d) => d.ticket).length],
    ]);
    const ooo = await run("out_of_order", { officer: String(fx.ids.O2) });
    expect(ooo.officers.map((o) => o.key)).toEqual([String(fx.ids.O2)]);
  });

  it("all seven at once, and the series cut per week or month on longer ranges", async () => {
    const filter: ResolvedFilter = await filterOf({ from: "2026-06-01", to: "2026-11-20" });
    expect(filter.granularity).toBe("week");
    const reports = await runReports(deps(), supervisor, filter);
    expect(reports.map((r) => r.kind)).toEqual(["tickets", "waits", "arrivals", "out_of_order", "satisfaction", "dossiers", "appointments"]);
    const tickets = reports[0] as Extract<(typeof reports)[number], { kind: "tickets" }>;
    // Mondays from the week of 1 June 2026 (a Monday) to that of 20 November.
    expect(tickets.series[0]!.bucket).toBe("2026-06-01");
    expect(tickets.series.at(-1)!.bucket).toBe("2026-11-16");
    expect(tickets.series).toHaveLength(25);
    expect(tickets.series.find((p) => p.bucket === "2026-11-02")!.issued).toBe(TICKETS.length);
    const year = await runReport(deps(), supervisor, "dossiers", await resolveReportFilter(deps(), supervisor, { period: "year", date: "2026-03-01" }));
    expect(year.series.map((p) => p.bucket)).toEqual(["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11"].map((m) => `2026-${m}-01`));
    expect(year.series.find((p) => p.bucket === "2026-11-01")).toMatchObject({ returned: 4, onTime: 2, onTimeRate: 0.5 });
  });
});
