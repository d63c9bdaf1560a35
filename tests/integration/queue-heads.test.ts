/**
 * Call-next reads only the heads of the queues a counter may call (server/queue/calling.ts: one
 * index probe per field and kind, beside the tickets sent to the counter or its officer), not
 * every waiting ticket. This holds that read to the rule it stands for: the tickets `callableAt`
 * allows, the first of each (field, priority or not) queue — on a centre of shuffled tickets:
 * priorities, transfers to counters and officers, tickets called, finished or left from
 * yesterday, and tickets already found taken.
 */
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { counterFields, fields, tickets } from "../../db/schema";
import type { ServiceDeps } from "../../server/context";
import { seedDemo } from "../../server/demo/seed";
import { staffEveryCounter } from "../../server/demo/staffed-centre";
import { callableAt, fieldStates } from "../../server/queue/callable";
import { readForCall } from "../../server/queue/calling";
import { issueTicket } from "../../server/queue/issuing";
import { pickNextTicket } from "../../server/queue/policy";
import { serviceDate } from "../../server/time";
import { kioskActor, NO_KIOSK_PACE, recordingPublisher } from "../helpers/actors";
import { createTestDatabase, onPostgres } from "../helpers/database";

let drop: () => Promise<void>;
let deps: ServiceDeps;
let centreId: number;
let staff: Array<{ userId: number; counterId: number }>;
const day = serviceDate(new Date());

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

beforeAll(async () => {
  const test = await createTestDatabase();
  drop = test.drop;
  deps = { db: test.handle.db, events: recordingPublisher([]), config: NO_KIOSK_PACE };
  const seeded = await seedDemo(deps.db, { password: "QueueHeads@Test1" });
  centreId = seeded.centreId;
  const centreFields = await deps.db.select({ id: fields.id }).from(fields).where(eq(fields.centreId, centreId));
  // Each counter keeps its own fields and also serves the first: queues shared and not.
  staff = (await staffEveryCounter(deps, { centreId, fieldIds: [centreFields[0]!.id], usernamePrefix: "dauhang" })).staff;
  const kiosk = await kioskActor(deps.db, centreId);
  const rnd = random(20261207);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  for (let i = 0; i < 300; i++) await issueTicket(deps, kiosk, { fieldId: pick(centreFields).id });
  const issued = await deps.db.select({ id: tickets.id }).from(tickets).where(eq(tickets.centreId, centreId));
  const start = Date.now() - 3 * 3600_000;
  for (const { id } of issued) {
    const r = rnd();
    const target = pick(staff);
    await deps.db
      .update(tickets)
      .set({
        // Issue times that collide now and then (ties are broken by id).
        issuedAt: new Date(start + Math.floor(rnd() * 60) * 60_000),
        priority: rnd() < 0.25 ? 1 + Math.floor(rnd() * 2) : 0,
        targetCounterId: r < 0.08 ? target.counterId : null,
        targetOfficerId: r >= 0.08 && r < 0.14 ? target.userId : null,
        // Some are no longer waiting, some are yesterday's.
        status: r >= 0.14 && r < 0.3 ? "done" : "waiting",
        serviceDate: r >= 0.3 && r < 0.36 ? serviceDate(new Date(Date.now() - 86_400_000)) : day,
      })
      .where(eq(tickets.id, id));
  }
}, 120_000);
afterAll(() => drop?.());

/** What the rule says: among the tickets the counter may call, the first of each (field, kind) queue. */
async function headsByRule(where: { counterId: number; centreId: number; officerId: number; day: string }, exclude: number[]) {
  const rows = await deps.db
    .selectDistinctOn([tickets.fieldId, sql`${tickets.priority} > 0`], { id: tickets.id })
    .from(tickets)
    .where(and(callableAt(deps.db, where), exclude.length ? sql`${tickets.id} not in ${exclude}` : undefined))
    .orderBy(tickets.fieldId, sql`${tickets.priority} > 0`, tickets.issuedAt, tickets.id);
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

/** The candidates call-next read, reduced to the first of each queue (as the policy takes them). */
function firstOfEach(heads: Array<{ id: number; fieldId: number; priority: boolean; issuedAt: Date }>) {
  const first = new Map<string, (typeof heads)[number]>();
  for (const h of heads) {
    const key = `${h.fieldId}:${h.priority}`;
    const seen = first.get(key);
    if (!seen || h.issuedAt < seen.issuedAt || (h.issuedAt.getTime() === seen.issuedAt.getTime() && h.id < seen.id)) first.set(key, h);
  }
  return [...first.values()].map((h) => h.id).sort((a, b) => a - b);
}

describe(`the heads call-next reads, on ${onPostgres() ? "PostgreSQL" : "PGlite"}`, () => {
  it("are, for every counter, the first ticket of each queue it may call — with and without tickets found taken", async () => {
    const callable = (where: Parameters<typeof callableAt>[1]) =>
      deps.db.select({ id: tickets.id }).from(tickets).where(callableAt(deps.db, where)).then((rows) => new Set(rows.map((r) => r.id)));
    let compared = 0;
    for (const { counterId, userId } of staff) {
      const where = { counterId, centreId, officerId: userId, day };
      const allowed = await callable(where);
      let exclude: number[] = [];
      for (let round = 0; round < 3; round++) {
        const read = await readForCall(deps.db, where, exclude);
        expect(read).toBeDefined();
        const heads = read!.heads;
        // Only tickets the counter may call, none of those excluded…
        for (const h of heads) {
          expect(allowed.has(h.id)).toBe(true);
          expect(exclude).not.toContain(h.id);
        }
        // …and the first of each of its queues, as the rule reads them over every waiting ticket.
        expect(firstOfEach(heads)).toEqual(await headsByRule(where, exclude));
        // The policy chooses the same ticket from either.
        const states = await fieldStates(deps.db, heads.map((h) => h.fieldId), day);
        const byRule = await deps.db.select().from(tickets).where(sql`${tickets.id} in ${[0, ...(await headsByRule(where, exclude))]}`);
        const now = new Date();
        const chosen = pickNextTicket(heads, states, now);
        expect(chosen?.id).toBe(pickNextTicket(byRule.map((t) => ({ id: t.id, fieldId: t.fieldId, priority: t.priority > 0, issuedAt: t.issuedAt })), states, now)?.id);
        if (!chosen) break;
        compared++;
        exclude = [...exclude, chosen.id];
      }
    }
    // The data gave every counter something to choose from.
    expect(compared).toBeGreaterThanOrEqual(staff.length * 2);
  });

  it("with no field served, are the tickets sent to the counter or its officer, whatever their field", async () => {
    const { counterId, userId } = staff.find((x, i) => i > 0 && x.counterId)!;
    const where = { counterId, centreId, officerId: userId, day };
    const sentHere = await deps.db
      .select({ id: tickets.id })
      .from(tickets)
      .where(and(eq(tickets.centreId, centreId), eq(tickets.status, "waiting"), eq(tickets.serviceDate, day), sql`(${tickets.targetCounterId} = ${counterId} or ${tickets.targetOfficerId} = ${userId})`));
    expect(sentHere.length).toBeGreaterThan(0);
    const served = await deps.db.select().from(counterFields).where(eq(counterFields.counterId, counterId));
    await deps.db.delete(counterFields).where(eq(counterFields.counterId, counterId));
    try {
      const read = await readForCall(deps.db, where, []);
      expect(read!.heads.map((h) => h.id).sort((a, b) => a - b)).toEqual(sentHere.map((t) => t.id).sort((a, b) => a - b));
      expect(firstOfEach(read!.heads)).toEqual(await headsByRule(where, []));
    } finally {
      await deps.db.insert(counterFields).values(served);
    }
  });
});
