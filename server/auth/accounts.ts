/**
 * Accounts: a person changes their own password; an administrator resets a staff member's
 * password or disables the account. Each ends the sessions (and their live connections) it
 * must, in the same transaction as the change.
 */
import { and, eq } from "drizzle-orm";
import { users } from "../../db/schema";
import { inTransaction, type ServiceDeps } from "../context";
import { AppError } from "../errors";
import { securityLog } from "../security-log";
import { hashPassword, verifyPassword } from "./password";
import { passwordWeakness } from "./password-strength";
import { authorize, centreOf, staffOf, type Actor } from "./permissions";
import { endUserSessions } from "./session";

/** Refusals that belong next to one input: the password fields. */
export type PasswordResult = { ok: true } | { ok: false; fieldErrors: Record<string, string[]> };

/** The person's own password: the current one is required; their other sessions end, this one stays. */
export async function changeOwnPassword(
  deps: ServiceDeps,
  actor: Actor,
  input: { currentPassword: string; newPassword: string; currentSessionId: string },
): Promise<PasswordResult> {
  authorize(actor, "account.self");
  if (actor.kind !== "user") throw new AppError("forbidden");
  const [user] = await deps.db.select().from(users).where(eq(users.id, actor.userId));
  if (!user || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
    return { ok: false, fieldErrors: { currentPassword: [new AppError("wrong_current_password").message] } };
  }
  const weak = passwordWeakness(input.newPassword, [user.username, user.fullName]);
  if (weak) return { ok: false, fieldErrors: { newPassword: [weak] } };
  const passwordHash = await hashPassword(input.newPassword);
  const ended = await inTransaction(deps, async (tx, outbox) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, user.id));
    return endUserSessions(tx, outbox, user.id, input.currentSessionId);
  });
  securityLog(deps, "password.changed", { userId: user.id, otherSessionsEnded: ended });
  return { ok: true };
}

async function staffMember(deps: ServiceDeps, actor: Actor, userId: number) {
  const [user] = await deps.db
    .select()
    .from(users)
    .where(and(eq(users.id, userId), eq(users.centreId, centreOf(actor))));
  if (!user) throw new AppError("user_not_found");
  return user;
}

/** An administrator sets a new password for a staff member of their centre: all their sessions end. */
export async function resetPassword(deps: ServiceDeps, actor: Actor, input: { userId: number; newPassword: string }): Promise<PasswordResult> {
  authorize(actor, "users.manage");
  const user = await staffMember(deps, actor, input.userId);
  const weak = passwordWeakness(input.newPassword, [user.username, user.fullName]);
  if (weak) return { ok: false, fieldErrors: { newPassword: [weak] } };
  const passwordHash = await hashPassword(input.newPassword);
  const ended = await inTransaction(deps, async (tx, outbox) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, user.id));
    return endUserSessions(tx, outbox, user.id);
  });
  securityLog(deps, "password.reset", { by: actor, userId: user.id, sessionsEnded: ended });
  return { ok: true };
}

/** An administrator disables (all sessions and connections end at once) or re-enables an account of their centre. */
export async function setUserActive(deps: ServiceDeps, actor: Actor, input: { userId: number; active: boolean }) {
  const admin = staffOf(actor, "users.manage");
  if (admin.userId === input.userId && !input.active) throw new AppError("cannot_disable_self");
  const user = await staffMember(deps, actor, input.userId);
  const ended = await inTransaction(deps, async (tx, outbox) => {
    await tx.update(users).set({ isActive: input.active }).where(eq(users.id, user.id));
    return input.active ? 0 : endUserSessions(tx, outbox, user.id);
  });
  securityLog(deps, input.active ? "user.enabled" : "user.disabled", { by: actor, userId: user.id, sessionsEnded: ended });
  return { userId: user.id, active: input.active };
}
