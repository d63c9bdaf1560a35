import { and, asc, eq, sql } from "drizzle-orm";
import type { Database, Queryable } from "../../db/client";
import { priorityClasses, type PriorityClass } from "../../db/schema";
import { authorize, centreOf, type Actor } from "../auth/permissions";
import { clock, inTransaction, type ServiceDeps } from "../context";
import { AppError } from "../errors";
import { t } from "../i18n";
import { hasControlCharacters } from "../input";
import { changed, recordAudit } from "../audit";
import { securityLog } from "../security-log";
import { announceSettingsChanged } from "./event-log";

/** The groups Vietnamese law serves first; every new centre starts with them (editable). */
export const DEFAULT_PRIORITY_CLASSES = [
  { code: "NCT", name: "Người cao tuổi" },
  { code: "NKT", name: "Người khuyết tật" },
  { code: "PNMT", name: "Phụ nữ mang thai" },
  { code: "NCC", name: "Người có công với cách mạng" },
  { code: "TRE", name: "Người đi cùng trẻ em dưới 6 tuổi" },
] as const;

export async function addDefaultPriorityClasses(db: Database, centreId: number) {
  await db
    .insert(priorityClasses)
    .values(DEFAULT_PRIORITY_CLASSES.map((c, i) => ({ ...c, centreId, sortOrder: i + 1 })))
    .onConflictDoNothing();
}

/** The centre's priority classes, inactive ones included, for the administrator. */
export function listPriorityClasses(deps: Pick<ServiceDeps, "db">, actor: Actor) {
  authorize(actor, "settings.edit");
  return classesOf(deps.db, centreOf(actor));
}

function classesOf(db: Queryable, centreId: number) {
  return db
    .select()
    .from(priorityClasses)
    .where(eq(priorityClasses.centreId, centreId))
    .orderBy(asc(priorityClasses.sortOrder), asc(priorityClasses.id));
}

export const PRIORITY_CLASS_NAME_MAX = 100;

/** Refused input comes back as messages per input, ready to show next to it. */
export type PriorityClassSaveResult = { ok: true; value: PriorityClass } | { ok: false; fieldErrors: { name: string[] } };

/** One spelling per name: NFC (Vietnamese keyboards send either form of the marks), single spaces. */
const tidyName = (name: string) => name.normalize("NFC").replace(/\s+/g, " ").trim();
/** In JavaScript, not SQL: lower() of a C-locale database leaves Vietnamese capitals as they are. */
const sameName = (a: string, b: string) => tidyName(a).toLocaleLowerCase("vi") === tidyName(b).toLocaleLowerCase("vi");

// Two administrators adding the same name at once must not both pass the duplicate check.
const NAME_LOCK = 0x5043; // "PC"

/**
 * Adds a class (`id` absent: a name is required, active unless told otherwise) or changes a
 * class's name and/or whether it is offered on the kiosk. Names are required, at most
 * {@link PRIORITY_CLASS_NAME_MAX} characters and unique in the centre, whatever the case.
 * Deactivating only stops new tickets from choosing the class; issued tickets keep it. The
 * centre's kiosks are told in the same transaction.
 */
export async function savePriorityClass(
  deps: ServiceDeps,
  actor: Actor,
  input: { id?: number; name?: string; isActive?: boolean },
): Promise<PriorityClassSaveResult> {
  authorize(actor, "settings.edit");
  const centreId = centreOf(actor);
  const name = input.name === undefined ? undefined : tidyName(input.name);
  if (name !== undefined || input.id === undefined) {
    const length = [...(name ?? "")].length;
    if (length === 0) return refuse(t("admin.classes.error.nameRequired"));
    if (hasControlCharacters(name ?? "")) return refuse(t("validation.controlCharacters"));
    if (length > PRIORITY_CLASS_NAME_MAX) {
      return refuse(t("admin.classes.error.nameTooLong", { max: PRIORITY_CLASS_NAME_MAX, n: length }));
    }
  }
  const result = await inTransaction(deps, async (tx, outbox): Promise<PriorityClassSaveResult> => {
    await tx.execute(sql`select pg_advisory_xact_lock(${NAME_LOCK}, ${centreId})`);
    const existing = await classesOf(tx, centreId);
    const current = input.id === undefined ? undefined : existing.find((c) => c.id === input.id);
    if (input.id !== undefined && !current) throw new AppError("priority_class_not_found");
    const clash = name === undefined ? undefined : existing.find((c) => c.id !== input.id && sameName(c.name, name));
    if (clash) return refuse(t("admin.classes.error.duplicate", { name: clash.name }));

    if (current) {
      const changes = {
        ...(name !== undefined ? { name } : {}),
        ...(input.isActive !== undefined ? { isActive: input.isActive } : {}),
      };
      if (Object.keys(changes).length === 0) return { ok: true as const, value: current };
      const [row] = await tx
        .update(priorityClasses)
        .set(changes)
        .where(and(eq(priorityClasses.id, current.id), eq(priorityClasses.centreId, centreId)))
        .returning();
      await recordAudit(tx, { actor, centreId, action: "priority_class.saved", target: { type: "priority_class", id: current.id }, ...changed(current, changes) });
      await announceSettingsChanged(tx, outbox, centreId, clock(deps));
      return { ok: true as const, value: row! };
    }
    const codes = new Set(existing.map((c) => c.code));
    let n = existing.length + 1;
    while (codes.has(`UT${n}`)) n++;
    const [row] = await tx
      .insert(priorityClasses)
      .values({
        centreId,
        code: `UT${n}`,
        name: name!,
        isActive: input.isActive ?? true,
        sortOrder: Math.max(0, ...existing.map((c) => c.sortOrder)) + 1,
      })
      .returning();
    await recordAudit(tx, { actor, centreId, action: "priority_class.saved", target: { type: "priority_class", id: row!.id }, after: { name: row!.name, isActive: row!.isActive } });
    await announceSettingsChanged(tx, outbox, centreId, clock(deps));
    return { ok: true as const, value: row! };
  });
  if (result.ok) securityLog(deps, "settings.changed", { by: actor, priorityClassId: result.value.id, name: result.value.name, isActive: result.value.isActive });
  return result;
}

function refuse(message: string): PriorityClassSaveResult {
  return { ok: false, fieldErrors: { name: [message] } };
}
