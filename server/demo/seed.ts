import { eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { centres, counterFields, counters, devices, fields, users, type DeviceKind } from "../../db/schema";
import { hashPassword } from "../auth/password";
import { SYSTEM_ACTOR } from "../auth/permissions";
import { createDevice, issuePairingCode } from "../devices/service";
import { addProcedures } from "../dossiers/dossiers";
import { VIETNAMESE_PROCEDURES } from "../dossiers/procedures-vn";
import { addDefaultPriorityClasses } from "../queue/priority-classes";

export const DEMO_CENTRE_CODE = "DEMO";

// Three fields take appointments (server/appointments): 30-minute slots, 2 or 3 bookings each,
// half of the day kept for walk-ins.
const demoFields = [
  { code: "HT", name: "Hộ tịch", prefix: "A", appointmentSlotCapacity: 2 },
  { code: "CT", name: "Chứng thực", prefix: "B", appointmentSlotCapacity: 3 },
  { code: "DD", name: "Đất đai", prefix: "C", appointmentSlotCapacity: 2 },
  { code: "DKKD", name: "Đăng ký kinh doanh", prefix: "D" },
  { code: "XD", name: "Xây dựng", prefix: "E" },
  { code: "LDTBXH", name: "Lao động – Thương binh và Xã hội", prefix: "F" },
  { code: "GTVT", name: "Giao thông vận tải", prefix: "G" },
];

// Counter number → field codes it serves. Counter 10 serves every field.
const demoCounters: Array<[number, string[]]> = [
  [1, ["HT"]],
  [2, ["HT", "CT"]],
  [3, ["CT"]],
  [4, ["DD"]],
  [5, ["DD"]],
  [6, ["DKKD"]],
  [7, ["XD"]],
  [8, ["LDTBXH"]],
  [9, ["GTVT"]],
  [10, demoFields.map((f) => f.code)],
];

export const demoUsers = [
  { username: "quantri", fullName: "Nguyễn Văn Quản", role: "admin" },
  { username: "giamsat", fullName: "Trần Thị Giám", role: "supervisor" },
  { username: "canbo01", fullName: "Lê Thị Hoa", role: "officer" },
  { username: "canbo02", fullName: "Phạm Văn Minh", role: "officer" },
  { username: "canbo03", fullName: "Hoàng Thị Lan", role: "officer" },
  { username: "canbo04", fullName: "Vũ Đức Thắng", role: "officer" },
  { username: "canbo05", fullName: "Đặng Thu Trang", role: "officer" },
  { username: "canbo06", fullName: "Bùi Quang Huy", role: "officer" },
  { username: "canbo07", fullName: "Đỗ Ngọc Ánh", role: "officer" },
  { username: "canbo08", fullName: "Ngô Minh Tuấn", role: "officer" },
  { username: "thamdinh", fullName: "Lương Văn Thẩm", role: "appraiser" },
  { username: "lanhdao", fullName: "Trịnh Quốc Duyệt", role: "approver" },
] as const;

const demoDevices = [
  { kind: "kiosk", name: "Máy lấy số sảnh chính" },
  { kind: "display", name: "Màn hình chờ sảnh chính" },
  // The tablet on counter 1's desk, where citizens rate the visit just finished there.
  { kind: "rating", name: "Máy đánh giá quầy 1", counterNumber: 1 },
] as const;

export type DemoPairing = { deviceId: number; kind: DeviceKind; name: string; pairingCode: string };

/**
 * Writes the demo centre in one transaction, its accounts with `password` (random per
 * installation, server/demo/password.ts); returns the devices' first pairing codes.
 */
export async function seedDemo(db: Database, options: { password: string }) {
  const passwordHashes = await Promise.all(demoUsers.map(() => hashPassword(options.password)));
  return db.transaction(async (tx) => {
    const [centre] = await tx
      .insert(centres)
      .values({ code: DEMO_CENTRE_CODE, name: "Trung tâm Phục vụ hành chính công", address: "Số 1 Đường Trần Phú", isDemo: true })
      .returning();
    const fieldRows = await tx
      .insert(fields)
      .values(demoFields.map((f, i) => ({ ...f, centreId: centre!.id, sortOrder: i + 1 })))
      .returning();
    const fieldId = new Map(fieldRows.map((f) => [f.code, f.id]));
    const counterRows = await tx
      .insert(counters)
      .values(demoCounters.map(([number]) => ({ centreId: centre!.id, number, name: `Quầy ${number}` })))
      .returning();
    await tx.insert(counterFields).values(
      demoCounters.flatMap(([number, codes]) => {
        const counter = counterRows.find((c) => c.number === number)!;
        return codes.map((code) => ({ counterId: counter.id, fieldId: fieldId.get(code)! }));
      }),
    );
    await addDefaultPriorityClasses(tx, centre!.id);
    await addProcedures(tx, centre!.id, VIETNAMESE_PROCEDURES);
    await tx
      .insert(users)
      .values(demoUsers.map((u, i) => ({ ...u, centreId: centre!.id, passwordHash: passwordHashes[i]! })));
    const pairings: DemoPairing[] = [];
    for (const d of demoDevices) {
      const counterId = "counterNumber" in d ? counterRows.find((c) => c.number === d.counterNumber)!.id : null;
      const { device, pairingCode } = await createDevice({ db: tx }, SYSTEM_ACTOR, { centreId: centre!.id, kind: d.kind, name: d.name, counterId });
      pairings.push({ deviceId: device.id, kind: d.kind, name: d.name, pairingCode });
    }
    return { centreId: centre!.id, pairings };
  });
}

/** Fresh one-time pairing codes for the demo centre's devices (printed by `npm start`). */
export async function refreshDemoPairings(db: Database): Promise<DemoPairing[]> {
  const [centre] = await db.select().from(centres).where(eq(centres.code, DEMO_CENTRE_CODE));
  if (!centre) return [];
  const list = await db.select().from(devices).where(eq(devices.centreId, centre.id));
  const out: DemoPairing[] = [];
  for (const d of list) {
    if (d.revokedAt) continue;
    const { pairingCode } = await issuePairingCode({ db }, SYSTEM_ACTOR, { deviceId: d.id, centreId: centre.id });
    out.push({ deviceId: d.id, kind: d.kind, name: d.name, pairingCode });
  }
  return out;
}
