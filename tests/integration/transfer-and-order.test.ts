/**
 * Who a ticket can be transferred to comes from one place (server/queue/transfer.ts), and the
 * officer's queue list is in the order call-next will call: both through the HTTP API, as the
 * counter page and other systems use them.
 */
import { and, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { counterFields, counters, priorityClasses, ticketEvents, users } from "../../db/schema";
import { hashPassword } from "../../server/auth/password";
import { deskKit } from "../helpers/desks";
import { DEMO_PASSWORD_FOR_TESTS, startTestServer, type TestServer } from "../helpers/server";

let s: TestServer;
let kiosk: { cookie: string };
let passwordHash: string;
let priorityClassId: number;

beforeAll(async () => {
  s = await startTestServer();
  kiosk = await s.pairedDevice("kiosk");
  passwordHash = await hashPassword(DEMO_PASSWORD_FOR_TESTS);
  const [pc] = await s.db.select().from(priorityClasses).where(eq(priorityClasses.centreId, s.seeded.centreId));
  priorityClassId = pc!.id;
});
afterAll(() => s?.close());

const { newField, desk, post, issue, callNext, finish, refused } = deskKit(() => ({ s, kioskCookie: kiosk.cookie, passwordHash }));
const get = (path: string, cookie: string) => s.request("GET", `/api/v1${path}`, { cookie });

describe("transfer targets", () => {
  it("offers only open counters with an officer at them, and those officers; never oneself, a paused or closed counter, an admin or a supervisor", async () => {
    const field = await newField();
    const [me, open, paused] = [await desk([field]), await desk([field]), await desk([field])];
    expect((await post("/counters/pause", paused.officer.cookie, { reason: "break" })).status).toBe(200);
    const [closed] = await s.db.insert(counters).values({ centreId: s.seeded.centreId, number: 900, name: "Quầy 900" }).returning();
    await s.db.insert(counterFields).values({ counterId: closed!.id, fieldId: field.id });

    const res = await get("/transfer-targets", me.officer.cookie);
    expect(res.status).toBe(200);
    const { counters: offered, officers } = res.body.data as {
      counters: Array<{ id: number; officerName: string }>;
      officers: Array<{ id: number; fullName: string; counterNumber: number }>;
    };
    expect(offered.map((c) => c.id)).toContain(open.counter.id);
    for (const id of [me.counter.id, paused.counter.id, closed!.id]) expect(offered.map((c) => c.id)).not.toContain(id);
    expect(officers.map((o) => o.id)).toContain(open.officer.user.id);
    for (const id of [me.officer.user.id, paused.officer.user.id]) expect(officers.map((o) => o.id)).not.toContain(id);
    const staffIds = (await s.db.select().from(users).where(and(eq(users.centreId, s.seeded.centreId)))).filter((u) => u.role !== "officer").map((u) => u.id);
    expect(officers.filter((o) => staffIds.includes(o.id))).toEqual([]);
    expect(offered.find((c) => c.id === open.counter.id)!.officerName).toBe(open.officer.user.fullName);
  });

  it("refuses, and writes nothing for, a transfer to a closed or paused counter, a supervisor, an administrator or a disabled officer", async () => {
    const field = await newField();
    const [me, other, paused] = [await desk([field]), await desk([field]), await desk([field])];
    expect((await post("/counters/pause", paused.officer.cookie, { reason: "meeting" })).status).toBe(200);
    await issue(field.id);
    const ticket = await callNext(me);
    const transfer = (to: Record<string, number>) => post(`/tickets/${ticket.id}/transfer`, me.officer.cookie, to);
    const [closed] = await s.db.insert(counters).values({ centreId: s.seeded.centreId, number: 901, name: "Quầy 901" }).returning();
    const [giamsat] = await s.db.select().from(users).where(eq(users.username, "giamsat"));
    const [quantri] = await s.db.select().from(users).where(eq(users.username, "quantri"));

    await refused(() => transfer({ counterId: closed!.id }), 409, "counter_not_receiving");
    await refused(() => transfer({ counterId: paused.counter.id }), 409, "counter_not_receiving");
    await refused(() => transfer({ counterId: me.counter.id }), 409, "counter_not_receiving");
    await refused(() => transfer({ officerId: giamsat!.id }), 409, "officer_not_receiving");
    await refused(() => transfer({ officerId: quantri!.id }), 409, "officer_not_receiving");
    await refused(() => transfer({ officerId: paused.officer.user.id }), 409, "officer_not_receiving");
    await s.db.update(users).set({ isActive: false }).where(eq(users.id, other.officer.user.id));
    await refused(() => transfer({ officerId: other.officer.user.id }), 409, "officer_not_receiving");
    await refused(() => transfer({ counterId: other.counter.id }), 409, "counter_not_receiving");
    await s.db.update(users).set({ isActive: true }).where(eq(users.id, other.officer.user.id));

    const sent = await transfer({ officerId: other.officer.user.id });
    expect(sent.status).toBe(200);
    expect(sent.body.data.ticket).toMatchObject({ id: ticket.id, status: "waiting", targetOfficerId: other.officer.user.id });
  });
});

describe("the officer's queue list", () => {
  it("is in the order call-next calls: after k priority calls the first row is the normal ticket, and F2 calls exactly it", async () => {
    const field = await newField();
    const d = await desk([field]);
    const normal1 = await issue(field.id);
    const prio = [await issue(field.id, priorityClassId), await issue(field.id, priorityClassId), await issue(field.id, priorityClassId)];
    const normal2 = await issue(field.id);
    const listed = async () => ((await get(`/counters/${d.counter.id}/queue`, d.officer.cookie)).body.data.waiting as Array<{ id: number }>).map((t) => t.id);

    // k = 2 by default: two priority tickets, then the normal one that waited, then priority again.
    expect(await listed()).toEqual([prio[0]!.id, prio[1]!.id, normal1.id, prio[2]!.id, normal2.id]);
    for (const expected of [prio[0]!, prio[1]!]) {
      expect((await callNext(d)).id).toBe(expected.id);
      await finish(d, expected.id);
    }
    const order = await listed();
    expect(order).toEqual([normal1.id, prio[2]!.id, normal2.id]);
    expect((await callNext(d)).id).toBe(order[0]);
  });

  it("is refused for a counter the officer is not signed in to", async () => {
    const [a, b] = [await desk(), await desk()];
    const res = await get(`/counters/${b.counter.id}/queue`, a.officer.cookie);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("not_at_counter");
  });
});

describe("a supervisor re-routes a waiting ticket", () => {
  it("to another field, keeping its place; an officer may not; the event log says who and why", async () => {
    const [from, to] = [await newField(), await newField()];
    const [d, e] = [await desk([from]), await desk([to])];
    const early = await issue(to.id);
    const moved = await issue(from.id);
    const late = await issue(to.id);
    const supervisor = await s.login("giamsat");
    const byOfficer = await post(`/tickets/${moved.id}/reroute`, d.officer.cookie, { fieldId: to.id });
    expect(byOfficer.status).toBe(403);
    const res = await post(`/tickets/${moved.id}/reroute`, supervisor.cookie, { fieldId: to.id, note: "Nhầm lĩnh vực khi lấy số" });
    expect(res.status).toBe(200);
    expect(res.body.data.ticket).toMatchObject({ id: moved.id, status: "waiting", fieldId: to.id });
    const [event] = (await s.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, moved.id)).orderBy(desc(ticketEvents.id))).slice(0, 1);
    expect(event).toMatchObject({ type: "transferred", fromStatus: "waiting", actorUserId: supervisor.user.id, details: { to: { fieldId: to.id }, note: "Nhầm lĩnh vực khi lấy số" } });
    // Its original issue time puts it between the two tickets of its new field.
    expect([(await callNext(e)).id]).toEqual([early.id]);
    expect((await post(`/tickets/${early.id}/finish`, e.officer.cookie)).status).toBe(200);
    expect((await callNext(e)).id).toBe(moved.id);
    expect(late.id).toBeGreaterThan(moved.id);
    // A ticket no longer waiting cannot be re-routed.
    const again = await post(`/tickets/${moved.id}/reroute`, supervisor.cookie, { fieldId: from.id });
    expect(again.body.error.code).toBe("ticket_not_waiting");
  });
});
