/**
 * Opening dossiers: the procedure's mandatory documents, the applicant's identity number and
 * phone, a due date from the working-day calendar, and tracking codes that are gapless and
 * unique per centre and day — also when 20 are opened at once (on PostgreSQL, at once for real).
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { dossierNumbers, dossiers, dossierSteps, fields, procedures, users } from "../../db/schema";
import type { UserActor } from "../../server/auth/permissions";
import type { ServiceDeps } from "../../server/context";
import { seedDemo } from "../../server/demo/seed";
import { listProcedures, openDossier, type OpenDossierInput } from "../../server/dossiers/dossiers";
import { receiptData } from "../../server/dossiers/receipt";
import { dossierWork, takeStep } from "../../server/dossiers/steps";
import type { StaffNotice } from "../../server/realtime/events";
import { isAppError } from "../../server/errors";
import { recordingPublisher } from "../helpers/actors";
import { createTestDatabase } from "../helpers/database";

// Tuesday 1 December 2026, 09:00 in Vietnam.
const NOW = new Date("2026-12-01T02:00:00Z");

let db: Database;
let drop: () => Promise<void>;
let deps: ServiceDeps;
let officer: UserActor;
let centreId: number;
const procedureId = new Map<string, number>();

beforeAll(async () => {
  const test = await createTestDatabase({ max: 24 });
  db = test.handle.db;
  drop = test.drop;
  centreId = (await seedDemo(db, { password: "Dossiers@Test#2026" })).centreId;
  deps = { db, events: recordingPublisher([]), now: () => NOW };
  const [canbo] = await db.select().from(users).where(eq(users.username, "canbo01"));
  officer = { kind: "user", userId: canbo!.id, centreId, role: "officer" };
  for (const p of await db.select().from(procedures)) procedureId.set(p.code, p.id);
}, 60_000);
afterAll(() => drop?.());

const applicant = { applicantName: "Nguyễn Thị Mai", applicantIdNumber: "001190012345", applicantPhone: "0912 345 678", applicantAddress: "Số 5 ngõ 12, phường Cửa Nam" };
const allDocuments = async (code: string) => (await db.select().from(procedures).where(eq(procedures.code, code)))[0]!.documents.map((d) => d.key);

describe("the procedure catalogue", () => {
  it("the demo centre offers real procedures across its fields", async () => {
    const list = await listProcedures(deps, officer);
    expect(list.length).toBeGreaterThanOrEqual(20);
    const fieldIds = new Set(list.map((p) => p.fieldId));
    expect(fieldIds.size).toBeGreaterThanOrEqual(6);
    const birth = list.find((p) => p.name === "Đăng ký khai sinh")!;
    expect(birth).toMatchObject({ onTheSpot: true, processingDays: 0, fee: "Miễn lệ phí" });
    expect(birth.documents.filter((d) => d.mandatory).length).toBeGreaterThan(0);
    const [ht] = await db.select().from(fields).where(and(eq(fields.centreId, centreId), eq(fields.code, "HT")));
    expect(birth.fieldId).toBe(ht!.id);
  });
});

describe("opening a dossier", () => {
  it("gets the day's first code, its due date in working days, and its first step", async () => {
    const opened = await openDossier(deps, officer, { ...applicant, procedureId: procedureId.get("HT-05")!, received: await allDocuments("HT-05") });
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    // 3 working days from Tuesday 1/12: Wed 2, Thu 3, Fri 4.
    expect(opened.value).toMatchObject({ code: "DEMO-261201-0001", state: "received", countsFrom: "2026-12-01", dueDay: "2026-12-04", applicantPhone: "0912345678" });
    const steps = await db.select().from(dossierSteps).where(eq(dossierSteps.dossierId, opened.value.id));
    expect(steps).toMatchObject([{ action: "receive", fromState: null, toState: "received", actorUserId: officer.userId }]);
  });

  it("refuses a missing mandatory document, a wrong identity number or phone, an unknown procedure — and spends no code", async () => {
    const before = (await db.select().from(dossiers)).length;
    const refused = async (input: OpenDossierInput) => {
      try {
        const result = await openDossier(deps, officer, input);
        return result.ok ? null : Object.keys(result.fieldErrors);
      } catch (error) {
        if (isAppError(error)) return error.code;
        throw error;
      }
    };
    const birth = { ...applicant, procedureId: procedureId.get("HT-01")! };
    expect(await refused({ ...birth, received: [] })).toBe("dossier_missing_document");
    expect(await refused({ ...birth, received: await allDocuments("HT-01"), applicantIdNumber: "12345" })).toEqual(["applicantIdNumber"]);
    expect(await refused({ ...birth, received: await allDocuments("HT-01"), applicantIdNumber: "999190012345" })).toEqual(["applicantIdNumber"]);
    expect(await refused({ ...birth, received: await allDocuments("HT-01"), applicantPhone: "12345" })).toEqual(["applicantPhone"]);
    expect(await refused({ ...birth, received: await allDocuments("HT-01"), applicantName: "  " })).toEqual(["applicantName"]);
    expect(await refused({ ...birth, procedureId: 999_999, received: [] })).toBe("procedure_not_found");
    expect(await refused({ ...birth, received: await allDocuments("HT-01"), ticketId: 999_999 })).toBe("ticket_not_yours");
    expect((await db.select().from(dossiers)).length).toBe(before);
    const opened = await openDossier(deps, officer, { ...birth, received: await allDocuments("HT-01") });
    expect(opened.ok && opened.value.code).toBe("DEMO-261201-0002");
    // On the spot: due the same day.
    expect(opened.ok && opened.value.dueDay).toBe("2026-12-01");
  });

  it("gives 20 dossiers opened at once 20 consecutive, unique codes", async () => {
    const [row] = await db.select().from(dossierNumbers).where(eq(dossierNumbers.centreId, centreId));
    const start = row!.lastNumber;
    const documents = await allDocuments("CT-01");
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        openDossier(deps, officer, { ...applicant, applicantName: `Người nộp ${i + 1}`, procedureId: procedureId.get("CT-01")!, received: documents }),
      ),
    );
    const codes = results.map((r) => (r.ok ? r.value.code : "refused")).sort();
    expect(codes).toEqual(Array.from({ length: 20 }, (_, i) => `DEMO-261201-${String(start + i + 1).padStart(4, "0")}`));
  });
});

describe("a dossier's steps", () => {
  const notices: StaffNotice[] = [];
  let appraiser: UserActor;
  let approver: UserActor;
  beforeAll(async () => {
    deps = { ...deps, events: { ...recordingPublisher([]), notify: (n: StaffNotice) => void notices.push(n) } };
    // The demo's appraiser and approver.
    const [a] = await db.select().from(users).where(eq(users.username, "thamdinh"));
    const [b] = await db.select().from(users).where(eq(users.username, "lanhdao"));
    appraiser = { kind: "user", userId: a!.id, centreId, role: "appraiser" };
    approver = { kind: "user", userId: b!.id, centreId, role: "approver" };
  });

  const stateOf = async (id: number) => (await db.select().from(dossiers).where(eq(dossiers.id, id)))[0]!.state;
  const stepsOf = async (id: number) => (await db.select().from(dossierSteps).where(eq(dossierSteps.dossierId, id))).length;

  it("goes received → appraising → approved → result ready → returned, each by its role, each step written and announced", async () => {
    const opened = await openDossier(deps, officer, { ...applicant, procedureId: procedureId.get("HT-06")!, received: await allDocuments("HT-06") });
    if (!opened.ok) throw new Error("not opened");
    const id = opened.value.id;
    expect((await dossierWork(deps, appraiser)).map((d) => d.code)).toContain(opened.value.code);
    expect((await dossierWork(deps, approver)).map((d) => d.code)).not.toContain(opened.value.code);

    // Refused: approval before appraisal, by the wrong role; nothing changes.
    await expect(takeStep(deps, approver, { dossierId: id, action: "approve" })).rejects.toMatchObject({ code: "dossier_needs_appraisal" });
    await expect(takeStep(deps, officer, { dossierId: id, action: "appraise" })).rejects.toMatchObject({ code: "dossier_role_not_allowed" });
    expect(await stateOf(id)).toBe("received");
    expect(await stepsOf(id)).toBe(1);

    await takeStep(deps, appraiser, { dossierId: id, action: "appraise" });
    expect((await dossierWork(deps, approver)).find((d) => d.id === id)?.actions).toEqual(["approve", "refuse", "pause", "stop"]);
    await takeStep(deps, approver, { dossierId: id, action: "approve" });
    await expect(takeStep(deps, officer, { dossierId: id, action: "return" })).rejects.toMatchObject({ code: "dossier_step_not_allowed" });
    await takeStep(deps, officer, { dossierId: id, action: "result" });
    await takeStep(deps, officer, { dossierId: id, action: "return" });
    expect(await stateOf(id)).toBe("returned");
    expect(await stepsOf(id)).toBe(5);
    expect(notices.flatMap((n) => (n.type === "dossier.changed" && n.dossier.id === id ? [n.dossier.state] : []))).toEqual(["received", "appraising", "approved", "result_ready", "returned"]);
  });

  it("a procedure decided without a separate appraisal is approved from its receipt; a refusal needs its reason; another centre's dossier is not found", async () => {
    await db.update(procedures).set({ needsAppraisal: false }).where(eq(procedures.code, "HT-01"));
    const opened = await openDossier(deps, officer, { ...applicant, procedureId: procedureId.get("HT-01")!, received: await allDocuments("HT-01") });
    if (!opened.ok) throw new Error("not opened");
    expect((await dossierWork(deps, approver)).map((d) => d.code)).toContain(opened.value.code);
    await expect(takeStep(deps, approver, { dossierId: opened.value.id, action: "refuse", reason: "  " })).rejects.toMatchObject({ code: "dossier_reason_required" });
    await takeStep(deps, approver, { dossierId: opened.value.id, action: "approve" });
    expect(await stateOf(opened.value.id)).toBe("approved");
    await expect(takeStep(deps, { ...approver, centreId: centreId + 1000 }, { dossierId: opened.value.id, action: "stop", reason: "x" })).rejects.toMatchObject({ code: "dossier_not_found" });
  });
  it("a procedure decided by the appraiser: the leader may not approve it, the appraiser does, and it waits in the appraiser's list", async () => {
    await db.update(procedures).set({ approverRole: "appraiser", needsAppraisal: false }).where(eq(procedures.code, "CT-01"));
    const opened = await openDossier(deps, officer, { ...applicant, procedureId: procedureId.get("CT-01")!, received: await allDocuments("CT-01") });
    if (!opened.ok) throw new Error("not opened");
    expect((await dossierWork(deps, approver)).map((d) => d.code)).not.toContain(opened.value.code);
    expect((await dossierWork(deps, appraiser)).find((d) => d.code === opened.value.code)?.actions).toContain("approve");
    await expect(takeStep(deps, approver, { dossierId: opened.value.id, action: "approve" })).rejects.toMatchObject({ code: "dossier_role_not_allowed" });
    expect(await stateOf(opened.value.id)).toBe("received");
    await takeStep(deps, appraiser, { dossierId: opened.value.id, action: "approve" });
    expect(await stateOf(opened.value.id)).toBe("approved");
  });

  it("the receipt lists the documents as they were received, after the catalogue changed", async () => {
    const docs = (await db.select().from(procedures).where(eq(procedures.code, "HT-06")))[0]!.documents;
    const opened = await openDossier(deps, officer, { ...applicant, procedureId: procedureId.get("HT-06")!, received: docs.map((d) => d.key) });
    if (!opened.ok) throw new Error("not opened");
    // The first document renamed, the last withdrawn from the procedure.
    await db
      .update(procedures)
      .set({ documents: [{ ...docs[0]!, name: "Tên mới của giấy tờ" }, ...docs.slice(1, -1)] })
      .where(eq(procedures.code, "HT-06"));
    const receipt = await receiptData(deps, officer, { code: opened.value.code, publicUrl: "https://motcua.example.gov.vn" });
    expect(receipt.dossier.documents.map((d) => d.name)).toEqual(docs.map((d) => d.name));
  });
});
