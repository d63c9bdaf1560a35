/**
 * The citizen's rating through /api/v1 and the services: the counter's tablet rates only the visit
 * just finished at its counter; the tracking link rates within 24 h of the finish (clock injected);
 * one rating per ticket, whichever side comes first, also when both come at once; the stored
 * rating names who served where and the dossier; the officer hears that it came, never the value.
 */
import { count, eq } from "drizzle-orm";
import type { Socket } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";
import { procedures, ratings, tickets } from "../../db/schema";
import { deviceActor } from "../../server/devices/service";
import { rateByToken, rateFromTablet } from "../../server/ratings/service";
import { createTrackingRatingService } from "../../server/ratings/tracking";
import type { RatingNotice } from "../../server/realtime/events";
import { deskWorld, type Desk } from "../helpers/desks";

const { world, kit } = deskWorld();
const { desk, callNext, finish, post, refused } = kit;
const open: Socket[] = [];
afterEach(() => {
  for (const socket of open.splice(0)) socket.disconnect();
});

const MINUTE = 60_000;
const later = (ms: number) => ({ ...world.s.services, now: () => new Date(Date.now() + ms) });
const ratingCount = async () => (await world.s.db.select({ n: count() }).from(ratings))[0]!.n;

/** A counter of its own with a rating tablet bound to it. */
async function deskWithTablet(served?: Parameters<typeof desk>[0]) {
  const d = await desk(served);
  const tablet = await world.s.pairedDevice("rating", `Máy đánh giá quầy ${d.counter.number}`, { counterId: d.counter.id });
  return { ...d, tablet };
}

/** A ticket of the desk's field served and finished there; its tracking token as the reception's answer gives it. */
async function servedAt(d: Desk, options: { finish?: boolean } = {}) {
  const res = await post("/reception/tickets", d.officer.cookie, { fieldId: d.field.id });
  expect(res.status).toBe(201);
  const called = await callNext(d);
  expect(called.id).toBe(res.body.data.ticket.id);
  if (options.finish !== false) await finish(d, called.id);
  return { id: called.id as number, code: called.code as string, token: res.body.data.trackingToken as string };
}

function connected(socket: Socket) {
  open.push(socket);
  return new Promise<Socket>((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

describe("from the counter's tablet", () => {
  it("rates the visit just finished there, stored with officer, counter, field and dossier; the officer is told, without the value", async () => {
    const hoTich = await world.s.fieldByCode("HT");
    const d = await deskWithTablet([hoTich]);
    const other = await desk();
    const mine = await connected(world.s.socket(d.officer.cookie));
    const theirs = await connected(world.s.socket(other.officer.cookie));
    const heard: RatingNotice[] = [];
    const overheard: unknown[] = [];
    const notice = new Promise<void>((resolve) => mine.on("rating:received", (n: RatingNotice) => (heard.push(n), resolve())));
    theirs.on("rating:received", (n: unknown) => overheard.push(n));

    const ticket = await servedAt(d, { finish: false });
    const [p] = await world.s.db.select().from(procedures).where(eq(procedures.code, "HT-01"));
    const opened = await post("/dossiers", d.officer.cookie, { procedureId: p!.id, ticketId: ticket.id, applicantName: "Hà Thị Thu", applicantIdNumber: "031190004567", applicantPhone: "0904555666", received: p!.documents.map((x) => x.key) });
    expect(opened.status).toBe(201);
    await finish(d, ticket.id);

    const state = await world.s.request("GET", "/api/v1/ratings/tablet", { cookie: d.tablet.cookie });
    expect(state.body.data.pending).toMatchObject({ id: ticket.id, code: ticket.code });
    const res = await post("/ratings/tablet", d.tablet.cookie, { ticketId: ticket.id, value: "unsatisfied", reasons: ["long_wait", "unclear_guidance"], comment: "  Chờ gần một tiếng  " });
    expect(res.status, JSON.stringify(res.body)).toBe(201);

    const [row] = await world.s.db.select().from(ratings).where(eq(ratings.ticketId, ticket.id));
    expect(row).toMatchObject({
      value: "unsatisfied",
      reasons: ["long_wait", "unclear_guidance"],
      comment: "Chờ gần một tiếng",
      source: "tablet",
      deviceId: d.tablet.device.id,
      officerId: d.officer.user.id,
      counterId: d.counter.id,
      fieldId: hoTich.id,
      dossierId: opened.body.data.id,
    });
    await notice;
    expect(heard).toEqual([{ type: "rating.received", centreId: world.s.seeded.centreId, officerId: d.officer.user.id, ticket: { id: ticket.id, code: ticket.code } }]);
    expect(overheard).toEqual([]);
    // Rated: the tablet has nothing more to ask about.
    expect((await world.s.request("GET", "/api/v1/ratings/tablet", { cookie: d.tablet.cookie })).body.data.pending).toBeNull();
  });

  it("refuses a second rating of the ticket, from the tablet or the tracking link, and writes nothing", async () => {
    const d = await deskWithTablet();
    const ticket = await servedAt(d);
    expect((await post("/ratings/tablet", d.tablet.cookie, { ticketId: ticket.id, value: "satisfied" })).status).toBe(201);
    const message = `Lượt giao dịch số ${ticket.code} đã được đánh giá. Mỗi lượt chỉ được đánh giá một lần.`;
    await refused(() => post("/ratings/tablet", d.tablet.cookie, { ticketId: ticket.id, value: "very_satisfied" }), 409, "rating_exists", message);
    const n = await ratingCount();
    await refused(() => post(`/ratings/tracking/${ticket.token}`, undefined, { value: "unsatisfied", reasons: ["attitude"] }), 409, "rating_exists", message);
    expect(await ratingCount()).toBe(n);
  });

  it("refuses «Không hài lòng» without a reason or words, in Vietnamese, and writes nothing", async () => {
    const d = await deskWithTablet();
    const ticket = await servedAt(d);
    const n = await ratingCount();
    const answer = await post("/ratings/tablet", d.tablet.cookie, { ticketId: ticket.id, value: "unsatisfied", reasons: [], comment: "   " });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error: { code: "rating_reason_required", message: "Vui lòng chọn ít nhất một lý do chưa hài lòng hoặc ghi ý kiến." } });
    expect((await post("/ratings/tablet", d.tablet.cookie, { ticketId: ticket.id, value: "unsatisfied", reasons: ["bribe"] })).body.error.code).toBe("bad_request");
    expect(await ratingCount()).toBe(n);
    // Words alone are enough; reasons sent with a satisfied answer are dropped.
    expect((await post("/ratings/tablet", d.tablet.cookie, { ticketId: ticket.id, value: "unsatisfied", comment: "Phòng chờ quá nóng" })).status).toBe(201);
    const d2 = await deskWithTablet();
    const t2 = await servedAt(d2);
    expect((await post("/ratings/tablet", d2.tablet.cookie, { ticketId: t2.id, value: "satisfied", reasons: ["long_wait"] })).status).toBe(201);
    expect((await world.s.db.select().from(ratings).where(eq(ratings.ticketId, t2.id)))[0]!.reasons).toEqual([]);
  });

  it("rates only a visit finished at its own counter, within the last 10 minutes", async () => {
    const d = await deskWithTablet();
    const elsewhere = await desk();
    const notHere = await servedAt(elsewhere);
    await refused(() => post("/ratings/tablet", d.tablet.cookie, { ticketId: notHere.id, value: "satisfied" }), 409, "rating_not_available");
    const stillServed = await servedAt(d, { finish: false });
    await refused(() => post("/ratings/tablet", d.tablet.cookie, { ticketId: stillServed.id, value: "satisfied" }), 409, "rating_not_available");
    await finish(d, stillServed.id);

    const tablet = deviceActor(d.tablet.device);
    const input = { ticketId: stillServed.id, value: "satisfied" as const, reasons: [], comment: null };
    await expect(rateFromTablet(later(10 * MINUTE + 30_000), tablet, input)).rejects.toMatchObject({ code: "rating_not_available" });
    expect((await world.s.db.select().from(ratings).where(eq(ratings.ticketId, stillServed.id))).length).toBe(0);
    await expect(rateFromTablet(later(9 * MINUTE), tablet, input)).resolves.toMatchObject({ ticket: { id: stillServed.id } });
  });
});

describe("from the tracking link", () => {
  it("says «not yet» before the finish, takes a rating within 24 hours of it, and «expired» after (clock injected)", async () => {
    const d = await deskWithTablet();
    const ticket = await servedAt(d, { finish: false });
    const gate = (ms: number) => createTrackingRatingService(later(ms));
    expect((await gate(0).view({ token: ticket.token, address: "198.51.100.1" })).state).toBe("not_finished");
    await refused(() => post(`/ratings/tracking/${ticket.token}`, undefined, { value: "satisfied" }), 409, "rating_not_finished");
    await finish(d, ticket.id);

    expect(await gate(24 * 60 * MINUTE + MINUTE).view({ token: ticket.token, address: "198.51.100.1" })).toMatchObject({ code: ticket.code, state: "expired" });
    await expect(rateByToken(later(24 * 60 * MINUTE + MINUTE), { token: ticket.token, value: "satisfied", reasons: [], comment: null })).rejects.toMatchObject({ code: "rating_expired" });
    expect(await gate(23 * 60 * MINUTE).view({ token: ticket.token, address: "198.51.100.1" })).toMatchObject({ state: "open" });
    await gate(23 * 60 * MINUTE).rate({ token: ticket.token, address: "198.51.100.1", value: "very_satisfied", reasons: [], comment: null });
    const [row] = await world.s.db.select().from(ratings).where(eq(ratings.ticketId, ticket.id));
    expect(row).toMatchObject({ source: "tracking", deviceId: null, value: "very_satisfied", officerId: d.officer.user.id, counterId: d.counter.id });
    expect((await gate(0).view({ token: ticket.token, address: "198.51.100.1" })).state).toBe("rated");
  });

  it("throttles an address trying tokens that name no ticket; a real link still works from elsewhere", async () => {
    const d = await deskWithTablet();
    const ticket = await servedAt(d);
    const gate = createTrackingRatingService(world.s.services);
    for (let i = 0; i < 20; i++) await expect(gate.view({ token: `${"a".repeat(30)}${String(i).padStart(2, "2")}`, address: "203.0.113.7" })).rejects.toMatchObject({ code: "rating_ticket_not_found" });
    await expect(gate.view({ token: ticket.token, address: "203.0.113.7" })).rejects.toMatchObject({ code: "rating_throttled" });
    expect((await gate.view({ token: ticket.token, address: "203.0.113.8" })).state).toBe("open");
  });
});

describe("one rating per ticket, whichever comes first", () => {
  it("of a tablet and a phone rating the same ticket at once, exactly one is stored", async () => {
    const d = await deskWithTablet();
    const tablet = deviceActor(d.tablet.device);
    for (let i = 0; i < 4; i++) {
      const ticket = await servedAt(d);
      const results = await Promise.allSettled([
        rateFromTablet(world.s.services, tablet, { ticketId: ticket.id, value: "satisfied", reasons: [], comment: null }),
        rateByToken(world.s.services, { token: ticket.token, value: "unsatisfied", reasons: ["long_wait"], comment: null }),
        rateByToken(world.s.services, { token: ticket.token, value: "very_satisfied", reasons: [], comment: null }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(results.flatMap((r) => (r.status === "rejected" ? [(r.reason as { code: string }).code] : []))).toEqual(["rating_exists", "rating_exists"]);
      expect(await world.s.db.select().from(ratings).where(eq(ratings.ticketId, ticket.id))).toHaveLength(1);
    }
  });
});

describe("the tablet's socket", () => {
  it("receives the public projection only", async () => {
    const d = await deskWithTablet();
    const socket = await connected(world.s.socket(d.tablet.cookie));
    const finished = new Promise<Record<string, unknown>>((resolve) =>
      socket.on("queue:event", (event: { type: string; counter?: { id: number } }) => {
        if (event.type === "ticket.finished" && event.counter?.id === d.counter.id) resolve(event as Record<string, unknown>);
      }),
    );
    await servedAt(d);
    const event = (await finished) as { ticket: object; counter: object };
    expect(Object.keys(event.ticket).sort()).toEqual(["calledAt", "code", "counterId", "fieldId", "id", "issuedAt", "recallCount", "status"]);
    expect(Object.keys(event.counter).sort()).toEqual(["current", "fieldIds", "id", "name", "number", "staffed", "status"]);
    const snapshot = await new Promise<{ data: { counters: object[] } }>((resolve) => socket.emit("queue:snapshot", resolve));
    for (const counter of snapshot.data.counters) expect(counter).not.toHaveProperty("officerName");
  });
});

describe("the staff's list", () => {
  it("lists the day's ratings to supervisors and administrators, not to officers", async () => {
    const d = await deskWithTablet();
    const ticket = await servedAt(d);
    await post("/ratings/tablet", d.tablet.cookie, { ticketId: ticket.id, value: "unsatisfied", reasons: ["facilities"] });
    const supervisor = await world.s.login("giamsat");
    const list = await world.s.request("GET", "/api/v1/ratings", { cookie: supervisor.cookie });
    expect(list.status).toBe(200);
    expect(list.body.data.ratings.find((r: { ticketId: number }) => r.ticketId === ticket.id)).toMatchObject({
      ticketCode: ticket.code,
      value: "unsatisfied",
      reasons: ["facilities"],
      counterNumber: d.counter.number,
      officerName: expect.any(String),
    });
    expect((await world.s.request("GET", "/api/v1/ratings", { cookie: d.officer.cookie })).status).toBe(403);
    expect((await world.s.request("GET", "/api/v1/ratings?from=2026-01-10&to=2026-01-01", { cookie: supervisor.cookie })).body.error.code).toBe("rating_dates_invalid");
    expect((await world.s.db.select().from(tickets).where(eq(tickets.id, ticket.id)))[0]!.status).toBe("done");
  });
});
