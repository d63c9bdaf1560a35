/**
 * Dossiers through /api/v1, as other systems and the counter PC use them: opened from the ticket
 * being served, stepped by the appraiser and the leader in their own sessions, and the visit
 * finished with the dossiers' outcome — settled on the spot, received for later, or refused —
 * whatever outcome the officer sent. Refusals are JSON with a code and change nothing.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dossiers, procedures } from "../../db/schema";
import { hashPassword } from "../../server/auth/password";
import { visitOutcome } from "../../server/dossiers/workflow";
import { deskKit } from "../helpers/desks";
import { DEMO_PASSWORD_FOR_TESTS, startTestServer, type TestServer } from "../helpers/server";

let s: TestServer;
let kiosk: { cookie: string };
let passwordHash: string;
let appraiser: { cookie: string };
let leader: { cookie: string };

beforeAll(async () => {
  s = await startTestServer();
  kiosk = await s.pairedDevice("kiosk");
  passwordHash = await hashPassword(DEMO_PASSWORD_FOR_TESTS);
  appraiser = await s.login("thamdinh");
  leader = await s.login("lanhdao");
}, 120_000);
afterAll(() => s?.close());

const { newField, desk, post, issue, callNext, finish, ticketRow } = deskKit(() => ({ s, kioskCookie: kiosk.cookie, passwordHash }));

async function procedure(code: string) {
  const [p] = await s.db.select().from(procedures).where(eq(procedures.code, code));
  return { id: p!.id, keys: p!.documents.map((d) => d.key) };
}

async function openAtCounter(cookie: string, ticketId: number, code: string) {
  const p = await procedure(code);
  const res = await post("/dossiers", cookie, { procedureId: p.id, ticketId, applicantName: "Hà Thị Thu", applicantIdNumber: "031190004567", applicantPhone: "0904 555 666", received: p.keys });
  expect(res.status).toBe(201);
  return res.body.data as { id: number; code: string; state: string };
}

const step = (cookie: string, id: number, action: string, reason?: string) => post(`/dossiers/${id}/steps`, cookie, { action, reason });

describe("a visit that opened dossiers ends with their outcome", () => {
  it("settled on the spot: received, appraised, approved, result, returned — the ticket is done", async () => {
    const field = await newField();
    const d = await desk([field]);
    await issue(field.id);
    const ticket = await callNext(d);
    const dossier = await openAtCounter(d.officer.cookie, ticket.id, "CT-01");
    expect(dossier.state).toBe("received");
    expect((await step(appraiser.cookie, dossier.id, "appraise")).status).toBe(200);
    // The leader may not return the result; the officer may not approve: JSON refusals, nothing changes.
    const wrong = await step(d.officer.cookie, dossier.id, "approve");
    expect([wrong.status, wrong.body.error.code]).toEqual([403, "dossier_role_not_allowed"]);
    expect((await s.db.select().from(dossiers).where(eq(dossiers.id, dossier.id)))[0]!.state).toBe("appraising");
    expect((await step(leader.cookie, dossier.id, "approve")).status).toBe(200);
    expect((await step(d.officer.cookie, dossier.id, "result")).status).toBe(200);
    expect((await step(d.officer.cookie, dossier.id, "return")).status).toBe(200);
    // The officer sends "needs_dossier": the dossier says it was settled.
    expect((await post(`/tickets/${ticket.id}/finish`, d.officer.cookie, { outcome: "needs_dossier" })).status).toBe(200);
    expect((await ticketRow(ticket.id)).outcome).toBe("done");
  });

  it("received for later: the ticket says the dossier was received, with an appointment", async () => {
    const field = await newField();
    const d = await desk([field]);
    await issue(field.id);
    const ticket = await callNext(d);
    await openAtCounter(d.officer.cookie, ticket.id, "HT-07");
    await finish(d, ticket.id);
    expect((await ticketRow(ticket.id)).outcome).toBe("dossier_received");
  });

  it("refused, then the papers handed back: the ticket says refused", async () => {
    const field = await newField();
    const d = await desk([field]);
    await issue(field.id);
    const ticket = await callNext(d);
    const dossier = await openAtCounter(d.officer.cookie, ticket.id, "CT-03");
    const noReason = await step(appraiser.cookie, dossier.id, "refuse");
    expect([noReason.status, noReason.body.error.code]).toEqual([400, "dossier_reason_required"]);
    expect((await step(appraiser.cookie, dossier.id, "refuse", "Bản chính không khớp bản sao")).status).toBe(200);
    expect((await step(d.officer.cookie, dossier.id, "return")).status).toBe(200);
    await finish(d, ticket.id);
    expect((await ticketRow(ticket.id)).outcome).toBe("dossier_refused");
  });

  it("without a dossier the officer's outcome stands", async () => {
    const field = await newField();
    const d = await desk([field]);
    await issue(field.id);
    const ticket = await callNext(d);
    expect((await post(`/tickets/${ticket.id}/finish`, d.officer.cookie, { outcome: "redirected" })).status).toBe(200);
    expect((await ticketRow(ticket.id)).outcome).toBe("redirected");
  });

  it("opening a dossier for a ticket not being served at one's counter is refused, and spends no code", async () => {
    const field = await newField();
    const [a, b] = [await desk([field]), await desk([field])];
    await issue(field.id);
    const ticket = await callNext(a);
    const before = (await s.db.select().from(dossiers)).length;
    const p = await procedure("CT-01");
    const res = await post("/dossiers", b.officer.cookie, { procedureId: p.id, ticketId: ticket.id, applicantName: "Hà Thị Thu", applicantIdNumber: "031190004567", applicantPhone: "0904555666", received: p.keys });
    expect([res.status, res.body.error.code]).toEqual([409, "ticket_not_yours"]);
    expect((await s.db.select().from(dossiers)).length).toBe(before);
    const bad = await post("/dossiers", a.officer.cookie, { procedureId: p.id, ticketId: ticket.id, applicantName: "Hà Thị Thu", applicantIdNumber: "123", applicantPhone: "0904555666", received: p.keys });
    expect([bad.status, bad.body.error.code]).toEqual([400, "bad_request_field"]);
    expect(bad.body.error.message).toContain("12 chữ số");
  });
});

describe("visitOutcome", () => {
  it.each([
    [[], null],
    [[{ state: "returned", refused: false }], "done"],
    [[{ state: "returned", refused: true }], "dossier_refused"],
    [[{ state: "stopped", refused: true }], "dossier_refused"],
    [[{ state: "refused", refused: true }], "dossier_refused"],
    [[{ state: "received", refused: false }], "dossier_received"],
    [[{ state: "returned", refused: false }, { state: "appraising", refused: false }], "dossier_received"],
    [[{ state: "returned", refused: false }, { state: "returned", refused: true }], "done"],
  ] as const)("%j → %s", (list, outcome) => {
    expect(visitOutcome(list)).toBe(outcome);
  });
});
