/** What happens to the ticket being served: recalled, marked absent, or finished. */
import { and, eq, sql } from "drizzle-orm";
import type { Queryable, Transaction } from "../../db/client";
import { placeholders } from "../../db/prepared";
import { dossiers, fields, tickets, type Counter, type Ticket, type TicketOutcome } from "../../db/schema";
import { staffOf, type Actor } from "../auth/permissions";
import { clock, inTransaction, Outbox, publishOutbox, type ServiceDeps } from "../context";
import { visitOutcome } from "../dossiers/workflow";
import { AppError } from "../errors";
import type { EventDetails } from "./event-details";
import { DESK_ALONGSIDE, deskOfRow, lockActiveTicketOfCounter, lockOfficerDesk, lockTicket, readTogether, transitionAtCounter, transitionAtCounterAlone, type Desk } from "./internal";
import { preparedChange } from "./event-log";

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

/**
 * Ends the visit at the officer's own counter, with its outcome and an optional note. In one
 * round trip and no transaction around it (as call-next's claim, decision 0005): one statement
 * locks the officer's counter (reading its desk for the event), finishes the ticket if it is
 * still the one called there and the visit opened no dossier, and appends the event. When it
 * finds anything else — not at a counter, another counter's ticket, no longer called, or a visit
 * with dossiers, whose outcome they decide — the checks run in a transaction under the locks,
 * which either say what is wrong or finish it.
 */
export async function finishTicket(deps: ServiceDeps, actor: Actor, input: { ticketId: number; outcome?: TicketOutcome; note?: string }) {
  const { userId, centreId } = staffOf(actor, "counter.operate");
  const now = clock(deps);
  const outbox = new Outbox();
  // The statement finishes only a visit that opened no dossier: its outcome is the officer's choice.
  const outcome = visitOutcome([]) ?? input.outcome ?? "done";
  const done = await transitionAtCounterAlone(outbox, {
    publish: "ticket.finished",
    desk: deskOfRow,
    statement: finishStatement(deps.db),
    values: {
      userId,
      centreId,
      ticketId: input.ticketId,
      now: now.toISOString(),
      outcome,
      note: finishing({ now, outcome, note: input.note }).note,
      details: JSON.stringify({ outcome } satisfies EventDetails["finished"]),
    },
    now,
  });
  if (done) {
    publishOutbox(deps, outbox);
    return done;
  }
  return inTransaction(deps, async (tx, outbox) => {
    const locked = await lockOfficerDesk(tx, userId);
    // The counter first, then the ticket: the order every action at a counter locks them in.
    const [before, visit] = await readTogether(lockTicket(tx, input.ticketId, centreId), dossiersOfVisit(tx, input.ticketId));
    if (before.counterId !== locked.counter.id) throw new AppError("ticket_not_yours", { code: before.code });
    const outcome = visitOutcome(visit) ?? input.outcome ?? "done";
    return finishAt(tx, outbox, { counter: locked.counter, desk: locked, before, userId, now, outcome, note: input.note });
  });
}

/**
 * The one statement of {@link finishTicket}, built once (db/prepared.ts): the officer's counter
 * locked and its desk read, the ticket finished if still called there and its visit opened no
 * dossier, the event appended; the desk returned beside the ticket.
 */
const finishStatement = preparedChange((db) => {
  const { userId, centreId, ticketId, now, outcome, note, details } = placeholders("userId", "centreId", "ticketId", "now", "outcome", "note", "details");
  return {
    prelude: DESK_ALONGSIDE.cte(userId),
    update: db
      .update(tickets)
      .set({ status: "done", finishedAt: sql`${now}::timestamptz`, outcome: sql`${outcome}::ticket_outcome`, note: sql`${note}::text` })
      .where(
        and(
          eq(tickets.id, ticketId),
          eq(tickets.centreId, centreId),
          sql`${tickets.counterId} = (select id from desk)`,
          eq(tickets.status, "called"),
          sql`not exists (select 1 from ${dossiers} d where d.ticket_id = ${ticketId})`,
        ),
      )
      .returning(),
    event: { type: "finished", from: "called", actor: { userId }, counterId: sql`(select id from desk)`, details },
    alongside: DESK_ALONGSIDE.alongside,
  };
});

/** A visit that opened dossiers ends with their outcome, whatever was chosen (server/dossiers/workflow.ts). */
function dossiersOfVisit(db: Queryable, ticketId: number) {
  return db
    .select(visitDossierColumns)
    .from(dossiers)
    .where(eq(dossiers.ticketId, ticketId));
}

const visitDossierColumns = {
  state: dossiers.state,
  // Spelled out: in a one-table query drizzle leaves column names unqualified, which the subquery would misread.
  refused: sql<boolean>`exists (select 1 from dossier_steps s where s.dossier_id = "dossiers"."id" and s.action in ('refuse', 'stop'))`.as("refused"),
};

/** What finishing writes on the ticket. */
const finishing = (input: { now: Date; outcome: TicketOutcome; note?: string }) => ({
  status: "done" as const,
  finishedAt: input.now,
  outcome: input.outcome,
  note: input.note?.trim() || null,
});

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
      .set(finishing({ now, outcome: input.outcome, note: input.note }))
      .where(eq(tickets.id, before.id))
      .returning(),
    event: { type: "finished", from: before.status, actor: { userId }, details: { outcome: input.outcome } },
    now,
  }))!;
}
