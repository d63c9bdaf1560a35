/**
 * A fixed week of a centre for the reports' tests, written row by row: three fields, two counters,
 * two officers, tickets with chosen times (a transfer, no-shows, cancelled, expired), their call
 * events (some out of order), ratings, dossiers with their steps (on time, late, supplemented,
 * refused, stopped, open and overdue) and appointments — and a second centre whose data must never
 * show. The arrays are exported: the tests compute every expected figure from them on their own.
 */
import type { Database } from "../../db/client";
import { appointments, centres, counters, dossiers, dossierSteps, fields, procedures, ratings, ticketEvents, tickets, users } from "../../db/schema";

/** Friday 20 November 2026, 10:00 in Vietnam: the tests' now. */
export const NOW = new Date("2026-11-20T10:00:00+07:00");
export const at = (day: string, hm: string) => new Date(`${day}T${hm}:00+07:00`);

export type TicketSpec = {
  n: number;
  field: "F1" | "F2" | "F3";
  day: string;
  issued: string;
  channel: "kiosk" | "reception" | "appointment" | "api";
  status: "waiting" | "called" | "done" | "no_show" | "cancelled" | "expired";
  /** The calls: time, counter, officer, and the out-of-order reason if any. */
  calls: Array<{ at: string; counter: "C1" | "C2"; officer: "O1" | "O2"; reason?: "appointment" | "returning" | "urgent" | "leader" | "technical" | "other"; note?: string }>;
  finished?: string;
};

const D1 = "2026-11-02"; // Monday
const D2 = "2026-11-03";
const D3 = "2026-11-05";
export const DAYS = { D1, D2, D3 };

export const TICKETS: TicketSpec[] = [
  { n: 1, field: "F1", day: D1, issued: "07:40", channel: "kiosk", status: "done", calls: [{ at: "07:50", counter: "C1", officer: "O1" }], finished: "08:02" },
  { n: 2, field: "F1", day: D1, issued: "08:05", channel: "kiosk", status: "done", calls: [{ at: "08:20", counter: "C1", officer: "O1" }], finished: "08:31" },
  { n: 3, field: "F1", day: D1, issued: "08:15", channel: "reception", status: "no_show", calls: [{ at: "08:35", counter: "C1", officer: "O1" }] },
  { n: 4, field: "F2", day: D1, issued: "08:30", channel: "appointment", status: "done", calls: [{ at: "08:33", counter: "C2", officer: "O2", reason: "appointment" }], finished: "09:00" },
  { n: 5, field: "F2", day: D1, issued: "09:10", channel: "kiosk", status: "cancelled", calls: [] },
  // Transferred: first called at counter 2, then served at counter 1 (the wait ends at the first call).
  { n: 6, field: "F1", day: D2, issued: "08:10", channel: "kiosk", status: "done", calls: [{ at: "08:25", counter: "C2", officer: "O2" }, { at: "08:40", counter: "C1", officer: "O1" }], finished: "08:55" },
  { n: 7, field: "F1", day: D2, issued: "08:50", channel: "api", status: "done", calls: [{ at: "09:30", counter: "C1", officer: "O1", reason: "urgent" }], finished: "09:37" },
  { n: 8, field: "F2", day: D2, issued: "09:05", channel: "kiosk", status: "done", calls: [{ at: "09:06", counter: "C2", officer: "O2" }], finished: "09:40" },
  { n: 9, field: "F2", day: D2, issued: "14:20", channel: "kiosk", status: "expired", calls: [] },
  { n: 10, field: "F1", day: D3, issued: "08:45", channel: "kiosk", status: "done", calls: [{ at: "09:15", counter: "C2", officer: "O2" }], finished: "09:21" },
  { n: 11, field: "F2", day: D3, issued: "13:30", channel: "reception", status: "done", calls: [{ at: "13:50", counter: "C2", officer: "O2", reason: "other", note: "Người khuyết tật, đi lại khó khăn" }], finished: "14:15" },
  { n: 12, field: "F1", day: D3, issued: "08:55", channel: "kiosk", status: "no_show", calls: [{ at: "09:40", counter: "C1", officer: "O1" }] },
  { n: 13, field: "F2", day: D3, issued: "09:20", channel: "kiosk", status: "done", calls: [{ at: "09:25", counter: "C1", officer: "O1" }], finished: "09:58" },
];

export type RatingSpec = { ticket: number; value: "very_satisfied" | "satisfied" | "unsatisfied"; reasons: string[]; comment: string | null; minutesAfter: number; dossier?: string };
export const RATINGS: RatingSpec[] = [
  { ticket: 1, value: "very_satisfied", reasons: [], comment: null, minutesAfter: 1, dossier: "DB" },
  { ticket: 2, value: "unsatisfied", reasons: ["long_wait", "attitude"], comment: 'Chờ lâu, cán bộ nói "vội"', minutesAfter: 2 },
  { ticket: 4, value: "satisfied", reasons: [], comment: null, minutesAfter: 1, dossier: "DA" },
  { ticket: 6, value: "unsatisfied", reasons: ["long_wait"], comment: null, minutesAfter: 3, dossier: "DC" },
  { ticket: 8, value: "very_satisfied", reasons: [], comment: "Cán bộ rất nhiệt tình", minutesAfter: 1 },
  { ticket: 10, value: "satisfied", reasons: [], comment: "Tốt", minutesAfter: 2 },
  { ticket: 11, value: "unsatisfied", reasons: ["unclear_guidance", "long_wait"], comment: null, minutesAfter: 1 },
  { ticket: 13, value: "very_satisfied", reasons: [], comment: null, minutesAfter: 2 },
];

export type DossierSpec = {
  code: string;
  procedure: "P1" | "P2";
  ticket?: number;
  receivedBy: "O1" | "O2";
  received: [string, string];
  due: [string, string];
  state: "received" | "needs_supplement" | "returned" | "refused" | "stopped";
  steps: Array<{ action: "supplement" | "return" | "refuse" | "stop"; from: string; to: string; at: [string, string] }>;
};
export const DOSSIERS: DossierSpec[] = [
  { code: "DA", procedure: "P2", ticket: 4, receivedBy: "O2", received: [D1, "08:55"], due: ["2026-11-04", "17:00"], state: "returned", steps: [{ action: "return", from: "result_ready", to: "returned", at: ["2026-11-04", "10:00"] }] },
  // Returned at the due time exactly: on time.
  { code: "DB", procedure: "P1", ticket: 1, receivedBy: "O1", received: [D1, "08:00"], due: ["2026-11-03", "17:00"], state: "returned", steps: [{ action: "return", from: "result_ready", to: "returned", at: ["2026-11-03", "17:00"] }] },
  { code: "DC", procedure: "P1", ticket: 6, receivedBy: "O1", received: [D2, "08:54"], due: ["2026-11-10", "17:00"], state: "needs_supplement", steps: [{ action: "supplement", from: "appraising", to: "needs_supplement", at: [D2, "10:00"] }] },
  { code: "DD", procedure: "P2", ticket: 8, receivedBy: "O2", received: [D2, "09:35"], due: ["2026-11-09", "17:00"], state: "returned", steps: [{ action: "refuse", from: "appraising", to: "refused", at: ["2026-11-04", "11:00"] }, { action: "return", from: "refused", to: "returned", at: ["2026-11-04", "15:00"] }] },
  { code: "DE", procedure: "P1", receivedBy: "O2", received: [D3, "10:00"], due: ["2026-11-30", "17:00"], state: "received", steps: [] },
  { code: "DF", procedure: "P2", ticket: 13, receivedBy: "O1", received: [D3, "09:50"], due: ["2026-11-12", "17:00"], state: "stopped", steps: [{ action: "stop", from: "appraising", to: "stopped", at: ["2026-11-06", "09:00"] }] },
  // Received before the range, returned late within it.
  { code: "DG", procedure: "P1", receivedBy: "O1", received: ["2026-10-20", "09:00"], due: ["2026-11-02", "17:00"], state: "returned", steps: [{ action: "return", from: "result_ready", to: "returned", at: [D2, "16:00"] }] },
  // Supplemented, then returned late within the range.
  { code: "DH", procedure: "P2", receivedBy: "O2", received: [D1, "14:00"], due: ["2026-11-05", "17:00"], state: "returned", steps: [{ action: "supplement", from: "appraising", to: "needs_supplement", at: [D2, "09:00"] }, { action: "return", from: "result_ready", to: "returned", at: ["2026-11-06", "08:30"] }] },
];

export type AppointmentSpec = { field: "F1" | "F2"; procedure?: "P1" | "P2"; day: string; status: "booked" | "checked_in" | "cancelled" | "no_show" };
export const APPOINTMENTS: AppointmentSpec[] = [
  { field: "F1", procedure: "P1", day: D1, status: "checked_in" },
  { field: "F1", day: D2, status: "no_show" },
  { field: "F2", procedure: "P2", day: D1, status: "checked_in" },
  { field: "F2", day: D3, status: "cancelled" },
  { field: "F2", procedure: "P2", day: "2026-11-19", status: "booked" },
  { field: "F1", procedure: "P1", day: "2026-11-18", status: "no_show" },
];

export type Fixture = Awaited<ReturnType<typeof buildFixture>>;

/** Writes the centre (and the other one), returning their ids by the fixture's names. */
export async function buildFixture(db: Database, options: { passwordHash?: string; suffix?: string } = {}) {
  const sfx = options.suffix ?? "";
  const hash = options.passwordHash ?? "x";
  const [centre] = await db.insert(centres).values({ code: `BC${sfx}`, name: "Trung tâm Báo cáo, thử" }).returning();
  const [other] = await db.insert(centres).values({ code: `KH${sfx}`, name: "Trung tâm khác" }).returning();
  const c = centre!.id;
  const [f1, f2, f3] = await db
    .insert(fields)
    .values([
      { centreId: c, code: "HT", name: "Hộ tịch", prefix: "A", sortOrder: 1 },
      { centreId: c, code: "DD", name: "Đất đai", prefix: "B", sortOrder: 2 },
      { centreId: c, code: "TP", name: "Tư pháp", prefix: "C", sortOrder: 3 },
    ])
    .returning();
  const [fx] = await db.insert(fields).values({ centreId: other!.id, code: "HT", name: "Hộ tịch (khác)", prefix: "A", sortOrder: 1 }).returning();
  const [c1, c2] = await db
    .insert(counters)
    .values([
      { centreId: c, number: 1, name: "Quầy 1" },
      { centreId: c, number: 2, name: "Quầy 2" },
    ])
    .returning();
  const [cx] = await db.insert(counters).values({ centreId: other!.id, number: 1, name: "Quầy 1 (khác)" }).returning();
  // A comma and a quote in a name: the CSV must quote it.
  const [o1, o2, sup, adm, sys, appr, off] = await db
    .insert(users)
    .values([
      { centreId: c, username: `bc_o1${sfx}`, fullName: 'Trần "Bé", Văn An', role: "officer", passwordHash: hash },
      { centreId: c, username: `bc_o2${sfx}`, fullName: "Bùi Thị Bình", role: "officer", passwordHash: hash },
      { centreId: c, username: `bc_sup${sfx}`, fullName: "Giám sát Báo cáo", role: "supervisor", passwordHash: hash },
      { centreId: c, username: `bc_adm${sfx}`, fullName: "Quản trị Báo cáo", role: "admin", passwordHash: hash },
      { centreId: c, username: `bc_sys${sfx}`, fullName: "Hệ thống Báo cáo", role: "sysadmin", passwordHash: hash },
      { centreId: c, username: `bc_appr${sfx}`, fullName: "Lãnh đạo Báo cáo", role: "approver", passwordHash: hash },
      { centreId: c, username: `bc_off${sfx}`, fullName: "Cán bộ khác", role: "officer", passwordHash: hash },
    ])
    .returning();
  const [ox] = await db.insert(users).values({ centreId: other!.id, username: `kh_o1${sfx}`, fullName: "Cán bộ trung tâm khác", role: "officer", passwordHash: hash }).returning();
  const procedure = { level: "commune" as const, legalBasis: "Luật thử", documents: [], fee: "Miễn phí" };
  const [p1, p2] = await db
    .insert(procedures)
    .values([
      { ...procedure, centreId: c, fieldId: f1!.id, code: "P1", name: "Đăng ký khai sinh", processingDays: 1, sortOrder: 1 },
      { ...procedure, centreId: c, fieldId: f2!.id, code: "P2", name: "Cấp giấy chứng nhận quyền sử dụng đất", processingDays: 3, sortOrder: 2 },
    ])
    .returning();
  const [px] = await db.insert(procedures).values({ ...procedure, centreId: other!.id, fieldId: fx!.id, code: "PX", name: "Thủ tục khác", processingDays: 1 }).returning();

  const ids = { centre: c, other: other!.id, F1: f1!.id, F2: f2!.id, F3: f3!.id, C1: c1!.id, C2: c2!.id, O1: o1!.id, O2: o2!.id, P1: p1!.id, P2: p2!.id };
  const people = { supervisor: sup!, admin: adm!, sysadmin: sys!, approver: appr!, officer: off!, O1: o1!, O2: o2! };

  // Tickets and their calls.
  const ticketId = new Map<number, number>();
  let seq = 0;
  for (const s of TICKETS) {
    const first = s.calls[0];
    const last = s.calls.at(-1);
    const [row] = await db
      .insert(tickets)
      .values({
        centreId: c,
        fieldId: ids[s.field],
        serviceDate: s.day,
        number: s.n,
        code: `${s.field}-${s.n}`,
        channel: s.channel,
        status: s.status,
        issuedAt: at(s.day, s.issued),
        firstCalledAt: first ? at(s.day, first.at) : null,
        calledAt: last ? at(s.day, last.at) : null,
        finishedAt: s.finished ? at(s.day, s.finished) : null,
        counterId: last ? ids[last.counter] : null,
        officerId: last ? ids[last.officer] : null,
      })
      .returning();
    ticketId.set(s.n, row!.id);
    await db.insert(ticketEvents).values({ ticketId: row!.id, centreId: c, seq: ++seq, type: "issued", fieldId: ids[s.field], toStatus: "waiting", createdAt: at(s.day, s.issued) });
    for (const call of s.calls) {
      await db.insert(ticketEvents).values({
        ticketId: row!.id,
        centreId: c,
        seq: ++seq,
        type: call.reason ? "called_out_of_order" : "called",
        fieldId: ids[s.field],
        fromStatus: "waiting",
        toStatus: "called",
        actorUserId: ids[call.officer],
        counterId: ids[call.counter],
        details: call.reason ? { reason: call.reason, note: call.note ?? null } : null,
        createdAt: at(s.day, call.at),
      });
    }
  }

  // Dossiers and their steps.
  const dossierId = new Map<string, number>();
  for (const d of DOSSIERS) {
    const [row] = await db
      .insert(dossiers)
      .values({
        centreId: c,
        code: `${d.code}${sfx}-${c}`,
        procedureId: ids[d.procedure],
        ticketId: d.ticket ? ticketId.get(d.ticket)! : null,
        applicantName: "Nguyễn Văn Dân",
        applicantIdNumber: "001190012345",
        applicantPhone: "0912345678",
        documents: [],
        state: d.state,
        receivedAt: at(...d.received),
        countsFrom: d.received[0],
        dueDay: d.due[0],
        dueAt: at(...d.due),
        receivedBy: ids[d.receivedBy],
      })
      .returning();
    dossierId.set(d.code, row!.id);
    for (const s of d.steps) {
      await db.insert(dossierSteps).values({ dossierId: row!.id, centreId: c, action: s.action, fromState: s.from as never, toState: s.to as never, actorUserId: ids.O1, reason: "x", createdAt: at(...s.at) });
    }
  }

  // Ratings, a few minutes after the finish.
  for (const r of RATINGS) {
    const s = TICKETS.find((x) => x.n === r.ticket)!;
    const last = s.calls.at(-1)!;
    const created = new Date(at(s.day, s.finished!).getTime() + r.minutesAfter * 60_000);
    await db.insert(ratings).values({
      centreId: c,
      ticketId: ticketId.get(r.ticket)!,
      value: r.value,
      reasons: r.reasons,
      comment: r.comment,
      source: "tablet",
      officerId: ids[last.officer],
      counterId: ids[last.counter],
      fieldId: ids[s.field],
      dossierId: r.dossier ? dossierId.get(r.dossier)! : null,
      createdAt: created,
    });
  }

  let code = 0;
  for (const a of APPOINTMENTS) {
    await db.insert(appointments).values({ centreId: c, fieldId: ids[a.field], procedureId: a.procedure ? ids[a.procedure] : null, day: a.day, slotStart: "08:00", code: `BC${sfx}${c}${++code}`, phone: `09000000${code}`, status: a.status });
  }

  // The other centre: the same kind of day, which must never show in the first one's reports.
  for (let n = 1; n <= 4; n++) {
    const [row] = await db
      .insert(tickets)
      .values({ centreId: other!.id, fieldId: fx!.id, serviceDate: D1, number: n, code: `X-${n}`, channel: "kiosk", status: "done", issuedAt: at(D1, "08:00"), firstCalledAt: at(D1, "10:00"), calledAt: at(D1, "10:00"), finishedAt: at(D1, "11:00"), counterId: cx!.id, officerId: ox!.id })
      .returning();
    await db.insert(ticketEvents).values({ ticketId: row!.id, centreId: other!.id, seq: n, type: "called_out_of_order", fieldId: fx!.id, toStatus: "called", actorUserId: ox!.id, counterId: cx!.id, details: { reason: "leader", note: null }, createdAt: at(D1, "10:00") });
    await db.insert(ratings).values({ centreId: other!.id, ticketId: row!.id, value: "unsatisfied", reasons: ["facilities"], comment: "Trung tâm khác", source: "tablet", officerId: ox!.id, counterId: cx!.id, fieldId: fx!.id, createdAt: at(D1, "11:01") });
    const [d] = await db
      .insert(dossiers)
      .values({ centreId: other!.id, code: `X${sfx}-${other!.id}-${n}`, procedureId: px!.id, ticketId: row!.id, applicantName: "Khác", applicantIdNumber: "001190012345", applicantPhone: "0912345678", documents: [], state: "returned", receivedAt: at(D1, "10:30"), countsFrom: D1, dueDay: D1, dueAt: at(D1, "17:00") })
      .returning();
    await db.insert(dossierSteps).values({ dossierId: d!.id, centreId: other!.id, action: "return", fromState: "result_ready", toState: "returned", createdAt: at(D2, "10:00") });
    await db.insert(appointments).values({ centreId: other!.id, fieldId: fx!.id, day: D1, slotStart: "08:00", code: `KH${sfx}${other!.id}${n}`, phone: `09100000${n}`, status: "checked_in" });
  }
  return { ids, people, other: { centre: other!.id, field: fx!.id, counter: cx!.id, officer: ox!.id, procedure: px!.id } };
}
