import { RECENT_CALLS, type CentreSnapshot, type QueueEvent, type View } from "../../server/realtime/events";
import { serviceDate } from "../../server/time";

/**
 * Applies one realtime event to a snapshot. Returns the same snapshot for an event it already
 * has, and `null` when the event does not follow it (a gap, or a new service day): the caller
 * must then fetch a fresh snapshot rather than guess. Works alike on the staff and the public
 * projection (the events of one projection apply to the snapshot of the same).
 */
export function applyQueueEvent<V extends View>(snapshot: CentreSnapshot<V>, event: QueueEvent<V>): CentreSnapshot<V> | null {
  if (event.seq <= snapshot.seq) return snapshot;
  if (event.seq !== snapshot.seq + 1) return null;
  if (serviceDate(new Date(event.at)) !== snapshot.serviceDate) return null;
  const next: CentreSnapshot<V> = { ...snapshot, seq: event.seq };
  switch (event.type) {
    case "ticket.issued":
      next.fields = adjustWaiting(snapshot, event.ticket.fieldId, +1).map((f) =>
        f.id === event.ticket.fieldId ? { ...f, issuedToday: f.issuedToday + 1 } : f,
      );
      return next;
    case "ticket.called":
      next.fields = adjustWaiting(snapshot, event.ticket.fieldId, -1);
      next.counters = replaceCounter(snapshot.counters, event.counter);
      next.recentCalls = announced(snapshot, event.ticket, event.counter);
      return next;
    case "ticket.recalled":
      next.counters = replaceCounter(snapshot.counters, event.counter);
      next.recentCalls = announced(snapshot, event.ticket, event.counter);
      return next;
    case "ticket.requeued":
      next.fields = adjustWaiting(snapshot, event.ticket.fieldId, +1);
      if (event.counter) next.counters = replaceCounter(snapshot.counters, event.counter);
      next.recentCalls = snapshot.recentCalls.filter((c) => c.ticket.id !== event.ticket.id);
      return next;
    case "ticket.cancelled":
      next.fields = adjustWaiting(snapshot, event.ticket.fieldId, -1);
      return next;
    case "ticket.rerouted":
      next.fields = adjustWaiting({ ...snapshot, fields: adjustWaiting(snapshot, event.previousFieldId, -1) }, event.ticket.fieldId, +1);
      return next;
    case "ticket.expired":
      if (event.previousStatus === "waiting") next.fields = adjustWaiting(snapshot, event.ticket.fieldId, -1);
      next.recentCalls = snapshot.recentCalls.filter((c) => c.ticket.id !== event.ticket.id);
      return next;
    case "ticket.no_show":
      next.counters = replaceCounter(snapshot.counters, event.counter);
      next.recentCalls = snapshot.recentCalls.filter((c) => c.ticket.id !== event.ticket.id);
      return next;
    case "ticket.finished":
      next.counters = replaceCounter(snapshot.counters, event.counter);
      next.recentCalls = snapshot.recentCalls.map((c) => (c.ticket.id === event.ticket.id ? { ...c, ticket: event.ticket } : c));
      return next;
    case "counter.updated":
      next.counters = replaceCounter(snapshot.counters, event.counter);
      return next;
    case "settings.updated":
      return null;
  }
}

/** A call or recall puts the ticket at the top of the "just called" list. */
function announced<V extends View>(snapshot: CentreSnapshot<V>, ticket: V["ticket"], counter: V["counter"]) {
  return [{ ticket, counterNumber: counter.number }, ...snapshot.recentCalls.filter((c) => c.ticket.id !== ticket.id)].slice(0, RECENT_CALLS);
}

function adjustWaiting<V extends View>(snapshot: CentreSnapshot<V>, fieldId: number, delta: number) {
  return snapshot.fields.map((f) => (f.id === fieldId ? { ...f, waiting: Math.max(0, f.waiting + delta) } : f));
}

function replaceCounter<C extends View["counter"]>(counters: C[], counter: C) {
  return counters.some((c) => c.id === counter.id)
    ? counters.map((c) => (c.id === counter.id ? counter : c))
    : [...counters, counter].sort((a, b) => a.number - b.number);
}

/**
 * The call the waiting-room screen shows large: the latest announced ticket still waiting at its
 * counter. A ticket finished, absent or sent elsewhere is never "now calling". One function, so a
 * screen that followed the events and one that just loaded agree.
 */
export function nowCalling<V extends View>(snapshot: CentreSnapshot<V>) {
  return snapshot.recentCalls.find((c) => c.ticket.status === "called") ?? null;
}
