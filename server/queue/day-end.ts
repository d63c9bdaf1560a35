/**
 * The end of a service day, and what is left when nobody is there any more — run by every
 * instance every minute (and safe to run twice: each step claims its work in the database):
 *
 * 1. A new day: the tickets of past days still waiting or at a counter are closed (expired,
 *    with an event) and the counters still signed in from a past day, and not already serving
 *    today, are released.
 * 2. Closing time (the centre's `closes_at`, once a day): idle counters close and their
 *    officers are signed out. A counter serving someone is left to finish.
 * 3. Any time: a counter whose officer has no live session any more (signed out elsewhere,
 *    idle, the browser closed long ago) is released: its ticket goes back to its queue.
 * 4. Appointments still booked after their day (or on it, after closing time) become no-shows
 *    (server/appointments/register.ts).
 */
import { and, eq, inArray, isNotNull, isNull, lt, or } from "drizzle-orm";
import { centres, counters, sessions, tickets, users, type Counter } from "../../db/schema";
import { markAppointmentNoShows } from "../appointments/register";
import type { SessionPolicy } from "../auth/session";
import { clock, inTransaction, type ServiceDeps } from "../context";
import { previousDay, serviceDate, timeOfDay } from "../time";
import type { ReturnReason } from "./event-details";
import { activeTicketAt } from "./internal";
import { expireTicket, releaseCounter } from "./release";

export type DayEndSummary = { expired: number; released: number; appointmentNoShows: number };

export async function runDayEnd(deps: ServiceDeps, options: { sessionPolicy: SessionPolicy }): Promise<DayEndSummary> {
  const now = clock(deps);
  const summary: DayEndSummary = { expired: 0, released: 0, appointmentNoShows: 0 };
  // Every centre's marks in one read, so a minute with nothing due costs a few statements for the
  // whole deployment (a province: 200 centres), not a transaction per centre. Each step looks at
  // the marks first and claims its work again under its lock: a mark read a moment ago only
  // saves asking.
  const centreRows = await deps.db
    .select({ id: centres.id, closesAt: centres.closesAt, closedThrough: centres.closedThrough, closingSweptOn: centres.closingSweptOn })
    .from(centres);
  for (const centre of centreRows) {
    summary.expired += await rollOver(deps, centre, now);
    summary.released += await closeIdleCounters(deps, centre, now);
  }
  summary.released += await releaseAbandonedCounters(deps, now, options.sessionPolicy);
  summary.appointmentNoShows = await markAppointmentNoShows(deps);
  return summary;
}

/** A centre's marks of the steps done (`closed_through`, `closing_swept_on`) and its closing time. */
type CentreMarks = { id: number; closesAt: string; closedThrough: string | null; closingSweptOn: string | null };

/** Step 1, once per day and centre: due while `closed_through` is before yesterday (the claim below says the same). */
async function rollOver(deps: ServiceDeps, centre: CentreMarks, now: Date): Promise<number> {
  const today = serviceDate(now);
  const yesterday = previousDay(today);
  if (centre.closedThrough !== null && centre.closedThrough >= yesterday) return 0;
  const centreId = centre.id;
  return inTransaction(deps, async (tx, outbox) => {
    const [claimed] = await tx
      .update(centres)
      .set({ closedThrough: yesterday })
      .where(and(eq(centres.id, centreId), or(isNull(centres.closedThrough), lt(centres.closedThrough, yesterday))))
      .returning({ id: centres.id });
    if (!claimed) return 0;
    const left = await tx
      .select()
      .from(tickets)
      .where(and(eq(tickets.centreId, centreId), lt(tickets.serviceDate, today), inArray(tickets.status, ["waiting", "called"])))
      .for("update");
    for (const ticket of left) await expireTicket(tx, outbox, ticket, now);
    const stale = await tx
      .select()
      .from(counters)
      .where(and(eq(counters.centreId, centreId), isNotNull(counters.officerId), lt(counters.signedInAt, startOfDay(now))))
      .for("update");
    for (const counter of stale) {
      // Signed in yesterday but already serving today's citizen: in use, not left behind.
      const active = await activeTicketAt(tx, counter.id);
      if (active && active.serviceDate === today) continue;
      await releaseCounter(tx, outbox, { counter, now, actor: {}, why: "closing_time" });
    }
    return left.length;
  });
}

/** Step 2, once per day and centre, at or after its closing time: due while `closing_swept_on` is before today (the claim below says the same). */
async function closeIdleCounters(deps: ServiceDeps, centre: CentreMarks, now: Date): Promise<number> {
  const today = serviceDate(now);
  if (timeOfDay(now) < centre.closesAt || (centre.closingSweptOn !== null && centre.closingSweptOn >= today)) return 0;
  const centreId = centre.id;
  return inTransaction(deps, async (tx, outbox) => {
    const [claimed] = await tx
      .update(centres)
      .set({ closingSweptOn: today })
      .where(and(eq(centres.id, centreId), or(isNull(centres.closingSweptOn), lt(centres.closingSweptOn, today))))
      .returning({ id: centres.id });
    if (!claimed) return 0;
    const open = await tx.select().from(counters).where(and(eq(counters.centreId, centreId), isNotNull(counters.officerId))).for("update");
    let released = 0;
    for (const counter of open) {
      if (await activeTicketAt(tx, counter.id)) continue;
      await releaseCounter(tx, outbox, { counter, now, actor: {}, why: "closing_time" });
      released++;
    }
    return released;
  });
}

/** Step 3: counters held by officers without a live session — every centre's in two reads. */
async function releaseAbandonedCounters(deps: ServiceDeps, now: Date, policy: SessionPolicy): Promise<number> {
  const held = await deps.db
    .select({ counterId: counters.id, officerId: counters.officerId, isActive: users.isActive })
    .from(counters)
    .innerJoin(users, eq(users.id, counters.officerId));
  if (held.length === 0) return 0;
  const live = await deps.db
    .select({ userId: sessions.userId, expiresAt: sessions.expiresAt, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .where(inArray(sessions.userId, deps.db.select({ id: counters.officerId }).from(counters).where(isNotNull(counters.officerId))));
  const present = new Set(
    live.filter((s) => now < s.expiresAt && now.getTime() - s.lastSeenAt.getTime() < policy.idleMs).map((s) => s.userId),
  );
  const gone = held.filter((h) => !h.isActive || !present.has(h.officerId!));
  let released = 0;
  for (const { counterId, officerId } of gone) {
    released += await inTransaction(deps, async (tx, outbox) => {
      const [counter] = await tx.select().from(counters).where(eq(counters.id, counterId)).for("update");
      // Taken over or signed out meanwhile: nothing to do.
      if (!counter || counter.officerId !== officerId) return 0;
      await releaseCounter(tx, outbox, { counter: counter as Counter, now, actor: {}, why: "officer_gone" satisfies ReturnReason });
      return 1;
    });
  }
  return released;
}

/** Midnight in Vietnam of the instant's service day. */
function startOfDay(now: Date): Date {
  return new Date(`${serviceDate(now)}T00:00:00+07:00`);
}
