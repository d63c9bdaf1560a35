/**
 * Staff accounts, as an administrator keeps them: create, rename, change a role, reset a
 * password, disable and re-enable; and who is signed in where. A centre administrator works on
 * their centre's accounts and never on a deployment administrator's; a deployment administrator
 * works in the centre their session is in. Every change is one transaction with its audit row,
 * and ends what it must at once: the person's sessions and live connections, and their counter
 * (the ticket they were serving goes back to its queue at its place).
 */
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Transaction } from "../../db/client";
import { counters, roleEnum, sessions, users, type Role, type User } from "../../db/schema";
import { recordAudit } from "../audit";
import { hashPassword } from "../auth/password";
import { passwordWeakness } from "../auth/password-strength";
import { authorize, centreOf, staffOf, type Actor, type UserActor } from "../auth/permissions";
import { endUserSessions } from "../auth/session";
import { clock, inTransaction, type Outbox, type ServiceDeps } from "../context";
import { AppError } from "../errors";
import { t } from "../i18n";
import { hasControlCharacters } from "../input";
import { releaseCounter } from "../queue/release";
import { securityLog } from "../security-log";

export type FormResult<T> = { ok: true; value: T } | { ok: false; fieldErrors: Record<string, string[]> };

const USERNAME = /^[a-z0-9._-]{3,40}$/;
export const FULL_NAME_MAX = 100;

const fullName = z
  .string({ error: t("admin.user.error.fullName") })
  .transform((s) => s.normalize("NFC").replace(/\s+/g, " ").trim())
  .refine((s) => s.length > 0, { error: t("admin.user.error.fullName") })
  .refine((s) => [...s].length <= FULL_NAME_MAX, { error: t("admin.user.error.fullNameTooLong", { max: FULL_NAME_MAX }) })
  .refine((s) => !hasControlCharacters(s), { error: t("validation.controlCharacters") });

const role = z.enum(roleEnum.enumValues, { error: t("admin.user.error.role") });

export const newUserSchema = z.object({
  username: z
    .string({ error: t("admin.user.error.username") })
    .trim()
    .toLowerCase()
    .regex(USERNAME, { error: t("admin.user.error.username") }),
  fullName,
  role,
  password: z.string({ error: t("admin.user.error.password") }).min(1, { error: t("admin.user.error.password") }),
});

export const userChangesSchema = z.object({ fullName, role });

/** The roles this administrator may give: a centre administrator never makes a deployment administrator. */
export function assignableRoles(actor: Actor): Role[] {
  return actor.kind === "user" && actor.role === "sysadmin" ? [...roleEnum.enumValues] : roleEnum.enumValues.filter((r) => r !== "sysadmin");
}

const ROLE_LOCK = 0x5553; // "US": two administrators creating the same username at once

/** The centre's staff: role, whether active, the counter they are at, their live sessions. */
export async function listStaff(deps: Pick<ServiceDeps, "db" | "now">, actor: Actor) {
  authorize(actor, "users.manage");
  const centreId = centreOf(actor);
  // As text with a cast: postgres.js sends a Date only where it knows the parameter's type.
  const now = sql`${clock(deps).toISOString()}::timestamptz`;
  const rows = await deps.db
    .select({
      id: users.id,
      username: users.username,
      fullName: users.fullName,
      role: users.role,
      isActive: users.isActive,
      createdAt: users.createdAt,
      counterNumber: counters.number,
      sessions: sql<number>`(select count(*) from ${sessions} s where s.user_id = ${users.id} and s.expires_at > ${now})`.mapWith(Number),
      lastSeenAt: sql<Date | null>`(select max(s.last_seen_at) from ${sessions} s where s.user_id = ${users.id} and s.expires_at > ${now})`.mapWith(
        (v: string | Date | null) => (v === null ? null : new Date(v)),
      ),
      lastAddress: sql<string | null>`(select s.address from ${sessions} s where s.user_id = ${users.id} and s.expires_at > ${now} order by s.last_seen_at desc limit 1)`,
    })
    .from(users)
    .leftJoin(counters, eq(counters.officerId, users.id))
    .where(eq(users.centreId, centreId))
    .orderBy(desc(users.isActive), asc(users.role), asc(users.fullName), asc(users.id));
  return rows;
}

/** Creates a staff account in the administrator's (current) centre. */
export async function createUser(deps: ServiceDeps, actor: Actor, input: z.input<typeof newUserSchema>): Promise<FormResult<User>> {
  const admin = staffOf(actor, "users.manage");
  const parsed = newUserSchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: z.flattenError(parsed.error).fieldErrors };
  const data = parsed.data;
  if (!assignableRoles(admin).includes(data.role)) return { ok: false, fieldErrors: { role: [t("admin.user.error.role")] } };
  const weak = passwordWeakness(data.password, [data.username, data.fullName]);
  if (weak) return { ok: false, fieldErrors: { password: [weak] } };
  const passwordHash = await hashPassword(data.password);
  const centreId = centreOf(admin);
  const result = await inTransaction(deps, async (tx): Promise<FormResult<User>> => {
    await tx.execute(sql`select pg_advisory_xact_lock(${ROLE_LOCK}, 0)`);
    const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.username, data.username));
    if (taken) return { ok: false, fieldErrors: { username: [t("admin.user.error.usernameTaken", { username: data.username })] } };
    const [user] = await tx
      .insert(users)
      .values({ centreId, username: data.username, fullName: data.fullName, role: data.role, passwordHash })
      .returning();
    await recordAudit(tx, {
      actor,
      centreId,
      action: "user.created",
      target: { type: "user", id: user!.id },
      after: { username: user!.username, fullName: user!.fullName, role: user!.role },
    });
    return { ok: true, value: user! };
  });
  if (result.ok) securityLog(deps, "user.created", { by: actor, userId: result.value.id, role: result.value.role });
  return result;
}

/** A staff member of the administrator's centre, locked; a deployment administrator is out of a centre administrator's reach. */
async function lockStaffMember(tx: Transaction, admin: UserActor, userId: number): Promise<User> {
  const [user] = await tx
    .select()
    .from(users)
    .where(and(eq(users.id, userId), eq(users.centreId, admin.centreId)))
    .for("update");
  if (!user || (user.role === "sysadmin" && admin.role !== "sysadmin")) throw new AppError("user_not_found");
  return user;
}

/** Frees the counter a person holds (its ticket goes back to its queue), as signing them out would. */
async function releaseTheirCounter(tx: Transaction, outbox: Outbox, input: { userId: number; now: Date; by: UserActor }) {
  const [counter] = await tx.select().from(counters).where(eq(counters.officerId, input.userId)).for("update");
  if (!counter) return null;
  await releaseCounter(tx, outbox, { counter, now: input.now, actor: { userId: input.by.userId }, why: "signed_out_by_supervisor" });
  return counter.number;
}

/** Renames a staff member or changes their role; a new role ends their sessions and frees their counter. */
export async function updateUser(
  deps: ServiceDeps,
  actor: Actor,
  input: { userId: number } & z.input<typeof userChangesSchema>,
): Promise<FormResult<User>> {
  const admin = staffOf(actor, "users.manage");
  const parsed = userChangesSchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: z.flattenError(parsed.error).fieldErrors };
  const data = parsed.data;
  if (!assignableRoles(admin).includes(data.role)) return { ok: false, fieldErrors: { role: [t("admin.user.error.role")] } };
  const now = clock(deps);
  return inTransaction(deps, async (tx, outbox): Promise<FormResult<User>> => {
    const before = await lockStaffMember(tx, admin, input.userId);
    if (before.id === admin.userId && data.role !== before.role) {
      return { ok: false, fieldErrors: { role: [t("admin.user.error.ownRole")] } };
    }
    const [user] = await tx.update(users).set({ fullName: data.fullName, role: data.role }).where(eq(users.id, before.id)).returning();
    let sessionsEnded = 0;
    let counter: number | null = null;
    if (data.role !== before.role) {
      counter = await releaseTheirCounter(tx, outbox, { userId: before.id, now, by: admin });
      sessionsEnded = await endUserSessions(tx, outbox, before.id);
    }
    await recordAudit(tx, {
      actor,
      centreId: before.centreId,
      action: "user.updated",
      target: { type: "user", id: before.id },
      before: { fullName: before.fullName, role: before.role },
      after: { fullName: user!.fullName, role: user!.role, ...(sessionsEnded ? { sessionsEnded } : {}), ...(counter ? { counterReleased: counter } : {}) },
    });
    return { ok: true, value: user! };
  });
}

/** Sets a new password for a staff member of the centre: all their sessions end. */
export async function resetPassword(deps: ServiceDeps, actor: Actor, input: { userId: number; newPassword: string }): Promise<FormResult<{ sessionsEnded: number }>> {
  const admin = staffOf(actor, "users.manage");
  const [target] = await deps.db.select().from(users).where(and(eq(users.id, input.userId), eq(users.centreId, admin.centreId)));
  if (!target || (target.role === "sysadmin" && admin.role !== "sysadmin")) throw new AppError("user_not_found");
  const weak = passwordWeakness(input.newPassword, [target.username, target.fullName]);
  if (weak) return { ok: false, fieldErrors: { newPassword: [weak] } };
  const passwordHash = await hashPassword(input.newPassword);
  const sessionsEnded = await inTransaction(deps, async (tx, outbox) => {
    const user = await lockStaffMember(tx, admin, input.userId);
    await tx.update(users).set({ passwordHash }).where(eq(users.id, user.id));
    const ended = await endUserSessions(tx, outbox, user.id, undefined);
    await recordAudit(tx, { actor, centreId: user.centreId, action: "password.reset", target: { type: "user", id: user.id }, after: { sessionsEnded: ended } });
    return ended;
  });
  securityLog(deps, "password.reset", { by: actor, userId: input.userId, sessionsEnded });
  return { ok: true, value: { sessionsEnded } };
}

/**
 * Disables an account (its sessions and live connections end at once, its counter is freed and
 * the ticket served there goes back to its queue) or enables it again.
 */
export async function setUserActive(deps: ServiceDeps, actor: Actor, input: { userId: number; active: boolean }) {
  const admin = staffOf(actor, "users.manage");
  if (admin.userId === input.userId && !input.active) throw new AppError("cannot_disable_self");
  const now = clock(deps);
  const ended = await inTransaction(deps, async (tx, outbox) => {
    const user = await lockStaffMember(tx, admin, input.userId);
    await tx.update(users).set({ isActive: input.active }).where(eq(users.id, user.id));
    const counter = input.active ? null : await releaseTheirCounter(tx, outbox, { userId: user.id, now, by: admin });
    const sessionsEnded = input.active ? 0 : await endUserSessions(tx, outbox, user.id);
    await recordAudit(tx, {
      actor,
      centreId: user.centreId,
      action: input.active ? "user.enabled" : "user.disabled",
      target: { type: "user", id: user.id },
      before: { isActive: user.isActive },
      after: { isActive: input.active, ...(sessionsEnded ? { sessionsEnded } : {}), ...(counter ? { counterReleased: counter } : {}) },
    });
    return sessionsEnded;
  });
  securityLog(deps, input.active ? "user.enabled" : "user.disabled", { by: actor, userId: input.userId, sessionsEnded: ended });
  return { userId: input.userId, active: input.active, sessionsEnded: ended };
}
