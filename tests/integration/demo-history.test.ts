/**
 * The demo's past (server/demo/history.ts) keeps every rule the live services keep: gapless
 * numbers and their ticket_numbers rows, codes as issuing forms them, first call ≤ call ≤ finish,
 * an event log that replays to each ticket's status in seq = time order up to the centre's
 * event_seq, ratings of done tickets only, dossiers with codes, numbers and steps as the services
 * write them — only on working days, nothing today or later, the same seed giving the same data,
 * and the day-end sweep finding nothing of it to close.
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { centres } from "../../db/schema";
import { calendarFor } from "../../server/calendar/calendars";
import { isWorkingDay } from "../../server/calendar/working-days";
import { generateHistory, type HistorySummary } from "../../server/demo/history";
import { seedDemo } from "../../server/demo/seed";
import { DEFAULT_SESSION_POLICY } from "../../server/auth/session";
import { runDayEnd } from "../../server/queue/day-end";
import { createTestDatabase } from "../helpers/database";

/** 10:00 on Wednesday 2 December 2026, Vietnam time. */
const NOW = new Date("2026-12-02T03:00:00Z");
const TODAY = "2026-12-02";
const TODAY_START = "2026-12-02T00:00:00+07:00";
const OPTIONS = { days: 6, seed: "test-seed", now: NOW };

let db: { handle: DatabaseHandle; drop(): Promise<void> };
let centreId: number;
let summary: HistorySummary;

beforeAll(async () => {
  db = await createTestDatabase();
  ({ centreId } = await seedDemo(db.handle.db, { password: "Demo@History1" }));
  summary = await generateHistory(db.handle.db, { centreId, ...OPTIONS });
}, 120_000);
afterAll(() => db?.drop());

/** Rows of a query, whichever driver answers. */
async function rows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await db.handle.db.execute(query)) as unknown as { rows?: T[] } & T[];
  return result.rows ?? [...result];
}
const one = async (query: ReturnType<typeof sql>) => Number(Object.values((await rows<Record<string, unknown>>(query))[0]!)[0]);

describe("the demo's history", () => {
  it("writes the working days before today, with tickets, events, ratings, dossiers and appointments", async () => {
    expect(summary.days).toBe(6);
    expect(summary.lastDay! < TODAY).toBe(true);
    expect(summary.tickets).toBeGreaterThan(6 * 150);
    expect(summary.events).toBeGreaterThan(summary.tickets * 3);
    expect(summary.ratings).toBeGreaterThan(0);
    expect(summary.dossiers).toBeGreaterThan(0);
    expect(summary.appointments).toBeGreaterThan(0);
    expect(await one(sql`select count(*) from tickets where centre_id = ${centreId}`)).toBe(summary.tickets);
    expect(await one(sql`select count(*) from ticket_events where centre_id = ${centreId}`)).toBe(summary.events);

    const calendar = await calendarFor(db.handle.db, centreId);
    const days = await rows<{ d: string }>(sql`select distinct service_date::text as d from tickets order by 1`);
    expect(days).toHaveLength(6);
    for (const { d } of days) expect(isWorkingDay(d, calendar), d).toBe(true);
  });

  it("numbers each field's tickets of a day 1…n in issue order, as ticket_numbers says, with issuing's codes", async () => {
    // The field a ticket was issued in is its issued event's (a transfer changes the ticket's field, never its number).
    const issued = sql`select t.*, e.field_id as origin from tickets t join ticket_events e on e.ticket_id = t.id and e.type = 'issued'`;
    expect(
      await one(sql`select count(*) from (select origin, service_date, count(*) n, count(distinct number) d, min(number) lo, max(number) hi from (${issued}) x group by 1, 2) g
        left join ticket_numbers tn on tn.field_id = g.origin and tn.service_date = g.service_date
        where not (g.n = g.d and g.lo = 1 and g.hi = g.n and tn.last_number = g.n)`),
    ).toBe(0);
    expect(await one(sql`select count(*) from ticket_numbers tn where not exists (select 1 from tickets t where t.service_date = tn.service_date)`)).toBe(0);
    expect(
      await one(sql`select count(*) from (${issued}) x join fields f on f.id = x.origin where x.code <> f.prefix || lpad(x.number::text, 3, '0')`),
    ).toBe(0);
    // Issue order: a later number is never issued earlier.
    expect(
      await one(sql`select count(*) from (select issued_at, lag(issued_at) over (partition by origin, service_date order by number) prev from (${issued}) x) y where issued_at < prev`),
    ).toBe(0);
  });

  it("keeps issued ≤ first call ≤ call ≤ finish, and the columns of each status", async () => {
    expect(
      await one(sql`select count(*) from tickets where first_called_at < issued_at or called_at < first_called_at or finished_at < called_at
        or (called_at is null) <> (first_called_at is null)`),
    ).toBe(0);
    expect(await one(sql`select count(*) from tickets where status = 'done' and (finished_at is null or called_at is null or outcome is null or counter_id is null or officer_id is null)`)).toBe(0);
    expect(await one(sql`select count(*) from tickets where status = 'no_show' and (no_show_at is null or counter_id is not null or recall_count < 2)`)).toBe(0);
    expect(await one(sql`select count(*) from tickets where status in ('waiting', 'called')`)).toBe(0);
    expect(await one(sql`select count(*) from tickets where status = 'done' and outcome = 'dossier_received' and not exists (select 1 from dossiers d where d.ticket_id = tickets.id)`)).toBe(0);
  });

  it("has an event log that replays to every ticket's status, in seq order = time order, up to the centre's event_seq", async () => {
    const log = sql`select e.*, lag(to_status) over w as prev_to, row_number() over w as k, lag(created_at) over (order by seq) as prev_at, lag(seq) over (order by seq) as prev_seq
      from ticket_events e window w as (partition by ticket_id order by seq)`;
    // Each transition starts where the previous one ended; the first is the issue.
    expect(await one(sql`select count(*) from (${log}) x where (k = 1 and (type <> 'issued' or from_status is not null)) or (k > 1 and from_status is distinct from prev_to)`)).toBe(0);
    // The last event says the ticket's status.
    expect(
      await one(sql`select count(*) from tickets t join lateral (select to_status from ticket_events e where e.ticket_id = t.id order by seq desc limit 1) last on true where last.to_status <> t.status`),
    ).toBe(0);
    // Every done ticket was issued, called and finished.
    expect(
      await one(sql`select count(*) from tickets t where t.status = 'done' and (
        not exists (select 1 from ticket_events e where e.ticket_id = t.id and e.type = 'issued')
        or not exists (select 1 from ticket_events e where e.ticket_id = t.id and e.type in ('called', 'called_out_of_order'))
        or not exists (select 1 from ticket_events e where e.ticket_id = t.id and e.type = 'finished' and e.details->>'outcome' = t.outcome::text))`),
    ).toBe(0);
    // Strictly increasing seq, never earlier in time than the one before.
    expect(await one(sql`select count(*) from (${log}) x where prev_seq is not null and (seq <= prev_seq or created_at < prev_at)`)).toBe(0);
    const [centre] = await db.handle.db.select().from(centres).where(eq(centres.id, centreId));
    expect(await one(sql`select max(seq) from ticket_events where centre_id = ${centreId}`)).toBe(centre!.eventSeq);
    expect(centre!.closedThrough).toBe("2026-12-01");
    // Details as event-details.ts shapes them.
    expect(await one(sql`select count(*) from ticket_events where type = 'called_out_of_order' and (details->>'reason' is null or (details->>'reason' = 'other' and details->>'note' is null))`)).toBe(0);
    expect(await one(sql`select count(*) from ticket_events where type = 'recalled' and (details->>'recallCount')::int < 1`)).toBe(0);
    expect(await one(sql`select count(*) from ticket_events where type in ('issued', 'called', 'no_show') and details is not null`)).toBe(0);
    expect(await one(sql`select count(*) from ticket_events where type = 'called_out_of_order'`)).toBeGreaterThan(0);
  });

  it("rates only done tickets, once, with who served them where", async () => {
    expect(
      await one(sql`select count(*) from ratings r join tickets t on t.id = r.ticket_id where t.status <> 'done'
        or r.officer_id is distinct from t.officer_id or r.counter_id is distinct from t.counter_id or r.field_id is distinct from t.field_id
        or r.created_at < t.finished_at or (r.value = 'unsatisfied' and jsonb_array_length(r.reasons) = 0 and r.comment is null)`),
    ).toBe(0);
    expect(await one(sql`select count(*) from ratings r where r.dossier_id is not null and not exists (select 1 from dossiers d where d.id = r.dossier_id and d.ticket_id = r.ticket_id)`)).toBe(0);
  });

  it("writes dossiers with the day's gapless codes, steps that replay to their state, and a handful still open", async () => {
    expect(
      await one(sql`select count(*) from (select to_char(received_at at time zone 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD') d, count(*) n, max(right(code, 4)::int) hi
        from dossiers group by 1) g left join dossier_numbers dn on dn.day::text = g.d where not (g.n = g.hi and dn.last_number = g.n)`),
    ).toBe(0);
    expect(await one(sql`select count(*) from dossiers where code !~ ('^DEMO-' || to_char(received_at at time zone 'Asia/Ho_Chi_Minh', 'YYMMDD') || '-[0-9]{4}$')`)).toBe(0);
    const steps = sql`select s.*, lag(to_state) over w prev_to, row_number() over w k, lead(id) over w next_id from dossier_steps s window w as (partition by dossier_id order by created_at, id)`;
    expect(await one(sql`select count(*) from (${steps}) x where (k = 1 and action <> 'receive') or (k > 1 and from_state is distinct from prev_to)`)).toBe(0);
    expect(await one(sql`select count(*) from (${steps}) x join dossiers d on d.id = x.dossier_id where x.next_id is null and x.to_state <> d.state`)).toBe(0);
    expect(await one(sql`select count(*) from dossiers where due_at < received_at`)).toBe(0);
    expect(await one(sql`select count(*) from dossiers where state not in ('returned', 'stopped')`)).toBeLessThanOrEqual(4);
  });

  it("writes nothing today or later", async () => {
    const at = sql`${TODAY_START}::timestamptz`;
    expect(
      await one(sql`select (select count(*) from tickets where service_date >= ${TODAY}::date or issued_at >= ${at} or finished_at >= ${at} or no_show_at >= ${at})
        + (select count(*) from ticket_events where created_at >= ${at})
        + (select count(*) from ratings where created_at >= ${at})
        + (select count(*) from dossier_steps where created_at >= ${at})
        + (select count(*) from dossiers where received_at >= ${at} or updated_at >= ${at})
        + (select count(*) from appointments where day >= ${TODAY}::date or created_at >= ${at} or cancelled_at >= ${at})`),
    ).toBe(0);
  });

  it("leaves the day-end sweep nothing to close, and live events continue after it", async () => {
    const before = await one(sql`select count(*) from ticket_events`);
    const digest = await one(sql`select count(*) from tickets where status = 'expired'`);
    const done = await runDayEnd({ db: db.handle.db, events: { publish: () => {}, endConnections: () => {} }, now: () => NOW }, { sessionPolicy: DEFAULT_SESSION_POLICY });
    expect(done.expired).toBe(0);
    expect(await one(sql`select count(*) from ticket_events`)).toBe(before);
    expect(await one(sql`select count(*) from tickets where status = 'expired'`)).toBe(digest);
  });

  it("refuses a centre that already has tickets", async () => {
    await expect(generateHistory(db.handle.db, { centreId, ...OPTIONS })).rejects.toThrow(/already has tickets/);
  });

  it("gives the same data for the same seed", async () => {
    const other = await createTestDatabase();
    try {
      const seeded = await seedDemo(other.handle.db, { password: "Demo@History1" });
      const again = await generateHistory(other.handle.db, { centreId: seeded.centreId, ...OPTIONS });
      expect({ ...again, ms: 0 }).toEqual({ ...summary, ms: 0 });
      const fingerprint = sql`select md5(string_agg(x, '|' order by x)) from (
        select concat_ws(',', id, field_id, code, status, channel, priority, issued_at, called_at, first_called_at, finished_at, outcome, counter_id, officer_id) x from tickets
        union all select concat_ws(',', ticket_id, seq, type, to_status, counter_id, details::text, created_at) from ticket_events
        union all select concat_ws(',', ticket_id, value, reasons::text, comment, created_at) from ratings
        union all select concat_ws(',', code, applicant_name, state, due_at, updated_at) from dossiers) all_rows`;
      const mine = (await rows<{ md5: string }>(fingerprint))[0]!.md5;
      const result = (await other.handle.db.execute(fingerprint)) as unknown as { rows?: Array<{ md5: string }> } & Array<{ md5: string }>;
      expect((result.rows ?? [...result])[0]!.md5).toBe(mine);
    } finally {
      await other.drop();
    }
  }, 120_000);
});
