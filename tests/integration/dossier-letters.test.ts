/**
 * The letters of a dossier and lateness ahead of time: the sweep drafts an apology for a dossier
 * that cannot be finished in the working time left, a leader approves it with a new date (the
 * appointment the citizen sees), and each letter prints the form of the legal basis in force on
 * the dossier's receipt day — an old dossier the 01/2018 form, a new one the 03/2025 form.
 * Supplement, refusal and stop notices exist once their step is taken.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { dossierLetters, dossiers, dossierSteps, procedures, users } from "../../db/schema";
import type { UserActor } from "../../server/auth/permissions";
import type { ServiceDeps } from "../../server/context";
import { seedDemo } from "../../server/demo/seed";
import { openDossier } from "../../server/dossiers/dossiers";
import { letterData } from "../../server/dossiers/forms";
import { decideLetter, draftLatenessLetters, draftLetter, latenessLetters } from "../../server/dossiers/letters";
import { createLookupService } from "../../server/dossiers/lookup";
import { databaseThrottles } from "../../server/throttle/database";
import { letterPdf } from "../../server/dossiers/receipt";
import { takeStep } from "../../server/dossiers/steps";
import { isAppError } from "../../server/errors";
import { recordingPublisher } from "../helpers/actors";
import { createTestDatabase } from "../helpers/database";

const vn = (day: string, time: string) => new Date(`${day}T${time}:00+07:00`);

let db: Database;
let drop: () => Promise<void>;
let now = vn("2026-12-01", "09:00");
let deps: ServiceDeps;
let officer: UserActor;
let appraiser: UserActor;
let leader: UserActor;
let centreId: number;
const procedureId = new Map<string, number>();
const PUBLIC = "https://motcua.example.gov.vn";

beforeAll(async () => {
  const test = await createTestDatabase();
  db = test.handle.db;
  drop = test.drop;
  centreId = (await seedDemo(db, { password: "Letters@Test#2026" })).centreId;
  deps = { db, events: recordingPublisher([]), now: () => now };
  const actor = async (username: string, role: UserActor["role"]): Promise<UserActor> => {
    const [u] = await db.select().from(users).where(eq(users.username, username));
    return { kind: "user", userId: u!.id, centreId, role };
  };
  officer = await actor("canbo01", "officer");
  appraiser = await actor("thamdinh", "appraiser");
  leader = await actor("lanhdao", "approver");
  for (const p of await db.select().from(procedures)) procedureId.set(p.code, p.id);
}, 60_000);
afterAll(() => drop?.());

async function open(code: string, at: Date, phone = "0912345678") {
  now = at;
  const [p] = await db.select().from(procedures).where(eq(procedures.id, procedureId.get(code)!));
  const opened = await openDossier(deps, officer, {
    procedureId: p!.id,
    applicantName: "Trần Văn Bình",
    applicantIdNumber: "001190012345",
    applicantPhone: phone,
    received: p!.documents.map((d) => d.key),
  });
  if (!opened.ok) throw new Error(JSON.stringify(opened.fieldErrors));
  return opened.value;
}

const refusal = async (work: () => Promise<unknown>) => {
  try {
    await work();
    return null;
  } catch (error) {
    if (isAppError(error)) return error.code;
    throw error;
  }
};

async function pdfText(bytes: Uint8Array) {
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const doc = await pdfjs.getDocument({ data: bytes, useSystemFonts: false, isEvalSupported: false }).promise;
  const page = await doc.getPage(1);
  const content = await page.getTextContent();
  return content.items.map((item) => ("str" in item ? item.str : "")).join(" ").replace(/\s+/g, " ").normalize("NFC");
}

describe("lateness ahead of time", () => {
  it("drafts an apology for a dossier at risk, before its deadline, once", async () => {
    // HT-05: 3 working days with appraisal. Received Tuesday 1/12 09:00, due Friday 4/12 17:00.
    const dossier = await open("HT-05", vn("2026-12-01", "09:00"));
    expect(dossier.dueDay).toBe("2026-12-04");
    now = vn("2026-12-03", "09:00"); // Thursday: 720 minutes needed, 870 left — nothing yet
    expect(await draftLatenessLetters(deps, centreId)).not.toContain(dossier.code);
    now = vn("2026-12-04", "08:00"); // Friday 08:00: 720 needed, 450 left — before the deadline
    expect(await draftLatenessLetters(deps, centreId)).toContain(dossier.code);
    expect(await draftLatenessLetters(deps, centreId)).not.toContain(dossier.code);
    const drafts = await db.select().from(dossierLetters).where(eq(dossierLetters.dossierId, dossier.id));
    expect(drafts).toMatchObject([{ state: "draft", draftedBy: null, proposedDueDay: "2026-12-08" }]);
    expect(drafts[0]!.reason).toContain("thẩm định");
    const board = await latenessLetters(deps, leader);
    expect(board.drafts.find((l) => l.dossier.code === dossier.code)).toMatchObject({ dossier: { daysLeft: 0, pending: "thẩm định" } });
  });

  it("a dossier waiting for the citizen's supplement is not drafted", async () => {
    const dossier = await open("HT-06", vn("2026-12-01", "10:00"));
    now = vn("2026-12-01", "10:30");
    await takeStep(deps, officer, { dossierId: dossier.id, action: "supplement", reason: "Thiếu bản sao giấy chứng nhận kết hôn của cha mẹ" });
    now = vn("2026-12-04", "16:00");
    expect(await draftLatenessLetters(deps, centreId)).not.toContain(dossier.code);
  });

  it("only a leader decides; a wrong date or an empty reason is refused and changes nothing", async () => {
    now = vn("2026-12-04", "09:00");
    const [draft] = await db.select().from(dossierLetters).where(eq(dossierLetters.state, "draft"));
    expect(await refusal(() => decideLetter(deps, appraiser, { letterId: draft!.id, decision: "approve" }))).toBe("letter_leader_only");
    expect(await refusal(() => decideLetter(deps, officer, { letterId: draft!.id, decision: "approve" }))).toBe("letter_leader_only");
    // Not after the due day; a Saturday; beyond 60 days; not a date.
    for (const day of ["2026-12-04", "2026-12-05", "2027-03-01", "08/12/2026"])
      expect(await refusal(() => decideLetter(deps, leader, { letterId: draft!.id, decision: "approve", proposedDueDay: day }))).toBe("letter_date_invalid");
    expect(await refusal(() => decideLetter(deps, leader, { letterId: draft!.id, decision: "approve", reason: "   " }))).toBe("letter_reason_required");
    const [after] = await db.select().from(dossierLetters).where(eq(dossierLetters.id, draft!.id));
    expect(after).toMatchObject({ state: "draft", decidedBy: null });
    const [d] = await db.select().from(dossiers).where(eq(dossiers.id, draft!.dossierId));
    expect(d!.extendedDueDay).toBeNull();
  });

  it("approved: the new date is the dossier's appointment, a step records it, the citizen's lookup shows it, and the 03/2025 letter prints", async () => {
    now = vn("2026-12-04", "09:30");
    const [draft] = await db.select().from(dossierLetters).where(eq(dossierLetters.state, "draft"));
    const done = await decideLetter(deps, leader, { letterId: draft!.id, decision: "approve", proposedDueDay: "2026-12-09", reason: "Cần xác minh thông tin với UBND nơi cư trú trước đây" });
    expect(done).toMatchObject({ state: "approved", day: "2026-12-09" });
    const [d] = await db.select().from(dossiers).where(eq(dossiers.id, draft!.dossierId));
    expect(d).toMatchObject({ extendedDueDay: "2026-12-09", dueDay: "2026-12-04" });
    expect(d!.extendedDueAt!.toISOString()).toBe(vn("2026-12-09", "17:00").toISOString());
    const steps = await db.select().from(dossierSteps).where(and(eq(dossierSteps.dossierId, d!.id), eq(dossierSteps.action, "extend")));
    expect(steps).toMatchObject([{ fromState: "received", toState: "received", actorUserId: leader.userId }]);
    expect(await refusal(() => decideLetter(deps, leader, { letterId: draft!.id, decision: "cancel" }))).toBe("letter_not_draft");

    const found = await createLookupService({ db, throttles: databaseThrottles(db) }).lookup({ code: d!.code, phoneLast4: "5678", address: "203.0.113.9" });
    expect(found).toMatchObject({ dueDay: "2026-12-04", extendedDueDay: "2026-12-09" });

    const letter = await letterData(deps, officer, { code: d!.code, kind: "apology", publicUrl: PUBLIC });
    expect(letter.form).toMatchObject({ set: "tt03-2025", number: "Mẫu số 04", title: "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết" });
    const text = await pdfText(await letterPdf(letter));
    for (const part of ["VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT", d!.code, "Thông tư số 03/2025/TT-VPCP", "Cần xác minh thông tin với UBND nơi cư trú trước đây", "đề nghị ông/bà đồng ý gia hạn", "ngày 09/12/2026"])
      expect(text).toContain(part);
    expect(text).not.toContain("hẹn lại thời gian trả kết quả");
  });

  it("a dossier received under Circular 01/2018 prints the old apology form", async () => {
    // Tuesday 10 June 2025, 09:00: CT-03, 2 working days → Thursday 12 June.
    const old = await open("CT-03", vn("2025-06-10", "09:00"), "0987654321");
    expect(old.dueDay).toBe("2025-06-12");
    now = vn("2025-06-12", "10:00");
    const { letter } = await draftLetter(deps, officer, { dossierId: old.id, reason: "Hệ thống chứng thực điện tử gián đoạn", proposedDueDay: "2025-06-16" });
    expect(letter).toMatchObject({ state: "draft", draftedBy: officer.userId });
    expect(await refusal(() => draftLetter(deps, officer, { dossierId: old.id, reason: "Lần nữa", proposedDueDay: "2025-06-17" }))).toBe("letter_exists");
    await decideLetter(deps, leader, { letterId: letter.id, decision: "approve" });
    const form = await letterData(deps, officer, { code: old.code, kind: "apology", publicUrl: PUBLIC });
    expect(form.form).toMatchObject({ set: "tt01-2018", title: "Phiếu xin lỗi và hẹn lại ngày trả kết quả" });
    const text = await pdfText(await letterPdf(form));
    for (const part of ["PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", "Thông tư số 01/2018/TT-VPCP", old.code, "hẹn lại thời gian trả kết quả", "ngày 16/06/2025", "Hệ thống chứng thực điện tử gián đoạn"])
      expect(text).toContain(part);
    expect(text).not.toContain("gia hạn");
  });
});

describe("supplement, refusal and stop letters", () => {
  it("exist once their step is taken, with its reason and who took it", async () => {
    const d = await open("HT-07", vn("2026-12-02", "09:00"));
    expect(await refusal(() => letterData(deps, officer, { code: d.code, kind: "supplement", publicUrl: PUBLIC }))).toBe("form_not_available");
    expect(await refusal(() => letterData(deps, officer, { code: d.code, kind: "refusal", publicUrl: PUBLIC }))).toBe("form_not_available");
    await takeStep(deps, appraiser, { dossierId: d.id, action: "supplement", reason: "Bổ sung bản sao sổ hộ khẩu có chứng thực" });
    const supplement = await letterData(deps, officer, { code: d.code, kind: "supplement", publicUrl: PUBLIC });
    expect(supplement.form).toMatchObject({ title: "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", number: "Mẫu số 02" });
    expect(supplement.paragraphs.find((p) => p.emphasis)!.text).toBe("Bổ sung bản sao sổ hộ khẩu có chứng thực");
    expect(supplement.signer.title).toBe("Người hướng dẫn");

    await takeStep(deps, officer, { dossierId: d.id, action: "resubmit" });
    await takeStep(deps, leader, { dossierId: d.id, action: "stop", reason: "Người nộp đề nghị rút hồ sơ" });
    const stop = await letterData(deps, officer, { code: d.code, kind: "stop", publicUrl: PUBLIC });
    expect(stop.form).toMatchObject({ title: "Thông báo dừng giải quyết hồ sơ", number: "Mẫu số 05", set: "tt03-2025" });
    expect(stop.signer).toMatchObject({ title: "Lãnh đạo phê duyệt" });
    const text = await pdfText(await letterPdf(stop));
    expect(text).toContain("THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ");
    expect(text).toContain("Người nộp đề nghị rút hồ sơ");

    const r = await open("HT-05", vn("2026-12-02", "10:00"));
    await takeStep(deps, appraiser, { dossierId: r.id, action: "refuse", reason: "Yêu cầu không thuộc thẩm quyền của UBND cấp xã" });
    const refused = await letterData(deps, officer, { code: r.code, kind: "refusal", publicUrl: PUBLIC });
    expect(refused.form.title).toBe("Phiếu từ chối tiếp nhận giải quyết hồ sơ");
    expect(refused.signer.title).toBe("Chuyên viên thẩm định");
  });

  it("another centre's staff cannot print them", async () => {
    const [d] = await db.select().from(dossiers).limit(1);
    const stranger: UserActor = { ...officer, centreId: centreId + 999 };
    expect(await refusal(() => letterData(deps, stranger, { code: d!.code, kind: "supplement", publicUrl: PUBLIC }))).toBe("dossier_not_found");
  });
});
