/**
 * Fixtures for tests that drive the counter through the HTTP API: fields, counters and officers
 * of a test's own (so tests never share a queue), the API calls a counter PC makes, and a check
 * that a refused request wrote nothing.
 */
import { asc, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect } from "vitest";
import { hashPassword } from "../../server/auth/password";
import { centres, counterFields, counters, fields, ticketEvents, ticketNumbers, tickets, users, type Counter, type Field } from "../../db/schema";
import { DEMO_PASSWORD_FOR_TESTS, startTestServer, type TestServer } from "./server";

type Response = Awaited<ReturnType<TestServer["request"]>>;
export type Officer = Awaited<ReturnType<TestServer["login"]>>;
export type Desk = { field: Field; counter: Counter; officer: Officer };

/** `world()` is read at each call: the server, the kiosk's cookie and a password hash for new officers. */
export function deskKit(world: () => { s: TestServer; kioskCookie: string; passwordHash: string }) {
  let serial = 0;
  let fieldSerial = 0;


  async function newField(name?: string): Promise<Field> {
    const n = fieldSerial++;
    const prefix = `${"QRSTUVWXYZ"[Math.floor(n / 26)]}${String.fromCharCode(65 + (n % 26))}`;
    const [field] = await world().s.db
      .insert(fields)
      .values({ centreId: world().s.seeded.centreId, code: `T${prefix}`, name: name ?? `Lĩnh vực thử ${prefix}`, prefix, sortOrder: 100 + n })
      .returning();
    return field!;
  }

  async function newOfficer(): Promise<Officer> {
    const n = serial++;
    await world().s.db
      .insert(users)
      .values({ centreId: world().s.seeded.centreId, username: `canbothu${n}`, fullName: `Cán bộ thử ${n}`, role: "officer", passwordHash: world().passwordHash });
    return world().s.login(`canbothu${n}`);
  }

  /** A new counter serving `served` (a new field when omitted), with a new officer signed in to it through the API. */
  async function desk(served?: Field[]): Promise<Desk> {
    const list = served ?? [await newField()];
    const n = serial++;
    const [counter] = await world().s.db
      .insert(counters)
      .values({ centreId: world().s.seeded.centreId, number: 100 + n, name: `Quầy ${100 + n}` })
      .returning();
    await world().s.db.insert(counterFields).values(list.map((f) => ({ counterId: counter!.id, fieldId: f.id })));
    const officer = await newOfficer();
    const signIn = await world().s.request("POST", `/api/v1/counters/${counter!.id}/sign-in`, { cookie: officer.cookie });
    expect(signIn.status).toBe(200);
    return { field: list[0]!, counter: counter!, officer };
  }

  const post = (path: string, cookie?: string, body?: unknown) => world().s.request("POST", `/api/v1${path}`, { cookie, body });

  async function issue(fieldId: number, priorityClassId?: number) {
    const res = await post("/kiosk/tickets", world().kioskCookie, { fieldId, priorityClassId });
    expect(res.status).toBe(201);
    return res.body.data.ticket as { id: number; code: string; issuedAt: string; fieldId: number };
  }

  async function callNext(d: Desk) {
    const res = await post(`/counters/${d.counter.id}/call-next`, d.officer.cookie);
    expect(res.status).toBe(200);
    return res.body.data.ticket as { id: number; code: string; status: string; issuedAt: string };
  }

  async function finish(d: Desk, ticketId: number) {
    const res = await post(`/tickets/${ticketId}/finish`, d.officer.cookie);
    expect(res.status).toBe(200);
  }

  async function ticketRow(id: number) {
    const [row] = await world().s.db.select().from(tickets).where(eq(tickets.id, id));
    return row!;
  }

  const eventsOf = (ticketId: number) =>
    world().s.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticketId)).orderBy(asc(ticketEvents.id));

  const counterRow = async (id: number) => (await world().s.db.select().from(counters).where(eq(counters.id, id)))[0]!;

  /** Everything a queue action may write: tickets, daily numbers, counters, the event log and the centre's sequence. */
  async function dbState() {
    const [events] = await world().s.db.select({ n: count() }).from(ticketEvents);
    const [centre] = await world().s.db.select({ seq: centres.eventSeq }).from(centres).where(eq(centres.id, world().s.seeded.centreId));
    return {
      tickets: await world().s.db.select().from(tickets).orderBy(asc(tickets.id)),
      numbers: await world().s.db.select().from(ticketNumbers).orderBy(asc(ticketNumbers.fieldId), asc(ticketNumbers.serviceDate)),
      counters: await world().s.db.select().from(counters).orderBy(asc(counters.id)),
      events: events!.n,
      seq: centre!.seq,
    };
  }

  /** Runs a request that must be refused with `status`/`code` (and exactly `message`), and checks it changed nothing. */
  async function refused(act: () => Promise<Response>, status: number, code: string, message?: string): Promise<Response> {
    const before = await dbState();
    const res = await act();
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    if (message === undefined) expect(res.body.error.code).toBe(code);
    else expect(res.body).toEqual({ error: { code, message } });
    expect(await dbState()).toEqual(before);
    return res;
  }

  return { newField, newOfficer, desk, post, issue, callNext, finish, ticketRow, eventsOf, counterRow, dbState, refused };
}

/**
 * The usual world of a counter test file: a server, a paired kiosk and a password hash for new
 * officers, made in the file's beforeAll and closed in its afterAll; `world.s` etc. are set from then.
 */
export function deskWorld(options: Parameters<typeof startTestServer>[0] = {}) {
  const world = {} as { s: TestServer; kioskCookie: string; passwordHash: string };
  beforeAll(async () => {
    world.s = await startTestServer(options);
    world.passwordHash = await hashPassword(DEMO_PASSWORD_FOR_TESTS);
    world.kioskCookie = (await world.s.pairedDevice("kiosk")).cookie;
  });
  afterAll(() => world.s?.close());
  return { world, kit: deskKit(() => world) };
}
