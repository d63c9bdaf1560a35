/** Tickets in the hall rather than at a counter: a no-show rejoining, a waiting ticket withdrawn. */
import { eq } from "drizzle-orm";
import { fields, tickets } from "../../db/schema";
import { authorize, centreOf, eventActor, staffOf, type Actor } from "../auth/permissions";
import { clock, inTransaction, type ServiceDeps } from "../context";
import { recordAudit } from "../audit";
import { AppError } from "../errors";
import { serviceDate } from "../time";
import { lockTicket, toTicketSummary } from "./internal";
import { recordEvent } from "./event-log";

/** A no-show who comes back the same day, within the field's grace window, returns to the original position. */
export async function rejoinTicket(deps: ServiceDeps, actor: Actor, input: { ticketId: number }) {
  const officer = staffOf(actor, "counter.operate");
  const now = clock(deps);
  return inTransaction(deps, async (tx, outbox) => {
    const before = await lockTicket(tx, input.ticketId, officer.centreId);
    if (before.status !== "no_show") throw new AppError("ticket_not_no_show", { code: before.code });
    const [field] = await tx.select().from(fields).where(eq(fields.id, before.fieldId));
    const graceMs = field!.rejoinGraceMinutes * 60_000;
    if (before.serviceDate !== serviceDate(now) || !before.noShowAt || now.getTime() - before.noShowAt.getTime() > graceMs) {
      throw new AppError("rejoin_expired", { code: before.code, minutes: field!.rejoinGraceMinutes });
    }
    const [ticket] = await tx
      .update(tickets)
      .set({ status: "waiting", recallCount: 0, noShowAt: null, officerId: null })
      .where(eq(tickets.id, before.id))
      .returning();
    const seq = await recordEvent(tx, ticket!, { type: "rejoined", from: "no_show", actor: { userId: officer.userId } });
    const ticketSummary = toTicketSummary(ticket!);
    outbox.push({
      type: "ticket.requeued",
      reason: "rejoin",
      seq,
      centreId: ticket!.centreId,
      at: now.toISOString(),
      ticket: ticketSummary,
      counter: null,
      previousFieldId: before.fieldId,
    });
    return { ticket: ticketSummary, seq };
  });
}

/** A waiting ticket withdrawn (the citizen left, or asked to). */
export async function cancelTicket(deps: ServiceDeps, actor: Actor, input: { ticketId: number; reason?: string }) {
  authorize(actor, "ticket.cancel");
  const now = clock(deps);
  return inTransaction(deps, async (tx, outbox) => {
    const before = await lockTicket(tx, input.ticketId, centreOf(actor));
    if (before.status !== "waiting") throw new AppError("ticket_not_waiting", { code: before.code });
    const [ticket] = await tx
      .update(tickets)
      .set({ status: "cancelled", finishedAt: now })
      .where(eq(tickets.id, before.id))
      .returning();
    const reason = input.reason?.trim() || null;
    const seq = await recordEvent(tx, ticket!, { type: "cancelled", from: "waiting", actor: eventActor(actor), details: { reason } });
    await recordAudit(tx, {
      actor,
      centreId: before.centreId,
      action: "ticket.cancelled",
      target: { type: "ticket", id: before.id },
      before: { code: before.code, status: "waiting" },
      after: { status: "cancelled" },
      reason,
    });
    const ticketSummary = toTicketSummary(ticket!);
    outbox.push({ type: "ticket.cancelled", seq, centreId: ticket!.centreId, at: now.toISOString(), ticket: ticketSummary });
    return { ticket: ticketSummary, seq };
  });
}
