/**
 * A day at the counter, through the HTTP API as the counter PC and the kiosk use it: every
 * refused transition answers its code and Vietnamese message and changes nothing in the
 * database; recall, no-show, rejoin, transfer, pause, sign-out, capacity, cut-off, the queue
 * policy, outcomes and the wait estimate behave as the issue describes.
 *
 * One server for the file. Each test works on its own fields, counters and officers (made in
 * the database by `desk()`), so tests do not see each other's tickets; only the priority
 * policy test uses a seeded field (Hộ tịch, counter 1, canbo01), which no other test touches.
 */
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { counters, fields, priorityClasses, tickets } from "../../db/schema";
import { hashPassword } from "../../server/auth/password";
import { deskKit, type Desk } from "../helpers/desks";
import { DEMO_PASSWORD_FOR_TESTS, startTestServer, type TestServer } from "../helpers/server";

let s: TestServer;
let kiosk: { cookie: string; device: { id: number } };
let passwordHash: string;
let elderlyClassId: number;

beforeAll(async () => {
  s = await startTestServer();
  kiosk = await s.pairedDevice("kiosk");
  passwordHash = await hashPassword(DEMO_PASSWORD_FOR_TESTS);
  const [elderly] = await s.db
    .select()
    .from(priorityClasses)
    .where(and(eq(priorityClasses.centreId, s.seeded.centreId), eq(priorityClasses.code, "NCT")));
  elderlyClassId = elderly!.id;
});
afterAll(() => s?.close());

const { newField, newOfficer, desk, post, issue, callNext, finish, ticketRow, eventsOf, counterRow, refused } = deskKit(() => ({
  s,
  kioskCookie: kiosk.cookie,
  passwordHash,
}));

const BAD_REQUEST = "Dữ liệu gửi lên không hợp lệ.";

// ---------------------------------------------------------------------------

describe("refused transitions change nothing", () => {
  it("finishing a ticket another counter is serving → 409 ticket_not_yours", async () => {
    const owner = await desk();
    const other = await desk([owner.field]);
    const ticket = await issue(owner.field.id);
    expect((await callNext(owner)).id).toBe(ticket.id);

    const notYours = `Số ${ticket.code} không do quầy của bạn phục vụ.`;
    await refused(() => post(`/tickets/${ticket.id}/finish`, other.officer.cookie), 409, "ticket_not_yours", notYours);
    // Nor may the other counter recall it, mark it absent or send it away.
    await refused(() => post(`/tickets/${ticket.id}/recall`, other.officer.cookie), 409, "ticket_not_yours", notYours);
    await refused(() => post(`/tickets/${ticket.id}/no-show`, other.officer.cookie), 409, "ticket_not_yours", notYours);
    await refused(
      () => post(`/tickets/${ticket.id}/transfer`, other.officer.cookie, { fieldId: other.field.id }),
      409,
      "ticket_not_yours",
      notYours,
    );
    const row = await ticketRow(ticket.id);
    expect([row.status, row.counterId, row.officerId]).toEqual(["called", owner.counter.id, owner.officer.user.id]);

    await finish(owner, ticket.id);
    expect((await ticketRow(ticket.id)).status).toBe("done");
  });

  it("recalling a finished ticket → 409 ticket_not_active", async () => {
    const d = await desk();
    const ticket = await issue(d.field.id);
    await callNext(d);
    await finish(d, ticket.id);

    const notActive = `Số ${ticket.code} không còn đang được phục vụ.`;
    await refused(() => post(`/tickets/${ticket.id}/recall`, d.officer.cookie), 409, "ticket_not_active", notActive);
    await refused(() => post(`/tickets/${ticket.id}/no-show`, d.officer.cookie), 409, "ticket_not_active", notActive);
    await refused(() => post(`/tickets/${ticket.id}/finish`, d.officer.cookie), 409, "ticket_not_active", notActive);
    expect((await eventsOf(ticket.id)).map((e) => e.type)).toEqual(["issued", "called", "finished"]);
  });

  it("a no-show before the field's recalls (2 by default) → 409 no_show_too_early naming the numbers; after 2 recalls it is allowed", async () => {
    const d = await desk();
    expect(d.field.recallsBeforeNoShow).toBe(2);
    const ticket = await issue(d.field.id);
    await callNext(d);
    const tooEarly = (done: number) =>
      `Cần gọi lại số ${ticket.code} ít nhất 2 lần trước khi đánh dấu vắng mặt (mới gọi lại ${done} lần).`;

    await refused(() => post(`/tickets/${ticket.id}/no-show`, d.officer.cookie), 409, "no_show_too_early", tooEarly(0));
    expect((await post(`/tickets/${ticket.id}/recall`, d.officer.cookie)).status).toBe(200);
    await refused(() => post(`/tickets/${ticket.id}/no-show`, d.officer.cookie), 409, "no_show_too_early", tooEarly(1));
    expect((await post(`/tickets/${ticket.id}/recall`, d.officer.cookie)).status).toBe(200);

    const noShow = await post(`/tickets/${ticket.id}/no-show`, d.officer.cookie);
    expect(noShow.status).toBe(200);
    expect(noShow.body.data.ticket).toMatchObject({ status: "no_show", counterId: null });
    expect(noShow.body.data.counter.current).toBeNull();
    const row = await ticketRow(ticket.id);
    expect(row.status).toBe("no_show");
    expect(row.noShowAt).toBeInstanceOf(Date);
    const log = await eventsOf(ticket.id);
    expect(log.map((e) => [e.type, e.fromStatus, e.toStatus])).toEqual([
      ["issued", null, "waiting"],
      ["called", "waiting", "called"],
      ["recalled", "called", "called"],
      ["recalled", "called", "called"],
      ["no_show", "called", "no_show"],
    ]);
    expect(log[4]).toMatchObject({ actorUserId: d.officer.user.id, counterId: d.counter.id });
  });

  it("a transfer to a closed field → 409 field_closed; a transfer with no target → 400 transfer_target_required", async () => {
    const d = await desk();
    const closed = await newField("Tư pháp thử");
    await s.db.update(fields).set({ isOpen: false }).where(eq(fields.id, closed.id));
    const ticket = await issue(d.field.id);
    await callNext(d);

    await refused(
      () => post(`/tickets/${ticket.id}/transfer`, d.officer.cookie, { fieldId: closed.id, note: "Sang tư pháp" }),
      409,
      "field_closed",
      "Lĩnh vực «Tư pháp thử» đang tạm ngừng tiếp nhận. Vui lòng chọn lĩnh vực khác hoặc hỏi cán bộ hướng dẫn.",
    );
    const noTarget = "Vui lòng chọn nơi chuyển đến: một lĩnh vực, một quầy hoặc một cán bộ.";
    await refused(() => post(`/tickets/${ticket.id}/transfer`, d.officer.cookie, {}), 400, "transfer_target_required", noTarget);
    await refused(
      () => post(`/tickets/${ticket.id}/transfer`, d.officer.cookie, { note: "Chuyển đi" }),
      400,
      "transfer_target_required",
      noTarget,
    );
    const row = await ticketRow(ticket.id);
    expect([row.status, row.fieldId, row.counterId, row.transferredFromCounterId]).toEqual(["called", d.field.id, d.counter.id, null]);
    await finish(d, ticket.id);
  });

  it("calling a specific ticket needs a reason (and a note for «other»); the call is logged as out of order with its reason", async () => {
    const d = await desk();
    const first = await issue(d.field.id);
    const second = await issue(d.field.id);
    const third = await issue(d.field.id);
    const call = (body: unknown) => post(`/counters/${d.counter.id}/call`, d.officer.cookie, body);
    const reasonRequired = "Gọi số không theo thứ tự cần chọn một lý do.";

    await refused(() => call({ ticketId: second.id }), 400, "out_of_order_reason_required", reasonRequired);
    await refused(() => call({ ticketId: second.id, reason: "other" }), 400, "out_of_order_reason_required", reasonRequired);
    await refused(() => call({ ticketId: second.id, reason: "other", note: "   " }), 400, "out_of_order_reason_required", reasonRequired);
    await refused(() => call({ ticketId: second.id, reason: "because" }), 400, "out_of_order_reason_required", reasonRequired);

    const urgent = await call({ ticketId: second.id, reason: "urgent" });
    expect(urgent.status).toBe(200);
    expect(urgent.body.data.ticket).toMatchObject({ id: second.id, status: "called", counterId: d.counter.id });
    const [, calledSecond] = await eventsOf(second.id);
    expect(calledSecond).toMatchObject({
      type: "called_out_of_order",
      fromStatus: "waiting",
      toStatus: "called",
      details: { reason: "urgent", note: null },
      actorUserId: d.officer.user.id,
      counterId: d.counter.id,
    });
    await finish(d, second.id);

    const other = await call({ ticketId: third.id, reason: "other", note: " Công dân đi cùng người ốm " });
    expect(other.status).toBe(200);
    expect((await eventsOf(third.id))[1]).toMatchObject({
      type: "called_out_of_order",
      details: { reason: "other", note: "Công dân đi cùng người ốm" },
    });
    await finish(d, third.id);

    // The ticket passed over is still first in line.
    expect((await callNext(d)).id).toBe(first.id);
    await finish(d, first.id);
  });
});

describe("at the counter", () => {
  it("recall increments recallCount in the response and writes a «recalled» event each time", async () => {
    const d = await desk();
    const ticket = await issue(d.field.id);
    const called = await callNext(d);
    expect(called).toMatchObject({ id: ticket.id, recallCount: 0 });

    for (const n of [1, 2, 3]) {
      const res = await post(`/tickets/${ticket.id}/recall`, d.officer.cookie);
      expect(res.status).toBe(200);
      expect(res.body.data.ticket).toMatchObject({ id: ticket.id, status: "called", recallCount: n });
      expect(res.body.data.counter.current).toMatchObject({ id: ticket.id, recallCount: n });
    }
    expect((await ticketRow(ticket.id)).recallCount).toBe(3);
    const recalls = (await eventsOf(ticket.id)).filter((e) => e.type === "recalled");
    expect(recalls.map((e) => [e.fromStatus, e.toStatus, e.details, e.counterId, e.actorUserId])).toEqual(
      [1, 2, 3].map((n) => ["called", "called", { recallCount: n }, d.counter.id, d.officer.user.id]),
    );
    await finish(d, ticket.id);
  });

  it("rejoin puts a no-show back in its original place; refused after the grace window or for a ticket that is not a no-show", async () => {
    const d = await desk();
    const absent = await issue(d.field.id);
    const next = await issue(d.field.id);
    expect((await callNext(d)).id).toBe(absent.id);
    await post(`/tickets/${absent.id}/recall`, d.officer.cookie);
    await post(`/tickets/${absent.id}/recall`, d.officer.cookie);
    expect((await post(`/tickets/${absent.id}/no-show`, d.officer.cookie)).status).toBe(200);
    const later = await issue(d.field.id);

    await refused(
      () => post(`/tickets/${next.id}/rejoin`, d.officer.cookie),
      409,
      "ticket_not_no_show",
      `Số ${next.code} không ở trạng thái vắng mặt.`,
    );

    const rejoin = await post(`/tickets/${absent.id}/rejoin`, d.officer.cookie);
    expect(rejoin.status).toBe(200);
    expect(rejoin.body.data.ticket).toMatchObject({ id: absent.id, status: "waiting", issuedAt: absent.issuedAt, recallCount: 0 });
    const row = await ticketRow(absent.id);
    expect([row.status, row.noShowAt, row.issuedAt.toISOString()]).toEqual(["waiting", null, absent.issuedAt]);
    expect((await eventsOf(absent.id)).at(-1)).toMatchObject({ type: "rejoined", fromStatus: "no_show", toStatus: "waiting" });

    // Back ahead of the tickets issued after it.
    expect((await callNext(d)).id).toBe(absent.id);
    await finish(d, absent.id);

    // The next one does not come either; it tries to rejoin two hours later.
    expect((await callNext(d)).id).toBe(next.id);
    await post(`/tickets/${next.id}/recall`, d.officer.cookie);
    await post(`/tickets/${next.id}/recall`, d.officer.cookie);
    expect((await post(`/tickets/${next.id}/no-show`, d.officer.cookie)).status).toBe(200);
    await s.db
      .update(tickets)
      .set({ noShowAt: new Date(Date.now() - 2 * 60 * 60_000) })
      .where(eq(tickets.id, next.id));
    await refused(
      () => post(`/tickets/${next.id}/rejoin`, d.officer.cookie),
      409,
      "rejoin_expired",
      `Số ${next.code} đã vắng mặt quá 60 phút nên không thể vào lại hàng chờ. Vui lòng lấy số mới.`,
    );
    expect((await ticketRow(next.id)).status).toBe("no_show");

    expect((await callNext(d)).id).toBe(later.id);
    await finish(d, later.id);
  });

  it("a transfer to another field keeps the issue time, records where it came from and why, and is served before later tickets there", async () => {
    const from = await desk();
    const to = await desk([await newField("Đất đai thử")]);
    // The ordinary case: each field has given out its number 1 today (…001 here, …001 there).
    const ticket = await issue(from.field.id);
    const laterThere = await issue(to.field.id);
    await callNext(from);

    const res = await post(`/tickets/${ticket.id}/transfer`, from.officer.cookie, {
      fieldId: to.field.id,
      note: " Hồ sơ cần thẩm định đất đai ",
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data.ticket).toMatchObject({
      id: ticket.id,
      code: ticket.code,
      status: "waiting",
      fieldId: to.field.id,
      issuedAt: ticket.issuedAt,
      counterId: null,
      transferredFromCounterId: from.counter.id,
      transferNote: "Hồ sơ cần thẩm định đất đai",
      targetCounterId: null,
    });
    expect(res.body.data.counter).toMatchObject({ id: from.counter.id, current: null });
    const row = await ticketRow(ticket.id);
    expect([row.fieldId, row.issuedAt.toISOString(), row.transferredFromCounterId, row.transferNote]).toEqual([
      to.field.id,
      ticket.issuedAt,
      from.counter.id,
      "Hồ sơ cần thẩm định đất đai",
    ]);
    const transferred = (await eventsOf(ticket.id)).at(-1)!;
    expect(transferred).toMatchObject({ type: "transferred", fromStatus: "called", toStatus: "waiting", counterId: from.counter.id });
    expect(transferred.details).toEqual({ to: { fieldId: to.field.id }, note: "Hồ sơ cần thẩm định đất đai" });

    // The sending counter no longer sees it; the receiving field's counter calls it first.
    await refused(() => post(`/counters/${from.counter.id}/call-next`, from.officer.cookie), 409, "queue_empty");
    const called = await callNext(to);
    expect(called).toMatchObject({ id: ticket.id, issuedAt: ticket.issuedAt });
    await finish(to, ticket.id);
    expect((await callNext(to)).id).toBe(laterThere.id);
    await finish(to, laterThere.id);
  });

  it("a transfer to a specific counter is called only by that counter", async () => {
    const sender = await desk();
    const target = await desk([sender.field]);
    const bystander = await desk([sender.field]);
    const ticket = await issue(sender.field.id);
    const later = await issue(sender.field.id);
    expect((await callNext(sender)).id).toBe(ticket.id);

    const res = await post(`/tickets/${ticket.id}/transfer`, sender.officer.cookie, { counterId: target.counter.id, note: "Nhờ quầy bên cạnh" });
    expect(res.status).toBe(200);
    expect(res.body.data.ticket).toMatchObject({
      status: "waiting",
      targetCounterId: target.counter.id,
      transferredFromCounterId: sender.counter.id,
      issuedAt: ticket.issuedAt,
    });

    // Another counter of the same field skips it, even though it was issued first, and may not pick it either.
    expect((await callNext(bystander)).id).toBe(later.id);
    await refused(
      () => post(`/counters/${sender.counter.id}/call`, sender.officer.cookie, { ticketId: ticket.id, reason: "returning" }),
      409,
      "ticket_not_for_counter",
      `Số ${ticket.code} thuộc lĩnh vực mà quầy này không phục vụ.`,
    );
    await refused(() => post(`/counters/${sender.counter.id}/call-next`, sender.officer.cookie), 409, "queue_empty");
    expect((await callNext(target)).id).toBe(ticket.id);
    await finish(target, ticket.id);
    await finish(bystander, later.id);
  });

  it("pause needs a reason, stops calling until resumed, and is refused while a ticket is active", async () => {
    const d = await desk();
    const pauseRequired = "Vui lòng chọn lý do tạm dừng quầy.";
    await refused(() => post("/counters/pause", d.officer.cookie), 400, "pause_reason_required", pauseRequired);
    await refused(() => post("/counters/pause", d.officer.cookie, {}), 400, "pause_reason_required", pauseRequired);
    await refused(() => post("/counters/pause", d.officer.cookie, { reason: "nap" }), 400, "pause_reason_required", pauseRequired);

    const paused = await post("/counters/pause", d.officer.cookie, { reason: "break" });
    expect(paused.status).toBe(200);
    expect(paused.body.data.counter).toMatchObject({ id: d.counter.id, status: "paused", pauseReason: "break" });
    const ticket = await issue(d.field.id);
    const pausedMessage = "Quầy đang tạm dừng. Hãy mở lại quầy trước khi gọi số.";
    await refused(() => post(`/counters/${d.counter.id}/call-next`, d.officer.cookie), 409, "counter_paused", pausedMessage);
    await refused(
      () => post(`/counters/${d.counter.id}/call`, d.officer.cookie, { ticketId: ticket.id, reason: "urgent" }),
      409,
      "counter_paused",
      pausedMessage,
    );

    const resumed = await post("/counters/resume", d.officer.cookie);
    expect(resumed.status).toBe(200);
    expect(resumed.body.data.counter).toMatchObject({ status: "open", pauseReason: null });
    expect((await callNext(d)).id).toBe(ticket.id);

    await refused(
      () => post("/counters/pause", d.officer.cookie, { reason: "break" }),
      409,
      "active_ticket_blocks_pause",
      `Quầy đang phục vụ số ${ticket.code}. Hãy hoàn thành số này trước khi tạm dừng quầy.`,
    );
    expect((await counterRow(d.counter.id)).status).toBe("open");
    await finish(d, ticket.id);
  });

  it("sign-out with an active ticket needs a choice: requeue it at its place, or finish it", async () => {
    const d = await desk();
    const first = await issue(d.field.id);
    const second = await issue(d.field.id);
    expect((await callNext(d)).id).toBe(first.id);

    await refused(
      () => post("/counters/sign-out", d.officer.cookie),
      409,
      "counter_has_active_ticket",
      `Quầy đang phục vụ số ${first.code}. Hãy hoàn thành số này trước khi rời quầy.`,
    );
    await refused(() => post("/counters/sign-out", d.officer.cookie, { activeTicket: "drop" }), 400, "bad_request", BAD_REQUEST);

    const requeue = await post("/counters/sign-out", d.officer.cookie, { activeTicket: "requeue" });
    expect(requeue.status).toBe(200);
    expect(requeue.body.data.counter).toMatchObject({ id: d.counter.id, status: "closed", officerId: null, current: null });
    const row = await ticketRow(first.id);
    expect([row.status, row.counterId, row.officerId, row.issuedAt.toISOString()]).toEqual(["waiting", null, null, first.issuedAt]);
    expect(await counterRow(d.counter.id)).toMatchObject({ officerId: null, status: "closed" });
    expect((await eventsOf(first.id)).at(-1)).toMatchObject({ type: "returned", fromStatus: "called", toStatus: "waiting", counterId: d.counter.id });

    // Back at the counter, the returned ticket is still ahead of the one issued after it.
    expect((await post(`/counters/${d.counter.id}/sign-in`, d.officer.cookie)).status).toBe(200);
    expect((await callNext(d)).id).toBe(first.id);

    const finishOut = await post("/counters/sign-out", d.officer.cookie, { activeTicket: "finish" });
    expect(finishOut.status).toBe(200);
    expect(finishOut.body.data.counter).toMatchObject({ status: "closed", officerId: null, current: null });
    expect(await ticketRow(first.id)).toMatchObject({ status: "done", outcome: "done" });
    expect((await eventsOf(first.id)).at(-1)).toMatchObject({ type: "finished", fromStatus: "called", toStatus: "done" });
    expect((await ticketRow(second.id)).status).toBe("waiting");
  });

  it("finish stores the outcome and the note; an unknown outcome is refused", async () => {
    const d = await desk();
    const ticket = await issue(d.field.id);
    await callNext(d);
    await refused(
      () => post(`/tickets/${ticket.id}/finish`, d.officer.cookie, { outcome: "lost_in_space" }),
      400,
      "bad_request",
      BAD_REQUEST,
    );

    const res = await post(`/tickets/${ticket.id}/finish`, d.officer.cookie, {
      outcome: "needs_dossier",
      note: "Thiếu bản sao giấy khai sinh",
    });
    expect(res.status).toBe(200);
    expect(res.body.data.ticket).toMatchObject({ id: ticket.id, status: "done" });
    const row = await ticketRow(ticket.id);
    expect([row.status, row.outcome, row.note]).toEqual(["done", "needs_dossier", "Thiếu bản sao giấy khai sinh"]);
    expect(row.finishedAt).toBeInstanceOf(Date);
    expect((await eventsOf(ticket.id)).at(-1)).toMatchObject({ type: "finished", details: { outcome: "needs_dossier" } });
  });
});

describe("issuing limits", () => {
  it("refuses a field past its daily capacity or its cut-off time, at the kiosk and at reception, writing nothing", async () => {
    const field = await newField("Cấp phiếu lý lịch tư pháp");
    const receptionist = await newOfficer();
    await issue(field.id);
    await issue(field.id);
    const fromKiosk = () => post("/kiosk/tickets", kiosk.cookie, { fieldId: field.id });
    const fromReception = () => post("/reception/tickets", receptionist.cookie, { fieldId: field.id });

    await s.db.update(fields).set({ dailyCapacity: 2 }).where(eq(fields.id, field.id));
    const soldOut = "Đã hết số hôm nay cho lĩnh vực «Cấp phiếu lý lịch tư pháp».";
    await refused(fromKiosk, 409, "field_sold_out", soldOut);
    await refused(fromReception, 409, "field_sold_out", soldOut);

    await s.db.update(fields).set({ dailyCapacity: 3 }).where(eq(fields.id, field.id));
    const third = await fromReception();
    expect(third.status).toBe(201);
    expect(third.body.data.ticket.code).toBe(`${field.prefix}003`);
    await refused(fromKiosk, 409, "field_sold_out", soldOut);

    await s.db.update(fields).set({ dailyCapacity: null, cutoffTime: "00:00" }).where(eq(fields.id, field.id));
    const cutOff = "Đã hết giờ lấy số cho lĩnh vực «Cấp phiếu lý lịch tư pháp» (lấy số đến 00:00).";
    const kioskRes = await refused(fromKiosk, 409, "field_cut_off", cutOff);
    expect(kioskRes.body.error.message).toContain("Đã hết giờ lấy số");
    await refused(fromReception, 409, "field_cut_off", cutOff);
  });
});

describe("queue policy end to end", () => {
  it("Hộ tịch in ratio mode (k = 2), then strict, then ageing", async () => {
    const ht = await s.fieldByCode("HT");
    expect([ht.queueMode, ht.priorityRatio, ht.ageingCapMinutes]).toEqual(["ratio", 2, 45]);
    const officer = await s.login("canbo01");
    const [counter1] = await s.db
      .select()
      .from(counters)
      .where(and(eq(counters.centreId, s.seeded.centreId), eq(counters.number, 1)));
    expect((await post(`/counters/${counter1!.id}/sign-in`, officer.cookie)).status).toBe(200);
    const d: Desk = { field: ht, counter: counter1!, officer };
    const serveAll = async (n: number) => {
      const order: number[] = [];
      for (let i = 0; i < n; i++) {
        const t = await callNext(d);
        order.push(t.id);
        await finish(d, t.id);
      }
      await refused(() => post(`/counters/${counter1!.id}/call-next`, officer.cookie), 409, "queue_empty");
      return order;
    };

    const n1 = await issue(ht.id);
    const n2 = await issue(ht.id);
    const p1 = await issue(ht.id, elderlyClassId);
    const p2 = await issue(ht.id, elderlyClassId);
    const p3 = await issue(ht.id, elderlyClassId);
    expect(await serveAll(5)).toEqual([p1.id, p2.id, n1.id, p3.id, n2.id]);

    await s.db.update(fields).set({ queueMode: "strict" }).where(eq(fields.id, ht.id));
    const n3 = await issue(ht.id);
    const p4 = await issue(ht.id, elderlyClassId);
    const n4 = await issue(ht.id);
    const p5 = await issue(ht.id, elderlyClassId);
    const p6 = await issue(ht.id, elderlyClassId);
    expect(await serveAll(5)).toEqual([p4.id, p5.id, p6.id, n3.id, n4.id]);

    // A normal ticket that has waited 5 minutes: not aged under the 45-minute cap, aged under a 1-minute cap.
    const old = await issue(ht.id);
    await s.db
      .update(tickets)
      .set({ issuedAt: sql`${tickets.issuedAt} - interval '5 minutes'` })
      .where(eq(tickets.id, old.id));
    const p7 = await issue(ht.id, elderlyClassId);
    const p8 = await issue(ht.id, elderlyClassId);
    expect((await callNext(d)).id).toBe(p7.id);
    await finish(d, p7.id);
    await s.db.update(fields).set({ ageingCapMinutes: 1 }).where(eq(fields.id, ht.id));
    expect((await callNext(d)).id).toBe(old.id);
    await finish(d, old.id);
    expect(await serveAll(1)).toEqual([p8.id]);

    await s.db.update(fields).set({ queueMode: "ratio", ageingCapMinutes: 45 }).where(eq(fields.id, ht.id));
  });
});

describe("wait estimate at the kiosk", () => {
  it("is null while no counter is open for the field, and positive once one is open with people ahead", async () => {
    const d = await desk();
    const issueFull = async () => {
      const res = await post("/kiosk/tickets", kiosk.cookie, { fieldId: d.field.id });
      expect(res.status).toBe(201);
      return res.body.data as { ticket: { id: number }; peopleAhead: number; estimatedWaitMinutes: number | null };
    };

    // Paused: the counter does not count.
    expect((await post("/counters/pause", d.officer.cookie, { reason: "meeting" })).status).toBe(200);
    await issueFull();
    const whilePaused = await issueFull();
    expect(whilePaused.peopleAhead).toBe(1);
    expect(whilePaused.estimatedWaitMinutes).toBeNull();

    // Signed out: no counter at all.
    expect((await post("/counters/sign-out", d.officer.cookie)).status).toBe(200);
    const closed = await issueFull();
    expect(closed.peopleAhead).toBe(2);
    expect(closed.estimatedWaitMinutes).toBeNull();

    // One open counter, three ahead, no history yet: 3 × the field's default 10 minutes.
    expect((await post(`/counters/${d.counter.id}/sign-in`, d.officer.cookie)).status).toBe(200);
    const open = await issueFull();
    expect(open.peopleAhead).toBe(3);
    expect(open.estimatedWaitMinutes).toBe(30);

    // A second open counter halves it.
    await desk([d.field]);
    const two = await issueFull();
    expect(two.peopleAhead).toBe(4);
    expect(two.estimatedWaitMinutes).toBe(20);
  });

  it("is null, not 0, for the first ticket of a field that no counter serves right now", async () => {
    const field = await newField();
    const res = await post("/kiosk/tickets", kiosk.cookie, { fieldId: field.id });
    expect(res.status).toBe(201);
    expect(res.body.data.peopleAhead).toBe(0);
    expect(res.body.data.estimatedWaitMinutes).toBeNull();
  });
});
