/**
 * One's own account: a person changes their own password; their other sessions (and live
 * connections) end in the same transaction. What an administrator does to staff accounts is in
 * server/admin/users.ts.
 */
import { eq } from "drizzle-orm";
import { users } from "../../db/schema";
import { inTransaction, type ServiceDeps } from "../context";
import { AppError } from "../errors";
import { recordAudit } from "../audit";
import { securityLog } from "../security-log";
import { hashPassword, verifyPassword } from "./password";
import { passwordWeakness } from "./password-strength";
import { authorize, type Actor } from "./permissions";
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
    const ended = await endUserSessions(tx, outbox, user.id, input.currentSessionId);
    await recordAudit(tx, { actor, centreId: user.centreId, action: "password.changed", target: { type: "user", id: user.id }, after: { otherSessionsEnded: ended } });
    return ended;
  });
  securityLog(deps, "password.changed", { userId: user.id, otherSessionsEnded: ended });
  return { ok: true };
}
