import { and, asc, eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { priorityClasses } from "../../db/schema";
import { AppError } from "../errors";

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

export function listPriorityClasses(db: Database, centreId: number, options: { activeOnly?: boolean } = {}) {
  return db
    .select()
    .from(priorityClasses)
    .where(
      options.activeOnly
        ? and(eq(priorityClasses.centreId, centreId), eq(priorityClasses.isActive, true))
        : eq(priorityClasses.centreId, centreId),
    )
    .orderBy(asc(priorityClasses.sortOrder), asc(priorityClasses.id));
}

export async function savePriorityClass(
  db: Database,
  input: { centreId: number; id?: number; name: string; isActive: boolean },
) {
  if (input.id) {
    const [row] = await db
      .update(priorityClasses)
      .set({ name: input.name, isActive: input.isActive })
      .where(and(eq(priorityClasses.id, input.id), eq(priorityClasses.centreId, input.centreId)))
      .returning();
    if (!row) throw new AppError("priority_class_not_found");
    return row;
  }
  const existing = await listPriorityClasses(db, input.centreId);
  const [row] = await db
    .insert(priorityClasses)
    .values({
      centreId: input.centreId,
      code: `UT${existing.length + 1}`,
      name: input.name,
      isActive: input.isActive,
      sortOrder: existing.length + 1,
    })
    .returning();
  return row!;
}
