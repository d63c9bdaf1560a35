/** Officers at counters: sign in, sign out (deciding about an active ticket), pause and reopen. */
import { eq } from "drizzle-orm";
import type { Transaction } from "../../db/client";
import { counters, users, type Counter } from "../../db/schema";
import { staffOf, type Actor } from "../auth/permissions";
import { clock, inTransaction, type Outbox, type ServiceDeps } from "../context";
import { recordAudit } from "../audit";
import { AppError } from "../errors";
import { finishAt } from "./at-counter";
import { counterSummary, lockCounter, lockOfficerCounter, lockTicket } from "./internal";
import { bumpSeq } from "./event-log";
import type { PauseReason } from "./reasons";
import { activeTicketToday, releaseCounter } from "./release";

/** Counter changes are not ticket transitions: they advance the centre's sequence, with no ticket event. */
const recordCounterChange = bumpSeq;

/** Puts an officer at a counter of their centre: one officer per counter, one counter per officer. */
export async function signInToCounter(deps: ServiceDeps, actor: Actor, input: { counterId: number }) {
  const officer = staffOf(actor, "counter.operate");
  const now = clock(deps);
  return inTransaction(deps, async (tx, outbox) => {
    const counter = await lockCounter(tx, input.counterId, officer.centreId, "update");
    if (!counter.isActive) throw new AppError("counter_inactive", { counter: counter.number });
    if (counter.officerId === officer.userId) return { counter: await counterSummary(tx, counter.id) };
    if (counter.officerId !== null) {
      const [other] = await tx.select({ fullName: users.fullName }).from(users).where(eq(users.id, counter.officerId));
      throw new AppError("counter_taken", { counter: counter.number, officer: other?.fullName ?? "" });
    }
    const [held] = await tx.select().from(counters).where(eq(counters.officerId, officer.userId)).for("update");
    if (held) throw new AppError("officer_has_counter", { counter: held.number });

    await tx
      .update(counters)
      .set({ officerId: officer.userId, status: "open", pauseReason: null, signedInAt: now, statusSince: now })
      .where(eq(counters.id, counter.id));
    await recordAudit(tx, { actor, centreId: counter.centreId, action: "counter.signed_in", target: { type: "counter", id: counter.id }, before: { status: counter.status }, after: { status: "open", officerId: officer.userId } });
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
 * Tickets sent to this counter or officer go back to their field's queue; the answer says how many.
 */
export async function signOutOfCounter(deps: ServiceDeps, actor: Actor, input: { activeTicket?: ActiveTicketChoice }) {
  const { userId } = staffOf(actor, "counter.operate");
  const now = clock(deps);
  return inTransaction(deps, async (tx, outbox) => {
    const [counter] = await tx.select().from(counters).where(eq(counters.officerId, userId)).for("update");
    if (!counter) return { counter: null, returned: 0 };
    const active = await activeTicketToday(tx, outbox, counter, now);
    if (active) {
      if (!input.activeTicket) throw new AppError("counter_has_active_ticket", { code: active.code });
      const before = await lockTicket(tx, active.id, counter.centreId);
      if (input.activeTicket === "finish") await finishAt(tx, outbox, { counter, before, userId, now, outcome: "done" });
    }
    const released = await releaseCounter(tx, outbox, { counter, now, actor: { userId }, why: "sign_out" });
    await recordAudit(tx, {
      actor,
      centreId: counter.centreId,
      action: "counter.signed_out",
      target: { type: "counter", id: counter.id },
      before: { status: counter.status, officerId: userId, ...(active ? { ticket: active.code } : {}) },
      after: { status: "closed", ...(active ? { activeTicket: input.activeTicket } : {}), ...(released.returned ? { returned: released.returned } : {}) },
    });
    return released;
  });
}

/** Pauses the officer's counter with a reason (it stops counting for wait estimates), or reopens it. */
export async function setCounterPaused(deps: ServiceDeps, actor: Actor, input: { paused: boolean; reason?: PauseReason }) {
  const { userId } = staffOf(actor, "counter.operate");
  const now = clock(deps);
  if (input.paused && !input.reason) throw new AppError("pause_reason_required");
  return inTransaction(deps, async (tx, outbox) => {
    const counter = await lockOfficerCounter(tx, userId);
    const summary = await pauseOrReopen(tx, outbox, { counter, actor, now, paused: input.paused, reason: input.reason, why: input.paused ? (input.reason ?? null) : null });
    return { counter: summary };
  });
}

/**
 * The one way a counter (locked by the caller) is paused or reopened, by its officer or a
 * supervisor: not while it serves someone, the audit row (who, before → after, why), the event.
 */
export async function pauseOrReopen(
  tx: Transaction,
  outbox: Outbox,
  input: { counter: Counter; actor: Actor; now: Date; paused: boolean; reason?: PauseReason; why: string | null },
) {
  const { counter, now, paused } = input;
  if (paused && !input.reason) throw new AppError("pause_reason_required");
  if (paused) {
    const active = await activeTicketToday(tx, outbox, counter, now);
    if (active) throw new AppError("active_ticket_blocks_pause", { code: active.code });
  }
  await tx
    .update(counters)
    .set(paused ? { status: "paused", pauseReason: input.reason, statusSince: now } : { status: "open", pauseReason: null, statusSince: now })
    .where(eq(counters.id, counter.id));
  const byOfficer = input.actor.kind === "user" && input.actor.userId === counter.officerId;
  await recordAudit(tx, {
    actor: input.actor,
    centreId: counter.centreId,
    action: paused ? "counter.paused" : byOfficer ? "counter.resumed" : "counter.opened",
    target: { type: "counter", id: counter.id },
    before: { status: counter.status, pauseReason: counter.pauseReason },
    after: paused ? { status: "paused", pauseReason: input.reason } : { status: "open" },
    reason: input.why,
  });
  const summary = await counterSummary(tx, counter.id);
  const seq = await recordCounterChange(tx, counter.centreId);
  outbox.push({ type: "counter.updated", seq, centreId: counter.centreId, at: now.toISOString(), counter: summary });
  return summary;
}
