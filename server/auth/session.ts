/**
 * Staff sessions (after Lucia's guide): a random token in the cookie, its SHA-256 in the
 * database. A session ends at the latest `absoluteMs` after sign-in, and earlier after
 * `idleMs` without activity; ending one closes the connections opened with it.
 */
import { and, desc, eq, inArray, ne, sql } from "drizzle-orm";
import type { Database, Transaction } from "../../db/client";
import { preparedOn } from "../../db/prepared";
import { centres, sessions, users, type Role } from "../../db/schema";
import { inTransaction, type Outbox, type ServiceDeps } from "../context";
import { AppError } from "../errors";
import { recordAudit, type AuditEntry } from "../audit";
import { authorize, type Actor } from "./permissions";
import type { RememberedSession, SessionCache } from "./session-cache";
import { generateToken, hashToken } from "./token";

export type SessionPolicy = { idleMs: number; absoluteMs: number };
/** Half an hour without activity, a working day and a half at most. */
export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleMs: 30 * 60_000, absoluteMs: 12 * 60 * 60_000 };
/** Activity is written down at most once a minute per session. */
const TOUCH_RESOLUTION_MS = 60_000;

/** The person behind a session, and the centre the session works in (a deployment administrator may choose it). */
export type SessionUser = { id: number; centreId: number; centreName: string; username: string; fullName: string; role: Role };
export type Session = { id: string; userId: number; expiresAt: Date; lastSeenAt: Date };
type Clock = { now?: Date; policy?: SessionPolicy };


/** The one rule of a session's life: not past its absolute end, not idle too long, its user still active. */
function alive(row: { expiresAt: Date; lastSeenAt: Date; isActive: boolean }, { now = new Date(), policy = DEFAULT_SESSION_POLICY }: Clock) {
  return row.isActive && now < row.expiresAt && now.getTime() - row.lastSeenAt.getTime() < policy.idleMs;
}

/**
 * A new session for `userId`. Signing in again in the same browser ends the session it held
 * (`replaces`), so a token is never reused across sign-ins.
 */
export async function createSession(
  deps: Pick<ServiceDeps, "db" | "events">,
  input: { userId: number; replaces?: string | null; address?: string; userAgent?: string | null; audit?: AuditEntry } & Clock,
) {
  const now = input.now ?? new Date();
  const policy = input.policy ?? DEFAULT_SESSION_POLICY;
  const token = generateToken();
  const session: Session = { id: hashToken(token), userId: input.userId, expiresAt: new Date(now.getTime() + policy.absoluteMs), lastSeenAt: now };
  await inTransaction(deps, async (tx, outbox) => {
    if (input.replaces) await deleteSessions(tx, outbox, [input.replaces]);
    await tx.insert(sessions).values({ ...session, address: input.address ?? null, userAgent: input.userAgent?.slice(0, 300) ?? null });
    if (input.audit) await recordAudit(tx, input.audit);
  });
  return { token, session };
}

/** The session and user behind a token, if the session is alive; the activity is written down (`touch`). */
export async function validateSessionToken(db: Database, token: string, options: Validation = {}) {
  return validateSession(db, hashToken(token), options);
}

/**
 * The same, by the session's id (what a live socket holds). With `cache`, a session this
 * process read a moment ago is taken from it — the rule of its life checked again on what was
 * read — unless its activity is due to be written down (decision 0033).
 */
export async function validateSession(db: Database, sessionId: string, options: Validation = {}) {
  const now = options.now ?? new Date();
  const touch = options.touch ?? true;
  const touchDue = (lastSeenAt: Date) => touch && now.getTime() - lastSeenAt.getTime() >= TOUCH_RESOLUTION_MS;
  const remembered = options.cache?.get(sessionId, now);
  const row = remembered && !touchDue(remembered.session.lastSeenAt) ? remembered : (await sessionById(db).execute({ sessionId }))[0];
  if (!row) return null;
  const session = { ...row.session };
  const { isActive, ...user } = row.user;
  if (!alive({ ...session, isActive }, { ...options, now })) {
    options.cache?.forget([sessionId]);
    await db.delete(sessions).where(eq(sessions.id, sessionId));
    return null;
  }
  if (touchDue(session.lastSeenAt)) {
    session.lastSeenAt = now;
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, sessionId));
  }
  if (row !== remembered) options.cache?.remember(sessionId, { session, user: row.user as RememberedSession["user"] }, now);
  return { session, user: user as SessionUser };
}

type Validation = Clock & { touch?: boolean; cache?: SessionCache };

/** A session with its user and the centre it works in: every request reads it, so it is built once (db/prepared.ts). */
const sessionById = preparedOn((db) =>
  db
    .select({
      session: { id: sessions.id, userId: sessions.userId, expiresAt: sessions.expiresAt, lastSeenAt: sessions.lastSeenAt },
      user: {
        id: users.id,
        centreId: centres.id,
        centreName: centres.name,
        username: users.username,
        fullName: users.fullName,
        role: users.role,
        isActive: users.isActive,
      },
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    // A deployment administrator's session works in the centre it chose; everyone else's in their own.
    .innerJoin(centres, eq(centres.id, sql`coalesce(${sessions.centreId}, ${users.centreId})`))
    .where(eq(sessions.id, sql.placeholder("sessionId")))
    .prepare("session_by_id"),
);

/** Which of these sessions are still alive (one query, for the sweep of open sockets). */
export async function liveSessionIds(db: Database, ids: readonly string[], clock: Clock = {}): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: sessions.id, expiresAt: sessions.expiresAt, lastSeenAt: sessions.lastSeenAt, isActive: users.isActive })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(inArray(sessions.id, [...ids]));
  return new Set(rows.filter((r) => alive(r, clock)).map((r) => r.id));
}

async function deleteSessions(tx: Transaction, outbox: Outbox, ids: string[]) {
  if (ids.length === 0) return;
  await tx.delete(sessions).where(inArray(sessions.id, ids));
  outbox.endConnections({ sessionIds: ids });
}

/** Ends every session of a user (a password reset, a role change, the account disabled), but `keep`. */
export async function endUserSessions(tx: Transaction, outbox: Outbox, userId: number, keep?: string) {
  const ids = await tx
    .select({ id: sessions.id })
    .from(sessions)
    .where(keep ? and(eq(sessions.userId, userId), ne(sessions.id, keep)) : eq(sessions.userId, userId));
  await deleteSessions(
    tx,
    outbox,
    ids.map((r) => r.id),
  );
  return ids.length;
}

/** Ends a session (logout): the row goes, and the connections opened with it are closed. */
export async function endSession(deps: ServiceDeps, sessionId: string, audit?: { address?: string | null }) {
  await inTransaction(deps, async (tx, outbox) => {
    const [row] = await tx
      .select({ userId: sessions.userId, centreId: users.centreId, role: users.role })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(eq(sessions.id, sessionId));
    await deleteSessions(tx, outbox, [sessionId]);
    if (row && audit) {
      await recordAudit(tx, {
        actor: { kind: "user", userId: row.userId, centreId: row.centreId, role: row.role },
        centreId: row.centreId,
        action: "logout",
        target: { type: "user", id: row.userId },
        address: audit.address,
      });
    }
  });
}

/** The signed-in person's own sessions, newest activity first, the current one marked. */
export async function listOwnSessions(deps: Pick<ServiceDeps, "db">, actor: Actor, currentSessionId: string) {
  authorize(actor, "account.self");
  if (actor.kind !== "user") throw new AppError("forbidden");
  const rows = await deps.db
    .select({ id: sessions.id, createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt, expiresAt: sessions.expiresAt, address: sessions.address, userAgent: sessions.userAgent })
    .from(sessions)
    .where(eq(sessions.userId, actor.userId))
    .orderBy(desc(sessions.lastSeenAt));
  // The id is the token's hash: never sent out. A short handle names a session in the list.
  return rows.map(({ id, ...row }) => ({ ...row, handle: id.slice(0, 16), current: id === currentSessionId }));
}

/** Ends one of the person's own sessions (by its handle), or all but the current one. */
export async function endOwnSessions(deps: ServiceDeps, actor: Actor, input: { handle?: string; currentSessionId: string }) {
  authorize(actor, "account.self");
  if (actor.kind !== "user") throw new AppError("forbidden");
  return inTransaction(deps, async (tx, outbox) => {
    if (!input.handle) return endUserSessions(tx, outbox, actor.userId, input.currentSessionId);
    const mine = await tx.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, actor.userId));
    const target = mine.find((s) => s.id.startsWith(input.handle!));
    if (!target || input.handle.length !== 16) throw new AppError("session_not_found");
    await deleteSessions(tx, outbox, [target.id]);
    return 1;
  });
}
