/**
 * The audit log of staff actions: who did what to which thing, its state before and after, and
 * why. Every service that changes something on a person's behalf writes its row here, in the
 * same transaction as the change — a rolled-back change leaves no row, and a row that cannot be
 * written rolls the change back. The table refuses UPDATE, DELETE and TRUNCATE (migration 0010).
 *
 * The security log (server/security-log.ts) is the operator's stream of the same moments and of
 * what never reaches the database (refusals, throttling); this is the centre's record, searchable.
 */
import { and, desc, eq, gte, ilike, lt, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Queryable } from "../db/client";
import { auditEvents, counters, fields, procedures, users } from "../db/schema";
import { authorize, centreOf, eventActor, type Actor } from "./auth/permissions";
import { t } from "./i18n";

export const AUDIT_ACTIONS = [
  "login.succeeded",
  "login.failed",
  "logout",
  "password.changed",
  "password.reset",
  "user.created",
  "user.updated",
  "user.disabled",
  "user.enabled",
  "counter.signed_in",
  "counter.signed_out",
  "counter.paused",
  "counter.resumed",
  "counter.opened",
  "counter.closed",
  "counter.created",
  "counter.updated",
  "counter.fields_changed",
  "officer.moved",
  "officer.signed_out",
  "ticket.rerouted",
  "ticket.cancelled",
  "notice.posted",
  "notice.removed",
  "field.created",
  "field.updated",
  "field.settings_changed",
  "priority_class.saved",
  "centre.created",
  "centre.updated",
  "device.created",
  "device.link_issued",
  "device.paired",
  "device.revoked",
  "device.updated",
  "procedure.created",
  "procedure.updated",
  "procedure.deactivated",
  "procedure.activated",
  "calendar.deployment_saved",
  "calendar.centre_saved",
  "calendar.cutoff_changed",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];
export type AuditTargetType = "user" | "counter" | "field" | "priority_class" | "centre" | "device" | "ticket" | "session" | "procedure" | "calendar_decision";

export type AuditEntry = {
  actor: Actor;
  centreId: number | null;
  action: AuditAction;
  target: { type: AuditTargetType; id: number | null };
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  reason?: string | null;
  address?: string | null;
};

/** Writes one row in the caller's transaction. */
export async function recordAudit(tx: Queryable, entry: AuditEntry): Promise<void> {
  const by = eventActor(entry.actor);
  await tx.insert(auditEvents).values({
    centreId: entry.centreId,
    actorUserId: by.userId ?? null,
    actorDeviceId: by.deviceId ?? null,
    action: entry.action,
    targetType: entry.target.type,
    targetId: entry.target.id,
    before: entry.before ?? null,
    after: entry.after ?? null,
    reason: entry.reason ?? null,
    address: entry.address ?? null,
  });
}

/** Only the keys whose values differ, before and after: what an audit row shows as the change. */
export function changed<T extends Record<string, unknown>>(before: T, after: Partial<T>): { before: Partial<T>; after: Partial<T> } {
  const b: Partial<T> = {};
  const a: Partial<T> = {};
  for (const key of Object.keys(after) as (keyof T)[]) {
    if (JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null)) {
      b[key] = before[key];
      a[key] = after[key] as T[keyof T];
    }
  }
  return { before: b, after: a };
}

export type AuditQuery = {
  /** Words found in the action, the actor's name or username, the reason, or before/after. */
  text?: string;
  action?: string;
  from?: Date;
  to?: Date;
  limit?: number;
  /** Rows older than this id (the next page). */
  beforeId?: number;
};

export const AUDIT_PAGE = 100;

/** The person an action was done to, when it was done to a person. */
const targetUser = alias(users, "target_user");

/** The centre's audit log, newest first, for its administrator; words match the actor, the person acted on, the action, the reason or the values. */
export async function searchAudit(deps: { db: Queryable }, actor: Actor, query: AuditQuery = {}) {
  authorize(actor, "audit.read");
  const where: SQL[] = [eq(auditEvents.centreId, centreOf(actor))];
  if (query.action) where.push(eq(auditEvents.action, query.action));
  if (query.from) where.push(gte(auditEvents.createdAt, query.from));
  if (query.to) where.push(lt(auditEvents.createdAt, query.to));
  if (query.beforeId) where.push(lt(auditEvents.id, query.beforeId));
  if (query.text?.trim()) {
    const like = `%${query.text.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(
      or(
        ilike(auditEvents.action, like),
        ilike(auditEvents.reason, like),
        ilike(users.fullName, like),
        ilike(users.username, like),
        ilike(targetUser.fullName, like),
        ilike(targetUser.username, like),
        sql`${auditEvents.before}::text ilike ${like}`,
        sql`${auditEvents.after}::text ilike ${like}`,
      )!,
    );
  }
  return deps.db
    .select({
      id: auditEvents.id,
      at: auditEvents.createdAt,
      action: auditEvents.action,
      targetType: auditEvents.targetType,
      targetId: auditEvents.targetId,
      before: auditEvents.before,
      after: auditEvents.after,
      reason: auditEvents.reason,
      address: auditEvents.address,
      actorUserId: auditEvents.actorUserId,
      actorDeviceId: auditEvents.actorDeviceId,
      actorName: users.fullName,
      actorUsername: users.username,
    })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorUserId))
    .leftJoin(targetUser, and(eq(auditEvents.targetType, "user"), eq(targetUser.id, auditEvents.targetId)))
    .where(and(...where))
    .orderBy(desc(auditEvents.id))
    .limit(Math.min(query.limit ?? AUDIT_PAGE, AUDIT_PAGE));
}

/** The names the centre's audit rows refer to by id (fields, people, counters), to tell them in words. */
export async function auditNames(deps: { db: Queryable }, actor: Actor) {
  authorize(actor, "audit.read");
  const centreId = centreOf(actor);
  const [fieldRows, userRows, counterRows, procedureRows] = await Promise.all([
    deps.db.select({ id: fields.id, name: fields.name }).from(fields).where(eq(fields.centreId, centreId)),
    deps.db.select({ id: users.id, name: users.fullName }).from(users).where(eq(users.centreId, centreId)),
    deps.db.select({ id: counters.id, number: counters.number }).from(counters).where(eq(counters.centreId, centreId)),
    deps.db.select({ id: procedures.id, code: procedures.code, name: procedures.name }).from(procedures).where(eq(procedures.centreId, centreId)),
  ]);
  return {
    field: new Map(fieldRows.map((f) => [f.id, f.name])),
    user: new Map(userRows.map((u) => [u.id, u.name])),
    counter: new Map(counterRows.map((c) => [c.id, t("admin.users.atCounter", { n: c.number })])),
    procedure: new Map(procedureRows.map((p) => [p.id, `${p.code} ${p.name}`])),
  };
}
