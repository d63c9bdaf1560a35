/**
 * The public projection: what kiosks, waiting-room screens and citizens receive of a centre's
 * queue. Each object is rebuilt key by key, so a field added to the staff view never leaks.
 */
import type {
  CentreSnapshot,
  CounterSummary,
  PublicCounter,
  PublicQueueEvent,
  PublicSnapshot,
  PublicTicket,
  QueueEvent,
  TicketSummary,
} from "./events";

export function publicTicket(t: TicketSummary): PublicTicket {
  return {
    id: t.id,
    code: t.code,
    fieldId: t.fieldId,
    status: t.status,
    issuedAt: t.issuedAt,
    calledAt: t.calledAt,
    counterId: t.counterId,
    recallCount: t.recallCount,
  };
}

export function publicCounter(c: CounterSummary): PublicCounter {
  return {
    id: c.id,
    number: c.number,
    name: c.name,
    status: c.status,
    staffed: c.staffed,
    fieldIds: c.fieldIds,
    current: c.current ? publicTicket(c.current) : null,
  };
}

export function publicSnapshot(s: CentreSnapshot): PublicSnapshot {
  return {
    centre: s.centre,
    seq: s.seq,
    serviceDate: s.serviceDate,
    fields: s.fields,
    counters: s.counters.map(publicCounter),
    priorityClasses: s.priorityClasses,
    recentCalls: s.recentCalls.map((c) => ({ ticket: publicTicket(c.ticket), counterNumber: c.counterNumber })),
  };
}

export function publicEvent(event: QueueEvent): PublicQueueEvent {
  const envelope = { seq: event.seq, centreId: event.centreId, at: event.at };
  switch (event.type) {
    case "ticket.issued":
    case "ticket.cancelled":
      return { ...envelope, type: event.type, ticket: publicTicket(event.ticket) };
    case "ticket.rerouted":
      return { ...envelope, type: event.type, ticket: publicTicket(event.ticket), previousFieldId: event.previousFieldId };
    case "ticket.expired":
      return { ...envelope, type: event.type, ticket: publicTicket(event.ticket), previousStatus: event.previousStatus };
    case "ticket.called":
    case "ticket.finished":
    case "ticket.recalled":
    case "ticket.no_show":
      return { ...envelope, type: event.type, ticket: publicTicket(event.ticket), counter: publicCounter(event.counter) };
    case "ticket.requeued":
      return {
        ...envelope,
        type: event.type,
        ticket: publicTicket(event.ticket),
        reason: event.reason,
        counter: event.counter ? publicCounter(event.counter) : null,
        previousFieldId: event.previousFieldId,
      };
    case "counter.updated":
      return { ...envelope, type: event.type, counter: publicCounter(event.counter) };
    case "settings.updated":
      return { ...envelope, type: event.type };
  }
}
