/** Officers at counters: sign in, sign out (deciding about an active ticket), pause and reopen. */
import { eq } from "drizzle-orm";
import { counters, tickets, users } from "../../db/schema";
import { clock, inTransaction, type ServiceDeps } from "../context";
import { AppError } from "../errors";
import { activeTicketAt, bumpSeq, counterSummary, lockCounter, recordEvent, toTicketSummary } from "./internal";
import type { PauseReason } from "./reasons";
import { finishAt } from "./service";


/** Counter changes are not ticket transitions: they advance the centre's sequence, with no ticket event. */
const recordCounterChange = bumpSeq;

/** Puts an officer at a counter of their centre: one officer per counter, one counter per officer. */
export async function signInToCounter(deps: ServiceDeps, input: { userId: number; centreId: number; counterId: number }) {
  const now = clock(deps);
  return inTransaction(deps, async (tx, outbox) => {
    const counter = await lockCounter(tx, input.counterId, input.centreId, "update");
    if (counter.officerId === input.userId) return { counter: await counterSummary(tx, counter.id) };
    if (counter.officerId !== null) {
      const [officer] = await tx.select({ fullName: users.fullName }).from(users).where(eq(users.id, counter.officerId));
      throw new AppError("counter_taken", { counter: counter.number, officer: officer?.fullName ?? "" });
    }
    const [held] = await tx.select().from(counters).where(eq(counters.officerId, input.userId)).for("update");
    if (held) throw new AppError("officer_has_counter", { counter: held.number });

    await tx
      .update(counters)
      .set({ officerId: input.userId, status: "open", pauseReason: null, signedInAt: now })
      .where(eq(counters.id, counter.id));
    const summary = await counterSummary(tx, counter.id);
    const seq = await recordCounterChange(tx, counter.centreId);
    outbox.push({ type: "counter.updated", seq, centreId: counter.centreId, at: now.toISOString(), counter: summary });
    return { counter: summary };
  });
}

export type ActiveTicketChoice = "finish" | "requeue";

/**
 * Takes the officer away from their counter. With a ticket still active there, the officer
 * must say what happens to it: finish it, or return it to its queue at its original place.
 */
export async function signOutOfCounter(deps: ServiceDeps, input: { userId: number; activeTicket?: ActiveTicketChoice }) {
  const now = clock(deps);
  return inTransaction(deps, async (tx, outbox) => {
    const [counter] = await tx.select().from(counters).where(eq(counters.officerId, input.userId)).for("update");
    if (!counter) return { counter: null };
    const active = await activeTicketAt(tx, counter.id);
    if (active) {
      if (!input.activeTicket) throw new AppError("counter_has_active_ticket", { code: active.code });
      await tx.select().from(tickets).where(eq(tickets.id, active.id)).for("update");
      if (input.activeTicket === "finish") {
        await finishAt(tx, outbox, { counter, before: active, userId: input.userId, now, outcome: "done" });
      } else {
        const [ticket] = await tx
          .update(tickets)
          .set({ status: "waiting", counterId: null, officerId: null, recallCount: 0 })
          .where(eq(tickets.id, active.id))
          .returning();
        const seq = await recordEvent(tx, ticket!, { type: "returned", from: active.status, actor: { userId: input.userId }, counterId: counter.id });
        outbox.push({
          type: "ticket.requeued",
          reason: "return",
          seq,
          centreId: counter.centreId,
          at: now.toISOString(),
          ticket: toTicketSummary(ticket!),
          counter: await counterSummary(tx, counter.id),
          previousFieldId: active.fieldId,
        });
      }
    }
    await tx
      .update(counters)
      .set({ officerId: null, status: "closed", pauseReason: null, signedInAt: null })
      .where(eq(counters.id, counter.id));
    const summary = await counterSummary(tx, counter.id);
    const seq = await recordCounterChange(tx, counter.centreId);
    outbox.push({ type: "counter.updated", seq, centreId: counter.centreId, at: now.toISOString(), counter: summary });
    return { counter: summary };
  });
}

/**
 * Tells the centre's kiosks and screens that its fields or priority classes changed (they
 * reload their snapshot), after the change itself has committed.
 */
export async function announceSettingsChanged(deps: ServiceDeps, centreId: number) {
  const now = clock(deps);
  await inTransaction(deps, async (tx, outbox) => {
    const seq = await bumpSeq(tx, centreId);
    outbox.push({ type: "settings.updated", seq, centreId, at: now.toISOString() });
  });
}

/** Pauses the officer's counter with a reason (it stops counting for wait estimates), or reopens it. */
export async function setCounterPaused(deps: ServiceDeps, input: { userId: number; paused: boolean; reason?: PauseReason }) {
  const now = clock(deps);
  if (input.paused && !input.reason) throw new AppError("pause_reason_required");
  return inTransaction(deps, async (tx, outbox) => {
    const [counter] = await tx.select().from(counters).where(eq(counters.officerId, input.userId)).for("no key update");
    if (!counter) throw new AppError("not_at_counter");
    if (input.paused) {
      const active = await activeTicketAt(tx, counter.id);
      if (active) throw new AppError("active_ticket_blocks_pause", { code: active.code });
    }
    await tx
      .update(counters)
      .set(input.paused ? { status: "paused", pauseReason: input.reason } : { status: "open", pauseReason: null })
      .where(eq(counters.id, counter.id));
    const summary = await counterSummary(tx, counter.id);
    const seq = await recordCounterChange(tx, counter.centreId);
    outbox.push({ type: "counter.updated", seq, centreId: counter.centreId, at: now.toISOString(), counter: summary });
    return { counter: summary };
  });
}
