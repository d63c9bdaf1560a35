import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { centres, counters, fields, priorityClasses, ticketEvents, tickets } from "../../db/schema";
import { startTestServer, type TestServer } from "../helpers/server";

let s: TestServer;
let kiosk: { cookie: string; device: { id: number } };

beforeAll(async () => {
  s = await startTestServer();
  kiosk = await s.pairedDevice("kiosk");
});
afterAll(() => s?.close());

const ticketCount = async () => (await s.db.select({ n: count() }).from(tickets))[0]!.n;
const eventCount = async () => (await s.db.select({ n: count() }).from(ticketEvents))[0]!.n;
const counterByNumber = async (n: number) =>
  (await s.db.select().from(counters).where(and(eq(counters.centreId, s.seeded.centreId), eq(counters.number, n))))[0]!;

describe("kiosk issues tickets", () => {
  it("issues the first number of the day with its field, people ahead and time, and logs the event", async () => {
    const field = await s.fieldByCode("CT");
    const first = await s.request("POST", "/api/v1/kiosk/tickets", { cookie: kiosk.cookie, body: { fieldId: field.id } });
    expect(first.status).toBe(201);
    expect(first.body.data.ticket.code).toBe("B001");
    expect(first.body.data.fieldName).toBe("Chứng thực");
    expect(first.body.data.peopleAhead).toBe(0);
    expect(Date.parse(first.body.data.ticket.issuedAt)).toBeGreaterThan(Date.now() - 60_000);

    const second = await s.request("POST", "/api/v1/kiosk/tickets", { cookie: kiosk.cookie, body: { fieldId: field.id } });
    expect(second.body.data.ticket.code).toBe("B002");
    expect(second.body.data.peopleAhead).toBe(1);

    const events = await s.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, second.body.data.ticket.id));
    expect(events).toMatchObject([{ type: "issued", fromStatus: null, toStatus: "waiting", actorDeviceId: kiosk.device.id }]);
  });

  it("refuses an unknown field with a clear message and writes nothing", async () => {
    const [tBefore, eBefore] = [await ticketCount(), await eventCount()];
    const res = await s.request("POST", "/api/v1/kiosk/tickets", { cookie: kiosk.cookie, body: { fieldId: 999_999 } });
    expect(res.status).toBe(404);
    expect(res.body.error).toEqual({ code: "field_not_found", message: "Lĩnh vực này không tồn tại tại trung tâm." });
    expect(await ticketCount()).toBe(tBefore);
    expect(await eventCount()).toBe(eBefore);
  });

  it("refuses a closed field, naming it, and writes nothing (not even a number)", async () => {
    const field = await s.fieldByCode("XD");
    await s.db.update(fields).set({ isOpen: false }).where(eq(fields.id, field.id));
    const before = await ticketCount();
    const res = await s.request("POST", "/api/v1/kiosk/tickets", { cookie: kiosk.cookie, body: { fieldId: field.id } });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("field_closed");
    expect(res.body.error.message).toContain("«Xây dựng» đang tạm ngừng tiếp nhận");
    expect(await ticketCount()).toBe(before);

    await s.db.update(fields).set({ isOpen: true }).where(eq(fields.id, field.id));
    const reopened = await s.request("POST", "/api/v1/kiosk/tickets", { cookie: kiosk.cookie, body: { fieldId: field.id } });
    expect(reopened.body.data.ticket.code).toBe("E001");
  });

  it("refuses a request without a paired kiosk, or from a display", async () => {
    const field = await s.fieldByCode("HT");
    const anonymous = await s.request("POST", "/api/v1/kiosk/tickets", { body: { fieldId: field.id } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe("device_required");
    const display = await s.pairedDevice("display");
    const wrongKind = await s.request("POST", "/api/v1/kiosk/tickets", { cookie: display.cookie, body: { fieldId: field.id } });
    expect(wrongKind.status).toBe(403);
    expect(wrongKind.body.error.message).toContain("Màn hình chờ");
  });

  it("for a field no counter serves: issues with that said (the default), or refuses when the centre chose so; reception always issues", async () => {
    const field = await s.fieldByCode("LDTBXH"); // counters 8 and 10 serve it; nobody is signed in there
    const first = await s.request("POST", "/api/v1/kiosk/tickets", { cookie: kiosk.cookie, body: { fieldId: field.id } });
    expect(first.status).toBe(201);
    expect(first.body.data.estimatedWaitMinutes).toBeNull();

    await s.db.update(centres).set({ unservedIssuing: "refuse" }).where(eq(centres.id, s.seeded.centreId));
    try {
      const before = await ticketCount();
      const refused = await s.request("POST", "/api/v1/kiosk/tickets", { cookie: kiosk.cookie, body: { fieldId: field.id } });
      expect(refused.status).toBe(409);
      expect(refused.body.error).toEqual({
        code: "field_unserved",
        message: "Lĩnh vực «Lao động – Thương binh và Xã hội» hiện chưa có quầy phục vụ. Vui lòng quay lại sau hoặc hỏi cán bộ hướng dẫn.",
      });
      expect(await ticketCount()).toBe(before);
      const officer = await s.login("canbo07");
      expect((await s.request("POST", "/api/v1/reception/tickets", { cookie: officer.cookie, body: { fieldId: field.id } })).status).toBe(201);
      const counter8 = await counterByNumber(8);
      expect((await s.request("POST", `/api/v1/counters/${counter8.id}/sign-in`, { cookie: officer.cookie })).status).toBe(200);
      expect((await s.request("POST", "/api/v1/kiosk/tickets", { cookie: kiosk.cookie, body: { fieldId: field.id } })).status).toBe(201);
      expect((await s.request("POST", "/api/v1/counters/sign-out", { cookie: officer.cookie })).status).toBe(200);
    } finally {
      await s.db.update(centres).set({ unservedIssuing: "warn" }).where(eq(centres.id, s.seeded.centreId));
    }
  });

  it("answers malformed input with bad_request", async () => {
    const res = await s.request("POST", "/api/v1/kiosk/tickets", { cookie: kiosk.cookie, body: { fieldId: "abc" } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("bad_request");
  });
});

describe("officer at the counter", () => {
  it("calls the next ticket (priority first, then earliest), finishes it, and logs both", async () => {
    const officer = await s.login("canbo01");
    const counter1 = await counterByNumber(1); // serves Hộ tịch only
    const ht = await s.fieldByCode("HT");
    const [elderly] = await s.db.select().from(priorityClasses).where(eq(priorityClasses.code, "NCT"));
    const issue = (priorityClassId?: number) =>
      s.request("POST", "/api/v1/kiosk/tickets", { cookie: kiosk.cookie, body: { fieldId: ht.id, priorityClassId } });
    const normal = (await issue()).body.data.ticket;
    const priorityIssue = await issue(elderly!.id);
    expect(priorityIssue.body.data.priorityClassName).toBe("Người cao tuổi");
    const priority = priorityIssue.body.data.ticket;

    const notSignedIn = await s.request("POST", `/api/v1/counters/${counter1.id}/call-next`, { cookie: officer.cookie });
    expect(notSignedIn.status).toBe(403);
    expect(notSignedIn.body.error.code).toBe("not_at_counter");

    const signIn = await s.request("POST", `/api/v1/counters/${counter1.id}/sign-in`, { cookie: officer.cookie });
    expect(signIn.status).toBe(200);
    expect(signIn.body.data.counter.officerName).toBe("Lê Thị Hoa");

    const first = await s.request("POST", `/api/v1/counters/${counter1.id}/call-next`, { cookie: officer.cookie });
    expect(first.status).toBe(200);
    expect(first.body.data.ticket.code).toBe(priority.code);

    const busy = await s.request("POST", `/api/v1/counters/${counter1.id}/call-next`, { cookie: officer.cookie });
    expect(busy.status).toBe(409);
    expect(busy.body.error.message).toContain(priority.code);

    const finished = await s.request("POST", `/api/v1/tickets/${priority.id}/finish`, { cookie: officer.cookie });
    expect(finished.status).toBe(200);
    expect(finished.body.data.ticket.status).toBe("done");

    const second = await s.request("POST", `/api/v1/counters/${counter1.id}/call-next`, { cookie: officer.cookie });
    expect(second.body.data.ticket.code).toBe(normal.code);
    await s.request("POST", `/api/v1/tickets/${normal.id}/finish`, { cookie: officer.cookie });

    const log = await s.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, priority.id)).orderBy(ticketEvents.id);
    expect(log.map((e) => [e.type, e.fromStatus, e.toStatus, e.actorUserId, e.counterId])).toEqual([
      ["issued", null, "waiting", null, null],
      ["called", "waiting", "called", officer.user.id, counter1.id],
      ["finished", "called", "done", officer.user.id, counter1.id],
    ]);
    expect(log[1]!.seq).toBeGreaterThan(log[0]!.seq);
  });

  it("says so when nobody is waiting, and changes nothing", async () => {
    const officer = await s.login("canbo02");
    const counter9 = await counterByNumber(9); // Giao thông vận tải: nobody has taken a ticket
    await s.request("POST", `/api/v1/counters/${counter9.id}/sign-in`, { cookie: officer.cookie });
    const events = await eventCount();
    const res = await s.request("POST", `/api/v1/counters/${counter9.id}/call-next`, { cookie: officer.cookie });
    expect(res.status).toBe(409);
    expect(res.body.error).toEqual({ code: "queue_empty", message: "Không còn ai chờ ở các lĩnh vực của quầy này." });
    expect(await eventCount()).toBe(events);
  });

  it("refuses to call for a counter the officer is not signed in to (403), changing nothing", async () => {
    const intruder = await s.login("canbo03");
    const counter3 = await counterByNumber(3);
    await s.request("POST", `/api/v1/counters/${counter3.id}/sign-in`, { cookie: intruder.cookie });
    const ct = await s.fieldByCode("CT");
    await s.request("POST", "/api/v1/kiosk/tickets", { cookie: kiosk.cookie, body: { fieldId: ct.id } });
    const counter2 = await counterByNumber(2);
    const before = await s.db.select().from(tickets).where(eq(tickets.status, "waiting"));
    const res = await s.request("POST", `/api/v1/counters/${counter2.id}/call-next`, { cookie: intruder.cookie });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe("Bạn chưa nhận làm việc tại quầy này.");
    expect(await s.db.select().from(tickets).where(eq(tickets.status, "waiting"))).toEqual(before);
  });

  it("refuses to finish a ticket of another counter (409), changing nothing", async () => {
    const owner = await s.login("canbo04");
    const other = await s.login("canbo05");
    const [counter4, counter5] = [await counterByNumber(4), await counterByNumber(5)];
    await s.request("POST", `/api/v1/counters/${counter4.id}/sign-in`, { cookie: owner.cookie });
    await s.request("POST", `/api/v1/counters/${counter5.id}/sign-in`, { cookie: other.cookie });
    const dd = await s.fieldByCode("DD");
    await s.request("POST", "/api/v1/kiosk/tickets", { cookie: kiosk.cookie, body: { fieldId: dd.id } });
    const called = (await s.request("POST", `/api/v1/counters/${counter4.id}/call-next`, { cookie: owner.cookie })).body.data.ticket;

    const events = await eventCount();
    const res = await s.request("POST", `/api/v1/tickets/${called.id}/finish`, { cookie: other.cookie });
    expect(res.status).toBe(409);
    expect(res.body.error).toEqual({ code: "ticket_not_yours", message: `Số ${called.code} không do quầy của bạn phục vụ.` });
    const [row] = await s.db.select().from(tickets).where(eq(tickets.id, called.id));
    expect(row!.status).toBe("called");
    expect(row!.counterId).toBe(counter4.id);
    expect(await eventCount()).toBe(events);
  });

  it("keeps one officer per counter and one counter per officer", async () => {
    const a = await s.login("canbo06");
    const b = await s.login("canbo07");
    const counter6 = await counterByNumber(6);
    const counter7 = await counterByNumber(7);
    expect((await s.request("POST", `/api/v1/counters/${counter6.id}/sign-in`, { cookie: a.cookie })).status).toBe(200);
    const taken = await s.request("POST", `/api/v1/counters/${counter6.id}/sign-in`, { cookie: b.cookie });
    expect(taken.status).toBe(409);
    expect(taken.body.error.message).toBe("Quầy 6 đang có cán bộ Bùi Quang Huy làm việc.");
    const second = await s.request("POST", `/api/v1/counters/${counter7.id}/sign-in`, { cookie: a.cookie });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe("officer_has_counter");
    expect((await counterByNumber(7)).officerId).toBeNull();
  });

  it("requires a login for counter actions", async () => {
    const counter1 = await counterByNumber(1);
    const res = await s.request("POST", `/api/v1/counters/${counter1.id}/call-next`);
    expect(res.status).toBe(401);
    expect(res.body.error.message).toBe("Vui lòng đăng nhập để tiếp tục.");
  });
});

describe("the ticket event log", () => {
  it("is append-only, enforced by the database", async () => {
    const [event] = await s.db.select().from(ticketEvents).limit(1);
    expect(event).toBeDefined();
    const rejection = async (query: PromiseLike<unknown>) => {
      try {
        await query;
      } catch (error) {
        const cause = (error as { cause?: Error }).cause;
        return cause?.message ?? String(error);
      }
      return "no error";
    };
    expect(await rejection(s.db.update(ticketEvents).set({ details: { note: "sửa lịch sử" } }).where(eq(ticketEvents.id, event!.id)))).toMatch(
      /ticket_events is append-only \(UPDATE rejected\)/,
    );
    expect(await rejection(s.db.delete(ticketEvents).where(eq(ticketEvents.id, event!.id)))).toMatch(
      /ticket_events is append-only \(DELETE rejected\)/,
    );
    const [again] = await s.db.select().from(ticketEvents).where(eq(ticketEvents.id, event!.id));
    expect(again).toEqual(event);
  });
});
