/**
 * The day ends cleanly and nothing is stranded, on an injected clock: counters close at closing
 * time, yesterday's tickets are closed with events, a counter left with a called ticket works
 * the next morning, a ticket across midnight is closed rather than lost, tickets sent to an
 * officer come back when they leave, and a counter whose officer's session ended is released.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { centres, sessions } from "../../db/schema";
import type { Database } from "../../db/client";
import { runDayEnd } from "../../server/queue/day-end";
import { hashPassword } from "../../server/auth/password";
import { deskKit } from "../helpers/desks";
import { DEMO_PASSWORD_FOR_TESTS, startTestServer, type TestServer } from "../helpers/server";

/** 08:00 on 2 December 2026 in Vietnam (a Wednesday). */
const MORNING = Date.parse("2026-12-02T01:00:00Z");
const HOUR = 3_600_000;
let clock = MORNING;
let s: TestServer;
let kiosk: { cookie: string };
let passwordHash: string;
// Sessions long enough for a night: these tests are about the day, not about idle sessions.
const sessionPolicy = { idleMs: 48 * HOUR, absoluteMs: 72 * HOUR };

beforeAll(async () => {
  s = await startTestServer({ now: () => new Date(clock), config: { sessionPolicy } });
  kiosk = await s.pairedDevice("kiosk");
  passwordHash = await hashPassword(DEMO_PASSWORD_FOR_TESTS);
});
afterAll(() => s?.close());

const { newField, desk, post, issue, callNext, finish, ticketRow, eventsOf, counterRow } = deskKit(() => ({ s, kioskCookie: kiosk.cookie, passwordHash }));
const dayEnd = () => runDayEnd(s.services, { sessionPolicy });

describe("closing time", () => {
  it("closes idle counters and signs their officers out; a counter still serving is left to finish", async () => {
    clock = MORNING + 9 * HOUR; // 17:00
    const field = await newField();
    const [idle, busy] = [await desk([field]), await desk([field])];
    await issue(field.id);
    const serving = await callNext(busy);
    clock = MORNING + 9.5 * HOUR + 60_000; // 17:31, past the default closing time 17:30
    const done = await dayEnd();
    expect(done.released).toBeGreaterThanOrEqual(1);
    expect(await counterRow(idle.counter.id)).toMatchObject({ officerId: null, status: "closed" });
    expect(await counterRow(busy.counter.id)).toMatchObject({ officerId: busy.officer.user.id, status: "open" });
    expect((await ticketRow(serving.id)).status).toBe("called");
    // Once a day: the counter that finishes later is not swept again at 17:32.
    await finish(busy, serving.id);
    clock += 60_000;
    await dayEnd();
    expect((await counterRow(busy.counter.id)).officerId).toBe(busy.officer.user.id);
  });
});

describe("a new day", () => {
  it("closes yesterday's waiting and called tickets with events, releases yesterday's counters, and call-next works in the morning", async () => {
    clock = MORNING + 30 * HOUR; // Thursday 14:00
    const field = await newField();
    const d = await desk([field]);
    const waiting = [await issue(field.id), await issue(field.id)];
    const leftCalled = await issue(field.id);
    // The officer calls the third out of order and goes home without finishing it; two still wait.
    const called = await post(`/counters/${d.counter.id}/call`, d.officer.cookie, { ticketId: leftCalled.id, reason: "urgent" });
    expect(called.status).toBe(200);

    clock = MORNING + 48 * HOUR; // Friday 08:00
    // First thing in the morning, before any end-of-day step ran: the counter is not blocked by yesterday's ticket.
    const fresh = await issue(field.id);
    expect(fresh.code).toMatch(/001$/);
    const morning = await callNext(d);
    expect(morning.id).toBe(fresh.id);
    expect((await ticketRow(leftCalled.id)).status).toBe("expired");
    expect((await eventsOf(leftCalled.id)).at(-1)).toMatchObject({ type: "expired", fromStatus: "called", toStatus: "expired", details: { reason: "day_end" } });

    const done = await dayEnd();
    expect(done.expired).toBeGreaterThanOrEqual(2);
    for (const t of waiting) {
      expect((await ticketRow(t.id)).status).toBe("expired");
      expect((await eventsOf(t.id)).at(-1)).toMatchObject({ type: "expired", fromStatus: "waiting", details: { reason: "day_end" } });
    }
    // Today's call is untouched, and a second run finds nothing more to do.
    expect((await ticketRow(fresh.id)).status).toBe("called");
    expect(await dayEnd()).toMatchObject({ expired: 0 });
  });

  it("releases a counter signed in on a past day, returning nothing stranded", async () => {
    clock = MORNING + 54 * HOUR; // Friday 14:00
    const d = await desk();
    clock = MORNING + 72 * HOUR; // Saturday 08:00
    await dayEnd();
    expect(await counterRow(d.counter.id)).toMatchObject({ officerId: null, status: "closed" });
  });
});

describe("across midnight", () => {
  it("a ticket called at 23:59 and transferred at 00:01 is closed with an event, never left where nobody can call it", async () => {
    clock = Date.parse("2026-12-07T16:59:00Z"); // Monday 23:59 in Vietnam
    const [from, to] = [await newField(), await newField()];
    const d = await desk([from]);
    const ticket = await issue(from.id);
    await callNext(d);
    clock = Date.parse("2026-12-07T17:01:00Z"); // Tuesday 00:01
    const res = await post(`/tickets/${ticket.id}/transfer`, d.officer.cookie, { fieldId: to.id });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ expired: true, ticket: { id: ticket.id, status: "expired" } });
    expect((await eventsOf(ticket.id)).at(-1)).toMatchObject({ type: "expired", fromStatus: "called" });
    expect((await counterRow(d.counter.id)).officerId).toBe(d.officer.user.id);
    // The counter calls today's tickets as usual.
    const today = await issue(from.id);
    expect((await callNext(d)).id).toBe(today.id);
  });

  it("a ticket returned to the queue after midnight (the officer signing out) is closed the same way", async () => {
    clock = Date.parse("2026-12-08T16:58:00Z");
    const d = await desk();
    const ticket = await issue(d.field.id);
    await callNext(d);
    clock = Date.parse("2026-12-08T17:02:00Z");
    const out = await post("/counters/sign-out", d.officer.cookie, { activeTicket: "requeue" });
    expect(out.status).toBe(200);
    expect((await ticketRow(ticket.id)).status).toBe("expired");
  });
});

describe("tickets sent to someone who leaves", () => {
  it("go back to their field's queue at their original place when the target officer or counter signs out", async () => {
    clock = MORNING + 98 * HOUR; // Sunday 10:00
    const field = await newField();
    const [a, b, c] = [await desk([field]), await desk([field]), await desk([field])];
    const first = await issue(field.id);
    const second = await issue(field.id);
    const later = await issue(field.id);
    // A calls the first and sends it to officer B; calls the second and sends it to counter C.
    expect((await callNext(a)).id).toBe(first.id);
    expect((await post(`/tickets/${first.id}/transfer`, a.officer.cookie, { officerId: b.officer.user.id })).status).toBe(200);
    expect((await callNext(a)).id).toBe(second.id);
    expect((await post(`/tickets/${second.id}/transfer`, a.officer.cookie, { counterId: c.counter.id })).status).toBe(200);

    const bOut = await post("/counters/sign-out", b.officer.cookie, {});
    expect(bOut.status).toBe(200);
    expect(bOut.body.data.returned).toBe(1);
    const cOut = await post("/counters/sign-out", c.officer.cookie, {});
    expect(cOut.body.data.returned).toBe(1);
    for (const t of [first, second]) {
      expect(await ticketRow(t.id)).toMatchObject({ status: "waiting", targetOfficerId: null, targetCounterId: null, fieldId: field.id });
      expect((await eventsOf(t.id)).at(-1)).toMatchObject({ type: "returned", details: { why: "target_left" } });
    }
    // Back at their original place: before the later ticket, in issue order.
    expect((await callNext(a)).id).toBe(first.id);
    await finish(a, first.id);
    expect((await callNext(a)).id).toBe(second.id);
    await finish(a, second.id);
    expect((await callNext(a)).id).toBe(later.id);
  });
});

describe("a counter whose officer is gone", () => {
  it("is released when the officer has no live session any more: the ticket goes back to its queue", async () => {
    clock = MORNING + 122 * HOUR; // 10:00 some days later
    const d = await desk();
    const ticket = await issue(d.field.id);
    await callNext(d);
    await s.db.delete(sessions).where(eq(sessions.userId, d.officer.user.id));
    await dayEnd();
    expect(await counterRow(d.counter.id)).toMatchObject({ officerId: null, status: "closed" });
    expect(await ticketRow(ticket.id)).toMatchObject({ status: "waiting", counterId: null });
    expect((await eventsOf(ticket.id)).at(-1)).toMatchObject({ type: "returned", details: { why: "officer_gone" } });
    // Other counters, whose officers are signed in, are left alone.
    const present = await desk();
    await dayEnd();
    expect((await counterRow(present.counter.id)).officerId).toBe(present.officer.user.id);
  });
});

describe("every minute", () => {
  it("asks the same few statements whether anything is due, however many centres there are", async () => {
    clock = MORNING + 123 * HOUR; // 11:00, the day's work of every centre already done below
    const statementsOfAQuietMinute = async () => {
      await dayEnd(); // whatever is due now is done here (a new centre's first roll-over)
      clock += 60_000;
      let asked = 0;
      // Counts what the sweep starts on the database (each a statement or a transaction), and forwards it.
      const counting = new Proxy(s.services.db, {
        get(target, property, receiver) {
          const value = Reflect.get(target, property, receiver) as unknown;
          if (typeof value !== "function" || !["select", "update", "insert", "delete", "execute", "transaction"].includes(String(property))) return value;
          return (...args: unknown[]) => (asked++, (value as (...a: unknown[]) => unknown).apply(target, args));
        },
      }) as Database;
      const done = await runDayEnd({ ...s.services, db: counting }, { sessionPolicy });
      expect(done).toEqual({ expired: 0, released: 0, appointmentNoShows: 0 });
      return asked;
    };
    const before = await statementsOfAQuietMinute();
    // Twenty more centres, and three more counters with an officer at them.
    for (let i = 0; i < 20; i++) await s.db.insert(centres).values({ code: `DAYEND${i}`, name: `Trung tâm thử ${i}` });
    for (let i = 0; i < 3; i++) await desk();
    expect(await statementsOfAQuietMinute()).toBe(before);
    expect(before).toBeLessThanOrEqual(6);
  });
});
