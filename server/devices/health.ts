/**
 * Whether a paired device is there, since when, and how it works. A device's live connection
 * (its socket) writes when it began (`connected_at`) and, every half-minute while it lasts, that
 * it is still there (`last_seen_at`, server/realtime); when its last socket closes both are set
 * to that moment. What the device reports of itself (voice, printing, its counter) is kept with it.
 */
import { asc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "../../db/client";
import { counters, devices, type Device, type DeviceKind } from "../../db/schema";
import { authorize, centreOf, type Actor } from "../auth/permissions";
import { clock, type ServiceDeps } from "../context";
import { AppError } from "../errors";
import { plainText } from "../input";

/** A connected device is written down every 30 s (server/realtime HEARTBEAT_MS); silent three times that long, it is gone. */
export const ONLINE_WITHIN_MS = 90_000;

/** What a device may report, by kind: anything else is refused (strict), so a page cannot write what it likes. */
const modesOf = {
  display: z.object({ voice: z.enum(["clips", "speech", "silent"]), voiceName: plainText(100).optional() }).strict(),
  kiosk: z.object({ print: z.enum(["on", "off"]).optional(), kioskPrinting: z.enum(["yes", "no", "unknown"]).optional() }).strict(),
  rating: z
    .object({
      counter: z.string().regex(/^(none|\d{1,4})$/),
      screen: z
        .string()
        .regex(/^\d{2,5}x\d{2,5}$/)
        .optional(),
    })
    .strict(),
} satisfies Record<DeviceKind, z.ZodType>;

/** Keeps what a device says of its modes, with the time it said it (only when it changed). */
export async function reportDeviceModes(deps: Pick<ServiceDeps, "db" | "now">, actor: Actor, input: unknown) {
  authorize(actor, "device.report");
  if (actor.kind !== "device") throw new AppError("forbidden");
  const parsed = modesOf[actor.deviceKind].safeParse(input);
  if (!parsed.success) throw new AppError("bad_request");
  const modes = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined)) as Record<string, string>;
  const [before] = await deps.db.select({ reportedModes: devices.reportedModes }).from(devices).where(eq(devices.id, actor.deviceId));
  const { at: _at, ...previous } = before?.reportedModes ?? {};
  if (JSON.stringify(previous) !== JSON.stringify(modes)) {
    await deps.db
      .update(devices)
      .set({ reportedModes: { ...modes, at: clock(deps).toISOString() } })
      .where(eq(devices.id, actor.deviceId));
  }
  return true as const;
}

/** A socket of the device opened: it is connected from now. */
export async function deviceConnected(db: Database, deviceId: number, now: Date) {
  await db.update(devices).set({ connectedAt: now, lastSeenAt: now }).where(eq(devices.id, deviceId));
}

/** The device's last socket here closed: offline from now (another instance holding one writes it back on its next heartbeat). */
export async function devicesDisconnected(db: Database, deviceIds: number[], now: Date) {
  if (deviceIds.length === 0) return;
  await db
    .update(devices)
    .set({ connectedAt: null, lastSeenAt: now })
    .where(inArray(devices.id, deviceIds));
}

export type DeviceHealth = { online: boolean; since: Date | null };

/** Online (since its connection began) or offline (since it was last heard from; null: never). */
export function deviceHealth(device: Pick<Device, "connectedAt" | "lastSeenAt">, now: Date): DeviceHealth {
  const fresh = device.lastSeenAt !== null && now.getTime() - device.lastSeenAt.getTime() <= ONLINE_WITHIN_MS;
  if (device.connectedAt !== null && fresh) return { online: true, since: device.connectedAt };
  return { online: false, since: device.lastSeenAt };
}

/**
 * The centre's devices as the administrator's list shows them: kind, binding, printing, whether
 * each is there and since when, and the modes it reported. No token, no pairing code.
 */
export async function deviceOverview(deps: Pick<ServiceDeps, "db" | "now">, actor: Actor) {
  authorize(actor, "devices.manage");
  const now = clock(deps);
  const rows = await deps.db
    .select({ device: devices, counterNumber: counters.number })
    .from(devices)
    .leftJoin(counters, eq(counters.id, devices.counterId))
    .where(eq(devices.centreId, centreOf(actor)))
    .orderBy(asc(devices.kind), asc(devices.id));
  return rows.map(({ device: d, counterNumber }) => {
    const health = deviceHealth(d, now);
    return {
      id: d.id,
      name: d.name,
      kind: d.kind,
      paired: d.tokenHash !== null,
      pairedAt: d.pairedAt?.toISOString() ?? null,
      revoked: d.revokedAt !== null,
      fieldIds: d.fieldIds ?? [],
      counterId: d.counterId,
      counterNumber,
      printEnabled: d.printEnabled,
      online: health.online,
      since: health.since?.toISOString() ?? null,
      connectedAt: health.online ? (d.connectedAt?.toISOString() ?? null) : null,
      lastSeenAt: d.lastSeenAt?.toISOString() ?? null,
      modes: d.reportedModes ?? null,
    };
  });
}
