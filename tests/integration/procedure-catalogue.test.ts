/**
 * The procedure catalogue as a centre's administrator keeps it (server/dossiers/catalogue.ts):
 * create, change, stop and resume offering; each refusal names its input and writes nothing;
 * codes unique per centre; only the centre's own fields; only its administrator; open dossiers
 * keep their due date and their documents' names; each change audited in its transaction.
 * Then the same through /api/v1: JSON errors with a code.
 */
import { and, desc, eq, like, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { auditEvents, centres, dossiers, fields, procedures, users } from "../../db/schema";
import type { UserActor } from "../../server/auth/permissions";
import type { ServiceDeps } from "../../server/context";
import { seedDemo } from "../../server/demo/seed";
import { openDossier } from "../../server/dossiers/dossiers";
import { keyFromName, listCatalogue, saveProcedure, setProcedureActive, type ProcedureInput } from "../../server/dossiers/catalogue";
import { t } from "../../server/i18n";
import { recordingPublisher } from "../helpers/actors";
import { createTestDatabase } from "../helpers/database";
import { startTestServer, type TestServer } from "../helpers/server";

// Tuesday 1 December 2026, 09:00 in Vietnam.
const NOW = new Date("2026-12-01T02:00:00Z");

let db: Database;
let drop: () => Promise<void>;
let deps: ServiceDeps;
let centreId: number;
let admin: UserActor;
let officer: UserActor;
let otherAdmin: UserActor;
let sysadminElsewhere: UserActor;
const field = new Map<string, number>();
let otherFieldId: number;

beforeAll(async () => {
  const test = await createTestDatabase();
  db = test.handle.db;
  drop = test.drop;
  centreId = (await seedDemo(db, { password: "Catalogue@Test#2026" })).centreId;
  deps = { db, events: recordingPublisher([]), now: () => NOW };
  const byName = async (username: string) => (await db.select().from(users).where(eq(users.username, username)))[0]!;
  admin = { kind: "user", userId: (await byName("quantri")).id, centreId, role: "admin" };
  officer = { kind: "user", userId: (await byName("canbo01")).id, centreId, role: "officer" };
  for (const f of await db.select().from(fields).where(eq(fields.centreId, centreId))) field.set(f.code, f.id);
  // A second centre with its own administrator and field.
  const [b] = await db.insert(centres).values({ code: "XA_B", name: "Trung tâm xã B", level: "commune" }).returning();
  const [fb] = await db.insert(fields).values({ centreId: b!.id, code: "HT", name: "Hộ tịch xã B", prefix: "A" }).returning();
  otherFieldId = fb!.id;
  const [adminB] = await db.insert(users).values({ centreId: b!.id, username: "quantri.xab", fullName: "Quản trị xã B", role: "admin", passwordHash: "x" }).returning();
  otherAdmin = { kind: "user", userId: adminB!.id, centreId: b!.id, role: "admin" };
  // A deployment administrator whose session works in centre B.
  const [sys] = await db.insert(users).values({ centreId, username: "hethong", fullName: "Quản trị hệ thống", role: "sysadmin", passwordHash: "x" }).returning();
  sysadminElsewhere = { kind: "user", userId: sys!.id, centreId: b!.id, role: "sysadmin" };
}, 60_000);
afterAll(() => drop?.());

const valid = (over: Partial<ProcedureInput> = {}): ProcedureInput => ({
  fieldId: field.get("HT")!,
  code: "HT-99",
  name: "Cấp bản sao trích lục hộ tịch",
  level: "commune",
  legalBasis: "Luật Hộ tịch 2014, Điều 63; Nghị định 123/2015/NĐ-CP",
  documents: [
    { name: "Tờ khai cấp bản sao trích lục theo mẫu", form: "original", count: 1, mandatory: true },
    { name: "Giấy tờ tùy thân của người yêu cầu", form: "copy", count: 1, mandatory: true },
  ],
  processingDays: 0,
  fee: "8.000 đồng/bản",
  onTheSpot: true,
  needsAppraisal: false,
  approverRole: "appraiser",
  ...over,
});

const catalogueRows = () => db.select().from(procedures).orderBy(procedures.id);
const auditRows = () => db.select().from(auditEvents).where(like(auditEvents.action, "procedure.%")).orderBy(auditEvents.id);
const applicant = { applicantName: "Nguyễn Thị Mai", applicantIdNumber: "001190012345", applicantPhone: "0912 345 678" };

describe("creating, changing and withdrawing a procedure", () => {
  let id = 0;

  it("creates a procedure with keys made from its documents' names, at the end of the list, audited", async () => {
    const saved = await saveProcedure(deps, admin, valid());
    expect(saved.ok).toBe(true);
    if (!saved.ok) return;
    id = saved.value.id;
    expect(saved.value).toMatchObject({ centreId, code: "HT-99", onTheSpot: true, processingDays: 0, processingHours: null, approverRole: "appraiser", isActive: true });
    expect(saved.value.documents.map((d) => d.key)).toEqual(["to_khai_cap_ban_sao_trich_luc_th", "giay_to_tuy_than_cua_nguoi_yeu_c"]);
    expect(saved.value.sortOrder).toBeGreaterThan(22);
    const [row] = await db.select().from(auditEvents).where(eq(auditEvents.action, "procedure.created"));
    expect(row).toMatchObject({ centreId, actorUserId: admin.userId, targetType: "procedure", targetId: id });
    expect(row!.after).toMatchObject({ code: "HT-99", fee: "8.000 đồng/bản" });
    expect((await listCatalogue(deps, admin)).find((p) => p.id === id)).toMatchObject({ fieldName: expect.any(String), code: "HT-99" });
  });

  it("keeps the keys of existing documents on an edit, and gives a new one a key no document had", async () => {
    const [before] = await db.select().from(procedures).where(eq(procedures.id, id));
    const kept = before!.documents;
    const saved = await saveProcedure(deps, admin, {
      ...valid({ processingDays: null, processingHours: 4, fee: "10.000 đồng/bản" }),
      id,
      documents: [
        { key: kept[1]!.key, name: "Giấy tờ tùy thân (xuất trình)", form: "copy", count: 1, mandatory: true },
        // A new document named like the removed one: it must not take the removed one's key.
        { name: "Tờ khai cấp bản sao trích lục theo mẫu", form: "original", count: 2, mandatory: true },
        { name: "Giấy ủy quyền", form: "certified_copy", count: 1, mandatory: false },
      ],
    });
    expect(saved.ok).toBe(true);
    if (!saved.ok) return;
    expect(saved.value.documents.map((d) => d.key)).toEqual([kept[1]!.key, `${kept[0]!.key}_2`, "giay_uy_quyen"]);
    expect(saved.value).toMatchObject({ processingDays: null, processingHours: 4, fee: "10.000 đồng/bản" });
    const [row] = await db.select().from(auditEvents).where(eq(auditEvents.action, "procedure.updated"));
    expect(row!.before).toMatchObject({ processingDays: 0, processingHours: null, fee: "8.000 đồng/bản" });
    expect(row!.after).toMatchObject({ processingDays: null, processingHours: 4, fee: "10.000 đồng/bản" });
    expect(row!.after).not.toHaveProperty("name");
  });

  it("deactivates (no dossier can be opened for it, it stays in the admin's list) and reactivates, audited", async () => {
    const off = await setProcedureActive(deps, admin, { procedureId: id, active: false });
    expect(off.isActive).toBe(false);
    expect((await listCatalogue(deps, admin)).find((p) => p.id === id)?.isActive).toBe(false);
    const keys = off.documents.filter((d) => d.mandatory).map((d) => d.key);
    await expect(openDossier(deps, officer, { ...applicant, procedureId: id, received: keys })).rejects.toMatchObject({ code: "procedure_not_found" });
    expect(await db.select().from(dossiers).where(eq(dossiers.procedureId, id))).toEqual([]);
    // Deactivating again changes nothing and writes nothing.
    const rows = (await auditRows()).length;
    await setProcedureActive(deps, admin, { procedureId: id, active: false });
    expect((await auditRows()).length).toBe(rows);

    const on = await setProcedureActive(deps, admin, { procedureId: id, active: true });
    expect(on.isActive).toBe(true);
    const opened = await openDossier(deps, officer, { ...applicant, procedureId: id, received: keys });
    expect(opened.ok).toBe(true);
    const actions = (await auditRows()).map((r) => r.action);
    expect(actions).toEqual(["procedure.created", "procedure.updated", "procedure.deactivated", "procedure.activated"]);
    const [deactivated] = await db.select().from(auditEvents).where(eq(auditEvents.action, "procedure.deactivated"));
    expect(deactivated).toMatchObject({ before: { isActive: true }, after: { isActive: false }, targetId: id });
  });

  it("an audit row that cannot be written leaves the procedure unchanged", async () => {
    await db.execute(
      sql.raw(`CREATE OR REPLACE FUNCTION audit_test_refuse() RETURNS trigger AS $$
      BEGIN IF NEW.action LIKE 'procedure.%' THEN RAISE EXCEPTION 'audit refused for the test'; END IF; RETURN NEW; END; $$ LANGUAGE plpgsql`),
    );
    await db.execute(sql.raw("CREATE TRIGGER audit_test_refuse BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_test_refuse()"));
    const before = await catalogueRows();
    try {
      await expect(saveProcedure(deps, admin, { ...valid({ fee: "Miễn lệ phí" }), id })).rejects.toThrow();
      await expect(saveProcedure(deps, admin, valid({ code: "HT-98" }))).rejects.toThrow();
      await expect(setProcedureActive(deps, admin, { procedureId: id, active: false })).rejects.toThrow();
    } finally {
      await db.execute(sql.raw("DROP TRIGGER IF EXISTS audit_test_refuse ON audit_events"));
    }
    expect(await catalogueRows()).toEqual(before);
  });
});

describe("refusals: each names its input and writes nothing", () => {
  const long = (n: number) => "a".repeat(n);
  const cases: Array<[string, Partial<ProcedureInput>, string, string]> = [
    ["no name", { name: "   " }, "name", t("procedures.error.name", { max: 300 })],
    ["a name too long", { name: long(301) }, "name", t("procedures.error.name", { max: 300 })],
    ["a control character", { name: "Đăng ký\u0000 khai sinh" }, "name", t("validation.controlCharacters")],
    ["no legal basis", { legalBasis: "" }, "legalBasis", t("procedures.error.legalBasis", { max: 1000 })],
    ["no fee", { fee: " " }, "fee", t("procedures.error.fee", { max: 200 })],
    ["a fee too long", { fee: long(201) }, "fee", t("procedures.error.fee", { max: 200 })],
    ["a malformed code", { code: "HT 01!" }, "code", t("procedures.error.code")],
    ["an unknown level", { level: "district" as never }, "level", t("procedures.error.level")],
    ["no documents", { documents: [] }, "documents", t("procedures.error.documents", { max: 30 })],
    [
      "31 documents",
      { documents: Array.from({ length: 31 }, (_, i) => ({ name: `Giấy tờ ${i + 1}`, form: "copy" as const, count: 1, mandatory: false })) },
      "documents",
      t("procedures.error.documents", { max: 30 }),
    ],
    ["a document without a name", { documents: [{ name: "", form: "copy", count: 1, mandatory: true }] }, "documents[0].name", t("procedures.error.documentName", { max: 300 })],
    ["a count of 0", { documents: [{ name: "Tờ khai", form: "copy", count: 0, mandatory: true }] }, "documents[0].count", t("procedures.error.documentCount", { max: 20 })],
    ["a count of 21", { documents: [{ name: "Tờ khai", form: "copy", count: 21, mandatory: true }] }, "documents[0].count", t("procedures.error.documentCount", { max: 20 })],
    ["an unknown form", { documents: [{ name: "Tờ khai", form: "scan" as never, count: 1, mandatory: true }] }, "documents[0].form", t("procedures.error.documentForm")],
    [
      "two documents with one key",
      {
        documents: [
          { key: "to_khai", name: "Tờ khai", form: "original", count: 1, mandatory: true },
          { key: "to_khai", name: "Tờ khai bổ sung", form: "original", count: 1, mandatory: true },
        ],
      },
      "documents[1].name",
      t("procedures.error.documentKeyTaken", { key: "to_khai" }),
    ],
    [
      "two documents with one name",
      {
        documents: [
          { name: "Tờ khai", form: "original", count: 1, mandatory: true },
          { name: "tờ khai", form: "copy", count: 1, mandatory: true },
        ],
      },
      "documents[1].name",
      t("procedures.error.documentNameTaken", { name: "tờ khai" }),
    ],
    ["both days and hours", { processingDays: 1, processingHours: 4 }, "processingDays", t("procedures.error.time")],
    ["neither days nor hours", { processingDays: null, processingHours: null }, "processingDays", t("procedures.error.time")],
    ["366 days", { processingDays: 366, onTheSpot: false }, "processingDays", t("procedures.error.days", { max: 365 })],
    ["0 hours", { processingDays: null, processingHours: 0 }, "processingHours", t("procedures.error.hours", { max: 40 })],
    ["41 hours", { processingDays: null, processingHours: 41, onTheSpot: false }, "processingHours", t("procedures.error.hours", { max: 40 })],
    ["on the spot in 3 days", { processingDays: 3, onTheSpot: true }, "onTheSpot", t("procedures.error.onTheSpot", { max: 8 })],
    ["on the spot in 16 hours", { processingDays: null, processingHours: 16, onTheSpot: true }, "onTheSpot", t("procedures.error.onTheSpot", { max: 8 })],
    ["an unknown approver", { approverRole: "officer" as never }, "approverRole", t("procedures.error.approverRole")],
    ["another centre's field", { fieldId: -1 }, "fieldId", t("procedures.error.field")],
  ];

  for (const [what, change, input, message] of cases) {
    it(`refuses ${what}`, async () => {
      const before = await catalogueRows();
      const audit = (await auditRows()).length;
      const result = await saveProcedure(deps, admin, valid({ code: "HT-77", ...change }));
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.fieldErrors[input]).toContain(message);
      expect(await catalogueRows()).toEqual(before);
      expect((await auditRows()).length).toBe(audit);
    });
  }

  it("refuses a field of another centre, with a clear message", async () => {
    const result = await saveProcedure(deps, admin, valid({ code: "HT-77", fieldId: otherFieldId }));
    expect(result).toEqual({ ok: false, fieldErrors: { fieldId: [t("procedures.error.field")] } });
  });

  it("accepts on the spot in 0 days or in at most 8 hours, and 365 days otherwise", async () => {
    for (const [code, change] of [
      ["HT-81", { processingDays: 0, onTheSpot: true }],
      ["HT-82", { processingDays: null, processingHours: 8, onTheSpot: true }],
      ["HT-83", { processingDays: 365, onTheSpot: false }],
      ["HT-84", { processingDays: null, processingHours: 40, onTheSpot: false }],
    ] as const) {
      expect((await saveProcedure(deps, admin, valid({ code, ...change }))).ok, code).toBe(true);
    }
  });

  it("refuses a code the centre already uses — in any case — and writes nothing", async () => {
    const before = await catalogueRows();
    const result = await saveProcedure(deps, admin, valid({ code: "ht-01" }));
    expect(result).toEqual({ ok: false, fieldErrors: { code: [t("procedures.error.codeTaken", { code: "HT-01", name: "Đăng ký khai sinh" })] } });
    // …also by renaming another procedure to it.
    const [other] = await db.select().from(procedures).where(eq(procedures.code, "HT-81"));
    const renamed = await saveProcedure(deps, admin, { ...valid({ code: "HT-01" }), id: other!.id });
    expect(renamed.ok).toBe(false);
    expect(await catalogueRows()).toEqual(before);
  });

  it("lets another centre use the same code", async () => {
    const saved = await saveProcedure(deps, otherAdmin, valid({ code: "HT-01", fieldId: otherFieldId }));
    expect(saved.ok).toBe(true);
  });
});

describe("who may see and change the catalogue", () => {
  it("an officer can neither list nor change it", async () => {
    const [birth] = await db.select().from(procedures).where(and(eq(procedures.centreId, centreId), eq(procedures.code, "HT-01")));
    const before = await catalogueRows();
    await expect(listCatalogue(deps, officer)).rejects.toMatchObject({ code: "forbidden" });
    await expect(saveProcedure(deps, officer, valid({ code: "HT-70" }))).rejects.toMatchObject({ code: "forbidden" });
    await expect(saveProcedure(deps, officer, { ...valid(), id: birth!.id })).rejects.toMatchObject({ code: "forbidden" });
    await expect(setProcedureActive(deps, officer, { procedureId: birth!.id, active: false })).rejects.toMatchObject({ code: "forbidden" });
    expect(await catalogueRows()).toEqual(before);
  });

  it("another centre's administrator (and a sysadmin working there) neither see nor change this centre's procedures", async () => {
    const [birth] = await db.select().from(procedures).where(and(eq(procedures.centreId, centreId), eq(procedures.code, "HT-01")));
    const before = await catalogueRows();
    for (const actor of [otherAdmin, sysadminElsewhere]) {
      const list = await listCatalogue(deps, actor);
      expect(list.every((p) => p.centreId === actor.centreId)).toBe(true);
      expect(list.some((p) => p.id === birth!.id)).toBe(false);
      await expect(saveProcedure(deps, actor, { ...valid({ fieldId: otherFieldId, code: "HT-71" }), id: birth!.id })).rejects.toMatchObject({ code: "procedure_not_found" });
      await expect(setProcedureActive(deps, actor, { procedureId: birth!.id, active: false })).rejects.toMatchObject({ code: "procedure_not_found" });
    }
    expect(await catalogueRows()).toEqual(before);
  });
});

describe("open dossiers and an edited procedure", () => {
  it("keep their due date, and the names of the documents received (also of a document removed since)", async () => {
    const [proc] = await db.select().from(procedures).where(and(eq(procedures.centreId, centreId), eq(procedures.code, "HT-05")));
    const opened = await openDossier(deps, officer, { ...applicant, procedureId: proc!.id, received: proc!.documents.map((d) => d.key) });
    if (!opened.ok) throw new Error("not opened");
    const before = opened.value;

    const edited = await saveProcedure(deps, admin, {
      id: proc!.id,
      fieldId: proc!.fieldId,
      code: proc!.code,
      name: proc!.name,
      level: proc!.level,
      legalBasis: proc!.legalBasis,
      fee: proc!.fee,
      onTheSpot: false,
      needsAppraisal: proc!.needsAppraisal,
      approverRole: proc!.approverRole,
      processingDays: 15,
      // The first document is dropped, the second renamed.
      documents: proc!.documents.slice(1).map((d, i) => (i === 0 ? { ...d, name: `${d.name} (đã sửa)` } : d)),
    });
    expect(edited.ok).toBe(true);

    const [after] = await db.select().from(dossiers).where(eq(dossiers.id, before.id));
    expect(after!.dueDay).toBe(before.dueDay);
    expect(after!.dueAt).toEqual(before.dueAt);
    expect(after!.documents).toEqual(before.documents);
    expect(after!.documents.map((d) => d.name)).toEqual(proc!.documents.map((d) => d.name));
    expect(after!.documents[0]).toMatchObject({ key: proc!.documents[0]!.key, name: proc!.documents[0]!.name, form: proc!.documents[0]!.form, received: true });

    // A dossier opened now counts 15 working days.
    const keys = edited.ok ? edited.value.documents.filter((d) => d.mandatory).map((d) => d.key) : [];
    const later = await openDossier(deps, officer, { ...applicant, procedureId: proc!.id, received: keys });
    if (!later.ok) throw new Error("not opened");
    expect(later.value.dueDay > before.dueDay).toBe(true);
  });

  it("a key made from a name never reuses a key an open dossier received", () => {
    expect(keyFromName("Giấy chứng nhận đăng ký hộ kinh doanh – bản gốc")).toBe("giay_chung_nhan_dang_ky_ho_kinh");
    expect(keyFromName("Đơn đề nghị")).toBe("don_de_nghi");
    expect(keyFromName("!!!")).toBe("giay_to");
  });
});

describe("/api/v1/procedures", () => {
  let s: TestServer;
  let adminCookie: string;
  beforeAll(async () => {
    s = await startTestServer();
    adminCookie = (await s.login("quantri")).cookie;
  }, 120_000);
  afterAll(() => s?.close());

  it("lists, creates, changes, deactivates and reactivates, answering refusals as JSON with a code", async () => {
    const list = await s.request("GET", "/api/v1/procedures", { cookie: adminCookie });
    expect(list.status).toBe(200);
    expect(list.body.data.procedures).toHaveLength(22);

    const ht = (list.body.data.procedures as Array<{ fieldId: number; fieldCode: string }>).find((p) => p.fieldCode === "HT")!;
    const input = { ...valid(), fieldId: ht.fieldId, processingDays: 0 };
    const created = await s.request("POST", "/api/v1/procedures", { cookie: adminCookie, body: input });
    expect(created.status).toBe(201);
    const id = created.body.data.procedure.id as number;

    const duplicate = await s.request("POST", "/api/v1/procedures", { cookie: adminCookie, body: input });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.error).toEqual({ code: "bad_request_field", message: t("procedures.error.codeTaken", { code: "HT-99", name: input.name }) });

    const bad = await s.request("POST", `/api/v1/procedures/${id}`, { cookie: adminCookie, body: { ...input, processingDays: 3, onTheSpot: true } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe(t("procedures.error.onTheSpot", { max: 8 }));

    const changed = await s.request("POST", `/api/v1/procedures/${id}`, { cookie: adminCookie, body: { ...input, fee: "Miễn lệ phí" } });
    expect(changed.status).toBe(200);
    expect(changed.body.data.procedure.fee).toBe("Miễn lệ phí");

    const off = await s.request("POST", `/api/v1/procedures/${id}/deactivate`, { cookie: adminCookie, body: {} });
    expect(off.body.data.procedure.isActive).toBe(false);
    const on = await s.request("POST", `/api/v1/procedures/${id}/activate`, { cookie: adminCookie, body: {} });
    expect(on.body.data.procedure.isActive).toBe(true);

    const missing = await s.request("POST", "/api/v1/procedures/999999/deactivate", { cookie: adminCookie, body: {} });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("procedure_not_found");

    const officerCookie = (await s.login("canbo01")).cookie;
    const refused = await s.request("POST", `/api/v1/procedures/${id}`, { cookie: officerCookie, body: { ...input, fee: "1 đồng" } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("forbidden");

    const audit = await s.db.select().from(auditEvents).where(like(auditEvents.action, "procedure.%")).orderBy(desc(auditEvents.id));
    expect(audit.map((r) => r.action)).toEqual(["procedure.activated", "procedure.deactivated", "procedure.updated", "procedure.created"]);
  });
});
