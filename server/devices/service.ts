/** Kiosks and waiting-room screens: created by an administrator, paired by a one-time link, revocable. */
import { and, asc, eq, gt, inArray, isNull, lt, or } from "drizzle-orm";
import type { Database } from "../../db/client";
import { centres, devices, fields, type Device, type DeviceKind } from "../../db/schema";
import { authorize, centreOf, type Actor, type DeviceActor } from "../auth/permissions";
import { generateToken, hashToken } from "../auth/token";
import { clock, inTransaction, type ServiceDeps } from "../context";
import { AppError } from "../errors";
import { recordAudit } from "../audit";
import { t } from "../i18n";
import { announceSettingsChanged } from "../queue/event-log";
import { securityLog } from "../security-log";
import { serviceDate } from "../time";
import { counterForTablet } from "./settings";

export const PAIRING_TTL_MS = 24 * 60 * 60 * 1000;
const LAST_SEEN_RESOLUTION_MS = 60 * 1000;

/** Creates a device and its first one-time pairing code. */
export async function createDevice(
  deps: Pick<ServiceDeps, "db" | "now" | "logger">,
  actor: Actor,
  input: { centreId?: number; kind: DeviceKind; name: string; counterId?: number | null },
) {
  authorize(actor, "devices.manage");
  const code = generateToken();
  const centreId = centreOf(actor, input.centreId);
  const device = await deps.db.transaction(async (tx) => {
    // A rating tablet asks about one counter's visits: it is made bound to one.
    if (input.kind === "rating" && !input.counterId) throw new AppError("device_counter_required");
    const counterId = input.kind === "rating" ? (await counterForTablet(tx, centreId, input.counterId!, null)).id : null;
    const [row] = await tx
      .insert(devices)
      .values({
        centreId,
        kind: input.kind,
        name: input.name,
        counterId,
        pairingCodeHash: hashToken(code),
        pairingExpiresAt: new Date(clock(deps).getTime() + PAIRING_TTL_MS),
      })
      .returning();
    await recordAudit(tx, { actor, centreId: row!.centreId, action: "device.created", target: { type: "device", id: row!.id }, after: { kind: row!.kind, name: row!.name, counterId } });
    return row;
  });
  securityLog(deps, "device.created", { by: actor, deviceId: device!.id, kind: device!.kind });
  return { device: device!, pairingCode: code };
}

/** A new one-time pairing code for a device (the previous one stops working). */
export async function issuePairingCode(deps: Pick<ServiceDeps, "db" | "now" | "logger">, actor: Actor, input: { deviceId: number; centreId?: number }) {
  authorize(actor, "devices.manage");
  const code = generateToken();
  const device = await deps.db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(devices)
      .where(and(eq(devices.id, input.deviceId), eq(devices.centreId, centreOf(actor, input.centreId))))
      .for("update");
    if (!before) throw new AppError("device_not_found");
    // A revoked tablet brought back must not share its counter with the tablet that replaced it.
    if (before.kind === "rating" && before.revokedAt && before.counterId) await counterForTablet(tx, before.centreId, before.counterId, before.id);
    const [row] = await tx
      .update(devices)
      .set({ pairingCodeHash: hashToken(code), pairingExpiresAt: new Date(clock(deps).getTime() + PAIRING_TTL_MS), revokedAt: null })
      .where(eq(devices.id, before.id))
      .returning();
    await recordAudit(tx, {
      actor,
      centreId: before.centreId,
      action: "device.link_issued",
      target: { type: "device", id: before.id },
      before: { revoked: before.revokedAt !== null },
      after: { pairingExpiresAt: row!.pairingExpiresAt },
    });
    return row!;
  });
  securityLog(deps, "device.link_issued", { by: actor, deviceId: device.id });
  return { device, pairingCode: code };
}

/** The device a pairing code would pair, if the code is still good. The code is the credential. */
export async function findPairing(db: Database, code: string, now = new Date()) {
  const [row] = await db
    .select({ device: devices, centreName: centres.name })
    .from(devices)
    .innerJoin(centres, eq(centres.id, devices.centreId))
    .where(and(eq(devices.pairingCodeHash, hashToken(code)), gt(devices.pairingExpiresAt, now), isNull(devices.revokedAt)));
  return row ?? null;
}

/**
 * Uses a pairing code: the device gets a fresh token (its cookie); the code is spent. A device
 * paired again elsewhere loses its old token, and its open connections are closed.
 */
export async function pairDevice(deps: ServiceDeps, code: string) {
  const now = clock(deps);
  const token = generateToken();
  const paired = await inTransaction(deps, async (tx, outbox) => {
    const [device] = await tx
      .update(devices)
      .set({ tokenHash: hashToken(token), pairingCodeHash: null, pairingExpiresAt: null, pairedAt: now, lastSeenAt: now })
      .where(and(eq(devices.pairingCodeHash, hashToken(code)), gt(devices.pairingExpiresAt, now), isNull(devices.revokedAt)))
      .returning();
    if (!device) throw new AppError("pairing_invalid");
    outbox.endConnections({ deviceIds: [device.id] });
    await recordAudit(tx, { actor: { kind: "device", deviceId: device.id, centreId: device.centreId, deviceKind: device.kind }, centreId: device.centreId, action: "device.paired", target: { type: "device", id: device.id }, after: { name: device.name } });
    return { device, token };
  });
  securityLog(deps, "device.paired", { deviceId: paired.device.id, kind: paired.device.kind, centreId: paired.device.centreId });
  return paired;
}

/** The device holding this token, unless it was revoked. */
export async function validateDeviceToken(db: Database, token: string, now = new Date()): Promise<Device | null> {
  const [device] = await db
    .select()
    .from(devices)
    .where(and(eq(devices.tokenHash, hashToken(token)), isNull(devices.revokedAt)));
  if (!device) return null;
  if (!device.lastSeenAt || now.getTime() - device.lastSeenAt.getTime() > LAST_SEEN_RESOLUTION_MS) {
    await db
      .update(devices)
      .set({ lastSeenAt: now })
      .where(and(eq(devices.id, device.id), or(isNull(devices.lastSeenAt), lt(devices.lastSeenAt, now))));
  }
  return device;
}

/** Takes a device's access away at once: its token and any pairing link stop working, its connections close. */
export async function revokeDevice(deps: ServiceDeps, actor: Actor, input: { deviceId: number }) {
  authorize(actor, "devices.manage");
  const now = clock(deps);
  const revoked = await inTransaction(deps, async (tx, outbox) => {
    const [device] = await tx
      .update(devices)
      .set({ revokedAt: now, tokenHash: null, pairingCodeHash: null, pairingExpiresAt: null })
      .where(and(eq(devices.id, input.deviceId), eq(devices.centreId, centreOf(actor))))
      .returning();
    if (!device) throw new AppError("device_not_found");
    outbox.endConnections({ deviceIds: [device.id] });
    await recordAudit(tx, { actor, centreId: device.centreId, action: "device.revoked", target: { type: "device", id: device.id }, after: { name: device.name } });
    return device;
  });
  securityLog(deps, "device.revoked", { by: actor, deviceId: revoked.id });
  return revoked;
}

/**
 * Which fields a waiting-room screen shows (none chosen: all of them). The screens reload their
 * snapshot, which carries their choice, in the same transaction's event.
 */
export async function setScreenFields(deps: ServiceDeps, actor: Actor, input: { deviceId: number; fieldIds: number[] }) {
  authorize(actor, "devices.manage");
  const centreId = centreOf(actor);
  const wanted = [...new Set(input.fieldIds)].sort((a, b) => a - b);
  return inTransaction(deps, async (tx, outbox) => {
    const [before] = await tx
      .select()
      .from(devices)
      .where(and(eq(devices.id, input.deviceId), eq(devices.centreId, centreId)))
      .for("update");
    if (!before) throw new AppError("device_not_found");
    if (before.kind !== "display") throw new AppError("device_wrong_kind", { kind: t("pair.kind.kiosk") });
    if (wanted.length) {
      const found = await tx.select({ id: fields.id }).from(fields).where(and(eq(fields.centreId, centreId), inArray(fields.id, wanted)));
      if (found.length !== wanted.length) throw new AppError("field_not_found");
    }
    const fieldIds = wanted.length ? wanted : null;
    const [row] = await tx.update(devices).set({ fieldIds }).where(eq(devices.id, before.id)).returning();
    await recordAudit(tx, { actor, centreId, action: "device.updated", target: { type: "device", id: before.id }, before: { fieldIds: before.fieldIds }, after: { fieldIds } });
    await announceSettingsChanged(tx, outbox, centreId, clock(deps));
    return row!;
  });
}

/** The centre's kiosks for the supervisor: when each was last seen, and how many too-fast taps it refused today. */
export async function kioskActivity(deps: Pick<ServiceDeps, "db" | "now">, actor: Actor) {
  authorize(actor, "board.watch");
  const day = serviceDate(clock(deps));
  const rows = await deps.db
    .select()
    .from(devices)
    .where(and(eq(devices.centreId, centreOf(actor)), eq(devices.kind, "kiosk"), isNull(devices.revokedAt)))
    .orderBy(asc(devices.name));
  return rows.map((d) => ({ id: d.id, name: d.name, lastSeenAt: d.lastSeenAt, refusedToday: d.refusedDate === day ? d.refusedCount : 0 }));
}

export const pairingPath = (code: string) => `/pair/${code}`;

/** The page each kind of device runs. */
export const DEVICE_PAGES: Record<DeviceKind, string> = { kiosk: "/kiosk", display: "/display", rating: "/danh-gia" };

/** How a device acts in the services. */
export const deviceActor = (device: Pick<Device, "id" | "centreId" | "kind">): DeviceActor => ({
  kind: "device",
  deviceId: device.id,
  centreId: device.centreId,
  deviceKind: device.kind,
});
