/** What a kiosk needs to know of its own settings (set by an administrator in /admin/devices). */
import { eq } from "drizzle-orm";
import { devices } from "../../db/schema";
import { authorize, type DeviceActor } from "../auth/permissions";
import type { ServiceDeps } from "../context";

/** Whether this kiosk prints the 80 mm slip after a tap (false: the code and QR on its screen only). */
export async function kioskSettings(deps: Pick<ServiceDeps, "db">, actor: DeviceActor): Promise<{ printEnabled: boolean }> {
  authorize(actor, "ticket.issue");
  const [row] = await deps.db.select({ printEnabled: devices.printEnabled }).from(devices).where(eq(devices.id, actor.deviceId));
  return { printEnabled: row?.printEnabled ?? true };
}
