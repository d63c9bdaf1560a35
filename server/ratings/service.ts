/**
 * The citizen's rating of a visit (đánh giá mức độ hài lòng): from the tablet bound to the counter
 * where the visit just finished, or from the ticket's tracking page within a day. One rating per
 * ticket, whichever comes first (the unique index decides a race); stored with who served where,
 * and the dossier when the visit opened one. The officer hears that a rating came, not its value.
 */
import { and, asc, desc, eq, gte, lt } from "drizzle-orm";
import type { Queryable, Transaction } from "../../db/client";
import { counters, devices, dossiers, fields, ratings, tickets, users, type Ticket } from "../../db/schema";
import { authorize, centreOf, type Actor } from "../auth/permissions";
import { clock, inTransaction, type Outbox, type ServiceDeps } from "../context";
import { AppError } from "../errors";
import { serviceDate, serviceDayStart } from "../time";
import { TABLET_WINDOW_MINUTES, TRACKING_WINDOW_HOURS, type RatingInput } from "./rules";

const MINUTE = 60_000;
const tabletWindowMs = TABLET_WINDOW_MINUTES * MINUTE;
const trackingWindowMs = TRACKING_WINDOW_HOURS * 60 * MINUTE;

/** The counter a rating tablet is bound to (refused when it is not a tablet, or bound to none). */
async function tabletCounter(deps: Pick<ServiceDeps, "db">, actor: Actor) {
  authorize(actor, "rating.collect");
  if (actor.kind !== "device") throw new AppError("forbidden");
  const [row] = await deps.db
    .select({ id: counters.id, number: counters.number, name: counters.name })
    .from(devices)
    .leftJoin(counters, eq(counters.id, devices.counterId))
    .where(and(eq(devices.id, actor.deviceId), eq(devices.centreId, actor.centreId)));
  return row?.id ? { id: row.id, number: row.number!, name: row.name! } : null;
}

/**
 * What the tablet shows when it starts (or comes back): its counter, and the latest visit finished
 * there within the window that nobody rated yet — the citizen may still be standing there.
 */
export async function tabletState(deps: Pick<ServiceDeps, "db" | "now">, actor: Actor) {
  const counter = await tabletCounter(deps, actor);
  if (!counter) return { counter: null, pending: null };
  const since = new Date(clock(deps).getTime() - tabletWindowMs);
  // The latest visit only: once it is rated, an earlier one is not asked about again (its citizen has left).
  const [latest] = await deps.db
    .select({ id: tickets.id, code: tickets.code, finishedAt: tickets.finishedAt, ratingId: ratings.id })
    .from(tickets)
    .leftJoin(ratings, eq(ratings.ticketId, tickets.id))
    .where(and(eq(tickets.counterId, counter.id), eq(tickets.status, "done"), gte(tickets.finishedAt, since)))
    .orderBy(desc(tickets.finishedAt), desc(tickets.id))
    .limit(1);
  const pending = latest && latest.ratingId === null ? { id: latest.id, code: latest.code, finishedAt: latest.finishedAt!.toISOString() } : null;
  return { counter, pending };
}

/** A rating from the tablet: only for a visit finished at its own counter within the last minutes. */
export async function rateFromTablet(deps: ServiceDeps, actor: Actor, input: RatingInput & { ticketId: number }) {
  const counter = await tabletCounter(deps, actor);
  if (!counter) throw new AppError("rating_tablet_unbound");
  const device = actor as Extract<Actor, { kind: "device" }>;
  const now = clock(deps);
  return inTransaction(deps, async (tx, outbox) => {
    const [ticket] = await tx
      .select()
      .from(tickets)
      .where(and(eq(tickets.id, input.ticketId), eq(tickets.centreId, device.centreId)));
    if (!ticket) throw new AppError("ticket_not_found");
    const recent = ticket.finishedAt !== null && now.getTime() - ticket.finishedAt.getTime() <= tabletWindowMs;
    if (ticket.status !== "done" || ticket.counterId !== counter.id || !recent) {
      throw new AppError("rating_not_available", { code: ticket.code, minutes: TABLET_WINDOW_MINUTES });
    }
    return store(tx, outbox, ticket, input, { source: "tablet", deviceId: device.deviceId });
  });
}

/** Where a ticket stands for its rating from the tracking page. */
export type TrackingRatingState = "not_finished" | "open" | "expired" | "rated";

export function trackingRatingState(ticket: Pick<Ticket, "status" | "finishedAt">, rated: boolean, now: Date): TrackingRatingState {
  if (rated) return "rated";
  if (ticket.status !== "done" || !ticket.finishedAt) return "not_finished";
  return now.getTime() - ticket.finishedAt.getTime() > trackingWindowMs ? "expired" : "open";
}

/** The ticket a tracking token names, with whether it was rated; null when no ticket has it. */
export async function ticketByToken(db: Queryable, token: string) {
  const [row] = await db
    .select({ ticket: tickets, fieldName: fields.name, ratingId: ratings.id })
    .from(tickets)
    .innerJoin(fields, eq(fields.id, tickets.fieldId))
    .leftJoin(ratings, eq(ratings.ticketId, tickets.id))
    .where(eq(tickets.trackingToken, token));
  return row ?? null;
}

/** A rating from the tracking page: the visit finished, at most a day ago. */
export async function rateByToken(deps: ServiceDeps, input: RatingInput & { token: string }) {
  const now = clock(deps);
  return inTransaction(deps, async (tx, outbox) => {
    const found = await ticketByToken(tx, input.token);
    if (!found) throw new AppError("rating_ticket_not_found");
    const { ticket } = found;
    const state = trackingRatingState(ticket, found.ratingId !== null, now);
    if (state === "rated") throw new AppError("rating_exists", { code: ticket.code });
    if (state === "not_finished") throw new AppError("rating_not_finished", { code: ticket.code });
    if (state === "expired") throw new AppError("rating_expired", { code: ticket.code, hours: TRACKING_WINDOW_HOURS });
    return store(tx, outbox, ticket, input, { source: "tracking", deviceId: null });
  });
}

/**
 * Writes the rating unless the ticket has one: `on conflict do nothing` on the unique ticket, so
 * of two at once exactly one is stored and the other is told it came second.
 */
async function store(
  tx: Transaction,
  outbox: Outbox,
  ticket: Ticket,
  input: RatingInput,
  from: { source: "tablet" | "tracking"; deviceId: number | null },
) {
  const [dossier] = await tx.select({ id: dossiers.id }).from(dossiers).where(eq(dossiers.ticketId, ticket.id)).orderBy(asc(dossiers.id)).limit(1);
  const [row] = await tx
    .insert(ratings)
    .values({
      centreId: ticket.centreId,
      ticketId: ticket.id,
      value: input.value,
      reasons: input.reasons,
      comment: input.comment,
      source: from.source,
      deviceId: from.deviceId,
      officerId: ticket.officerId,
      counterId: ticket.counterId,
      fieldId: ticket.fieldId,
      dossierId: dossier?.id ?? null,
    })
    .onConflictDoNothing({ target: ratings.ticketId })
    .returning();
  if (!row) throw new AppError("rating_exists", { code: ticket.code });
  if (ticket.officerId !== null) {
    outbox.notify({ type: "rating.received", centreId: ticket.centreId, officerId: ticket.officerId, ticket: { id: ticket.id, code: ticket.code } });
  }
  return { rating: { id: row.id, ticketId: row.ticketId, value: row.value, createdAt: row.createdAt.toISOString() }, ticket: { id: ticket.id, code: ticket.code } };
}

/** The longest range of days the staff list covers at once. */
export const RATINGS_MAX_DAYS = 31;

/** The centre's ratings between two service days (both included; today by default), newest first. */
export async function listRatings(deps: Pick<ServiceDeps, "db" | "now">, actor: Actor, input: { from?: string; to?: string } = {}) {
  authorize(actor, "ratings.read");
  const today = serviceDate(clock(deps));
  const from = input.from || input.to || today;
  const to = input.to || from;
  const day = /^\d{4}-\d{2}-\d{2}$/;
  const span = (Date.parse(to) - Date.parse(from)) / 86_400_000;
  if (!day.test(from) || !day.test(to) || Number.isNaN(span) || span < 0 || span >= RATINGS_MAX_DAYS) {
    throw new AppError("rating_dates_invalid", { days: RATINGS_MAX_DAYS });
  }
  const end = new Date(serviceDayStart(to).getTime() + 24 * 60 * MINUTE);
  const rows = await deps.db
    .select({
      id: ratings.id,
      createdAt: ratings.createdAt,
      value: ratings.value,
      reasons: ratings.reasons,
      comment: ratings.comment,
      source: ratings.source,
      ticketId: ratings.ticketId,
      ticketCode: tickets.code,
      serviceDate: tickets.serviceDate,
      officerId: ratings.officerId,
      officerName: users.fullName,
      counterNumber: counters.number,
      fieldName: fields.name,
      dossierCode: dossiers.code,
    })
    .from(ratings)
    .innerJoin(tickets, eq(tickets.id, ratings.ticketId))
    .leftJoin(users, eq(users.id, ratings.officerId))
    .leftJoin(counters, eq(counters.id, ratings.counterId))
    .leftJoin(fields, eq(fields.id, ratings.fieldId))
    .leftJoin(dossiers, eq(dossiers.id, ratings.dossierId))
    .where(and(eq(ratings.centreId, centreOf(actor)), gte(ratings.createdAt, serviceDayStart(from)), lt(ratings.createdAt, end)))
    .orderBy(desc(ratings.createdAt), desc(ratings.id));
  return { from, to, ratings: rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })) };
}
