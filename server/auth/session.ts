import { eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { sessions, users, type Role } from "../../db/schema";
import { inTransaction, type ServiceDeps } from "../context";
import type { UserActor } from "./permissions";
import { generateToken, hashToken } from "./token";

// A working day and then some; every request in the second half of it slides it on.
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export type SessionUser = {
  id: number;
  centreId: number;
  username: string;
  fullName: string;
  role: Role;
};

export type Session = { id: string; userId: number; expiresAt: Date };
export type SessionValidation = { session: Session; user: SessionUser; refreshed: boolean } | null;

export async function createSession(db: Database, userId: number, now = new Date()) {
  const token = generateToken();
  const session: Session = { id: hashToken(token), userId, expiresAt: new Date(now.getTime() + SESSION_TTL_MS) };
  await db.insert(sessions).values(session);
  return { token, session };
}

export async function validateSessionToken(db: Database, token: string, now = new Date()): Promise<SessionValidation> {
  const sessionId = hashToken(token);
  const rows = await db
    .select({
      session: sessions,
      user: {
        id: users.id,
        centreId: users.centreId,
        username: users.username,
        fullName: users.fullName,
        role: users.role,
        isActive: users.isActive,
      },
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, sessionId));
  const row = rows[0];
  if (!row) return null;
  const { session, user } = row;
  if (now.getTime() >= session.expiresAt.getTime() || !user.isActive) {
    await db.delete(sessions).where(eq(sessions.id, sessionId));
    return null;
  }
  let refreshed = false;
  if (now.getTime() >= session.expiresAt.getTime() - SESSION_TTL_MS / 2) {
    session.expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
    await db.update(sessions).set({ expiresAt: session.expiresAt }).where(eq(sessions.id, sessionId));
    refreshed = true;
  }
  const { isActive: _active, ...sessionUser } = user;
  return { session: { id: session.id, userId: session.userId, expiresAt: session.expiresAt }, user: sessionUser, refreshed };
}

/** Ends a session (logout): the row goes, and the connections opened with it are closed. */
export async function endSession(deps: ServiceDeps, sessionId: string) {
  await inTransaction(deps, async (tx, outbox) => {
    await tx.delete(sessions).where(eq(sessions.id, sessionId));
    outbox.endConnections({ sessionIds: [sessionId] });
  });
}

/** How a signed-in staff member acts in the services. */
export const userActor = (user: Pick<SessionUser, "id" | "centreId" | "role">): UserActor => ({
  kind: "user",
  userId: user.id,
  centreId: user.centreId,
  role: user.role,
});
