/**
 * What a supervisor does to the counters while the centre is open: pause or reopen a staffed
 * counter, sign an officer out, move an officer to another counter, change the fields a
 * counter serves, post a notice on the screens. Each is one transaction with its audit row
 * (who, what, before → after, why) and the live event every console and screen follows.
 */
import { and, eq, inArray } from "drizzle-orm";
import type { Transaction } from "../../db/client";
import { centres, counters, fields, tickets, users, type Counter } from "../../db/schema";
import { fieldIdsOf, writeCounterFields } from "../admin/structure";
import { recordAudit } from "../audit";
import { can, staffOf, type Actor, type UserActor } from "../auth/permissions";
import { clock, inTransaction, type Outbox, type ServiceDeps } from "../context";
import { AppError } from "../errors";
import { t } from "../i18n";
import { hasControlCharacters } from "../input";
import { finishAt } from "../queue/at-counter";
import { counterSummary, lockCounter, lockTicket, toTicketSummary } from "../queue/internal";
import { announceSettingsChanged, bumpSeq, recordEvent } from "../queue/event-log";
import type { PauseReason } from "../queue/reasons";
import { activeTicketToday, releaseCounter, returnToQueue } from "../queue/release";
import { pauseOrReopen, type ActiveTicketChoice } from "../queue/counters";
import { serviceDate } from "../time";

const REASON_MAX = 200;

/** A supervisor's reason: required for what takes a counter or an officer away, at most 200 characters. */
function reasonOf(text: string | undefined, required: boolean): string | null {
  const reason = text?.normalize("NFC").replace(/\s+/g, " ").trim() ?? "";
  if (hasControlCharacters(reason)) throw new AppError("bad_request_field", { message: t("validation.controlCharacters") });
  if ([...reason].length > REASON_MAX) throw new AppError("reason_too_long", { max: REASON_MAX });
  if (required && !reason) throw new AppError("steer_reason_required");
  return reason || null;
}

async function announceCounter(tx: Transaction, outbox: Outbox, counter: Counter, now: Date) {
  const summary = await counterSummary(tx, counter.id);
  const seq = await bumpSeq(tx, counter.centreId);
  outbox.push({ type: "counter.updated", seq, centreId: counter.centreId, at: now.toISOString(), counter: summary });
  return summary;
}

/** Pauses (with one of the pause reasons) or reopens a staffed counter. */
export async function steerCounterPause(
  deps: ServiceDeps,
  actor: Actor,
  input: { counterId: number; paused: boolean; reason?: PauseReason; note?: string },
) {
  const supervisor = staffOf(actor, "counters.steer");
  const note = reasonOf(input.note, false);
  if (input.paused && !input.reason) throw new AppError("pause_reason_required");
  const now = clock(deps);
  return inTransaction(deps, async (tx, outbox) => {
    const counter = await lockCounter(tx, input.counterId, supervisor.centreId);
    if (counter.officerId === null) throw new AppError("counter_unstaffed", { counter: counter.number });
    return { counter: await pauseOrReopen(tx, outbox, { counter, actor, now, paused: input.paused, reason: input.reason, why: note }) };
  });
}

/** Signs the officer at a counter out, finishing or returning the ticket they serve, as they would choose. */
export async function signOfficerOut(deps: ServiceDeps, actor: Actor, input: { counterId: number; activeTicket?: ActiveTicketChoice; reason?: string }) {
  const supervisor = staffOf(actor, "counters.steer");
  const reason = reasonOf(input.reason, true);
  const now = clock(deps);
  return inTransaction(deps, async (tx, outbox) => {
    const counter = await lockCounter(tx, input.counterId, supervisor.centreId, "update");
    if (counter.officerId === null) throw new AppError("counter_unstaffed", { counter: counter.number });
    const active = await activeTicketToday(tx, outbox, counter, now);
    if (active) {
      if (!input.activeTicket) throw new AppError("counter_has_active_ticket", { code: active.code });
      const before = await lockTicket(tx, active.id, counter.centreId);
      if (input.activeTicket === "finish") await finishAt(tx, outbox, { counter, before, userId: supervisor.userId, now, outcome: "done" });
    }
    const released = await releaseCounter(tx, outbox, { counter, now, actor: { userId: supervisor.userId }, why: "signed_out_by_supervisor" });
    await recordAudit(tx, {
      actor,
      centreId: counter.centreId,
      action: "officer.signed_out",
      target: { type: "counter", id: counter.id },
      before: { status: counter.status, officerId: counter.officerId, ...(active ? { ticket: active.code } : {}) },
      after: { status: "closed", officerId: null, ...(active ? { activeTicket: input.activeTicket } : {}), ...(released.returned ? { returned: released.returned } : {}) },
      reason,
    });
    return released;
  });
}

/**
 * Moves an officer from the counter they are at to another counter of the centre that is free
 * and in service. The ticket they serve is finished or goes back to its queue (as they would
 * choose); tickets sent to their old counter go back to their field's queue; tickets sent to
 * the officer follow them. They keep working at the new counter in the same state (open or paused).
 */
export async function moveOfficer(
  deps: ServiceDeps,
  actor: Actor,
  input: { officerId: number; toCounterId: number; activeTicket?: ActiveTicketChoice; reason?: string },
) {
  const supervisor = staffOf(actor, "counters.steer");
  const reason = reasonOf(input.reason, false);
  const now = clock(deps);
  return inTransaction(deps, async (tx, outbox) => {
    // Both counters locked in id order, so two moves in opposite directions cannot deadlock.
    const [from] = await tx
      .select()
      .from(counters)
      .where(and(eq(counters.officerId, input.officerId), eq(counters.centreId, supervisor.centreId)));
    if (!from) throw new AppError("officer_not_at_counter");
    if (from.id === input.toCounterId) throw new AppError("officer_already_there", { counter: from.number });
    const [first, second] = from.id < input.toCounterId ? [from.id, input.toCounterId] : [input.toCounterId, from.id];
    const locked = new Map<number, Counter>();
    for (const id of [first, second]) locked.set(id, await lockCounter(tx, id, supervisor.centreId, "update"));
    const source = locked.get(from.id)!;
    const target = locked.get(input.toCounterId)!;
    if (source.officerId !== input.officerId) throw new AppError("officer_not_at_counter");
    if (!target.isActive) throw new AppError("counter_inactive", { counter: target.number });
    if (target.officerId !== null) {
      const [other] = await tx.select({ fullName: users.fullName }).from(users).where(eq(users.id, target.officerId));
      throw new AppError("counter_taken", { counter: target.number, officer: other?.fullName ?? "" });
    }
    const active = await activeTicketToday(tx, outbox, source, now);
    if (active) {
      if (!input.activeTicket) throw new AppError("counter_has_active_ticket", { code: active.code });
      const before = await lockTicket(tx, active.id, source.centreId);
      if (input.activeTicket === "finish") await finishAt(tx, outbox, { counter: source, before, userId: supervisor.userId, now, outcome: "done" });
      else await returnToQueue(tx, outbox, { counter: source, before, actor: { userId: supervisor.userId }, now, why: "officer_moved" });
    }
    const returned = await untargetCounterOnly(tx, outbox, { counter: source, now, supervisor });
    await tx.update(counters).set({ officerId: null, status: "closed", pauseReason: null, signedInAt: null, statusSince: now }).where(eq(counters.id, source.id));
    await tx
      .update(counters)
      .set({ officerId: input.officerId, status: source.status === "paused" ? "paused" : "open", pauseReason: source.pauseReason, signedInAt: now, statusSince: now })
      .where(eq(counters.id, target.id));
    await recordAudit(tx, {
      actor,
      centreId: source.centreId,
      action: "officer.moved",
      target: { type: "user", id: input.officerId },
      before: { counter: source.number, ...(active ? { ticket: active.code } : {}) },
      after: { counter: target.number, ...(active ? { activeTicket: input.activeTicket } : {}), ...(returned ? { returned } : {}) },
      reason,
    });
    const left = await announceCounter(tx, outbox, source, now);
    const arrived = await announceCounter(tx, outbox, target, now);
    return { from: left, to: arrived, returned };
  });
}

/** Today's waiting tickets sent to this counter (not to its officer, who moves) go back to their field's queue. */
async function untargetCounterOnly(tx: Transaction, outbox: Outbox, input: { counter: Counter; now: Date; supervisor: UserActor }) {
  const { counter, now } = input;
  const held = await tx
    .select()
    .from(tickets)
    .where(and(eq(tickets.centreId, counter.centreId), eq(tickets.serviceDate, serviceDate(now)), eq(tickets.status, "waiting"), eq(tickets.targetCounterId, counter.id)))
    .for("update");
  if (held.length === 0) return 0;
  const freed = await tx.update(tickets).set({ targetCounterId: null }).where(inArray(tickets.id, held.map((t) => t.id))).returning();
  for (const ticket of freed) {
    const seq = await recordEvent(tx, ticket, { type: "returned", from: "waiting", actor: { userId: input.supervisor.userId }, counterId: counter.id, details: { why: "target_left" } });
    outbox.push({ type: "ticket.rerouted", seq, centreId: counter.centreId, at: now.toISOString(), ticket: toTicketSummary(ticket), previousFieldId: ticket.fieldId });
  }
  return freed.length;
}

/** Changes which fields a counter serves; its next call reads them. A supervisor or the centre's administrator. */
export async function setCounterFields(deps: ServiceDeps, actor: Actor, input: { counterId: number; fieldIds: number[]; reason?: string }) {
  const staff = staffOf(actor, can(actor, "counters.steer") ? "counters.steer" : "centre.configure");
  const reason = reasonOf(input.reason, false);
  const now = clock(deps);
  return inTransaction(deps, async (tx, outbox) => {
    const counter = await lockCounter(tx, input.counterId, staff.centreId);
    const wanted = [...new Set(input.fieldIds)].sort((a, b) => a - b);
    if (wanted.length) {
      const found = await tx.select({ id: fields.id }).from(fields).where(and(eq(fields.centreId, counter.centreId), inArray(fields.id, wanted)));
      if (found.length !== wanted.length) throw new AppError("field_not_found");
    }
    const before = await fieldIdsOf(tx, counter.id);
    const summary = await writeCounterFields(tx, outbox, counter, wanted, now);
    await recordAudit(tx, {
      actor,
      centreId: counter.centreId,
      action: "counter.fields_changed",
      target: { type: "counter", id: counter.id },
      before: { fieldIds: before },
      after: { fieldIds: wanted },
      reason,
    });
    return { counter: summary };
  });
}

export const NOTICE_MAX = 300;

/** Posts the notice that scrolls on the centre's waiting-room screens (for `minutes`, or until taken down), or takes it down (empty text). */
export async function postNotice(deps: ServiceDeps, actor: Actor, input: { text: string; minutes?: number | null }) {
  const staff = staffOf(actor, "notices.post");
  const text = input.text.normalize("NFC").replace(/\s+/g, " ").trim();
  if (hasControlCharacters(text)) throw new AppError("bad_request_field", { message: t("validation.controlCharacters") });
  if ([...text].length > NOTICE_MAX) throw new AppError("notice_too_long", { max: NOTICE_MAX });
  const minutes = input.minutes ?? null;
  if (minutes !== null && (!Number.isInteger(minutes) || minutes < 1 || minutes > 24 * 60)) throw new AppError("notice_minutes");
  const now = clock(deps);
  return inTransaction(deps, async (tx, outbox) => {
    const [before] = await tx.select({ notice: centres.notice, noticeUntil: centres.noticeUntil }).from(centres).where(eq(centres.id, staff.centreId)).for("update");
    const until = text && minutes ? new Date(now.getTime() + minutes * 60_000) : null;
    await tx.update(centres).set({ notice: text || null, noticeUntil: until }).where(eq(centres.id, staff.centreId));
    await recordAudit(tx, {
      actor,
      centreId: staff.centreId,
      action: text ? "notice.posted" : "notice.removed",
      target: { type: "centre", id: staff.centreId },
      before: { notice: before?.notice ?? null },
      after: { notice: text || null, until: until?.toISOString() ?? null },
    });
    await announceSettingsChanged(tx, outbox, staff.centreId, now);
    return { notice: text || null, until };
  });
}
