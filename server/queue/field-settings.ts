/**
 * A field's queue settings (server/queue/policy.ts says what the priority ones mean): the
 * ranges an administrator may choose, and the one way to save them.
 */
import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { fields, type Field } from "../../db/schema";
import { authorize, centreOf, type Actor } from "../auth/permissions";
import { clock, inTransaction, type ServiceDeps } from "../context";
import { AppError } from "../errors";
import { t, type MessageKey } from "../i18n";
import { changed, recordAudit } from "../audit";
import { securityLog } from "../security-log";
import { announceSettingsChanged } from "./event-log";

/** Every way a value can be wrong gets the same message: the range it must be in. */
const wholeNumber = (min: number, max: number, key: MessageKey) => {
  const error = t(key);
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};

/** "16:30", also "7:30", "16h30" and "16h" as people write them; stored as HH:MM (issuing compares strings). */
const TIME_OF_DAY = /^(\d{1,2})(?::(\d{2})|\s*[hH]\s*(\d{2})?)$/;

/** "HH:MM", or null when the text is not a time of day between 00:00 and 23:59. */
function timeOfDay(text: string): string | null {
  const match = TIME_OF_DAY.exec(text);
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2] ?? match[3] ?? 0);
  if (hours > 23 || minutes > 59) return null;
  return `${String(hours).padStart(2, "0")}:${String(minutes).padStart(2, "0")}`;
}

/** Empty (undefined or null) means "not applied" for the nullable settings. */
const orNone = <T extends z.ZodType<number>>(schema: T) => schema.nullish().transform((v) => v ?? null);

export const fieldSettingsSchema = z.object({
  isOpen: z.boolean({ error: t("admin.field.error.isOpen") }),
  queueMode: z.enum(["strict", "ratio"], { error: t("admin.field.error.queueMode") }),
  /** Kept in strict mode too, so switching back to ratio restores it. */
  priorityRatio: wholeNumber(1, 10, "admin.field.error.priorityRatio"),
  ageingCapMinutes: orNone(wholeNumber(5, 240, "admin.field.error.ageingCapMinutes")),
  dailyCapacity: orNone(wholeNumber(1, 5000, "admin.field.error.dailyCapacity")),
  cutoffTime: z
    .string({ error: t("admin.field.error.cutoffTime") })
    .trim()
    .nullish()
    .transform((text, ctx) => {
      if (!text) return null;
      const time = timeOfDay(text);
      if (time === null) ctx.issues.push({ code: "custom", message: t("admin.field.error.cutoffTime"), input: text });
      return time;
    }),
  recallsBeforeNoShow: wholeNumber(0, 5, "admin.field.error.recallsBeforeNoShow"),
  rejoinGraceMinutes: wholeNumber(0, 480, "admin.field.error.rejoinGraceMinutes"),
  defaultServiceMinutes: wholeNumber(1, 120, "admin.field.error.defaultServiceMinutes"),
});

export type FieldSettingsInput = z.input<typeof fieldSettingsSchema>;
export type FieldSettings = z.output<typeof fieldSettingsSchema>;

/** Refused input comes back as messages per setting, ready to show next to each input. */
export type SaveResult<T> = { ok: true; value: T } | { ok: false; fieldErrors: Record<string, string[]> };

/** The centre's fields with their settings, for the administrator. */
export function listFields(deps: Pick<ServiceDeps, "db">, actor: Actor): Promise<Field[]> {
  authorize(actor, "settings.edit");
  return deps.db.select().from(fields).where(eq(fields.centreId, centreOf(actor))).orderBy(asc(fields.sortOrder), asc(fields.id));
}

/**
 * Saves all of a field's settings at once, or none: every value is checked first, then one
 * UPDATE scoped to the centre, and the centre's screens are told in the same transaction. A
 * field of another centre is refused as not found.
 */
export async function saveFieldSettings(
  deps: ServiceDeps,
  actor: Actor,
  input: { fieldId: number; settings: FieldSettingsInput },
): Promise<SaveResult<Field>> {
  authorize(actor, "settings.edit");
  const centreId = centreOf(actor);
  const parsed = fieldSettingsSchema.safeParse(input.settings);
  if (!parsed.success) return { ok: false, fieldErrors: z.flattenError(parsed.error).fieldErrors };
  const saved = await inTransaction(deps, async (tx, outbox) => {
    const [before] = await tx
      .select()
      .from(fields)
      .where(and(eq(fields.id, input.fieldId), eq(fields.centreId, centreId)))
      .for("update");
    if (!before) throw new AppError("field_not_found");
    const [row] = await tx.update(fields).set(parsed.data).where(eq(fields.id, before.id)).returning();
    await recordAudit(tx, { actor, centreId, action: "field.settings_changed", target: { type: "field", id: before.id }, ...changed(before, parsed.data) });
    await announceSettingsChanged(tx, outbox, centreId, clock(deps));
    return { ok: true as const, value: row! };
  });
  securityLog(deps, "settings.changed", { by: actor, fieldId: saved.value.id, settings: parsed.data });
  return saved;
}
