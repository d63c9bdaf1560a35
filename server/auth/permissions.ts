/**
 * Who may do what: one table, read by every entry point (pages, /api/v1, sockets) and by the
 * domain services themselves, which refuse an actor the table does not allow.
 */
import type { DeviceKind, Role } from "../../db/schema";
import { AppError } from "../errors";

/** Who is acting: a signed-in staff member, a paired device, or the system itself (start-up and command-line scripts). */
export type Actor =
  | { kind: "user"; userId: number; centreId: number; role: Role }
  | { kind: "device"; deviceId: number; centreId: number; deviceKind: DeviceKind }
  | { kind: "system" };

export type UserActor = Extract<Actor, { kind: "user" }>;
export type DeviceActor = Extract<Actor, { kind: "device" }>;

type Grant = { roles: readonly Role[]; devices: readonly DeviceKind[] };

export const PERMISSIONS = {
  /** One's own account: sessions, password. */
  "account.self": { roles: ["officer", "supervisor", "admin", "sysadmin", "appraiser", "approver"], devices: [] },
  /** Follow the centre's live queue: snapshots and events. */
  "queue.watch": { roles: ["officer", "supervisor", "admin", "sysadmin", "appraiser", "approver"], devices: ["kiosk", "display", "rating"] },
  /** …with the staff's details (notes, officers, transfers); everyone else gets the public projection. */
  "queue.staffView": { roles: ["officer", "supervisor", "admin", "sysadmin", "appraiser", "approver"], devices: [] },
  /** Work at a counter: sign in and out, pause, call, recall, no-show, finish, transfer, rejoin. */
  "counter.operate": { roles: ["officer", "supervisor"], devices: [] },
  /** Give out a ticket: the kiosk in the hall, or staff at the reception desk. */
  "ticket.issue": { roles: ["officer", "supervisor"], devices: ["kiosk"] },
  /** Withdraw a waiting ticket (the citizen left, or asked to). */
  "ticket.cancel": { roles: ["officer", "supervisor"], devices: [] },
  /** The day's appointments of the centre, per field, with their state (the phone shown by its last digits). */
  "appointments.view": { roles: ["officer", "supervisor", "admin", "sysadmin"], devices: [] },
  /** Show and announce the calls in the waiting room. */
  "calls.announce": { roles: [], devices: ["display"] },
  /** Take the citizen's rating of a visit just finished at the tablet's own counter. */
  "rating.collect": { roles: [], devices: ["rating"] },
  /** Read the centre's ratings (who was rated, where, and why). */
  "ratings.read": { roles: ["supervisor", "admin", "sysadmin"], devices: [] },
  /** A paired device tells how it works (voice, printing) over its live connection. */
  "device.report": { roles: [], devices: ["kiosk", "display", "rating"] },
  /** The supervisor's live board and the day's out-of-order calls. */
  "board.watch": { roles: ["supervisor", "admin", "sysadmin"], devices: [] },
  /** Steer the queue: send a waiting ticket to another field, counter or officer. */
  "queue.steer": { roles: ["supervisor"], devices: [] },
  /** Steer the counters live: open, pause or close one, move an officer, change the fields a counter serves, sign an officer out. */
  "counters.steer": { roles: ["supervisor"], devices: [] },
  /** Post or take down the notice that scrolls on the waiting-room screens. */
  "notices.post": { roles: ["supervisor", "admin", "sysadmin"], devices: [] },
  /** Fields' queue settings and priority classes. */
  "settings.edit": { roles: ["admin", "sysadmin"], devices: [] },
  /** The centre's set-up: its fields, counters and alert thresholds. */
  "centre.configure": { roles: ["admin", "sysadmin"], devices: [] },
  /** Create, pair and revoke kiosks, screens and rating tablets; bind a tablet to its counter; a kiosk's printing. */
  "devices.manage": { roles: ["admin", "sysadmin"], devices: [] },
  /** Reset a staff member's password, disable or re-enable their account (their centre's). */
  "users.manage": { roles: ["admin", "sysadmin"], devices: [] },
  /** The centre's audit log of staff actions. */
  "audit.read": { roles: ["admin", "sysadmin"], devices: [] },
  /** Open a dossier for a citizen (at the counter, from the ticket being served, or at reception). */
  "dossier.receive": { roles: ["officer", "supervisor"], devices: [] },
  /** Work on dossiers, each in their part: receive and return (officers), appraise, approve. */
  "dossier.work": { roles: ["officer", "supervisor", "appraiser", "approver"], devices: [] },
  /** The centre's reports (waits, service, out-of-order calls, satisfaction, dossiers, appointments) and their exports. */
  "reports.read": { roles: ["supervisor", "admin", "sysadmin", "approver"], devices: [] },
  /** The same reports over the whole deployment (every centre), or another centre's. */
  "reports.deployment": { roles: ["sysadmin"], devices: [] },
  /** The deployment: its centres, and their administrators. */
  "centres.manage": { roles: ["sysadmin"], devices: [] },
} as const satisfies Record<string, Grant>;

export type Permission = keyof typeof PERMISSIONS;

/** How a signed-in staff member acts in the services. */
export const userActor = (user: { id: number; centreId: number; role: Role }): UserActor => ({
  kind: "user",
  userId: user.id,
  centreId: user.centreId,
  role: user.role,
});

/** Reserved for start-up and command-line scripts; no request ever acts as it. */
export const SYSTEM_ACTOR: Actor = { kind: "system" };

export function can(actor: Actor | null | undefined, permission: Permission): boolean {
  if (!actor) return false;
  if (actor.kind === "system") return true;
  const grant: Grant = PERMISSIONS[permission];
  return actor.kind === "user" ? grant.roles.includes(actor.role) : grant.devices.includes(actor.deviceKind);
}

/** Refuses what the table does not allow: 401 without anyone, 403 otherwise. */
export function authorize<A extends Actor>(actor: A | null | undefined, permission: Permission): asserts actor is A {
  if (!actor) throw new AppError("unauthenticated");
  if (!can(actor, permission)) throw new AppError("forbidden");
}

/** The centre an actor works in; the system names it. */
export function centreOf(actor: Actor, centreId?: number): number {
  if (actor.kind !== "system") return actor.centreId;
  if (centreId === undefined) throw new Error("a system action must name its centre");
  return centreId;
}

/** The staff member behind an action that only people may take (counters, reception). */
export function staffOf(actor: Actor, permission: Permission): UserActor {
  authorize(actor, permission);
  if (actor.kind !== "user") throw new AppError("forbidden");
  return actor;
}

/** How the event log names an actor. */
export function eventActor(actor: Actor): { userId?: number; deviceId?: number } {
  if (actor.kind === "user") return { userId: actor.userId };
  if (actor.kind === "device") return { deviceId: actor.deviceId };
  return {};
}
