import { eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { centres } from "../db/schema";

/** Whether a centre holds made-up data (the demo): its pages say so. */
export async function isDemoCentre(db: Database, centreId: number): Promise<boolean> {
  const [row] = await db.select({ isDemo: centres.isDemo }).from(centres).where(eq(centres.id, centreId));
  return row?.isDemo ?? false;
}
