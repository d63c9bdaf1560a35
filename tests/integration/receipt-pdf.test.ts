/** The receipt's PDF: made with the Vietnamese font embedded, its text (code, applicant, legal basis, due time) extractable. */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { procedures, users } from "../../db/schema";
import { openDossier } from "../../server/dossiers/dossiers";
import { startTestServer, type TestServer } from "../helpers/server";

let s: TestServer;
let code: string;

beforeAll(async () => {
  s = await startTestServer({ pages: true });
  const [canbo] = await s.db.select().from(users).where(eq(users.username, "canbo01"));
  const [procedure] = await s.db.select().from(procedures).where(eq(procedures.code, "CT-03"));
  const officer = { kind: "user" as const, userId: canbo!.id, centreId: s.seeded.centreId, role: "officer" as const };
  const opened = await openDossier({ db: s.db, events: { publish: () => {}, endConnections: () => {} } }, officer, {
    procedureId: procedure!.id,
    applicantName: "Nguyễn Thị Ánh Tuyết",
    applicantIdNumber: "036185000123",
    applicantPhone: "0977111222",
    received: procedure!.documents.map((d) => d.key),
  });
  if (!opened.ok) throw new Error("not opened");
  code = opened.value.code;
}, 120_000);
afterAll(() => s?.close());

async function pdfText(bytes: Uint8Array) {
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const doc = await pdfjs.getDocument({ data: bytes, useSystemFonts: false, isEvalSupported: false }).promise;
  const page = await doc.getPage(1);
  const content = await page.getTextContent();
  return content.items.map((item) => ("str" in item ? item.str : "")).join(" ").replace(/\s+/g, " ").normalize("NFC");
}

it("is a PDF carrying the tracking code, the applicant, the documents and the legal basis, in Vietnamese", async () => {
  const { cookie } = await s.login("canbo01");
  const res = await fetch(`${s.baseUrl}/dossiers/${code}/giay-tiep-nhan.pdf`, { headers: { cookie } });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/pdf");
  const bytes = new Uint8Array(await res.arrayBuffer());
  expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe("%PDF-");
  const text = await pdfText(bytes);
  expect(text).toContain(code);
  expect(text).toContain("Nguyễn Thị Ánh Tuyết");
  expect(text).toContain("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ");
  expect(text).toContain("Nghị định 23/2015/NĐ-CP");
  expect(text).toMatch(/Thời gian trả kết quả giải quyết hồ sơ: \d{2} giờ \d{2} phút, ngày \d{2}\/\d{2}\/\d{4}/);
});

it("is refused to anyone who does not work on dossiers, and not found in another centre", async () => {
  const admin = await s.login("quantri");
  expect((await fetch(`${s.baseUrl}/dossiers/${code}/giay-tiep-nhan.pdf`, { headers: { cookie: admin.cookie } })).status).toBe(403);
  const officer = await s.login("canbo02");
  expect((await fetch(`${s.baseUrl}/dossiers/DEMO-000101-0001/giay-tiep-nhan.pdf`, { headers: { cookie: officer.cookie } })).status).toBe(404);
});

it("the control slip is a PDF too: its form, the code, each step in its table, the legal basis", async () => {
  const { cookie } = await s.login("canbo01");
  const res = await fetch(`${s.baseUrl}/dossiers/${code}/phieu-kiem-soat.pdf`, { headers: { cookie } });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/pdf");
  const text = await pdfText(new Uint8Array(await res.arrayBuffer()));
  for (const part of ["PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "Mẫu số 06", code, "Tiếp nhận (Đã tiếp nhận)", "Lê Thị Hoa", "Đúng hạn", "Nghị định 23/2015/NĐ-CP"]) expect(text).toContain(part);
});
