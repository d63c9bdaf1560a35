import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { centres, fields, priorityClasses, users } from "../../db/schema";
import type { UserActor } from "../../server/auth/permissions";
import type { ServiceDeps } from "../../server/context";
import { seedDemo } from "../../server/demo/seed";
import { isAppError } from "../../server/errors";
import { saveFieldSettings, type FieldSettingsInput } from "../../server/queue/field-settings";
import { listPriorityClasses, savePriorityClass } from "../../server/queue/priority-classes";
import type { QueueEvent } from "../../server/realtime/events";
import { recordingPublisher } from "../helpers/actors";
import { createTestDatabase } from "../helpers/database";

let db: Database;
let drop: () => Promise<void>;
let centreId: number;
let otherCentreId: number;
let otherFieldId: number;
let deps: ServiceDeps;
let admin: UserActor;
let otherAdmin: UserActor;
const published: QueueEvent[] = [];

beforeAll(async () => {
  const test = await createTestDatabase();
  db = test.handle.db;
  drop = test.drop;
  centreId = (await seedDemo(db, { password: "FieldSettings@Test1" })).centreId;
  const [other] = await db.insert(centres).values({ code: "KHAC", name: "Trung tâm khác" }).returning();
  otherCentreId = other!.id;
  const [otherField] = await db.insert(fields).values({ centreId: otherCentreId, code: "HT", name: "Hộ tịch", prefix: "A" }).returning();
  otherFieldId = otherField!.id;
  deps = { db, events: recordingPublisher(published) };
  const [quantri] = await db.select().from(users).where(eq(users.username, "quantri"));
  admin = { kind: "user", userId: quantri!.id, centreId, role: "admin" };
  otherAdmin = { kind: "user", userId: quantri!.id, centreId: otherCentreId, role: "admin" };
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
    const saved = await saveFieldSettings(deps, admin, { fieldId: target.id, settings: valid });
    expect(saved.ok).toBe(true);

    const after = await allFields();
    expect(after.find((f) => f.id === target.id)).toEqual({ ...before.find((f) => f.id === target.id), ...valid });
    expect(after.filter((f) => f.id !== target.id)).toEqual(before.filter((f) => f.id !== target.id));
  });

  it("stores empty optional settings as 'not applied', and a time written 7h or 7:05 as HH:MM", async () => {
    const target = await fieldByCode("CT");
    const saved = await saveFieldSettings(deps, admin, { fieldId: target.id,
      settings: { ...valid, isOpen: true, ageingCapMinutes: null, dailyCapacity: undefined, cutoffTime: "" },
    });
    expect(saved).toMatchObject({ ok: true, value: { isOpen: true, ageingCapMinutes: null, dailyCapacity: null, cutoffTime: null } });

    for (const [typed, stored] of [["7h", "07:00"], ["7:05", "07:05"], ["16h30", "16:30"], [" 23:59 ", "23:59"], ["00:00", "00:00"]]) {
      const result = await saveFieldSettings(deps, admin, { fieldId: target.id, settings: { ...valid, cutoffTime: typed } });
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
    const result = await saveFieldSettings(deps, admin, { fieldId: target.id, settings: { ...valid, ...wrong } });
    expect(result).toEqual({ ok: false, fieldErrors: { [setting]: [message] } });
    expect(await allFields()).toEqual(before);
  });

  it("names every invalid setting at once and saves none of the valid ones", async () => {
    const before = await allFields();
    const target = await fieldByCode("DD");
    const result = await saveFieldSettings(deps, admin, { fieldId: target.id,
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
    const refusal = await saveFieldSettings(deps, admin, { fieldId: otherFieldId, settings: valid }).catch((e: unknown) => e);
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
  const activeClasses = async () => (await listPriorityClasses(deps, admin)).filter((c) => c.isActive);

  it("adds an active class at the end of the centre's list", async () => {
    const saved = await savePriorityClass(deps, admin, { name: "  Thương binh,   bệnh binh " });
    expect(saved).toMatchObject({ ok: true, value: { name: "Thương binh, bệnh binh", isActive: true, centreId } });
    const list = await activeClasses();
    expect(list.at(-1)!.name).toBe("Thương binh, bệnh binh");
  });

  it("renames a class and keeps it active", async () => {
    const [first] = await listPriorityClasses(deps, admin);
    const saved = await savePriorityClass(deps, admin, { id: first!.id, name: "Người từ đủ 75 tuổi" });
    expect(saved).toMatchObject({ ok: true, value: { id: first!.id, name: "Người từ đủ 75 tuổi", isActive: true } });
  });

  it("deactivates a class: no longer offered, but still listed and reactivatable, name unchanged", async () => {
    const target = (await listPriorityClasses(deps, admin)).find((c) => c.name === "Phụ nữ mang thai")!;
    expect(await savePriorityClass(deps, admin, { id: target.id, isActive: false })).toMatchObject({
      ok: true,
      value: { isActive: false, name: "Phụ nữ mang thai" },
    });
    expect((await activeClasses()).map((c) => c.id)).not.toContain(target.id);
    expect((await listPriorityClasses(deps, admin)).map((c) => c.id)).toContain(target.id);

    expect(await savePriorityClass(deps, admin, { id: target.id, isActive: true })).toMatchObject({ ok: true, value: { isActive: true } });
  });

  it("refuses a name already used in the centre, whatever its case or spacing, and writes nothing", async () => {
    const before = await classes();
    const [first, second] = await listPriorityClasses(deps, admin);
    const message = `Trung tâm đã có diện ưu tiên «${second!.name}». Vui lòng đặt tên khác.`;
    const expected = { ok: false, fieldErrors: { name: [message] } };
    expect(await savePriorityClass(deps, admin, { name: second!.name.toUpperCase() })).toEqual(expected);
    expect(await savePriorityClass(deps, admin, { name: ` ${second!.name.normalize("NFD")} ` })).toEqual(expected);
    expect(await savePriorityClass(deps, admin, { id: first!.id, name: second!.name })).toEqual(expected);
    expect(await classes()).toEqual(before);
  });

  it("allows a class to keep its own name (in another case) and another centre to use the same name", async () => {
    const [first] = await listPriorityClasses(deps, admin);
    expect(await savePriorityClass(deps, admin, { id: first!.id, name: first!.name.toLowerCase() })).toMatchObject({ ok: true });
    expect(await savePriorityClass(deps, otherAdmin, { name: first!.name })).toMatchObject({ ok: true });
  });

  it("refuses an empty or too long name with its message", async () => {
    const before = await classes();
    const required = { ok: false, fieldErrors: { name: ["Vui lòng nhập tên diện ưu tiên."] } };
    expect(await savePriorityClass(deps, admin, { name: "   " })).toEqual(required);
    expect(await savePriorityClass(deps, admin, {})).toEqual(required);
    const [first] = await listPriorityClasses(deps, admin);
    expect(await savePriorityClass(deps, admin, { id: first!.id, name: "" })).toEqual(required);
    expect(await savePriorityClass(deps, admin, { name: "ư".repeat(101) })).toEqual({
      ok: false,
      fieldErrors: { name: ["Tên diện ưu tiên dài tối đa 100 ký tự (hiện có 101)."] },
    });
    expect((await savePriorityClass(deps, admin, { name: "ư".repeat(100) })).ok).toBe(true);
    expect((await classes()).length).toBe(before.length + 1);
  });

  it("refuses a class of another centre as not found", async () => {
    const [foreign] = await db.select().from(priorityClasses).where(eq(priorityClasses.centreId, otherCentreId));
    const refusal = await savePriorityClass(deps, admin, { id: foreign!.id, isActive: false }).catch((e: unknown) => e);
    expect(isAppError(refusal) && refusal.code).toBe("priority_class_not_found");
    const [after] = await db.select().from(priorityClasses).where(eq(priorityClasses.id, foreign!.id));
    expect(after!.isActive).toBe(true);
  });
});

describe("a settings change and its announcement", () => {
  const seqOf = async () => (await db.select({ seq: centres.eventSeq }).from(centres).where(eq(centres.id, centreId)))[0]!.seq;

  it("tells the centre's screens in the same transaction, with the next sequence number", async () => {
    const target = await fieldByCode("XD");
    const seq = await seqOf();
    published.length = 0;
    expect((await saveFieldSettings(deps, admin, { fieldId: target.id, settings: { ...valid, isOpen: true } })).ok).toBe(true);
    expect(published).toEqual([expect.objectContaining({ type: "settings.updated", centreId, seq: seq + 1 })]);
    expect(await seqOf()).toBe(seq + 1);

    published.length = 0;
    expect((await savePriorityClass(deps, admin, { name: "Người bị thương nặng" })).ok).toBe(true);
    expect(published).toEqual([expect.objectContaining({ type: "settings.updated", seq: seq + 2 })]);
  });

  it("announces nothing, and moves no sequence, when the save is refused", async () => {
    const target = await fieldByCode("XD");
    const seq = await seqOf();
    published.length = 0;
    expect((await saveFieldSettings(deps, admin, { fieldId: target.id, settings: { ...valid, priorityRatio: 0 } })).ok).toBe(false);
    await saveFieldSettings(deps, admin, { fieldId: otherFieldId, settings: valid }).catch(() => undefined);
    expect(published).toEqual([]);
    expect(await seqOf()).toBe(seq);
  });

  it("refuses anyone the permission table does not allow to edit settings", async () => {
    const target = await fieldByCode("XD");
    const before = await allFields();
    for (const role of ["officer", "supervisor"] as const) {
      const actor: UserActor = { ...admin, role };
      const refusal = await saveFieldSettings(deps, actor, { fieldId: target.id, settings: valid }).catch((e: unknown) => e);
      expect(isAppError(refusal) && refusal.code).toBe("forbidden");
      const classRefusal = await savePriorityClass(deps, actor, { name: "Diện mới" }).catch((e: unknown) => e);
      expect(isAppError(classRefusal) && classRefusal.code).toBe("forbidden");
    }
    expect(await allFields()).toEqual(before);
  });
});
