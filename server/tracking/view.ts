/**
 * The citizen's view of their ticket (/t/<token>): what the hall's screen would tell them about
 * it, and where it stands. Rebuilt key by key from the rows: no name, no phone, no note, no
 * officer, no ticket id — the token is the only key, and it is never derived from the id.
 */
import { and, asc, eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { centres, counters, dossiers, fields, tickets, type TicketStatus } from "../../db/schema";
import { lookupPathOf } from "../dossiers/receipt";
import { ticketStanding } from "../queue/standing";
import { trackingPathOf } from "./urls";

export type TrackingView = {
  centreName: string;
  code: string;
  fieldName: string;
  status: TicketStatus;
  issuedAt: string;
  calledAt: string | null;
  finishedAt: string | null;
  /** While waiting: the calls before this one (the kiosk's rule), and the estimate (null: no counter open). */
  peopleAhead: number | null;
  estimatedWaitMinutes: number | null;
  /** Where it was called to (while called, and after). */
  counter: { number: number; name: string } | null;
  recallCount: number;
  /** Recalls the officer makes before they may mark the ticket absent. */
  recallsBeforeNoShow: number;
  /** Absent: until when an officer may put it back at its place (null when that time has passed). */
  rejoinUntil: string | null;
  /** The dossiers opened during the visit: their public code and the lookup's path. */
  dossiers: Array<{ code: string; lookupPath: string }>;
  /** Once served: the rating form of this ticket. */
  ratingPath: string | null;
};

/** A token as generateToken makes them (20 bytes, lowercase base32): anything else is not looked up. */
export const TOKEN_SHAPE = /^[a-z2-7]{32}$/;

/** The ticket a tracking token opens, with its centre; null when none. */
export async function ticketOfToken(db: Database, token: string) {
  if (!TOKEN_SHAPE.test(token)) return null;
  const [row] = await db.select().from(tickets).where(eq(tickets.trackingToken, token));
  return row ?? null;
}

/** The public view of the ticket `token` opens, as of `now`; null when the token opens none. */
export async function trackingView(deps: { db: Database }, token: string, now: Date): Promise<TrackingView | null> {
  const ticket = await ticketOfToken(deps.db, token);
  if (!ticket) return null;
  const [place] = await deps.db
    .select({ centreName: centres.name, fieldName: fields.name, recallsBeforeNoShow: fields.recallsBeforeNoShow, rejoinGraceMinutes: fields.rejoinGraceMinutes })
    .from(fields)
    .innerJoin(centres, eq(centres.id, fields.centreId))
    .where(eq(fields.id, ticket.fieldId));
  const [counter] = ticket.counterId
    ? await deps.db.select({ number: counters.number, name: counters.name }).from(counters).where(eq(counters.id, ticket.counterId))
    : [];
  const opened = await deps.db
    .select({ code: dossiers.code })
    .from(dossiers)
    .where(and(eq(dossiers.ticketId, ticket.id), eq(dossiers.centreId, ticket.centreId)))
    .orderBy(asc(dossiers.id));
  const standing = ticket.status === "waiting" ? await ticketStanding(deps.db, ticket, now) : null;
  const rejoinUntil =
    ticket.status === "no_show" && ticket.noShowAt ? new Date(ticket.noShowAt.getTime() + place!.rejoinGraceMinutes * 60_000) : null;
  return {
    centreName: place!.centreName,
    code: ticket.code,
    fieldName: place!.fieldName,
    status: ticket.status,
    issuedAt: ticket.issuedAt.toISOString(),
    calledAt: ticket.calledAt?.toISOString() ?? null,
    finishedAt: ticket.finishedAt?.toISOString() ?? null,
    peopleAhead: standing?.peopleAhead ?? null,
    estimatedWaitMinutes: standing?.estimatedWaitMinutes ?? null,
    counter: counter ? { number: counter.number, name: counter.name } : null,
    recallCount: ticket.recallCount,
    recallsBeforeNoShow: place!.recallsBeforeNoShow,
    rejoinUntil: rejoinUntil && rejoinUntil > now ? rejoinUntil.toISOString() : null,
    dossiers: opened.map((d) => ({ code: d.code, lookupPath: lookupPathOf(d.code) })),
    ratingPath: ticket.status === "done" ? `${trackingPathOf(token)}/danh-gia` : null,
  };
}
