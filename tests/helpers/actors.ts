import type { Database } from "../../db/client";
import { SYSTEM_ACTOR, type DeviceActor, type UserActor } from "../../server/auth/permissions";
import { createDevice, deviceActor } from "../../server/devices/service";

/** An officer of a centre, as the services see one (what a signed-in session gives the routes). */
export const officerActor = (userId: number, centreId: number): UserActor => ({ kind: "user", userId, centreId, role: "officer" });

/** A kiosk of the centre, created for the test, as the services see it. */
export async function kioskActor(db: Database, centreId: number, name = "Máy lấy số thử"): Promise<DeviceActor> {
  const { device } = await createDevice({ db }, SYSTEM_ACTOR, { centreId, kind: "kiosk", name });
  return deviceActor(device);
}

/** Service-level tests issue many tickets from one kiosk at once: no pace between its tickets. */
export const NO_KIOSK_PACE = { kioskPaceMs: 0 };

/** An event publisher for service-level tests: keeps the queue events, ignores connection endings. */
export const recordingPublisher = (published: unknown[]) => ({ publish: (e: unknown) => void published.push(e), endConnections: () => {} });
