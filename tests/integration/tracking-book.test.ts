/**
 * The tracking book (Sổ theo dõi hồ sơ): every dossier of the centre with its steps' dates and
 * whether it was settled on time, filtered by dates, field, procedure, state and timeliness, and
 * exported to Excel with the form's columns (read back with exceljs).
 */
import ExcelJS from "exceljs";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { procedures, users } from "../../db/schema";
import type { UserActor } from "../../server/auth/permissions";
import type { ServiceDeps } from "../../server/context";
import { seedDemo } from "../../server/demo/seed";
import { bookWorkbook, trackingBook } from "../../server/dossiers/book";
import { openDossier } from "../../server/dossiers/dossiers";
import { takeStep } from "../../server/dossiers/steps";
import { isAppError } from "../../server/errors";
import { recordingPublisher } from "../helpers/actors";
import { createTestDatabase } from "../helpers/database";

const vn = (day: string, time: string) => new Date(`${day}T${time}:00+07:00`);

let db: Database;
let drop: () => Promise<void>;
let now = vn("2026-11-23", "09:00");
let deps: ServiceDeps;
let officer: UserActor;
let appraiser: UserActor;
let leader: UserActor;
const codes: Record<string, string> = {};

async function open(procedureCode: string, at: Date, name: string) {
  now = at;
  const [p] = await db.select().from(procedures).where(eq(procedures.code, procedureCode));
  const opened = await openDossier(deps, officer, {
    procedureId: p!.id,
    applicantName: name,
    applicantIdNumber: "079088001234",
    applicantPhone: "0903123456",
    applicantAddress: "12 Lê Lợi, phường Bến Thành",
    received: p!.documents.map((d) => d.key),
  });
  if (!opened.ok) throw new Error("not opened");
  return opened.value;
}

async function settle(id: number, at: Date) {
  now = at;
  await takeStep(deps, appraiser, { dossierId: id, action: "appraise" });
  await takeStep(deps, leader, { dossierId: id, action: "approve" });
  await takeStep(deps, officer, { dossierId: id, action: "result" });
  await takeStep(deps, officer, { dossierId: id, action: "return" });
}

beforeAll(async () => {
  const test = await createTestDatabase();
  db = test.handle.db;
  drop = test.drop;
  const { centreId } = await seedDemo(db, { password: "Book@Test#2026" });
  deps = { db, events: recordingPublisher([]), now: () => now };
  const actor = async (username: string, role: UserActor["role"]): Promise<UserActor> => {
    const [u] = await db.select().from(users).where(eq(users.username, username));
    return { kind: "user", userId: u!.id, centreId, role };
  };
  officer = await actor("canbo01", "officer");
  appraiser = await actor("thamdinh", "appraiser");
  leader = await actor("lanhdao", "approver");

  // Monday 23/11: HT-05 (3 days, due Thu 26/11) returned Wed 25/11 — early.
  const early = await open("HT-05", vn("2026-11-23", "09:00"), "Lê Thị Sớm");
  codes.early = early.code;
  await settle(early.id, vn("2026-11-25", "10:00"));
  // Monday 23/11: CT-03 (2 days, due Wed 25/11) returned Fri 27/11 — late.
  const late = await open("CT-03", vn("2026-11-23", "10:00"), "Phạm Văn Muộn");
  codes.late = late.code;
  await settle(late.id, vn("2026-11-27", "09:00"));
  // Thursday 26/11: HT-07 (10 days) still being appraised.
  const open1 = await open("HT-07", vn("2026-11-26", "09:00"), "Đỗ Thị Đang");
  codes.open = open1.code;
  now = vn("2026-11-26", "10:00");
  await takeStep(deps, appraiser, { dossierId: open1.id, action: "appraise" });
  // Friday 27/11: HT-06 (3 days, due Wed 2/12) — due soon on Monday 30/11.
  codes.soon = (await open("HT-06", vn("2026-11-27", "09:00"), "Vũ Văn Gấp")).code;
  now = vn("2026-11-30", "09:00");
}, 60_000);
afterAll(() => drop?.());

describe("the tracking book", () => {
  it("lists the centre's dossiers in the order received, with their steps' dates and how they stand", async () => {
    const book = await trackingBook(deps, officer, { from: "2026-11-23", to: "2026-11-30" });
    expect(book.rows.map((r) => r.code)).toEqual([codes.early, codes.late, codes.open, codes.soon]);
    const [early, late, open, soon] = book.rows;
    expect(early).toMatchObject({ timeliness: "on_time", status: "Trước hạn", stateLabel: "Đã trả kết quả" });
    expect(early!.returnedAt).toBe(vn("2026-11-25", "10:00").toISOString());
    expect(late).toMatchObject({ timeliness: "late", status: "Trễ hạn" });
    expect(open).toMatchObject({ timeliness: "open", stateLabel: "Đang thẩm định", resultAt: null });
    expect(open!.appraisedAt).toBe(vn("2026-11-26", "10:00").toISOString());
    // Monday 30/11 to Wednesday 2/12: 2 working days left.
    expect(soon).toMatchObject({ timeliness: "due_soon", status: "Đang giải quyết, còn 2 ngày" });
    expect(book.form).toMatchObject({ title: "Sổ theo dõi hồ sơ", number: "Mẫu số 07" });
  });

  it("filters by date, state, timeliness, field, procedure and words", async () => {
    const codesOf = async (filter: Record<string, unknown>) => (await trackingBook(deps, officer, { from: "2026-11-23", to: "2026-11-30", ...filter })).rows.map((r) => r.code);
    expect(await codesOf({ from: "2026-11-26" })).toEqual([codes.open, codes.soon]);
    expect(await codesOf({ to: "2026-11-23" })).toEqual([codes.early, codes.late]);
    expect(await codesOf({ state: "closed" })).toEqual([codes.early, codes.late]);
    expect(await codesOf({ state: "open" })).toEqual([codes.open, codes.soon]);
    expect(await codesOf({ timeliness: "late" })).toEqual([codes.late]);
    expect(await codesOf({ timeliness: "due_soon" })).toEqual([codes.soon]);
    expect(await codesOf({ q: "muộn" })).toEqual([codes.late]);
    expect(await codesOf({ q: codes.soon })).toEqual([codes.soon]);
    const [ct03] = await db.select().from(procedures).where(eq(procedures.code, "CT-03"));
    expect(await codesOf({ procedureId: String(ct03!.id) })).toEqual([codes.late]);
    expect(await codesOf({ fieldId: String(ct03!.fieldId) })).toEqual([codes.late]);
    // Unreadable values fall back to their default rather than failing; a wildcard is searched as text.
    expect(await codesOf({ state: "drop table", fieldId: "abc", q: "%" })).toHaveLength(4);
  });

  it("refuses a reversed or over-long date range", async () => {
    for (const filter of [{ from: "2026-11-30", to: "2026-11-01" }, { from: "2025-01-01", to: "2026-11-30" }]) {
      const code = await trackingBook(deps, officer, filter).then(
        () => null,
        (e: unknown) => (isAppError(e) ? e.code : e),
      );
      expect(code).toBe("book_dates_invalid");
    }
  });

  it("is exported to Excel with the form's columns and every row", async () => {
    const book = await trackingBook(deps, officer, { from: "2026-11-23", to: "2026-11-30" });
    const wb = new ExcelJS.Workbook();
    const bytes = await bookWorkbook(book, "Trung tâm thử");
    // exceljs types its input as an ArrayBuffer-like Buffer of its own.
    await wb.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as Parameters<typeof wb.xlsx.load>[0]);
    const ws = wb.worksheets[0]!;
    expect(String(ws.getCell(1, 1).value)).toContain("SỔ THEO DÕI HỒ SƠ");
    expect(ws.getRow(4).values).toEqual(expect.arrayContaining(["Mã hồ sơ", "Tên thủ tục hành chính", "Ngày trả kết quả", "Tình trạng"]));
    expect(ws.getCell(5, 2).value).toBe(codes.early);
    expect(ws.getCell(6, 13).value).toBe("Trễ hạn");
    expect(ws.getCell(8, 2).value).toBe(codes.soon);
    expect(ws.getCell(9, 2).value).toBeNull();
  });

  it("belongs to the centre: another centre's staff see none of it", async () => {
    const stranger: UserActor = { ...officer, centreId: officer.centreId + 999 };
    expect((await trackingBook(deps, stranger, { from: "2026-11-23", to: "2026-11-30" })).rows).toEqual([]);
  });
});
