/**
 * The statements of the call path are planned once per connection, not at every run (decision
 * 0005). PostgreSQL plans a prepared statement for its values the first five runs, then keeps
 * one plan for every run (the generic plan) unless that one looks dearer. A value bound where
 * the statement could have written it — a LIMIT, the status a partial index is defined by —
 * makes the generic plan look dearer for good: the statement is then planned again at every
 * call, which cost PostgreSQL more than running it (the call's read: 0.46 ms of planning to
 * 0.09 ms of execution a call in the province benchmark).
 *
 * On PostgreSQL in both runs (PGlite keeps no plans between statements): one connection, so
 * every statement the path prepared is in that connection's `pg_prepared_statements`.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "../../db/rows";
import type { ServiceDeps } from "../../server/context";
import { seedDemo } from "../../server/demo/seed";
import { staffEveryCounter } from "../../server/demo/staffed-centre";
import { finishTicket } from "../../server/queue/at-counter";
import { callNextTicket } from "../../server/queue/calling";
import { issueTicket } from "../../server/queue/issuing";
import { kioskActor, NO_KIOSK_PACE, recordingPublisher } from "../helpers/actors";
import { createTestDatabase } from "../helpers/database";

let drop: () => Promise<void>;
let deps: ServiceDeps;

beforeAll(async () => {
  const test = await createTestDatabase({ max: 1, postgres: true });
  drop = test.drop;
  deps = { db: test.handle.db, events: recordingPublisher([]), config: NO_KIOSK_PACE };
}, 60_000);
afterAll(() => drop?.());

describe("the call path's statements on PostgreSQL", () => {
  it("are planned once, not at every call (no value bound that the plan needs to know)", async () => {
    const { centreId, fieldIds } = await seedDemo(deps.db, { password: "PlanCache@Test1" }).then(async (seeded) => ({
      centreId: seeded.centreId,
      fieldIds: (await rowsOf(deps.db, sql`select id from fields where centre_id = ${seeded.centreId} order by id`)).map((r) => Number(r.id)),
    }));
    const { staff } = await staffEveryCounter(deps, { centreId, fieldIds: [fieldIds[0]!], usernamePrefix: "kehoach" });
    const kiosk = await kioskActor(deps.db, centreId);
    const CALLS = 12;
    for (let i = 0; i < CALLS + 2; i++) await issueTicket(deps, kiosk, { fieldId: fieldIds[0]! });
    const { actor, counterId } = staff[0]!;
    for (let i = 0; i < CALLS; i++) {
      const called = await callNextTicket(deps, actor, { counterId });
      await finishTicket(deps, actor, { ticketId: called.ticket.id });
    }

    type Prepared = { statement: string; generic_plans: number; custom_plans: number };
    const prepared = (await rowsOf(deps.db, sql`select statement, generic_plans::int, custom_plans::int from pg_prepared_statements`)) as Prepared[];
    const runs = (s: Prepared) => Number(s.generic_plans) + Number(s.custom_plans);
    // The call's read (desk, active ticket, queue heads), the claim, the finish: each ran at every call.
    for (const needle of ['"head_id"', "skip locked", "as officer_name"]) {
      expect(prepared.filter((s) => s.statement.includes(needle) && runs(s) >= CALLS), `one statement with ${needle} run ${CALLS} times`).toHaveLength(1);
    }
    // Every statement the path ran that often: five plans for its values while PostgreSQL
    // compares, then the one plan at every run.
    const often = prepared.filter((s) => runs(s) >= CALLS && !/^(begin|commit|rollback)/i.test(s.statement));
    const planned = often.map((s) => ({ statement: s.statement.replace(/\s+/g, " ").slice(0, 100), custom: Number(s.custom_plans), generic: Number(s.generic_plans) }));
    expect(planned).toEqual(planned.map((p) => ({ ...p, custom: 5, generic: p.custom + p.generic - 5 })));
  }, 60_000);

  it("keeps one prepared statement per text and parameter types, and reuses it (patches/postgres+3.4.9.patch)", async () => {
    // postgres.js keys its statements by the text, then the parameters' types (the patch: no
    // types-plus-text string made at every query); a boolean and a string bound to the same text
    // are two statements, each prepared once and then only run (as drizzle's are: `prepare: true`).
    const client = (deps.db as unknown as { $client: { unsafe(text: string, values: unknown[], options: { prepare: boolean }): Promise<Array<{ v: string }>> } }).$client;
    const text = "select $1::text as v /* statement keys */";
    const answers: string[] = [];
    for (let i = 0; i < 3; i++) {
      answers.push((await client.unsafe(text, [true], { prepare: true }))[0]!.v);
      answers.push((await client.unsafe(text, [`mot ${i}`], { prepare: true }))[0]!.v);
    }
    expect(answers).toEqual(["true", "mot 0", "true", "mot 1", "true", "mot 2"]);
    const prepared = await rowsOf(deps.db, sql`select parameter_types::text as types, (generic_plans + custom_plans)::int as runs from pg_prepared_statements where statement like '%statement keys%' order by 1`);
    expect(prepared.map((r) => ({ types: String(r.types), runs: Number(r.runs) }))).toEqual([
      { types: "{boolean}", runs: 3 },
      { types: "{text}", runs: 3 },
    ]);
  });
});
