import type { Ticket, TicketEvent, TicketStatus } from "../../db/schema";
import { detailsOf } from "../../server/queue/event-details";

/**
 * Folds the event log (ordered by seq) into each ticket's state and compares it with the
 * ticket rows. Returns the disagreements; empty means the log replays to the final state.
 */
export function replayProblems(events: TicketEvent[], rows: Ticket[], firstField: ReadonlyMap<number, number>): string[] {
  const problems: string[] = [];
  const byTicket = new Map<number, TicketEvent[]>();
  for (const e of events) byTicket.set(e.ticketId, [...(byTicket.get(e.ticketId) ?? []), e]);
  for (const ticket of rows) {
    const log = byTicket.get(ticket.id) ?? [];
    const first = log[0];
    if (!first || first.type !== "issued" || first.fromStatus !== null || first.toStatus !== "waiting") {
      problems.push(`${ticket.code}: does not start with issued null→waiting`);
      continue;
    }
    let status: TicketStatus = first.toStatus;
    let counterId: number | null = null;
    let officerId: number | null = null;
    let fieldId = firstField.get(ticket.id);
    let targetCounterId: number | null = null;
    let recallCount = 0;
    let recallsSinceCall = 0;
    for (const e of log.slice(1)) {
      if (e.fromStatus !== status) problems.push(`${ticket.code}: seq ${e.seq} ${e.type} from ${e.fromStatus} but it was ${status}`);
      status = e.toStatus;
      switch (e.type) {
        case "called":
        case "called_out_of_order":
          counterId = e.counterId;
          officerId = e.actorUserId;
          recallCount = 0;
          recallsSinceCall = 0;
          break;
        case "recalled":
          if (e.counterId !== counterId) problems.push(`${ticket.code}: seq ${e.seq} recalled at ${e.counterId}, held by ${counterId}`);
          recallCount++;
          recallsSinceCall++;
          break;
        case "no_show":
        case "finished":
          if (e.counterId !== counterId) problems.push(`${ticket.code}: seq ${e.seq} ${e.type} at ${e.counterId}, held by ${counterId}`);
          if (e.type === "no_show") counterId = null;
          break;
        case "transferred": {
          if (e.counterId !== counterId) problems.push(`${ticket.code}: seq ${e.seq} transferred at ${e.counterId}, held by ${counterId}`);
          const { to } = detailsOf("transferred", e.details);
          if ("fieldId" in to) fieldId = to.fieldId;
          targetCounterId = "counterId" in to ? to.counterId : null;
          counterId = null;
          officerId = null;
          recallCount = 0;
          break;
        }
        case "returned":
          // Back from a counter (its officer left), or, while waiting, freed from a counter that closed.
          if (detailsOf("returned", e.details)?.why === "target_left") {
            targetCounterId = null;
            break;
          }
          counterId = null;
          officerId = null;
          recallCount = 0;
          break;
        case "rejoined":
          officerId = null;
          recallCount = 0;
          break;
        default:
          problems.push(`${ticket.code}: unexpected event ${e.type} at seq ${e.seq}`);
      }
    }
    const last = log.at(-1)!;
    const want = { status: ticket.status, counterId: ticket.counterId, officerId: ticket.officerId, fieldId: ticket.fieldId };
    const got = { status, counterId, officerId, fieldId };
    if (JSON.stringify(want) !== JSON.stringify(got))
      problems.push(`${ticket.code}: replays to ${JSON.stringify(got)}, is ${JSON.stringify(want)}`);
    if (targetCounterId !== ticket.targetCounterId)
      problems.push(`${ticket.code}: replays to target ${targetCounterId}, is ${ticket.targetCounterId}`);
    if (recallCount !== ticket.recallCount)
      problems.push(`${ticket.code}: replays to recall_count ${recallCount}, is ${ticket.recallCount}`);
    if (ticket.status === "called" && last.counterId !== ticket.counterId) {
      problems.push(`${ticket.code}: called at ${ticket.counterId} but its last event is at ${last.counterId}`);
    }
    if (ticket.status === "called" && recallsSinceCall !== ticket.recallCount) {
      problems.push(`${ticket.code}: ${recallsSinceCall} recalls since its call, recall_count ${ticket.recallCount}`);
    }
  }
  const known = new Set(rows.map((t) => t.id));
  for (const id of byTicket.keys()) if (!known.has(id)) problems.push(`events for unknown ticket ${id}`);
  return problems;
}
