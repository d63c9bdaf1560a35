/**
 * The centres of a deployment: a province runs one deployment for its provincial centre and its
 * commune centres. The deployment administrator creates and changes centres and chooses the one
 * their session works in; a centre administrator changes their own centre's details (hours,
 * address, alert thresholds) and sees no other.
 */
import { asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { centreLevelEnum, centres, sessions, type Centre } from "../../db/schema";
import { changed, recordAudit } from "../audit";
import { authorize, centreOf, staffOf, type Actor } from "../auth/permissions";
import { clock, inTransaction, type ServiceDeps } from "../context";
import { AppError } from "../errors";
import { t } from "../i18n";
import { hasControlCharacters } from "../input";
import { announceSettingsChanged } from "../queue/event-log";
import { addDefaultPriorityClasses } from "../queue/priority-classes";
import type { FormResult } from "./users";

const tidy = (s: string) => s.normalize("NFC").replace(/\s+/g, " ").trim();
const text = (max: number, required: string) =>
  z
    .string({ error: required })
    .transform(tidy)
    .refine((s) => s.length > 0, { error: required })
    .refine((s) => [...s].length <= max, { error: t("admin.structure.error.nameTooLong", { max }) })
    .refine((s) => !hasControlCharacters(s), { error: t("validation.controlCharacters") });

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
/** "7:30", "07:30", "7h30" as people write them → "07:30". */
const timeOfDay = (error: string) =>
  z
    .string({ error })
    .trim()
    .transform((s) => {
      const m = /^(\d{1,2})(?::|\s*[hH]\s*)(\d{2})?$/.exec(s);
      return m ? `${m[1]!.padStart(2, "0")}:${m[2] ?? "00"}` : s;
    })
    .refine((s) => HH_MM.test(s), { error });

const minutes = (min: number, max: number) =>
  z.coerce
    .number({ error: t("admin.centre.error.minutes", { min, max }) })
    .int({ error: t("admin.centre.error.minutes", { min, max }) })
    .min(min, { error: t("admin.centre.error.minutes", { min, max }) })
    .max(max, { error: t("admin.centre.error.minutes", { min, max }) });

/** What a centre administrator may change of their own centre. */
export const centreDetailsSchema = z
  .object({
    name: text(200, t("admin.centres.error.name")),
    address: z
      .string()
      .transform(tidy)
      .refine((s) => [...s].length <= 300, { error: t("admin.structure.error.nameTooLong", { max: 300 }) })
      .refine((s) => !hasControlCharacters(s), { error: t("validation.controlCharacters") })
      .transform((s) => s || null)
      .nullish(),
    opensAt: timeOfDay(t("admin.centres.error.time")),
    closesAt: timeOfDay(t("admin.centres.error.time")),
    alertWaitMinutes: minutes(5, 240),
    alertPausedMinutes: minutes(5, 240),
    alertIdleMinutes: minutes(5, 240),
    alertDeviceOfflineMinutes: minutes(1, 60),
  })
  .refine((c) => c.opensAt < c.closesAt, { path: ["closesAt"], error: t("admin.centres.error.hours") });

/** …and what only the deployment administrator sets: the code and the level. */
export const centreSchema = centreDetailsSchema.and(
  z.object({
    code: z
      .string({ error: t("admin.centres.error.code") })
      .trim()
      .toUpperCase()
      .regex(/^[A-Z0-9_-]{2,20}$/, { error: t("admin.centres.error.code") }),
    level: z.enum(centreLevelEnum.enumValues, { error: t("admin.centres.error.level") }),
  }),
);

export type CentreDetailsInput = z.input<typeof centreDetailsSchema>;
export type CentreInput = z.input<typeof centreSchema>;

const flat = (error: z.ZodError): { ok: false; fieldErrors: Record<string, string[]> } => ({
  ok: false,
  fieldErrors: z.flattenError(error).fieldErrors as Record<string, string[]>,
});

/** Every centre of the deployment, for its administrator. */
export function listCentres(deps: Pick<ServiceDeps, "db">, actor: Actor) {
  authorize(actor, "centres.manage");
  return deps.db.select().from(centres).orderBy(asc(centres.level), asc(centres.name));
}

/** The centre the actor works in, for its administrator. */
export async function ownCentre(deps: Pick<ServiceDeps, "db">, actor: Actor): Promise<Centre> {
  authorize(actor, "centre.configure");
  const [row] = await deps.db.select().from(centres).where(eq(centres.id, centreOf(actor)));
  if (!row) throw new AppError("not_found");
  return row;
}

const CENTRE_LOCK = 0x4345; // "CE": two centres created with one code at once

/** Creates a centre (with the default priority classes) or changes one; codes are unique in the deployment. */
export async function saveCentre(deps: ServiceDeps, actor: Actor, input: { id?: number } & CentreInput): Promise<FormResult<Centre>> {
  authorize(actor, "centres.manage");
  const parsed = centreSchema.safeParse(input);
  if (!parsed.success) return flat(parsed.error);
  const data = parsed.data;
  return inTransaction(deps, async (tx, outbox): Promise<FormResult<Centre>> => {
    await tx.execute(sql`select pg_advisory_xact_lock(${CENTRE_LOCK}, 0)`);
    const [clash] = await tx.select().from(centres).where(eq(centres.code, data.code));
    if (clash && clash.id !== input.id) return { ok: false, fieldErrors: { code: [t("admin.centres.error.codeTaken", { code: data.code, name: clash.name })] } };
    if (input.id === undefined) {
      const [row] = await tx.insert(centres).values(data).returning();
      await addDefaultPriorityClasses(tx, row!.id);
      await recordAudit(tx, { actor, centreId: row!.id, action: "centre.created", target: { type: "centre", id: row!.id }, after: data });
      return { ok: true, value: row! };
    }
    const [before] = await tx.select().from(centres).where(eq(centres.id, input.id)).for("update");
    if (!before) throw new AppError("not_found");
    const [row] = await tx.update(centres).set(data).where(eq(centres.id, before.id)).returning();
    await recordAudit(tx, { actor, centreId: before.id, action: "centre.updated", target: { type: "centre", id: before.id }, ...changed(before, data) });
    await announceSettingsChanged(tx, outbox, before.id, clock(deps));
    return { ok: true, value: row! };
  });
}

/** A centre administrator changes their own centre's details (never its code or level). */
export async function saveOwnCentre(deps: ServiceDeps, actor: Actor, input: CentreDetailsInput): Promise<FormResult<Centre>> {
  authorize(actor, "centre.configure");
  const centreId = centreOf(actor);
  const parsed = centreDetailsSchema.safeParse(input);
  if (!parsed.success) return flat(parsed.error);
  const data = parsed.data;
  return inTransaction(deps, async (tx, outbox) => {
    const [before] = await tx.select().from(centres).where(eq(centres.id, centreId)).for("update");
    if (!before) throw new AppError("not_found");
    const [row] = await tx.update(centres).set(data).where(eq(centres.id, centreId)).returning();
    await recordAudit(tx, { actor, centreId, action: "centre.updated", target: { type: "centre", id: centreId }, ...changed(before, data) });
    await announceSettingsChanged(tx, outbox, centreId, clock(deps));
    return { ok: true as const, value: row! };
  });
}

/** The deployment administrator's session works in another centre from its next request on. */
export async function workInCentre(deps: Pick<ServiceDeps, "db" | "events">, actor: Actor, input: { sessionId: string; centreId: number }) {
  const admin = staffOf(actor, "centres.manage");
  const [centre] = await deps.db.select({ id: centres.id, name: centres.name }).from(centres).where(eq(centres.id, input.centreId));
  if (!centre) throw new AppError("not_found");
  const [updated] = await deps.db
    .update(sessions)
    .set({ centreId: centre.id })
    .where(sql`${sessions.id} = ${input.sessionId} and ${sessions.userId} = ${admin.userId}`)
    .returning({ id: sessions.id });
  if (!updated) throw new AppError("session_not_found");
  deps.events.sessionsChanged?.([updated.id]);
  return centre;
}
