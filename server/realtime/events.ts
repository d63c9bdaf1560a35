/**
 * The realtime contract, typed once and shared by the server and the browser (browser code
 * imports these as types only, and RECENT_CALLS).
 *
 * Two projections of one centre's queue: staff get the full one (notes, officers, transfers);
 * kiosks, screens and later citizens get the public one — codes, counters, counts, estimates.
 * Both carry the same sequence numbers.
 */
import type { TicketStatus } from "../../db/schema";

/** A ticket as anyone in the hall may see it. */
export type PublicTicket = {
  id: number;
  code: string;
  fieldId: number;
  status: TicketStatus;
  issuedAt: string;
  calledAt: string | null;
  counterId: number | null;
  recallCount: number;
};

/** A ticket as staff see it. */
export type TicketSummary = PublicTicket & {
  priority: number;
  priorityClassId: number | null;
  /** Set while a transferred ticket waits and is served: where it came from, and why. */
  transferredFromCounterId: number | null;
  transferNote: string | null;
  targetCounterId: number | null;
  targetOfficerId: number | null;
};

export type CounterStatus = "open" | "paused" | "closed";

/** A counter as anyone in the hall may see it. */
export type PublicCounter = {
  id: number;
  number: number;
  name: string;
  status: CounterStatus;
  /** An officer is signed in at it. */
  staffed: boolean;
  fieldIds: number[];
  current: PublicTicket | null;
};

/** A counter as staff see it. */
export type CounterSummary = Omit<PublicCounter, "current"> & {
  pauseReason: string | null;
  officerId: number | null;
  officerName: string | null;
  current: TicketSummary | null;
};

/** What a projection shows of tickets and counters. */
export type View = { ticket: PublicTicket; counter: PublicCounter };
export type StaffView = { ticket: TicketSummary; counter: CounterSummary };
export type PublicView = View;

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

/** How many of the day's latest calls a snapshot carries: the screen's big box and its "just called" list of ten. */
export const RECENT_CALLS = 11;

/** How many calls a client that was away may ask for (the latest ones). */
export const MISSED_CALLS_LIMIT = 20;

/**
 * A call (or recall) found in the event log, for a screen that was away when it was made: the
 * ticket as it is now (public fields only), where it was called to, and when.
 */
export type LoggedCall = {
  seq: number;
  at: string;
  kind: "called" | "recalled";
  counterNumber: number;
  ticket: { id: number; code: string; fieldId: number; status: TicketStatus };
};

/** The state of one centre's queue, consistent with `seq`. */
export type CentreSnapshot<V extends View = StaffView> = {
  /** `unservedIssuing`: whether a kiosk gives a ticket for a field no counter serves now ("warn") or not ("refuse"). */
  centre: {
    id: number;
    name: string;
    unservedIssuing: "warn" | "refuse";
    /** The notice scrolling on the waiting-room screens, and until when (null: until taken down). */
    notice: { text: string; until: string | null } | null;
  };
  seq: number;
  serviceDate: string;
  fields: FieldSummary[];
  counters: Array<V["counter"]>;
  priorityClasses: Array<{ id: number; name: string }>;
  /** Most recent calls first. */
  recentCalls: Array<{ ticket: V["ticket"]; counterNumber: number }>;
  /** A waiting-room screen set to show some fields only: those (absent or null: every field). */
  screenFieldIds?: number[] | null;
};
export type PublicSnapshot = CentreSnapshot<PublicView>;

type Envelope = { seq: number; centreId: number; at: string };

export type QueueEvent<V extends View = StaffView> =
  | (Envelope & { type: "ticket.issued"; ticket: V["ticket"] })
  | (Envelope & { type: "ticket.called"; ticket: V["ticket"]; counter: V["counter"] })
  | (Envelope & { type: "ticket.finished"; ticket: V["ticket"]; counter: V["counter"] })
  | (Envelope & { type: "ticket.recalled"; ticket: V["ticket"]; counter: V["counter"] })
  | (Envelope & { type: "ticket.no_show"; ticket: V["ticket"]; counter: V["counter"] })
  /** Back in a queue: transferred, rejoined after a no-show, or returned when its officer left. */
  | (Envelope & {
      type: "ticket.requeued";
      ticket: V["ticket"];
      reason: "transfer" | "rejoin" | "return";
      /** The counter it left, when it left one. */
      counter: V["counter"] | null;
      previousFieldId: number;
    })
  | (Envelope & { type: "ticket.cancelled"; ticket: V["ticket"] })
  /** A waiting ticket sent elsewhere (another field, counter or officer) without being called. */
  | (Envelope & { type: "ticket.rerouted"; ticket: V["ticket"]; previousFieldId: number })
  /** Its service day ended before it was served. */
  | (Envelope & { type: "ticket.expired"; ticket: V["ticket"]; previousStatus: "waiting" | "called" })
  | (Envelope & { type: "counter.updated"; counter: V["counter"] })
  /** Fields or priority classes changed: clients reload the snapshot. */
  | (Envelope & { type: "settings.updated" });
export type PublicQueueEvent = QueueEvent<PublicView>;

export type AckError = { error: { code: string; message: string } };
export type Ack<T> = { data: T } | AckError;

/** A socket receives the projection its principal may see: staff or public (`V`); the server side names the common part. */
/** A dossier moved a step: the staff pages that show it reload it (staff only, outside the queue's sequence). */
export type DossierNotice = {
  type: "dossier.changed";
  centreId: number;
  dossier: { id: number; code: string; state: string; ticketId: number | null };
};

/** A citizen rated the visit an officer served: only that officer's pages hear it, and never the value. */
export type RatingNotice = {
  type: "rating.received";
  centreId: number;
  officerId: number;
  ticket: { id: number; code: string };
};

export type StaffNotice = DossierNotice | RatingNotice;

/** What a device says of how it works, with its heartbeat (server/devices/health.ts checks it). */
export type DeviceModesReport = {
  /** Screens: how calls are heard. */
  voice?: "clips" | "speech" | "silent";
  voiceName?: string;
  /** Kiosks: whether a slip is printed after a tap; and, when the kiosk can tell, whether the browser prints without asking. */
  print?: "on" | "off";
  kioskPrinting?: "yes" | "no" | "unknown";
  /** Rating tablets: the counter number shown (none: not bound), and the screen's size. */
  counter?: string;
  screen?: string;
};

export interface ServerToClientEvents<V extends View = View> {
  "queue:event": (event: QueueEvent<V>) => void;
  "dossier:changed": (notice: DossierNotice) => void;
  /** To the officer who served the visit (their sessions' rooms): a rating came in for it. */
  "rating:received": (notice: RatingNotice) => void;
  /** The server is stopping (a restart, an update): keep the page and reconnect when it is back. */
  "server:restarting": () => void;
}

export interface ClientToServerEvents<V extends View = View> {
  "queue:snapshot": (ack: (reply: Ack<CentreSnapshot<V>>) => void) => void;
  /** The person at this page is at work (the counter console says so while its officer is active): keeps the session alive. */
  "session:active": (ack: (reply: Ack<true>) => void) => void;
  /** The calls made after `afterSeq` (the latest MISSED_CALLS_LIMIT, oldest first): what a screen missed while away. */
  "queue:callsSince": (afterSeq: number, ack: (reply: Ack<LoggedCall[]>) => void) => void;
  /** A device's modes (voice, print…), on each connection and whenever they change. */
  "device:modes": (modes: DeviceModesReport, ack: (reply: Ack<true>) => void) => void;
}

/** The events a socket may send, with the permission each needs (server/auth/permissions.ts). */
export const CLIENT_EVENT_PERMISSIONS = {
  "queue:snapshot": "queue.watch",
  "session:active": "account.self",
  "queue:callsSince": "queue.watch",
  "device:modes": "device.report",
} as const satisfies Record<keyof ClientToServerEvents, string>;

export type Audience = "staff" | "public";

/** One room per centre and projection; one per device and per staff session, so ending them cuts them off. */
export const centreRoom = (centreId: number, audience: Audience) => `centre:${centreId}:${audience}`;
export const deviceRoom = (deviceId: number) => `device:${deviceId}`;
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;
/** Every session of one staff member: what is meant for that person (a rating of their visit). */
export const userRoom = (userId: number) => `user:${userId}`;
