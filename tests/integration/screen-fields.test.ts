/** A waiting-room screen set to some fields: its snapshot says which, a kiosk's and the staff's do not. */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { devices, fields, users } from "../../db/schema";
import type { UserActor } from "../../server/auth/permissions";
import { deviceActor, setScreenFields } from "../../server/devices/service";
import { seedDemo } from "../../server/demo/seed";
import { snapshotFor } from "../../server/queue/snapshot";
import type { QueueEvent } from "../../server/realtime/events";
import { recordingPublisher } from "../helpers/actors";
import { createTestDatabase } from "../helpers/database";

let db: Database;
let drop: () => Promise<void>;
const published: QueueEvent[] = [];

beforeAll(async () => {
  const test = await createTestDatabase();
  db = test.handle.db;
  drop = test.drop;
  await seedDemo(db, { password: "Screens@Test#2026" });
});
afterAll(() => drop?.());

it("shows the chosen fields only; none chosen is every field; a kiosk cannot be set; screens hear of it", async () => {
  const [quantri] = await db.select().from(users).where(eq(users.username, "quantri"));
  const admin: UserActor = { kind: "user", userId: quantri!.id, centreId: quantri!.centreId, role: "admin" };
  const [display] = await db.select().from(devices).where(eq(devices.kind, "display"));
  const [kiosk] = await db.select().from(devices).where(eq(devices.kind, "kiosk"));
  const [ht] = await db.select().from(fields).where(eq(fields.code, "HT"));
  const [ct] = await db.select().from(fields).where(eq(fields.code, "CT"));
  const deps = { db, events: recordingPublisher(published) };

  expect((await snapshotFor(deps, deviceActor(display!))).screenFieldIds).toBeNull();
  await setScreenFields(deps, admin, { deviceId: display!.id, fieldIds: [ct!.id, ht!.id, ht!.id] });
  expect((await snapshotFor(deps, deviceActor(display!))).screenFieldIds).toEqual([ht!.id, ct!.id].sort((a, b) => a - b));
  expect(published.at(-1)?.type).toBe("settings.updated");
  expect((await snapshotFor(deps, deviceActor(kiosk!))).screenFieldIds).toBeNull();
  expect((await snapshotFor(deps, admin)).screenFieldIds).toBeUndefined();

  await expect(setScreenFields(deps, admin, { deviceId: kiosk!.id, fieldIds: [ht!.id] })).rejects.toMatchObject({ code: "device_wrong_kind" });
  await expect(setScreenFields(deps, admin, { deviceId: display!.id, fieldIds: [999_999] })).rejects.toMatchObject({ code: "field_not_found" });
  await setScreenFields(deps, admin, { deviceId: display!.id, fieldIds: [] });
  expect((await snapshotFor(deps, deviceActor(display!))).screenFieldIds).toBeNull();
});
