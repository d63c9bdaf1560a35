/**
 * What an administrator sets on a device beyond its name: the counter a rating tablet serves
 * (one tablet per counter), and whether a kiosk prints its slip.
 */
import { and, asc, eq, isNull, ne } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { counters, devices } from "../../db/schema";
import { recordAudit } from "../audit";
import { authorize, centreOf, type Actor } from "../auth/permissions";
import { inTransaction, type ServiceDeps } from "../context";
import { AppError } from "../errors";
import { t } from "../i18n";

/**
 * The counter a tablet may be bound to: the centre's, and without another live tablet (the
 * counter's row is locked, so two administrators cannot both bind one; the unique index stands behind).
 */
export async function counterForTablet(tx: Queryable, centreId: number, counterId: number, exceptDeviceId: number | null) {
  const [counter] = await tx
    .select()
    .from(counters)
    .where(and(eq(counters.id, counterId), eq(counters.centreId, centreId)))
    .for("update");
  if (!counter) throw new AppError("counter_not_found");
  const [other] = await tx
    .select({ id: devices.id, name: devices.name })
    .from(devices)
    .where(and(eq(devices.counterId, counterId), eq(devices.kind, "rating"), isNull(devices.revokedAt), exceptDeviceId ? ne(devices.id, exceptDeviceId) : undefined));
  if (other) throw new AppError("device_counter_taken", { n: counter.number, name: other.name });
  return counter;
}

async function lockDevice(tx: Queryable, centreId: number, deviceId: number) {
  const [device] = await tx
    .select()
    .from(devices)
    .where(and(eq(devices.id, deviceId), eq(devices.centreId, centreId)))
    .for("update");
  if (!device) throw new AppError("device_not_found");
  return device;
}

/** Binds a rating tablet to another counter; the tablet's page reloads at once to show it. */
export async function bindTabletCounter(deps: ServiceDeps, actor: Actor, input: { deviceId: number; counterId: number }) {
  authorize(actor, "devices.manage");
  const centreId = centreOf(actor);
  return inTransaction(deps, async (tx, outbox) => {
    const before = await lockDevice(tx, centreId, input.deviceId);
    if (before.kind !== "rating") throw new AppError("device_wrong_kind", { kind: t(`pair.kind.${before.kind}`) });
    const counter = await counterForTablet(tx, centreId, input.counterId, before.id);
    const [row] = await tx.update(devices).set({ counterId: counter.id }).where(eq(devices.id, before.id)).returning();
    await recordAudit(tx, { actor, centreId, action: "device.updated", target: { type: "device", id: before.id }, before: { counterId: before.counterId }, after: { counterId: counter.id } });
    // Its open page was made for the old counter: cut it, and it loads again for the new one.
    outbox.endConnections({ deviceIds: [before.id] });
    return { device: row!, counter };
  });
}

/** Whether a kiosk prints the slip after a tap (off: it shows the code and QR on its screen only). */
export async function setKioskPrinting(deps: ServiceDeps, actor: Actor, input: { deviceId: number; enabled: boolean }) {
  authorize(actor, "devices.manage");
  const centreId = centreOf(actor);
  return inTransaction(deps, async (tx) => {
    const before = await lockDevice(tx, centreId, input.deviceId);
    if (before.kind !== "kiosk") throw new AppError("device_wrong_kind", { kind: t(`pair.kind.${before.kind}`) });
    const [row] = await tx.update(devices).set({ printEnabled: input.enabled }).where(eq(devices.id, before.id)).returning();
    await recordAudit(tx, { actor, centreId, action: "device.updated", target: { type: "device", id: before.id }, before: { printEnabled: before.printEnabled }, after: { printEnabled: input.enabled } });
    return row!;
  });
}

/** The counters a tablet may be bound to, for the administrator's choice (the service refuses one already taken). */
export async function countersForTablets(deps: Pick<ServiceDeps, "db">, actor: Actor) {
  authorize(actor, "devices.manage");
  const centreId = centreOf(actor);
  const rows = await deps.db
    .select({ id: counters.id, number: counters.number, name: counters.name })
    .from(counters)
    .where(and(eq(counters.centreId, centreId), eq(counters.isActive, true)))
    .orderBy(asc(counters.number));
  return rows;
}
