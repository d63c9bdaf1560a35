/** What happens to the ticket being served: recalled, marked absent, or finished. */
import { and, eq, sql } from "drizzle-orm";
import type { Queryable, Transaction } from "../../db/client";
import { placeholders, preparedOn } from "../../db/prepared";
import { counters, dossiers, fields, tickets, users, type Counter, type Ticket, type TicketOutcome } from "../../db/schema";
import { staffOf, type Actor } from "../auth/permissions";
import { clock, inTransaction, Outbox, publishOutbox, type ServiceDeps } from "../context";
import { visitOutcome } from "../dossiers/workflow";
import { AppError } from "../errors";
import type { EventDetails } from "./event-details";
import { deskColumns, lockActiveTicketOfCounter, lockOfficerDesk, lockTicket, preparedChange, readTogether, toDesk, transitionAtCounter, transitionAtCounterAlone, type Desk } from "./internal";

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
 * Ends the visit at the officer's own counter, with its outcome and an optional note. In two
 * round trips and no transaction across them (as call-next, decision 0005): the desk and the
 * visit's dossiers are read, then one statement locks the desk, finishes the ticket if it is
 * still the one called there, and appends the event. When it finds anything else, the checks run
 * again in a transaction under the locks, which either say what is wrong or finish it.
 */
export async function finishTicket(deps: ServiceDeps, actor: Actor, input: { ticketId: number; outcome?: TicketOutcome; note?: string }) {
  const { userId, centreId } = staffOf(actor, "counter.operate");
  const now = clock(deps);
  const read = await finishReads(deps.db).execute({ officerId: userId, ticketId: input.ticketId });
  if (read.length > 0) {
    const desk = toDesk(read[0]!);
    const opened = read.flatMap((r) => (r.dossier ? [r.dossier] : []));
    const outbox = new Outbox();
    const outcome = visitOutcome(opened) ?? input.outcome ?? "done";
    const done = await transitionAtCounterAlone(outbox, {
      publish: "ticket.finished",
      desk,
      statement: finishStatement(deps.db),
      values: {
        counterId: desk.counter.id,
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

/** The one statement of {@link finishTicket}, built once (db/prepared.ts): the desk locked and checked, the ticket finished if still called there, the event appended. */
const finishStatement = preparedChange((db) => {
  const { counterId, userId, centreId, ticketId, now, outcome, note, details } = placeholders("counterId", "userId", "centreId", "ticketId", "now", "outcome", "note", "details");
  return {
    prelude: sql`desk as (select id from ${counters} where id = ${counterId} and officer_id = ${userId} for no key update),`,
    update: db
      .update(tickets)
      .set({ status: "done", finishedAt: sql`${now}::timestamptz`, outcome: sql`${outcome}::ticket_outcome`, note: sql`${note}::text` })
      .where(and(eq(tickets.id, ticketId), eq(tickets.centreId, centreId), eq(tickets.counterId, counterId), eq(tickets.status, "called"), sql`exists (select 1 from desk)`))
      .returning(),
    event: { type: "finished", from: "called", actor: { userId }, counterId, details },
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

/**
 * Finish's reads in one statement built once (db/prepared.ts): the officer's desk, and the
 * dossiers the visit opened (one row each, the desk repeated; one row without a dossier when it
 * opened none). No row: the officer is at no counter.
 */
const finishReads = preparedOn((db) => {
  const { officerId, ticketId } = placeholders("officerId", "ticketId");
  const opened = db.select(visitDossierColumns).from(dossiers).where(eq(dossiers.ticketId, ticketId)).as("opened");
  return db
    .select({ ...deskColumns, dossier: { state: opened.state, refused: opened.refused } })
    .from(counters)
    .leftJoin(users, eq(users.id, counters.officerId))
    .leftJoinLateral(opened, sql`true`)
    .where(eq(counters.officerId, officerId))
    .prepare("finish_reads");
});

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
