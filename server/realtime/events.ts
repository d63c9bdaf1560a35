/**
 * The realtime contract, typed once and shared by the server and the browser
 * (browser code imports these as types only).
 */
import type { TicketStatus } from "../../db/schema";

export type TicketSummary = {
  id: number;
  code: string;
  fieldId: number;
  priority: number;
  priorityClassId: number | null;
  status: TicketStatus;
  issuedAt: string;
  calledAt: string | null;
  counterId: number | null;
  recallCount: number;
  /** Set while a transferred ticket waits and is served: where it came from, and why. */
  transferredFromCounterId: number | null;
  transferNote: string | null;
  targetCounterId: number | null;
  targetOfficerId: number | null;
};

export type CounterSummary = {
  id: number;
  number: number;
  name: string;
  status: "open" | "paused" | "closed";
  pauseReason: string | null;
  officerId: number | null;
  officerName: string | null;
  fieldIds: number[];
  current: TicketSummary | null;
};

export type FieldSummary = {
  id: number;
  code: string;
  name: string;
  prefix: string;
  isOpen: boolean;
  waiting: number;
  /** Tickets issued today, for the daily capacity. */
  issuedToday: number;
  dailyCapacity: number | null;
  /** Last issue time of the day, HH:MM in Vietnam time. */
  cutoffTime: string | null;
  /** Recalls before an officer may mark a no-show. */
  recallsBeforeNoShow: number;
  /** Recent mean service time in the field (configured default until there is history). */
  meanServiceSeconds: number;
};

/** The state of one centre's queue, consistent with `seq`. */
export type CentreSnapshot = {
  centre: { id: number; name: string };
  seq: number;
  serviceDate: string;
  fields: FieldSummary[];
  counters: CounterSummary[];
  priorityClasses: Array<{ id: number; name: string }>;
  /** Most recent calls first. */
  recentCalls: Array<{ ticket: TicketSummary; counterNumber: number }>;
};

/** How many of the day's latest calls a snapshot carries (the screen's "just called" list). */
export const RECENT_CALLS = 6;

type Envelope = { seq: number; centreId: number; at: string };

export type QueueEvent =
  | (Envelope & { type: "ticket.issued"; ticket: TicketSummary })
  | (Envelope & { type: "ticket.called"; ticket: TicketSummary; counter: CounterSummary })
  | (Envelope & { type: "ticket.finished"; ticket: TicketSummary; counter: CounterSummary })
  | (Envelope & { type: "ticket.recalled"; ticket: TicketSummary; counter: CounterSummary })
  | (Envelope & { type: "ticket.no_show"; ticket: TicketSummary; counter: CounterSummary })
  /** Back in a queue: transferred, rejoined after a no-show, or returned when its officer left. */
  | (Envelope & {
      type: "ticket.requeued";
      ticket: TicketSummary;
      reason: "transfer" | "rejoin" | "return";
      /** The counter it left, when it left one. */
      counter: CounterSummary | null;
      previousFieldId: number;
    })
  | (Envelope & { type: "ticket.cancelled"; ticket: TicketSummary })
  | (Envelope & { type: "counter.updated"; counter: CounterSummary })
  /** Fields or priority classes changed: clients reload the snapshot. */
  | (Envelope & { type: "settings.updated" });

export type AckError = { error: { code: string; message: string } };
export type Ack<T> = { data: T } | AckError;

export interface ServerToClientEvents {
  "queue:event": (event: QueueEvent) => void;
}

export interface ClientToServerEvents {
  "queue:snapshot": (ack: (reply: Ack<CentreSnapshot>) => void) => void;
}

export type SocketData = {
  centreId: number;
  principal: { kind: "user"; userId: number; sessionId: string } | { kind: "device"; deviceId: number };
};

export const centreRoom = (centreId: number) => `centre:${centreId}`;
/** One room per device and per staff session, so revoking or logging out can cut them off. */
export const deviceRoom = (deviceId: number) => `device:${deviceId}`;
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;
