/** What happens to the ticket being served: recalled, marked absent, or finished. */
import { eq, sql } from "drizzle-orm";
import type { Transaction } from "../../db/client";
import { dossiers, fields, tickets, type Counter, type Ticket, type TicketOutcome } from "../../db/schema";
import { staffOf, type Actor } from "../auth/permissions";
import { clock, inTransaction, type Outbox, type ServiceDeps } from "../context";
import { visitOutcome } from "../dossiers/workflow";
import { AppError } from "../errors";
import { lockActiveTicketOfCounter, lockOfficerDesk, lockTicket, readTogether, transitionAtCounter, type Desk } from "./internal";

/** Announces the active ticket again; the count is kept and shown. */
export async function recallTicket(deps: ServiceDeps, actor: Actor, input: { ticketId: number }) {
  const { userId } = staffOf(actor, "counter.operate");
  const now = clock(deps);
  return inTransaction(deps, async (tx, outbox) => {
    const desk = await lockOfficerDesk(tx, userId);
    const { counter } = desk;
    const before = await lockActiveTicketOfCounter(tx, counter, input.ticketId);
    return (await transitionAtCounter(tx, outbox, {
      publish: "ticket.recalled",
      counter,
      desk,
      update: tx
        .update(tickets)
        .set({ recallCount: before.recallCount + 1, announcedAt: now })
        .where(eq(tickets.id, before.id))
        .returning(),
      event: { type: "recalled", from: before.status, actor: { userId }, details: { recallCount: before.recallCount + 1 } },
      now,
    }))!;
  });
}

/** The citizen did not come after the field's number of recalls; they may rejoin within its grace window. */
export async function markNoShow(deps: ServiceDeps, actor: Actor, input: { ticketId: number }) {
  const { userId } = staffOf(actor, "counter.operate");
  const now = clock(deps);
  return inTransaction(deps, async (tx, outbox) => {
    const desk = await lockOfficerDesk(tx, userId);
    const { counter } = desk;
    const before = await lockActiveTicketOfCounter(tx, counter, input.ticketId);
    const [field] = await tx.select().from(fields).where(eq(fields.id, before.fieldId));
    if (before.recallCount < field!.recallsBeforeNoShow) {
      throw new AppError("no_show_too_early", { code: before.code, n: field!.recallsBeforeNoShow, done: before.recallCount });
    }
    return (await transitionAtCounter(tx, outbox, {
      publish: "ticket.no_show",
      counter,
      desk,
      update: tx.update(tickets).set({ status: "no_show", noShowAt: now, counterId: null }).where(eq(tickets.id, before.id)).returning(),
      event: { type: "no_show", from: before.status, actor: { userId } },
      now,
    }))!;
  });
}

/** Ends the visit at the officer's own counter, with its outcome and an optional note. */
export async function finishTicket(deps: ServiceDeps, actor: Actor, input: { ticketId: number; outcome?: TicketOutcome; note?: string }) {
  const { userId, centreId } = staffOf(actor, "counter.operate");
  const now = clock(deps);
  return inTransaction(deps, async (tx, outbox) => {
    const desk = await lockOfficerDesk(tx, userId);
    // The counter first, then the ticket: the order every action at a counter locks them in.
    const [before, opened] = await readTogether(
      lockTicket(tx, input.ticketId, centreId),
      // A visit that opened dossiers ends with their outcome, whatever was chosen.
      tx
        .select({
          state: dossiers.state,
          // Spelled out: in a one-table query drizzle leaves column names unqualified, which the subquery would misread.
          refused: sql<boolean>`exists (select 1 from dossier_steps s where s.dossier_id = "dossiers"."id" and s.action in ('refuse', 'stop'))`,
        })
        .from(dossiers)
        .where(eq(dossiers.ticketId, input.ticketId)),
    );
    if (before.counterId !== desk.counter.id) throw new AppError("ticket_not_yours", { code: before.code });
    const outcome = visitOutcome(opened) ?? input.outcome ?? "done";
    return finishAt(tx, outbox, { counter: desk.counter, desk, before, userId, now, outcome, note: input.note });
  });
}

export async function finishAt(
  tx: Transaction,
  outbox: Outbox,
  input: { counter: Counter; desk?: Desk; before: Ticket; userId: number; now: Date; outcome: TicketOutcome; note?: string },
) {
  const { counter, before, now, userId } = input;
  if (before.status !== "called") throw new AppError("ticket_not_active", { code: before.code });
  return (await transitionAtCounter(tx, outbox, {
    publish: "ticket.finished",
    counter,
    desk: input.desk,
    update: tx
      .update(tickets)
      .set({ status: "done", finishedAt: now, outcome: input.outcome, note: input.note?.trim() || null })
      .where(eq(tickets.id, before.id))
      .returning(),
    event: { type: "finished", from: before.status, actor: { userId }, details: { outcome: input.outcome } },
    now,
  }))!;
}
