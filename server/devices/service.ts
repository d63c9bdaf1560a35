import { and, asc, eq, gt, isNull, lt, or } from "drizzle-orm";
import type { Database } from "../../db/client";
import { centres, devices, type Device, type DeviceKind } from "../../db/schema";
import { generateToken, hashToken } from "../auth/token";
import { AppError } from "../errors";

export const PAIRING_TTL_MS = 24 * 60 * 60 * 1000;
const LAST_SEEN_RESOLUTION_MS = 60 * 1000;

/** Creates a device and its first one-time pairing code. */
export async function createDevice(db: Database, input: { centreId: number; kind: DeviceKind; name: string }, now = new Date()) {
  const code = generateToken();
  const [device] = await db
    .insert(devices)
    .values({
      centreId: input.centreId,
      kind: input.kind,
      name: input.name,
      pairingCodeHash: hashToken(code),
      pairingExpiresAt: new Date(now.getTime() + PAIRING_TTL_MS),
    })
    .returning();
  return { device: device!, pairingCode: code };
}

/** A new one-time pairing code for a device (the previous one stops working). */
export async function issuePairingCode(db: Database, input: { deviceId: number; centreId: number }, now = new Date()) {
  const code = generateToken();
  const [device] = await db
    .update(devices)
    .set({ pairingCodeHash: hashToken(code), pairingExpiresAt: new Date(now.getTime() + PAIRING_TTL_MS), revokedAt: null })
    .where(and(eq(devices.id, input.deviceId), eq(devices.centreId, input.centreId)))
    .returning();
  if (!device) throw new AppError("device_not_found");
  return { device, pairingCode: code };
}

/** The device a pairing code would pair, if the code is still good. */
export async function findPairing(db: Database, code: string, now = new Date()) {
  const [row] = await db
    .select({ device: devices, centreName: centres.name })
    .from(devices)
    .innerJoin(centres, eq(centres.id, devices.centreId))
    .where(and(eq(devices.pairingCodeHash, hashToken(code)), gt(devices.pairingExpiresAt, now), isNull(devices.revokedAt)));
  return row ?? null;
}

/**
 * Uses a pairing code: the device gets a fresh token (its cookie); the code is spent.
 * A device paired again elsewhere loses its old token.
 */
export async function pairDevice(db: Database, code: string, now = new Date()) {
  const token = generateToken();
  const [device] = await db
    .update(devices)
    .set({ tokenHash: hashToken(token), pairingCodeHash: null, pairingExpiresAt: null, pairedAt: now, lastSeenAt: now })
    .where(and(eq(devices.pairingCodeHash, hashToken(code)), gt(devices.pairingExpiresAt, now), isNull(devices.revokedAt)))
    .returning();
  if (!device) throw new AppError("pairing_invalid");
  return { device, token };
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

export async function revokeDevice(db: Database, input: { deviceId: number; centreId: number }, now = new Date()) {
  const [device] = await db
    .update(devices)
    .set({ revokedAt: now, tokenHash: null, pairingCodeHash: null, pairingExpiresAt: null })
    .where(and(eq(devices.id, input.deviceId), eq(devices.centreId, input.centreId)))
    .returning();
  if (!device) throw new AppError("device_not_found");
  return device;
}

export function listDevices(db: Database, centreId: number) {
  return db.select().from(devices).where(eq(devices.centreId, centreId)).orderBy(asc(devices.kind), asc(devices.id));
}

export const pairingPath = (code: string) => `/pair/${code}`;
