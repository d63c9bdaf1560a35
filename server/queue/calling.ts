/** Calling a ticket to a counter: the next one by the queue policy, or a specific one with a reason. */
import { and, eq, isNull, notInArray, or, sql, type SQLWrapper } from "drizzle-orm";
import type { Database, Queryable, Transaction } from "../../db/client";
import { fixedLimit, placeholders, preparedOn } from "../../db/prepared";
import { counterFields, counters, fields, ticketNumbers, tickets, users, type Ticket } from "../../db/schema";
import { staffOf, type Actor } from "../auth/permissions";
import { clock, inTransaction, Outbox, publishOutbox, waitAside, type ServiceDeps } from "../context";
import { AppError } from "../errors";
import { serviceDate } from "../time";
import { type callableAt, fieldState } from "./callable";
import { activeTicketAt, deskColumns, lockDesk, lockTicket, toDesk, transitionAtCounter, transitionAtCounterAlone, type Desk } from "./internal";
import { preparedChange } from "./event-log";
import { KeyedTurns } from "./turns";
import { pickNextTicket, type FieldQueueState } from "./policy";
import type { OutOfOrderReason } from "./reasons";
import { expireTicket } from "./release";

/**
 * Calls the next ticket for a counter, in two round trips and without a transaction held across
 * either (decision 0005):
 *
 * 1. reads, sent together and locking nothing: the desk (counter, officer's name, fields), the
 *    heads of the queues this counter may call with each field's policy and streak of the day,
 *    and the counter's active ticket; the queue policy (server/queue/policy.ts) chooses in Node;
 * 2. one statement, its own transaction, that takes the desk's row lock, checks the desk is as
 *    read (the officer at it, not paused, nobody being served) and the candidate fields' streaks
 *    are the ones the choice was made with (their rows locked, so the values are current), then
 *    claims the chosen ticket FOR UPDATE SKIP LOCKED, moves its field's streak, bumps the
 *    centre's sequence and appends the event.
 *
 * When the statement finds anything changed since the reads — another counter took the ticket,
 * called in one of the fields, the officer paused — it writes nothing and the call reads again
 * (a ticket another transaction holds is passed over). A centre's calls take turns in this
 * process (`centreTurns`), so within one process they never race each other; across processes
 * the checks of step 2 keep every choice the one the policy makes on what the others left.
 */
export async function callNextTicket(deps: ServiceDeps, actor: Actor, input: { counterId: number }) {
  const officer = staffOf(actor, "counter.operate");
  const call = () =>
    centreTurns.run(officer.centreId, async () => {
      const taken: number[] = [];
      for (let attempt = 0; attempt < CALL_ATTEMPTS; attempt++) {
        // Read at each try: the ageing of a ticket is judged at the time it is called.
        const now = clock(deps);
        const day = serviceDate(now);
        const where = { counterId: input.counterId, centreId: officer.centreId, officerId: officer.userId, day };
        const read = await readForCall(deps.db, where, taken);
        if (!read) throw new AppError("counter_not_found");
        const { desk, heads, active } = read;
        if (desk.counter.officerId !== officer.userId) throw new AppError("not_at_counter");
        if (desk.counter.status === "paused") throw new AppError("counter_paused");
        if (active && active.serviceDate < day) {
          // Left from a past day (nobody finished it before midnight): closed, then the call goes on.
          await closeStaleActive(deps, active.id, input.counterId, now);
          continue;
        }
        if (active) throw new AppError("counter_busy", { code: active.code });
        const pick = pickNextTicket(heads, statesOf(heads), now);
        if (!pick) throw new AppError("queue_empty");
        const outbox = new Outbox();
        const called = await claimCall(deps.db, outbox, { desk, pick: pick.id, heads, userId: officer.userId, now, day });
        if (called) {
          publishOutbox(deps, outbox);
          return called;
        }
        taken.push(pick.id);
      }
      throw new AppError("call_contended");
    }, waitAside(deps));
  return deps.metrics ? deps.metrics.timeCallNext(call) : call();
}

/** How many times a call reads again when what it read changed before its claim (each try is two round trips). */
const CALL_ATTEMPTS = 12;

/**
 * Step 2 of {@link callNextTicket}: the checks, the claim and its writes in one statement. Locks,
 * in this order: the counter row, the candidate fields' rows of the day (ordered), the ticket
 * (skipped if held), the centre row — the order the other writers take them in, so none
 * deadlocks. Null when a check failed or the ticket was gone: nothing was written.
 */
function claimCall(
  db: Database,
  outbox: Outbox,
  input: { desk: Desk; pick: number; heads: QueueHead[]; userId: number; now: Date; day: string },
) {
  const { desk, now, userId, day } = input;
  return transitionAtCounterAlone(outbox, {
    publish: "ticket.called",
    desk,
    statement: claimStatement(db),
    values: {
      counterId: desk.counter.id,
      userId,
      day,
      // The streak each candidate field had when the policy chose (absent row: 0).
      expected: JSON.stringify(Object.fromEntries(input.heads.map((h) => [h.fieldId, h.streak ?? 0]))),
      pick: input.pick,
      now: now.toISOString(),
    },
    now,
  });
}

/** The statement of {@link claimCall}, built once (db/prepared.ts); its placeholders are the values claimCall gives. */
const claimStatement = preparedChange((db) => {
  const { counterId, userId, day, expected, pick, now } = placeholders("counterId", "userId", "day", "expected", "pick", "now");
  const prelude = sql`desk as (
      select id from ${counters} where id = ${counterId} and officer_id = ${userId} and status <> 'paused' for no key update
    ),
    streaks as (
      select field_id, priority_streak from ${ticketNumbers}
      -- "= any(array(…))": probes of the primary key; an IN over jsonb_each_text was planned as a scan of every field-day row.
      where field_id = any(array(select key::int from jsonb_each_text(${expected}::jsonb))) and service_date = ${day}::date and exists (select 1 from desk)
      order by field_id for no key update
    ),
    fits as (
      select 1 from desk
      where not exists (select 1 from ${tickets} a where a.counter_id = ${counterId} and a.status = 'called')
        and not exists (
          select 1 from jsonb_each_text(${expected}::jsonb) e left join streaks s on s.field_id = e.key::int
          where coalesce(s.priority_streak, 0) <> e.value::int
        )
    ),`;
  const at = sql`${now}::timestamptz`;
  return {
    prelude,
    update: db
      .update(tickets)
      .set({ status: "called", counterId: sql`${counterId}::int`, officerId: sql`${userId}::int`, calledAt: at, firstCalledAt: sql`coalesce(${tickets.firstCalledAt}, ${at})`, announcedAt: at, recallCount: 0 })
      .where(sql`${tickets.id} in (select t.id from ${tickets} t where t.id = ${pick} and t.status = 'waiting' and exists (select 1 from fits) for update skip locked)`)
      .returning(),
    also: streakMove,
    event: { type: "called", from: "waiting", actor: { userId }, counterId },
  };
});

/** The CTE `also` of a call: its field's streak of the day — a priority call lengthens it, a normal call ends it. */
const streakMove = sql`also as (
  insert into ${ticketNumbers} (field_id, service_date, last_number, priority_streak)
  select c.field_id, c.service_date, 0, case when c.priority > 0 then 1 else 0 end from changed c
  on conflict (field_id, service_date) do update
    set priority_streak = case when excluded.priority_streak = 1 then ${ticketNumbers}.priority_streak + 1 else 0 end
  returning 1
)`;

/** Closes the ticket a counter still holds from a past day, under the counter's lock (decision 0015). */
async function closeStaleActive(deps: ServiceDeps, ticketId: number, counterId: number, now: Date) {
  await inTransaction(deps, async (tx, outbox) => {
    await lockDesk(tx, eq(counters.id, counterId));
    const active = await activeTicketAt(tx, counterId);
    if (active?.id === ticketId && active.serviceDate < serviceDate(now)) await expireTicket(tx, outbox, active, now);
  });
}

/** Calls one waiting ticket out of order: a reason is required and recorded for supervisors. */
export async function callSpecificTicket(
  deps: ServiceDeps,
  actor: Actor,
  input: { counterId: number; ticketId: number; reason?: OutOfOrderReason; note?: string },
) {
  const officer = staffOf(actor, "counter.operate");
  const note = input.note?.trim() || null;
  const reason = input.reason;
  if (!reason || (reason === "other" && !note)) throw new AppError("out_of_order_reason_required");
  return centreTurns.run(officer.centreId, () => {
    const now = clock(deps);
    return inTransaction(deps, async (tx, outbox) => {
      const desk = await lockDeskForCalling(tx, officer, input.counterId);
      await refuseBusyDesk(tx, outbox, { desk, officerId: officer.userId, active: await activeTicketAt(tx, input.counterId), now });
      const { counter } = desk;
      const ticket = await lockTicket(tx, input.ticketId, counter.centreId);
      if (ticket.status !== "waiting" || ticket.serviceDate !== serviceDate(now)) {
        throw new AppError("ticket_not_waiting", { code: ticket.code });
      }
      const targetedHere = ticket.targetCounterId === counter.id || ticket.targetOfficerId === officer.userId;
      const targetedElsewhere = (ticket.targetCounterId ?? ticket.targetOfficerId) !== null && !targetedHere;
      if ((!desk.fieldIds.includes(ticket.fieldId) && !targetedHere) || targetedElsewhere) throw new AppError("ticket_not_for_counter", { code: ticket.code });
      return (await callTicket(tx, outbox, { ticketId: ticket.id, desk, userId: officer.userId, now, outOfOrder: { reason, note } }))!;
    });
  }, waitAside(deps));
}

/** This process's turns of each centre's calls (see callNextTicket). */
const centreTurns = new KeyedTurns<number>();

async function lockDeskForCalling(tx: Transaction, officer: { userId: number; centreId: number }, counterId: number): Promise<Desk> {
  const desk = await lockDesk(tx, and(eq(counters.id, counterId), eq(counters.centreId, officer.centreId))!);
  if (!desk) throw new AppError("counter_not_found");
  return desk;
}

/** A counter calls only when its officer is at it, it is open, and it serves nobody (a ticket left from a past day is closed first). */
async function refuseBusyDesk(tx: Transaction, outbox: Outbox, input: { desk: Desk; officerId: number; active: Ticket | undefined; now: Date }) {
  const { desk: { counter }, active, now } = input;
  if (counter.officerId !== input.officerId) throw new AppError("not_at_counter");
  if (counter.status === "paused") throw new AppError("counter_paused");
  if (active && active.serviceDate < serviceDate(now)) await expireTicket(tx, outbox, active, now);
  else if (active) throw new AppError("counter_busy", { code: active.code });
}

type CallableWhere = { counterId: number; centreId: number; officerId: number; day: string };

/**
 * Step 1 of {@link callNextTicket}, one statement locking nothing: the desk (the counter, its
 * officer's name, its fields), the ticket called at it if any, and the first waiting ticket of
 * each (field, priority or not) queue it may call (`callableAt`) with that field's policy and
 * streak of the day — one row per head, the desk repeated on each (one row without a head when
 * nothing waits). Built once (db/prepared.ts), except on a try that leaves out tickets found taken.
 * Undefined when the centre has no such counter.
 */
export async function readForCall(db: Database, where: CallableWhere, exclude: number[]) {
  const rows = exclude.length ? await callReads(db, where, exclude) : await callReadsOnce(db).execute(where);
  const [first] = rows;
  if (!first) return undefined;
  const desk = toDesk(first);
  // A counter with nothing to call has one row, its head all nulls (the lateral join found none).
  const heads = rows.flatMap(({ head, field, streak }) => (head && head.id !== null ? [{ ...head, field: field!, streak }] : []));
  return { desk, heads, active: first.active };
}

type QueueHead = NonNullable<Awaited<ReturnType<typeof readForCall>>>["heads"][number];

const callReadsOnce = preparedOn((db) =>
  callReads(db, { counterId: sql.placeholder("counterId"), centreId: sql.placeholder("centreId"), officerId: sql.placeholder("officerId"), day: sql.placeholder("day") }, []).prepare("call_reads"),
);

function callReads(db: Queryable, where: Parameters<typeof callableAt>[1], exclude: number[]) {
  // Spelled out: in a one-table subquery drizzle leaves column names unqualified, and the counter's would be read as the ticket's.
  const active = db
    .select({ id: tickets.id, serviceDate: tickets.serviceDate, code: tickets.code })
    .from(tickets)
    .where(sql`${tickets.counterId} = "counters"."id" and ${tickets.status} = 'called'`)
    .as("active");
  const heads = queueHeads(db, where, exclude);
  // Each head's field policy and streak of the day, looked up by key for that head: a plain join
  // let the planner hash every field of the province at each call (a seq scan of `fields`). The
  // LIMIT keeps the lateral subquery from being flattened back into such a join.
  const policy = db
    .select({ queueMode: fields.queueMode, priorityRatio: fields.priorityRatio, ageingCapMinutes: fields.ageingCapMinutes, streak: ticketNumbers.priorityStreak })
    .from(fields)
    .leftJoin(ticketNumbers, and(eq(ticketNumbers.fieldId, fields.id), eq(ticketNumbers.serviceDate, where.day)))
    .where(sql`${fields.id} = ${heads.fieldId}`)
    .limit(fixedLimit(1))
    .as("policy");
  return db
    .select({
      ...deskColumns,
      active: { id: active.id, serviceDate: active.serviceDate, code: active.code },
      head: { id: heads.id, fieldId: heads.fieldId, priority: heads.priority, issuedAt: heads.issuedAt },
      field: { queueMode: policy.queueMode, priorityRatio: policy.priorityRatio, ageingCapMinutes: policy.ageingCapMinutes },
      streak: policy.streak,
    })
    .from(counters)
    .leftJoin(users, eq(users.id, counters.officerId))
    .leftJoinLateral(active, sql`true`)
    .leftJoinLateral(heads, sql`true`)
    .leftJoinLateral(policy, sql`true`)
    .where(and(eq(counters.id, where.counterId), eq(counters.centreId, where.centreId)));
}

/**
 * The heads of the queues the counter (`"counters"` of the enclosing query) may call — the
 * tickets `callableAt` allows that the policy chooses from — read without walking the lines:
 * for each field it serves, the first priority and the first normal ticket sent to nobody in
 * particular, one probe each of `tickets_queue_heads_idx`; beside them, the few tickets sent to
 * this counter or its officer (`tickets_targeted_waiting_idx`). A field may so appear with more
 * than one candidate of a kind (a transfer beside the head); the policy takes the earliest
 * (server/queue/policy.ts groups candidates by field). A test holds it to `callableAt`.
 */
function queueHeads(db: Queryable, where: Parameters<typeof callableAt>[1], exclude: number[]) {
  // The union's columns, typed alike on each side; names of their own (drizzle names an aliased column unqualified in the enclosing query).
  const columnsOf = (t: { id: SQLWrapper; fieldId: SQLWrapper; priority: SQLWrapper; issuedAt: SQLWrapper }) => ({
    id: sql<number>`${t.id}`.mapWith(Number).as("head_id"),
    fieldId: sql<number>`${t.fieldId}`.mapWith(Number).as("head_field_id"),
    priority: sql<boolean>`${t.priority}`.as("head_is_priority"),
    issuedAt: sql<Date>`${t.issuedAt}`.mapWith(tickets.issuedAt).as("head_issued_at"),
  });
  const isPriority = sql<boolean>`${tickets.priority} > 0`;
  const ticket = { id: tickets.id, fieldId: tickets.fieldId, priority: isPriority, issuedAt: tickets.issuedAt };
  // 'waiting' written in the statement, not bound: only then may a plan made once for every call
  // use the partial indexes (their condition names the status), so the statement is planned once,
  // not at each call (decision 0005).
  const waitingToday = and(eq(tickets.serviceDate, where.day), sql`${tickets.status} = 'waiting'`, exclude.length ? notInArray(tickets.id, exclude) : undefined);
  const served = (priority: boolean) => {
    const head = db
      .select({ ...ticket, priority: isPriority.as("is_priority") })
      .from(tickets)
      .where(
        and(
          sql`${tickets.fieldId} = "counter_fields"."field_id"`,
          waitingToday,
          // As the index has it ("not (…)" would be rewritten "priority <= 0", which it cannot serve).
          priority ? isPriority : sql`(${isPriority}) is false`,
          isNull(tickets.targetCounterId),
          isNull(tickets.targetOfficerId),
        ),
      )
      .orderBy(tickets.issuedAt, tickets.id)
      .limit(fixedLimit(1))
      .as(priority ? "priority_head" : "normal_head");
    return db
      .select(columnsOf(head))
      .from(counterFields)
      .innerJoinLateral(head, sql`true`)
      .where(sql`${counterFields.counterId} = "counters"."id"`);
  };
  const targeted = db
    .select(columnsOf(ticket))
    .from(tickets)
    .where(and(eq(tickets.centreId, where.centreId), waitingToday, or(eq(tickets.targetCounterId, where.counterId), eq(tickets.targetOfficerId, where.officerId))));
  return served(true).unionAll(served(false)).unionAll(targeted).as("heads");
}

function statesOf(heads: QueueHead[]): Map<number, FieldQueueState> {
  return new Map(heads.map((h) => [h.fieldId, fieldState(h.field, h.streak)]));
}

/**
 * A call out of order, in the caller's transaction (the desk and the ticket locked): the ticket
 * becomes called at the desk, its event is appended, and its field's streak moves.
 */
async function callTicket(
  tx: Transaction,
  outbox: Outbox,
  input: { ticketId: number; desk: Desk; userId: number; now: Date; outOfOrder: { reason: OutOfOrderReason; note: string | null } },
) {
  const { desk, now, userId } = input;
  const { counter } = desk;
  return transitionAtCounter(tx, outbox, {
    publish: "ticket.called",
    counter,
    desk,
    update: tx
      .update(tickets)
      .set({ status: "called", counterId: counter.id, officerId: userId, calledAt: now, firstCalledAt: sql`coalesce(${tickets.firstCalledAt}, ${now.toISOString()}::timestamptz)`, announcedAt: now, recallCount: 0 })
      .where(eq(tickets.id, input.ticketId))
      .returning(),
    also: streakMove,
    event: { type: "called_out_of_order", from: "waiting", actor: { userId }, details: input.outOfOrder },
    now,
  });
}
