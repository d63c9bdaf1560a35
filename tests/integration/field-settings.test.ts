import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { centres, fields, priorityClasses } from "../../db/schema";
import { seedDemo } from "../../server/demo/seed";
import { isAppError } from "../../server/errors";
import { saveFieldSettings, type FieldSettingsInput } from "../../server/queue/field-settings";
import { listPriorityClasses, savePriorityClass } from "../../server/queue/priority-classes";
import { createTestDatabase } from "../helpers/database";

let db: Database;
let drop: () => Promise<void>;
let centreId: number;
let otherCentreId: number;
let otherFieldId: number;

beforeAll(async () => {
  const test = await createTestDatabase();
  db = test.handle.db;
  drop = test.drop;
  centreId = (await seedDemo(db, { password: "FieldSettings@Test1" })).centreId;
  const [other] = await db.insert(centres).values({ code: "KHAC", name: "Trung tâm khác" }).returning();
  otherCentreId = other!.id;
  const [otherField] = await db.insert(fields).values({ centreId: otherCentreId, code: "HT", name: "Hộ tịch", prefix: "A" }).returning();
  otherFieldId = otherField!.id;
});
afterAll(() => drop?.());

const allFields = () => db.select().from(fields).orderBy(asc(fields.id));
const fieldByCode = async (code: string) => (await allFields()).find((f) => f.centreId === centreId && f.code === code)!;

const valid: FieldSettingsInput = {
  isOpen: false,
  queueMode: "strict",
  priorityRatio: 3,
  ageingCapMinutes: 30,
  dailyCapacity: 150,
  cutoffTime: "16:30",
  recallsBeforeNoShow: 3,
  rejoinGraceMinutes: 90,
  defaultServiceMinutes: 12,
};

describe("field settings", () => {
  it("saves every setting of the one field, and nothing else of it or of any other field", async () => {
    const before = await allFields();
    const target = await fieldByCode("HT");
    const saved = await saveFieldSettings(db, { centreId, fieldId: target.id, settings: valid });
    expect(saved.ok).toBe(true);

    const after = await allFields();
    expect(after.find((f) => f.id === target.id)).toEqual({ ...before.find((f) => f.id === target.id), ...valid });
    expect(after.filter((f) => f.id !== target.id)).toEqual(before.filter((f) => f.id !== target.id));
  });

  it("stores empty optional settings as 'not applied', and a time written 7h or 7:05 as HH:MM", async () => {
    const target = await fieldByCode("CT");
    const saved = await saveFieldSettings(db, {
      centreId,
      fieldId: target.id,
      settings: { ...valid, isOpen: true, ageingCapMinutes: null, dailyCapacity: undefined, cutoffTime: "" },
    });
    expect(saved).toMatchObject({ ok: true, value: { isOpen: true, ageingCapMinutes: null, dailyCapacity: null, cutoffTime: null } });

    for (const [typed, stored] of [["7h", "07:00"], ["7:05", "07:05"], ["16h30", "16:30"], [" 23:59 ", "23:59"], ["00:00", "00:00"]]) {
      const result = await saveFieldSettings(db, { centreId, fieldId: target.id, settings: { ...valid, cutoffTime: typed } });
      expect(result, typed).toMatchObject({ ok: true, value: { cutoffTime: stored } });
    }
  });

  const refusals: Array<[string, Partial<FieldSettingsInput>, string]> = [
    ["priorityRatio", { priorityRatio: 0 }, "k phải là số nguyên từ 1 đến 10."],
    ["priorityRatio", { priorityRatio: 11 }, "k phải là số nguyên từ 1 đến 10."],
    ["priorityRatio", { priorityRatio: 2.5 }, "k phải là số nguyên từ 1 đến 10."],
    ["ageingCapMinutes", { ageingCapMinutes: 1 }, "Thời gian chờ tối đa phải là số nguyên từ 5 đến 240 phút, hoặc để trống."],
    ["ageingCapMinutes", { ageingCapMinutes: 241 }, "Thời gian chờ tối đa phải là số nguyên từ 5 đến 240 phút, hoặc để trống."],
    ["dailyCapacity", { dailyCapacity: 0 }, "Số phiếu tối đa phải là số nguyên từ 1 đến 5000, hoặc để trống."],
    ["dailyCapacity", { dailyCapacity: 5001 }, "Số phiếu tối đa phải là số nguyên từ 1 đến 5000, hoặc để trống."],
    ["dailyCapacity", { dailyCapacity: Number.NaN }, "Số phiếu tối đa phải là số nguyên từ 1 đến 5000, hoặc để trống."],
    ["cutoffTime", { cutoffTime: "25:00" }, "Giờ ngừng cấp số phải có dạng GG:PP, từ 00:00 đến 23:59 (ví dụ 16:30), hoặc để trống."],
    ["cutoffTime", { cutoffTime: "16:60" }, "Giờ ngừng cấp số phải có dạng GG:PP, từ 00:00 đến 23:59 (ví dụ 16:30), hoặc để trống."],
    ["cutoffTime", { cutoffTime: "chiều" }, "Giờ ngừng cấp số phải có dạng GG:PP, từ 00:00 đến 23:59 (ví dụ 16:30), hoặc để trống."],
    ["recallsBeforeNoShow", { recallsBeforeNoShow: 9 }, "Số lần gọi lại phải là số nguyên từ 0 đến 5."],
    ["recallsBeforeNoShow", { recallsBeforeNoShow: -1 }, "Số lần gọi lại phải là số nguyên từ 0 đến 5."],
    ["rejoinGraceMinutes", { rejoinGraceMinutes: 481 }, "Thời gian được quay lại phải là số nguyên từ 0 đến 480 phút."],
    ["defaultServiceMinutes", { defaultServiceMinutes: 0 }, "Thời gian phục vụ trung bình phải là số nguyên từ 1 đến 120 phút."],
    ["defaultServiceMinutes", { defaultServiceMinutes: 121 }, "Thời gian phục vụ trung bình phải là số nguyên từ 1 đến 120 phút."],
    ["queueMode", { queueMode: "random" as never }, "Vui lòng chọn «Ưu tiên tuyệt đối» hoặc «Xen kẽ»."],
    ["isOpen", { isOpen: undefined as never }, "Vui lòng chọn mở hoặc tạm ngừng tiếp nhận."],
  ];

  it.each(refusals)("refuses an invalid %s (%o) with its message and changes nothing", async (setting, wrong, message) => {
    const before = await allFields();
    const target = await fieldByCode("DD");
    const result = await saveFieldSettings(db, { centreId, fieldId: target.id, settings: { ...valid, ...wrong } });
    expect(result).toEqual({ ok: false, fieldErrors: { [setting]: [message] } });
    expect(await allFields()).toEqual(before);
  });

  it("names every invalid setting at once and saves none of the valid ones", async () => {
    const before = await allFields();
    const target = await fieldByCode("DD");
    const result = await saveFieldSettings(db, {
      centreId,
      fieldId: target.id,
      settings: { ...valid, priorityRatio: 0, ageingCapMinutes: 1, dailyCapacity: 0, cutoffTime: "25:00", recallsBeforeNoShow: 9 },
    });
    expect(result.ok).toBe(false);
    expect(Object.keys(!result.ok ? result.fieldErrors : {}).sort()).toEqual(
      ["ageingCapMinutes", "cutoffTime", "dailyCapacity", "priorityRatio", "recallsBeforeNoShow"].sort(),
    );
    expect(await allFields()).toEqual(before);
  });

  it("refuses a field of another centre as not found and leaves it unchanged", async () => {
    const before = await allFields();
    const refusal = await saveFieldSettings(db, { centreId, fieldId: otherFieldId, settings: valid }).catch((e: unknown) => e);
    expect(isAppError(refusal) && { code: refusal.code, status: refusal.status, message: refusal.message }).toEqual({
      code: "field_not_found",
      status: 404,
      message: "Lĩnh vực này không tồn tại tại trung tâm.",
    });
    expect(await allFields()).toEqual(before);
  });
});

describe("priority classes", () => {
  const classes = () => db.select().from(priorityClasses).orderBy(asc(priorityClasses.id));

  it("adds an active class at the end of the centre's list", async () => {
    const saved = await savePriorityClass(db, { centreId, name: "  Thương binh,   bệnh binh " });
    expect(saved).toMatchObject({ ok: true, value: { name: "Thương binh, bệnh binh", isActive: true, centreId } });
    const list = await listPriorityClasses(db, centreId, { activeOnly: true });
    expect(list.at(-1)!.name).toBe("Thương binh, bệnh binh");
  });

  it("renames a class and keeps it active", async () => {
    const [first] = await listPriorityClasses(db, centreId);
    const saved = await savePriorityClass(db, { centreId, id: first!.id, name: "Người từ đủ 75 tuổi" });
    expect(saved).toMatchObject({ ok: true, value: { id: first!.id, name: "Người từ đủ 75 tuổi", isActive: true } });
  });

  it("deactivates a class: no longer offered, but still listed and reactivatable, name unchanged", async () => {
    const target = (await listPriorityClasses(db, centreId)).find((c) => c.name === "Phụ nữ mang thai")!;
    expect(await savePriorityClass(db, { centreId, id: target.id, isActive: false })).toMatchObject({
      ok: true,
      value: { isActive: false, name: "Phụ nữ mang thai" },
    });
    expect((await listPriorityClasses(db, centreId, { activeOnly: true })).map((c) => c.id)).not.toContain(target.id);
    expect((await listPriorityClasses(db, centreId)).map((c) => c.id)).toContain(target.id);

    expect(await savePriorityClass(db, { centreId, id: target.id, isActive: true })).toMatchObject({ ok: true, value: { isActive: true } });
  });

  it("refuses a name already used in the centre, whatever its case or spacing, and writes nothing", async () => {
    const before = await classes();
    const [first, second] = await listPriorityClasses(db, centreId);
    const message = `Trung tâm đã có diện ưu tiên «${second!.name}». Vui lòng đặt tên khác.`;
    const expected = { ok: false, fieldErrors: { name: [message] } };
    expect(await savePriorityClass(db, { centreId, name: second!.name.toUpperCase() })).toEqual(expected);
    expect(await savePriorityClass(db, { centreId, name: ` ${second!.name.normalize("NFD")} ` })).toEqual(expected);
    expect(await savePriorityClass(db, { centreId, id: first!.id, name: second!.name })).toEqual(expected);
    expect(await classes()).toEqual(before);
  });

  it("allows a class to keep its own name (in another case) and another centre to use the same name", async () => {
    const [first] = await listPriorityClasses(db, centreId);
    expect(await savePriorityClass(db, { centreId, id: first!.id, name: first!.name.toLowerCase() })).toMatchObject({ ok: true });
    expect(await savePriorityClass(db, { centreId: otherCentreId, name: first!.name })).toMatchObject({ ok: true });
  });

  it("refuses an empty or too long name with its message", async () => {
    const before = await classes();
    const required = { ok: false, fieldErrors: { name: ["Vui lòng nhập tên diện ưu tiên."] } };
    expect(await savePriorityClass(db, { centreId, name: "   " })).toEqual(required);
    expect(await savePriorityClass(db, { centreId })).toEqual(required);
    const [first] = await listPriorityClasses(db, centreId);
    expect(await savePriorityClass(db, { centreId, id: first!.id, name: "" })).toEqual(required);
    expect(await savePriorityClass(db, { centreId, name: "ư".repeat(101) })).toEqual({
      ok: false,
      fieldErrors: { name: ["Tên diện ưu tiên dài tối đa 100 ký tự (hiện có 101)."] },
    });
    expect((await savePriorityClass(db, { centreId, name: "ư".repeat(100) })).ok).toBe(true);
    expect((await classes()).length).toBe(before.length + 1);
  });

  it("refuses a class of another centre as not found", async () => {
    const [foreign] = await db.select().from(priorityClasses).where(eq(priorityClasses.centreId, otherCentreId));
    const refusal = await savePriorityClass(db, { centreId, id: foreign!.id, isActive: false }).catch((e: unknown) => e);
    expect(isAppError(refusal) && refusal.code).toBe("priority_class_not_found");
    const [after] = await db.select().from(priorityClasses).where(eq(priorityClasses.id, foreign!.id));
    expect(after!.isActive).toBe(true);
  });
});
