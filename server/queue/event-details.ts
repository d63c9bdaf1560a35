/**
 * What each kind of entry in the ticket event log keeps beside who, where and when: one JSON
 * shape per event type, in the `details` column. Written only through recordEvent.
 */
import type { TicketOutcome } from "../../db/schema";
import type { OutOfOrderReason } from "./reasons";

/** Where a transfer sends a ticket: a field's queue, a counter, or an officer. */
export type TransferTarget = { fieldId: number } | { counterId: number } | { officerId: number };

/** Why a ticket went back to its queue without its officer choosing where. */
export type ReturnReason = "sign_out" | "closing_time" | "officer_gone" | "target_left" | "signed_out_by_supervisor" | "officer_moved";

export type EventDetails = {
  issued: null;
  called: null;
  /** Why the officer did not call the next ticket. */
  called_out_of_order: { reason: OutOfOrderReason; note: string | null };
  /** The ticket's recalls so far at this counter, this one included. */
  recalled: { recallCount: number };
  finished: { outcome: TicketOutcome };
  no_show: null;
  rejoined: null;
  cancelled: { reason: string | null };
  transferred: { to: TransferTarget; note: string | null };
  /** Back in its queue: its officer left the counter with it, or the counter or officer it was sent to left. */
  returned: { why: ReturnReason } | null;
  /** Its service day ended before it was served (or it was left at a counter overnight). */
  expired: { reason: "day_end" };
};

export type EventType = keyof EventDetails;

/** The details of a stored event of type `type`: the shape recordEvent wrote. */
export function detailsOf<T extends EventType>(_type: T, details: unknown): EventDetails[T] {
  return (details ?? null) as EventDetails[T];
}
