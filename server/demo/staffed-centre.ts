import { asc, eq } from "drizzle-orm";
import { counterFields, counters, users } from "../../db/schema";
import type { ServiceDeps } from "../context";
import { userActor, type UserActor } from "../auth/permissions";
import { signInToCounter } from "../queue/counters";

/**
 * Load scenario shared by the concurrency tests and the benchmark: every counter of the
 * centre also serves `fieldIds`, and gets a new officer signed in to it.
 */
export async function staffEveryCounter(deps: ServiceDeps, input: { centreId: number; fieldIds: number[]; usernamePrefix: string }) {
  const { centreId } = input;
  const counterRows = await deps.db.select().from(counters).where(eq(counters.centreId, centreId)).orderBy(asc(counters.number));
  await deps.db
    .insert(counterFields)
    .values(counterRows.flatMap((c) => input.fieldIds.map((fieldId) => ({ counterId: c.id, fieldId }))))
    .onConflictDoNothing();
  const officers = await deps.db
    .insert(users)
    .values(
      counterRows.map((_, i) => ({
        centreId,
        username: `${input.usernamePrefix}${i}`,
        fullName: `Cán bộ ${i}`,
        role: "officer" as const,
        passwordHash: "x",
      })),
    )
    .returning();
  const staff: Array<{ userId: number; counterId: number; actor: UserActor }> = [];
  for (const [i, counter] of counterRows.entries()) {
    const actor = userActor(officers[i]!);
    await signInToCounter(deps, actor, { counterId: counter.id });
    staff.push({ userId: officers[i]!.id, counterId: counter.id, actor });
  }
  return { counterRows, staff };
}
