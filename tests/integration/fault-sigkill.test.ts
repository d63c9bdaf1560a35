import { asc, count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { centres, counters, ticketEvents, ticketNumbers, tickets } from "../../db/schema";
import { faultWorld, freePort, holdRows, httpClient, logIn, startAppProcess, until, type AppChild, type Reply } from "../helpers/app-child";
import { replayProblems } from "../helpers/replay";

// The app as a process of its own is killed (SIGKILL: no shutdown, no last word) twice while
// six officers call and finish and a kiosk and a receptionist issue, all over HTTP; each time
// it is started again on the same database and the load goes on.
// - The first kill comes while every client's request is inside the app, waiting for rows this
//   test holds (mid-transaction, in a statement, or for its centre's turn to call): an issue
//   leaves no trace; a call or a finish, one statement, is done whole or not at all.
// - The second comes at whatever moment the load has reached: a request may have committed
//   and lost its answer, and the clients carry on as real ones would.
// Afterwards the history is checked from the database: every ticket given out (201) is there,
// each field's numbers of the day have no gap, no ticket was served twice or held by two
// counters, every answer the clients got stands, and the event log replays to the tickets.
const OFFICERS = 6;
/** Answers each stretch of load must get before it ends (counted, not timed: the machine may be slow). */
const STRETCH = 25;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("SIGKILL under load, then a restart on the same database (the app as its own process, on PostgreSQL)", () => {
  let world: Awaited<ReturnType<typeof faultWorld>>;
  let app: AppChild | null = null;
  let base = "";
  const request = httpClient(() => base);

  beforeAll(async () => {
    world = await faultWorld({ counters: OFFICERS });
    app = await startAppProcess(world.url, await freePort());
    base = `http://127.0.0.1:${app.port}`;
  }, 60_000);
  // The clients' loops, stopped by the test or, when it fails half-way, here.
  let running = false;
  let load: Array<Promise<void>> = [];
  afterAll(async () => {
    running = false;
    await Promise.all(load);
    if (app?.child.exitCode === null) app.child.kill("SIGKILL");
    await world?.drop();
  });

  /** Everything a queue request may write. */
  const dbState = async () => ({
    tickets: (await world.db.select({ n: count() }).from(tickets))[0]!.n,
    events: (await world.db.select({ n: count() }).from(ticketEvents))[0]!.n,
    numbers: await world.db.select().from(ticketNumbers).orderBy(asc(ticketNumbers.fieldId), asc(ticketNumbers.serviceDate)),
    counters: await world.db.select().from(counters).orderBy(asc(counters.id)),
    seq: (await world.db.select({ seq: centres.eventSeq }).from(centres).where(eq(centres.id, world.centreId)))[0]!.seq,
  });

  it("loses no ticket and serves none twice across two kills", async () => {
    const officers = await Promise.all(world.desks.map((d) => logIn(request, d.username)));
    for (const [i, desk] of world.desks.entries()) {
      expect((await request("POST", `/api/v1/counters/${desk.counter.id}/sign-in`, { cookie: officers[i] })).status).toBe(200);
    }
    const reception = await logIn(request, world.receptionist);
    const issueBody = { fieldId: world.field.id };

    // What the clients were told.
    const issued = new Map<number, string>(); // ticket id → code, from every 201
    const calledAt = new Map<number, number[]>(); // ticket id → the counters a 200 call-next gave it to
    const finished = new Set<number>(); // from every 200 finish
    const unexpected: string[] = [];
    const tally = { ok: 0, cut: 0, refused: 0, busyAfterLoss: 0, doneAfterLoss: 0, empty: 0 };
    /** Each client's request now on its way, by kind. */
    const pending = new Map<string, "call" | "finish" | "issue">();
    const sent = async (who: string, kind: "call" | "finish" | "issue", go: Promise<Reply>) => {
      pending.set(who, kind);
      try {
        return await go;
      } finally {
        pending.delete(who);
      }
    };
    running = true;

    /** False when no answer came: the process died under the request (cut), or was not there (refused). */
    const note = (what: string, res: Reply, expected: number[]) => {
      if (res.status === 0) {
        if (res.error === "ECONNREFUSED") tally.refused++;
        else tally.cut++;
        return false;
      }
      if (!expected.includes(res.status)) unexpected.push(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
      return true;
    };

    const officer = async (i: number) => {
      const { counter } = world.desks[i]!;
      const cookie = officers[i];
      let current: number | null = null;
      while (running) {
        let answered: boolean;
        if (current === null) {
          const res = await sent(`officer ${i}`, "call", request("POST", `/api/v1/counters/${counter.id}/call-next`, { cookie }));
          answered = note("call-next", res, [200, 409]);
          if (res.status === 200) {
            current = res.body.data.ticket.id as number;
            calledAt.set(current, [...(calledAt.get(current) ?? []), counter.id]);
            tally.ok++;
          } else if (res.status === 409 && res.body.error.code === "counter_busy") {
            // A call whose answer died with the process: the counter's page, reloaded, shows its ticket.
            const [held] = await world.db.select().from(tickets).where(eq(tickets.counterId, counter.id));
            current = held?.status === "called" ? held.id : null;
            tally.busyAfterLoss++;
          } else if (res.status === 409) {
            if (res.body.error.code !== "queue_empty") unexpected.push(`call-next: ${JSON.stringify(res.body)}`);
            tally.empty++;
          }
        } else {
          const res = await sent(`officer ${i}`, "finish", request("POST", `/api/v1/tickets/${current}/finish`, { cookie }));
          answered = note("finish", res, [200, 409]);
          if (res.status === 200) {
            finished.add(current);
            current = null;
            tally.ok++;
          } else if (res.status === 409) {
            // Finished by the request whose answer was lost.
            if (res.body.error.code !== "ticket_not_active") unexpected.push(`finish: ${JSON.stringify(res.body)}`);
            current = null;
            tally.doneAfterLoss++;
          }
        }
        await sleep(answered ? 10 : 100);
      }
    };
    const issuer = async (cookie: string, path: string) => {
      while (running) {
        const res = await sent(path, "issue", request("POST", path, { cookie, body: issueBody }));
        const answered = note(`issue ${path}`, res, [201]);
        if (res.status === 201) {
          issued.set(res.body.data.ticket.id, res.body.data.ticket.code);
          tally.ok++;
        }
        await sleep(answered ? 15 : 100);
      }
    };
    const stretch = async (what: string) => {
      const from = tally.ok;
      await until(`${STRETCH} answers ${what}`, 30_000, () => tally.ok - from >= STRETCH);
    };
    const restart = async () => {
      const started = Date.now();
      app = await startAppProcess(world.url, app!.port);
      return Date.now() - started;
    };

    const started = Date.now();
    load = [
      ...world.desks.map((_, i) => officer(i)),
      issuer(world.kioskCookie, "/api/v1/kiosk/tickets"),
      issuer(reception, "/api/v1/reception/tickets"),
    ];
    await stretch("before the first kill");

    // Kill 1: every client's request waits inside the app, mid-transaction, for rows held here.
    // A call finds its queue empty by reading, without any lock: there must be tickets to call.
    for (const res of await Promise.all(Array.from({ length: 4 * OFFICERS }, () => request("POST", "/api/v1/reception/tickets", { cookie: reception, body: issueBody })))) {
      expect(res.status).toBe(201);
      issued.set(res.body.data.ticket.id, res.body.data.ticket.code);
    }
    const held = await holdRows(world.url, { counterIds: world.desks.map((d) => d.counter.id), fieldId: world.field.id });
    // Finishes and issues wait in the database; a centre's calls take turns in the process
    // first (server/queue/calling.ts): one waits in the database, the others for their turn.
    const clients = OFFICERS + 2;
    const inDatabase = () => {
      const kinds = [...pending.values()];
      return kinds.filter((k) => k !== "call").length + (kinds.includes("call") ? 1 : 0);
    };
    await until(`the ${clients} clients' requests wait for the held rows`, 10_000, async () => pending.size === clients && (await held.waiting()) >= inDatabase());
    const before = await dbState();
    const cutBefore = tally.cut;
    app!.child.kill("SIGKILL");
    expect((await app!.exited).signal).toBe("SIGKILL");
    await held.release();
    // The dead process's sessions end as their transactions roll back.
    await until("the killed process's sessions end", 10_000, async () => {
      const busy = (await world.db.execute(
        sql`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and state <> 'idle'`,
      )) as unknown as unknown[];
      return busy.length === 0;
    });
    // Issuing is a transaction: the dead process's are rolled back. A call or a finish is one
    // statement (decision 0005), which the database may still complete after the process died
    // (it learns of the death only when it answers): then it is whole — its event, its sequence
    // number, its ticket — and the replay at the end checks it. Nothing else moved.
    const after = await dbState();
    const lastNumbers = (state: typeof before) => state.numbers.map((n) => [n.fieldId, n.serviceDate, n.lastNumber]);
    expect({ tickets: after.tickets, numbers: lastNumbers(after) }).toEqual({ tickets: before.tickets, numbers: lastNumbers(before) });
    expect(after.events - before.events).toBeLessThanOrEqual(OFFICERS);
    expect(after.seq - before.seq).toBe(after.events - before.events);
    await until("every client has seen its request cut", 10_000, () => tally.cut - cutBefore >= clients);
    const restartMs = [await restart()];
    await stretch("after the first restart");

    // Kill 2: at whatever moment the load has reached.
    app!.child.kill("SIGKILL");
    expect((await app!.exited).signal).toBe("SIGKILL");
    restartMs.push(await restart());
    await stretch("after the second restart");
    running = false;
    await Promise.all(load);
    console.log(
      `SIGKILL ×2 under load: ${Date.now() - started} ms, restarts took ${restartMs.join(", ")} ms; ` +
        `${tally.ok} answered, ${tally.cut} cut by a kill, ${tally.refused} refused while down; after a lost answer ` +
        `${tally.busyAfterLoss} calls found at their counter and ${tally.doneAfterLoss} finishes found done; ${tally.empty} empty queues; ` +
        `${issued.size} issued, ${calledAt.size} called, ${finished.size} finished`,
    );
    expect(unexpected).toEqual([]);

    // The history, from the database.
    const rows = await world.db.select().from(tickets).where(eq(tickets.centreId, world.centreId));
    const events = await world.db.select().from(ticketEvents).where(eq(ticketEvents.centreId, world.centreId)).orderBy(asc(ticketEvents.seq));
    const byId = new Map(rows.map((t) => [t.id, t]));

    // No ticket lost: every 201 is a ticket, with the code it was given under.
    for (const [id, code] of issued) expect(byId.get(id)?.code, `ticket ${code}`).toBe(code);
    // Numbers gapless per field and day, and the day's counter agrees with them.
    const numberRows = await world.db.select().from(ticketNumbers).where(eq(ticketNumbers.fieldId, world.field.id));
    for (const day of new Set(rows.filter((t) => t.fieldId === world.field.id).map((t) => t.serviceDate))) {
      const numbers = rows.filter((t) => t.fieldId === world.field.id && t.serviceDate === day).map((t) => t.number).sort((a, b) => a - b);
      expect(numbers, day).toEqual(numbers.map((_, i) => i + 1));
      expect(numberRows.find((c) => c.serviceDate === day)?.lastNumber).toBe(numbers.length);
    }

    // The event log replays to every ticket's state (each step from the state the one before
    // left: a ticket called twice without a return in between would not), one seq per event.
    expect(replayProblems(events, rows, new Map(rows.map((t) => [t.id, t.fieldId])))).toEqual([]);
    expect(new Set(events.map((e) => e.seq)).size).toBe(events.length);
    const [centre] = await world.db.select({ seq: centres.eventSeq }).from(centres).where(eq(centres.id, world.centreId));
    expect(events.at(-1)!.seq).toBeLessThanOrEqual(centre!.seq);
    // None served twice: one call each (nothing in this load sends a ticket back), and no two counters hold one.
    const calls = events.filter((e) => e.type === "called" || e.type === "called_out_of_order");
    const callsOf = new Map<number, number>();
    for (const e of calls) callsOf.set(e.ticketId, (callsOf.get(e.ticketId) ?? 0) + 1);
    expect([...callsOf].filter(([, n]) => n > 1)).toEqual([]);
    const active = rows.filter((t) => t.status === "called");
    expect(new Set(active.map((t) => t.counterId)).size).toBe(active.length);
    expect(active.every((t) => t.counterId !== null)).toBe(true);

    // Every answer the clients got stands: each 200 call was that counter's call of that ticket, each 200 finish is done.
    const callEvent = new Map(calls.map((e) => [e.ticketId, e]));
    for (const [id, at] of calledAt) {
      expect(at, `ticket ${id} given to two counters`).toHaveLength(1);
      expect(callEvent.get(id)?.counterId, `ticket ${id}`).toBe(at[0]);
    }
    for (const id of finished) expect(byId.get(id)?.status, `ticket ${id}`).toBe("done");
  }, 90_000);
});
