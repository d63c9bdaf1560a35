import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { counterFields, counters, ticketEvents, tickets } from "../../db/schema";
import { seedDemo } from "../../server/demo/seed";
import type { ServiceDeps } from "../../server/context";
import { isAppError } from "../../server/errors";
import type { QueueEvent } from "../../server/realtime/events";
import type { UserActor } from "../../server/auth/permissions";
import { finishTicket } from "../../server/queue/at-counter";
import { callNextTicket } from "../../server/queue/calling";
import { issueTicket } from "../../server/queue/issuing";
import { kioskActor, recordingPublisher, NO_KIOSK_PACE } from "../helpers/actors";
import { createTestDatabase, onPostgres } from "../helpers/database";
import { staffEveryCounter } from "../../server/demo/staffed-centre";

// On PostgreSQL (DATABASE_URL) this is real concurrency over a pool of connections; on the
// embedded PGlite (one connection) the same operations interleave between transactions.
const COUNTERS = 10;
const KIOSKS = 10;
const TICKETS = 200;

let drop: () => Promise<void>;
let deps: ServiceDeps;
const published: QueueEvent[] = [];
let centreId: number;
let fieldId: number;
const staff: Array<{ actor: UserActor; counterId: number }> = [];
let kiosk: Awaited<ReturnType<typeof kioskActor>>;

beforeAll(async () => {
  const test = await createTestDatabase({ max: COUNTERS + KIOSKS + 2 });
  drop = test.drop;
  deps = { db: test.handle.db, events: recordingPublisher(published), config: NO_KIOSK_PACE };
  const seeded = await seedDemo(deps.db, { password: "Concurrency@Test1" });
  centreId = seeded.centreId;
  const [first] = await deps.db.select().from(counters).where(and(eq(counters.centreId, centreId), eq(counters.number, 1)));
  const [field] = await deps.db.select({ id: counterFields.fieldId }).from(counterFields).where(eq(counterFields.counterId, first!.id));
  fieldId = field!.id;
  // Every counter serves the same field, so all ten compete for the same 200 tickets.
  const staffed = await staffEveryCounter(deps, { centreId, fieldIds: [fieldId], usernamePrefix: "dongthoi" });
  expect(staffed.counterRows).toHaveLength(COUNTERS);
  staff.push(...staffed.staff);
  kiosk = await kioskActor(deps.db, centreId);
}, 120_000);
afterAll(() => drop?.());

describe(`concurrency on ${onPostgres() ? "PostgreSQL" : "PGlite"}`, () => {
  it(`${KIOSKS} kiosks issuing at once get gapless, unique numbers`, async () => {
    const perKiosk = TICKETS / KIOSKS;
    const issued = await Promise.all(
      Array.from({ length: KIOSKS }, async () => {
        const codes: string[] = [];
        for (let i = 0; i < perKiosk; i++) {
          const { ticket } = await issueTicket(deps, kiosk, { fieldId });
          codes.push(ticket.code);
        }
        return codes;
      }),
    );
    const codes = issued.flat();
    expect(new Set(codes).size).toBe(TICKETS);
    const rows = await deps.db.select({ number: tickets.number }).from(tickets).where(eq(tickets.fieldId, fieldId));
    expect(rows.map((r) => r.number).sort((a, b) => a - b)).toEqual(Array.from({ length: TICKETS }, (_, i) => i + 1));
  });

  it(`${COUNTERS} counters calling at once call every ticket exactly once`, async () => {
    const calledBy = new Map<number, number[]>();
    await Promise.all(
      staff.map(async ({ actor, counterId }) => {
        for (;;) {
          let ticketId: number;
          try {
            ({
              ticket: { id: ticketId },
            } = await callNextTicket(deps, actor, { counterId }));
          } catch (error) {
            if (isAppError(error) && error.code === "queue_empty") return;
            throw error;
          }
          calledBy.set(ticketId, [...(calledBy.get(ticketId) ?? []), counterId]);
          await finishTicket(deps, actor, { ticketId });
        }
      }),
    );
    expect(calledBy.size).toBe(TICKETS);
    expect([...calledBy.values()].filter((byCounters) => byCounters.length !== 1)).toEqual([]);
    if (onPostgres()) {
      // Real parallelism: the work was spread over the counters, not done by one.
      expect(new Set([...calledBy.values()].map(([c]) => c)).size).toBeGreaterThan(1);
    }

    const all = await deps.db.select().from(tickets).where(eq(tickets.fieldId, fieldId));
    expect(all.every((t) => t.status === "done")).toBe(true);
    const calls = await deps.db
      .select()
      .from(ticketEvents)
      .where(and(eq(ticketEvents.centreId, centreId), eq(ticketEvents.type, "called")));
    expect(calls).toHaveLength(TICKETS);
    expect(new Set(calls.map((e) => e.ticketId)).size).toBe(TICKETS);
  });

  it("gives every published event its own sequence number, with no gaps", () => {
    const seqs = published.map((e) => e.seq).sort((a, b) => a - b);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs.at(-1)! - seqs[0]! + 1).toBe(seqs.length);
  });
});
