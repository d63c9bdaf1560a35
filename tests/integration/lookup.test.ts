/**
 * The citizen's lookup: the right code and phone digits show the dossier's state and dates and
 * nothing personal; a wrong code and a wrong phone read the same; repeated wrong tries are throttled.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { procedures, users } from "../../db/schema";
import { openDossier } from "../../server/dossiers/dossiers";
import { takeStep } from "../../server/dossiers/steps";
import { startTestServer, type TestServer } from "../helpers/server";

let s: TestServer;
let code: string;

beforeAll(async () => {
  s = await startTestServer({ pages: true });
  const [canbo] = await s.db.select().from(users).where(eq(users.username, "canbo01"));
  const [procedure] = await s.db.select().from(procedures).where(eq(procedures.code, "HT-05"));
  const officer = { kind: "user" as const, userId: canbo!.id, centreId: s.seeded.centreId, role: "officer" as const };
  const deps = { db: s.db, events: { publish: () => {}, endConnections: () => {} } };
  const opened = await openDossier(deps, officer, {
    procedureId: procedure!.id,
    applicantName: "Phạm Thị Lan",
    applicantIdNumber: "001190054321",
    applicantPhone: "0987 654 321",
    received: procedure!.documents.map((d) => d.key),
  });
  if (!opened.ok) throw new Error("not opened");
  code = opened.value.code;
  await takeStep(deps, officer, { dossierId: opened.value.id, action: "supplement", reason: "Thiếu bản sao giấy khai sinh của con" });
}, 120_000);
afterAll(() => s?.close());

const look = (form: Record<string, string>, address = "10.0.0.1") => s.request("POST", "/tra-cuu", { form, headers: { "x-forwarded-for": address } });

describe("/tra-cuu", () => {
  it("shows the state, the dates and what is missing, and nothing personal", async () => {
    const res = await look({ code: code.toLowerCase(), phone: "4321" });
    expect(res.status).toBe(200);
    const html = String(res.body);
    expect(html).toContain(code);
    expect(html).toContain("Chờ bổ sung");
    expect(html).toContain("Thiếu bản sao giấy khai sinh của con");
    for (const personal of ["Phạm Thị Lan", "001190054321", "0987654321"]) expect(html).not.toContain(personal);
  });

  it("answers a wrong phone and a wrong code alike, and throttles repeated wrong tries of a code", async () => {
    const wrongPhone = String((await look({ code, phone: "1111" }, "10.0.0.2")).body);
    const wrongCode = String((await look({ code: "DEMO-990101-0001", phone: "4321" }, "10.0.0.2")).body);
    const tell = (html: string) => html.includes("Không tìm thấy hồ sơ khớp") && !html.includes("lookup-result");
    expect(tell(wrongPhone)).toBe(true);
    expect(tell(wrongCode)).toBe(true);
    // Four more wrong tries of the code from elsewhere, then the right one is held back too.
    for (let i = 0; i < 4; i++) await look({ code, phone: "2222" }, `10.0.1.${i}`);
    const held = await look({ code, phone: "4321" }, "10.0.0.9");
    expect(held.status).toBe(429);
    expect(String(held.body)).toContain("tra cứu sai quá nhiều lần");
  });

  it("refuses a malformed code with the format to use", async () => {
    const res = await look({ code: "abc", phone: "12" });
    expect(res.status).toBe(400);
    expect(String(res.body)).toContain("TRUNGTAM-YYMMDD-NNNN");
  });
});
