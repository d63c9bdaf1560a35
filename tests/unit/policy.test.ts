import { describe, expect, it } from "vitest";
import {
  callOrder,
  standing,
  type Candidate,
  DEFAULT_POLICY,
  type FieldQueueState,
  pickNextTicket,
  priorityStreak,
  type QueuePolicy,
} from "../../server/queue/policy";

const MIN = 60_000;
const T0 = Date.parse("2026-11-30T01:00:00.000Z"); // 08:00 in Vietnam
/** `minutes` after opening, plus `ms`. */
const at = (minutes: number, ms = 0) => new Date(T0 + minutes * MIN + ms);

const normal = (id: number, fieldId: number, issuedMin: number, ms = 0): Candidate => ({
  id,
  fieldId,
  priority: false,
  issuedAt: at(issuedMin, ms),
});
const prio = (id: number, fieldId: number, issuedMin: number, ms = 0): Candidate => ({
  ...normal(id, fieldId, issuedMin, ms),
  priority: true,
});
const strict = (ageingCapMinutes: number | null = null): QueuePolicy => ({ mode: "strict", priorityRatio: 1, ageingCapMinutes });
const ratio = (k: number, ageingCapMinutes: number | null = null): QueuePolicy => ({
  mode: "ratio",
  priorityRatio: k,
  ageingCapMinutes,
});
const fields = (...entries: [fieldId: number, policy: QueuePolicy, streak?: number][]) =>
  new Map<number, FieldQueueState>(entries.map(([id, policy, streak = 0]) => [id, { policy, priorityStreak: streak }]));

type Case = {
  name: string;
  candidates: Candidate[];
  fields: Map<number, FieldQueueState>;
  now: Date;
  expected: number | null;
};

const cases: Case[] = [
  { name: "empty → null", candidates: [], fields: fields([1, ratio(2, 45)]), now: at(10), expected: null },
  {
    name: "strict without priority: earliest normal",
    candidates: [normal(1, 1, 3), normal(2, 1, 1), normal(3, 1, 2)],
    fields: fields([1, strict()]),
    now: at(10),
    expected: 2,
  },
  {
    name: "strict with priority: priority first, whatever the streak",
    candidates: [normal(1, 1, 0), prio(2, 1, 5), prio(3, 1, 6)],
    fields: fields([1, strict(), 10]),
    now: at(10),
    expected: 2,
  },
  {
    name: "ratio k=2, streak 0: priority",
    candidates: [normal(1, 1, 0), prio(2, 1, 5)],
    fields: fields([1, ratio(2), 0]),
    now: at(10),
    expected: 2,
  },
  {
    name: "ratio k=2, streak 1: priority",
    candidates: [normal(1, 1, 0), prio(2, 1, 5)],
    fields: fields([1, ratio(2), 1]),
    now: at(10),
    expected: 2,
  },
  {
    name: "ratio k=2, streak 2: the third pick is the waiting normal ticket",
    candidates: [normal(1, 1, 0), prio(2, 1, 5), normal(3, 1, 1)],
    fields: fields([1, ratio(2), 2]),
    now: at(10),
    expected: 1,
  },
  {
    name: "ratio with only priority tickets: priority even when streak = k",
    candidates: [prio(1, 1, 4), prio(2, 1, 3)],
    fields: fields([1, ratio(2), 2]),
    now: at(10),
    expected: 2,
  },
  {
    name: "ratio with only priority tickets: priority even when streak > k",
    candidates: [prio(1, 1, 4), prio(2, 1, 3)],
    fields: fields([1, ratio(2), 7]),
    now: at(10),
    expected: 2,
  },
  {
    name: "ratio with only normal tickets: earliest normal",
    candidates: [normal(1, 1, 4), normal(2, 1, 3)],
    fields: fields([1, ratio(3), 0]),
    now: at(10),
    expected: 2,
  },
  {
    name: "ageing: 1 ms before the cap, the fresh priority ticket still goes first",
    candidates: [normal(1, 1, 0), prio(2, 1, 44)],
    fields: fields([1, ratio(2, 45)]),
    now: at(45, -1),
    expected: 2,
  },
  {
    name: "ageing: exactly at the cap, the old normal ticket beats the fresh priority one",
    candidates: [normal(1, 1, 0), prio(2, 1, 44)],
    fields: fields([1, ratio(2, 45)]),
    now: at(45),
    expected: 1,
  },
  {
    name: "ageing beats strict priority too",
    candidates: [prio(2, 1, 40), normal(1, 1, 0)],
    fields: fields([1, strict(30)]),
    now: at(30),
    expected: 1,
  },
  {
    name: "null cap never ages",
    candidates: [normal(1, 1, 0), prio(2, 1, 600)],
    fields: fields([1, ratio(2, null)]),
    now: at(601),
    expected: 2,
  },
  {
    name: "two aged tickets: the oldest first, whatever the ids and kinds",
    candidates: [prio(3, 1, 5), normal(9, 2, 0), prio(4, 1, 50)],
    fields: fields([1, strict(30)], [2, ratio(2, 30)]),
    now: at(60),
    expected: 9,
  },
  {
    name: "two aged tickets with the same issue time: the lower id",
    candidates: [normal(9, 1, 0), normal(4, 2, 0)],
    fields: fields([1, ratio(2, 30)], [2, ratio(2, 30)]),
    now: at(60),
    expected: 4,
  },
  {
    name: "each field ages with its own cap",
    candidates: [normal(1, 1, 0), normal(2, 2, 30), prio(3, 1, 40)],
    fields: fields([1, ratio(2, 60)], [2, ratio(2, 10)]),
    now: at(41),
    expected: 2,
  },
  {
    name: "transfer: the transferred ticket keeps its original issue time and goes ahead in the new field",
    // Ticket 5 was issued at 08:10 in field 1, served, then transferred to field 2.
    candidates: [normal(20, 2, 30), normal(21, 2, 35), normal(5, 2, 10)],
    fields: fields([1, ratio(2, 45)], [2, ratio(2, 45)]),
    now: at(40),
    expected: 5,
  },
  {
    name: "rejoined no-show returns to its original position",
    candidates: [normal(11, 1, 20), normal(12, 1, 25), normal(3, 1, 5)],
    fields: fields([1, ratio(2, 45)]),
    now: at(30),
    expected: 3,
  },
  {
    name: "multiple fields: a priority head of field B beats an earlier normal head of field A",
    candidates: [normal(1, 1, 0), prio(2, 2, 20)],
    fields: fields([1, ratio(2, 45)], [2, ratio(2, 45)]),
    now: at(30),
    expected: 2,
  },
  {
    name: "multiple fields: two normal heads → the earliest",
    candidates: [normal(7, 1, 10), normal(3, 2, 5)],
    fields: fields([1, ratio(2)], [2, strict()]),
    now: at(30),
    expected: 3,
  },
  {
    name: "multiple fields: a field whose ratio turn is normal offers its normal head",
    // Field 1 has had 2 priority calls in a row: its head is normal ticket 2, and field 2's normal is earlier.
    candidates: [prio(1, 1, 0), normal(2, 1, 1), normal(3, 2, 0, 500)],
    fields: fields([1, ratio(2), 2], [2, ratio(2)]),
    now: at(30),
    expected: 3,
  },
  {
    name: "tie on issue time → lower id (same field)",
    candidates: [normal(8, 1, 5), normal(4, 1, 5)],
    fields: fields([1, ratio(2)]),
    now: at(30),
    expected: 4,
  },
  {
    name: "tie on issue time → lower id (two priority heads of different fields)",
    candidates: [prio(8, 1, 5), prio(4, 2, 5)],
    fields: fields([1, ratio(2)], [2, strict()]),
    now: at(30),
    expected: 4,
  },
  {
    name: "field missing from the map: DEFAULT_POLICY with streak 0, so priority first",
    candidates: [normal(1, 99, 0), prio(2, 99, 10)],
    fields: fields(),
    now: at(20),
    expected: 2,
  },
  {
    name: "field missing from the map: DEFAULT_POLICY ages at 45 minutes",
    candidates: [normal(1, 99, 0), prio(2, 99, 10)],
    fields: fields(),
    now: at(45),
    expected: 1,
  },
];

describe("pickNextTicket", () => {
  it.each(cases)("$name", ({ candidates, fields, now, expected }) => {
    const picked = pickNextTicket(candidates, fields, now);
    expect(picked?.id ?? null).toBe(expected);
    if (picked !== null) expect(candidates).toContain(picked);
  });

  it("DEFAULT_POLICY is ratio 2:1 with a 45-minute ageing cap", () => {
    expect(DEFAULT_POLICY).toEqual({ mode: "ratio", priorityRatio: 2, ageingCapMinutes: 45 });
  });
});

describe("priorityStreak", () => {
  it.each([
    [[], 0],
    [[true, true, false, true], 2],
    [[false, true], 0],
    [[true], 1],
    [[true, true, true], 3],
  ])("%j → %i", (calls, streak) => expect(priorityStreak(calls)).toBe(streak));
});

// ---------------------------------------------------------------------------------------------
// Property tests, with a small seeded PRNG so every failure is reproducible from its seed.

/** mulberry32: a tiny, good-enough 32-bit PRNG. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[this.int(0, items.length - 1)];
    if (item === undefined) throw new Error("pick from an empty list");
    return item;
  }
  shuffled<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
    }
    return copy;
  }
}

const RUNS = 2000;

function check(condition: boolean, seed: number, message: () => string): asserts condition {
  if (!condition) throw new Error(`seed ${seed}: ${message()}`);
}

function randomPolicy(rng: Rng, nullCapChance: number): QueuePolicy {
  return {
    mode: rng.chance(0.5) ? "strict" : "ratio",
    priorityRatio: rng.int(1, 4),
    ageingCapMinutes: rng.chance(nullCapChance) ? null : rng.int(10, 60),
  };
}

/** Earliest issue time, then lower id. */
const isOlder = (a: Candidate, b: Candidate) =>
  a.issuedAt.getTime() < b.issuedAt.getTime() || (a.issuedAt.getTime() === b.issuedAt.getTime() && a.id < b.id);

/** A random snapshot: 1–4 fields (some missing from the map), 0–25 candidates, many issue-time ties. */
function randomSnapshot(rng: Rng) {
  const fieldCount = rng.int(1, 4);
  const fieldMap = new Map<number, FieldQueueState>();
  for (let f = 1; f <= fieldCount; f++) {
    if (rng.chance(0.85)) fieldMap.set(f, { policy: randomPolicy(rng, 0.15), priorityStreak: rng.int(0, 5) });
  }
  const count = rng.chance(0.1) ? 0 : rng.int(1, 25);
  const ids = rng.shuffled(Array.from({ length: count * 3 }, (_, i) => i + 1)).slice(0, count);
  const now = at(120);
  const candidates = ids.map(
    (id): Candidate => ({
      id,
      fieldId: rng.int(1, fieldCount),
      priority: rng.chance(0.3),
      // Whole minutes, so equal issue times are common.
      issuedAt: new Date(now.getTime() - rng.int(0, 90) * MIN),
    }),
  );
  return { candidates, fields: fieldMap, now };
}

/** The rules written the slow, obvious way, as an independent model. */
function referencePick(candidates: readonly Candidate[], fieldMap: ReadonlyMap<number, FieldQueueState>, now: Date) {
  if (candidates.length === 0) return null;
  const stateOf = (fieldId: number) => fieldMap.get(fieldId) ?? { policy: DEFAULT_POLICY, priorityStreak: 0 };
  const byAge = (a: Candidate, b: Candidate) => a.issuedAt.getTime() - b.issuedAt.getTime() || a.id - b.id;
  const aged = candidates
    .filter((c) => {
      const cap = stateOf(c.fieldId).policy.ageingCapMinutes;
      return cap !== null && now.getTime() - c.issuedAt.getTime() >= cap * MIN;
    })
    .sort(byAge);
  if (aged[0]) return aged[0];
  const heads = [...new Set(candidates.map((c) => c.fieldId))].map((fieldId) => {
    const mine = candidates.filter((c) => c.fieldId === fieldId).sort(byAge);
    const firstPriority = mine.find((c) => c.priority);
    const firstNormal = mine.find((c) => !c.priority);
    const { policy, priorityStreak: streak } = stateOf(fieldId);
    const takePriority =
      firstPriority !== undefined && (policy.mode === "strict" || streak < policy.priorityRatio || firstNormal === undefined);
    return takePriority ? firstPriority : firstNormal;
  });
  return heads.filter((h) => h !== undefined).sort((a, b) => Number(b.priority) - Number(a.priority) || byAge(a, b))[0] ?? null;
}

describe("pickNextTicket properties", () => {
  it(`a. is deterministic: shuffling the candidates or the field map never changes the pick (${RUNS} runs)`, () => {
    for (let run = 0; run < RUNS; run++) {
      const seed = 0xa000 + run;
      const rng = new Rng(seed);
      const { candidates, fields: fieldMap, now } = randomSnapshot(rng);
      const expected = pickNextTicket(candidates, fieldMap, now);
      for (let shuffle = 0; shuffle < 5; shuffle++) {
        const picked = pickNextTicket(rng.shuffled(candidates), new Map(rng.shuffled([...fieldMap])), now);
        check(picked === expected, seed, () => `picked ${picked?.id} after a shuffle, ${expected?.id} before`);
      }
    }
  });

  it(`c. always returns one of the candidates, and null only for an empty list (${RUNS} runs)`, () => {
    for (let run = 0; run < RUNS; run++) {
      const seed = 0xc000 + run;
      const { candidates, fields: fieldMap, now } = randomSnapshot(new Rng(seed));
      const picked = pickNextTicket(candidates, fieldMap, now);
      if (candidates.length === 0) check(picked === null, seed, () => `picked ${picked?.id} from no candidates`);
      else check(picked !== null && candidates.includes(picked), seed, () => `picked ${picked?.id}, not a candidate`);
    }
  });

  it(`agrees with a straightforward reference model of the rules (${RUNS} runs)`, () => {
    for (let run = 0; run < RUNS; run++) {
      const seed = 0xd000 + run;
      const { candidates, fields: fieldMap, now } = randomSnapshot(new Rng(seed));
      const picked = pickNextTicket(candidates, fieldMap, now);
      const expected = referencePick(candidates, fieldMap, now);
      check(picked === expected, seed, () => `picked ${picked?.id}, the model picks ${expected?.id}`);
    }
  });

  it(`b. simulated days: aged tickets are never overtaken, nobody starves, ratio k holds (${RUNS} runs)`, () => {
    const MAX_INTERVAL = 6; // minutes between two calls of one counter, at most
    type SimTicket = Candidate & {
      /** The minute this ticket was first seen aged since it last entered the queue; null = not aged yet. */
      agedSince: number | null;
      /** Tickets older than this one that could still be called before it once it has aged. */
      olderAhead: number;
    };
    const coverage = { calls: 0, agedPicks: 0, ratioNormalTurns: 0, ratioPriorityTurns: 0, transfers: 0, rejoins: 0, ties: 0 };

    for (let run = 0; run < RUNS; run++) {
      const seed = 0xb000 + run;
      const rng = new Rng(seed);
      const fieldCount = rng.int(1, 3);
      const fieldIds = Array.from({ length: fieldCount }, (_, i) => i + 1);
      const policies = new Map(fieldIds.map((f) => [f, randomPolicy(rng, 0)]));
      const history = new Map(fieldIds.map((f) => [f, [] as boolean[]])); // most recent call first
      const nextCall = Array.from({ length: rng.int(1, 3) }, () => rng.int(0, 5));
      const openMinutes = rng.int(30, 150);
      const arrivalP = 0.1 + rng.float() * 0.45; // geometric arrivals: 0.1–1.2 per minute on average
      const policyOf = (t: Candidate) => policies.get(t.fieldId) ?? DEFAULT_POLICY;
      const isAged = (t: Candidate, now: number) => {
        const cap = policyOf(t).ageingCapMinutes;
        return cap !== null && now - t.issuedAt.getTime() >= cap * MIN;
      };

      let waiting: SimTicket[] = [];
      let away: { ticket: SimTicket; returnAt: number; toField: number }[] = [];
      let nextId = 1;
      const enter = (ticket: SimTicket) => {
        ticket.agedSince = null;
        ticket.olderAhead = 0;
        for (const other of waiting) if (other.agedSince !== null && isOlder(ticket, other)) other.olderAhead++;
        waiting.push(ticket);
      };

      for (let m = 0; m < openMinutes || waiting.length > 0 || away.length > 0; m++) {
        check(m < openMinutes + 5000, seed, () => "the simulated day never ends");
        const now = at(m).getTime();

        // 1. Arrivals (issued some time during the past minute; sometimes at the same instant as the previous one).
        if (m < openMinutes) {
          while (rng.chance(arrivalP)) {
            const previous = waiting.at(-1);
            const tie = previous !== undefined && now - previous.issuedAt.getTime() < MIN && rng.chance(0.15);
            if (tie) coverage.ties++;
            enter({
              id: nextId++,
              fieldId: rng.pick(fieldIds),
              priority: rng.chance(0.3),
              issuedAt: tie ? previous.issuedAt : new Date(m === 0 ? now : now - rng.int(0, MIN - 1)),
              agedSince: null,
              olderAhead: 0,
            });
          }
        }
        // 2. No-shows rejoining and transferred tickets, with their ORIGINAL issue time.
        const back = away.filter((a) => a.returnAt <= m);
        away = away.filter((a) => a.returnAt > m);
        for (const { ticket, toField } of back) {
          ticket.fieldId = toField;
          enter(ticket);
        }
        // 3. Note when tickets age, and how many older tickets are still ahead of them then.
        for (const ticket of waiting) {
          if (ticket.agedSince === null && isAged(ticket, now)) {
            ticket.agedSince = m;
            ticket.olderAhead = waiting.filter((other) => isOlder(other, ticket)).length;
          }
        }
        // 4. Counters call.
        for (let counter = 0; counter < nextCall.length; counter++) {
          if ((nextCall[counter] ?? 0) > m) continue;
          if (waiting.length === 0) {
            nextCall[counter] = m + 1;
            continue;
          }
          const states = new Map<number, FieldQueueState>(
            fieldIds.map((f) => [f, { policy: policies.get(f) ?? DEFAULT_POLICY, priorityStreak: priorityStreak(history.get(f) ?? []) }]),
          );
          const pick = pickNextTicket(rng.chance(0.5) ? waiting : rng.shuffled(waiting), states, at(m));
          check(pick !== null, seed, () => `minute ${m}: null with ${waiting.length} waiting`);
          const picked = waiting.find((t) => t === pick);
          check(picked !== undefined, seed, () => `minute ${m}: picked ${pick.id}, which is not waiting`);
          coverage.calls++;

          // Aged tickets: the pick is the oldest aged ticket; no aged ticket is called after a younger one.
          const overtaken = waiting.find((t) => t !== picked && isAged(t, now) && isOlder(t, picked));
          check(
            overtaken === undefined,
            seed,
            () => `minute ${m}: ticket ${overtaken?.id} is aged but ticket ${picked.id} (younger) was called`,
          );
          const anyAged = waiting.some((t) => isAged(t, now));
          if (anyAged) {
            check(isAged(picked, now), seed, () => `minute ${m}: tickets are aged but ${picked.id} (not aged) was called`);
            coverage.agedPicks++;
          }
          // No starvation: once aged, a ticket waits for at most one call per older ticket, plus its own.
          if (picked.agedSince !== null) {
            const bound = (picked.olderAhead + 1) * MAX_INTERVAL;
            check(
              m - picked.agedSince <= bound,
              seed,
              () => `minute ${m}: ticket ${picked.id}, aged since minute ${picked.agedSince}, called after more than ${bound} minutes`,
            );
          }
          // Priority rules, when nothing is aged and both kinds wait in the picked field.
          const field = picked.fieldId;
          const policy = policyOf(picked);
          const mine = waiting.filter((t) => t.fieldId === field);
          const bothKinds = mine.some((t) => t.priority) && mine.some((t) => !t.priority);
          const streakBefore = priorityStreak(history.get(field) ?? []);
          if (!anyAged && bothKinds) {
            if (policy.mode === "ratio") {
              const streakAfter = picked.priority ? streakBefore + 1 : 0;
              check(
                streakAfter <= policy.priorityRatio,
                seed,
                () => `minute ${m}: field ${field} called ${streakAfter} priority tickets in a row, k = ${policy.priorityRatio}`,
              );
              check(
                picked.priority === (streakBefore < policy.priorityRatio),
                seed,
                () => `minute ${m}: field ${field} called a normal ticket with streak ${streakBefore} < k = ${policy.priorityRatio}`,
              );
              if (picked.priority) coverage.ratioPriorityTurns++;
              else coverage.ratioNormalTurns++;
            } else {
              check(picked.priority, seed, () => `minute ${m}: strict field ${field} called a normal ticket before priority`);
            }
          }

          history.get(field)?.unshift(picked.priority);
          waiting = waiting.filter((t) => t !== picked);
          const outcome = rng.float();
          if (outcome < 0.05) {
            // No-show; most come back later and rejoin at their original position.
            if (rng.chance(0.6)) {
              away.push({ ticket: picked, returnAt: m + rng.int(5, 30), toField: field });
              coverage.rejoins++;
            }
          } else if (outcome < 0.1 && fieldCount > 1) {
            // Served, then transferred to another field.
            const toField = rng.pick(fieldIds.filter((f) => f !== field));
            away.push({ ticket: picked, returnAt: m + rng.int(1, MAX_INTERVAL), toField });
            coverage.transfers++;
          }
          nextCall[counter] = m + rng.int(1, MAX_INTERVAL);
        }
      }
    }

    // The simulations really went through the interesting situations.
    expect(coverage.calls).toBeGreaterThan(50 * RUNS);
    for (const [name, count] of Object.entries(coverage)) expect(count, name).toBeGreaterThan(RUNS / 10);
  });
});

describe("callOrder: the order the officer's list shows", () => {
  const ids = (order: Candidate[]) => order.map((c) => c.id);

  it("after k priority calls in a row, the first row is the normal ticket F2 will call, then k priority again", () => {
    const list = [prio(1, 1, 0), prio(2, 1, 1), prio(3, 1, 2), normal(4, 1, 3), normal(5, 1, 4)];
    expect(ids(callOrder(list, fields([1, ratio(2), 2]), at(10)))).toEqual([4, 1, 2, 5, 3]);
    expect(ids(callOrder(list, fields([1, ratio(2), 0]), at(10)))).toEqual([1, 2, 4, 3, 5]);
    expect(callOrder(list, fields([1, ratio(2), 2]), at(10))[0]).toBe(pickNextTicket(list, fields([1, ratio(2), 2]), at(10)));
  });

  it("puts every priority ticket first in strict mode, and an aged ticket before everything", () => {
    const list = [normal(1, 1, 0), prio(2, 1, 5), normal(3, 1, 6), prio(4, 1, 7)];
    expect(ids(callOrder(list, fields([1, strict()]), at(10)))).toEqual([2, 4, 1, 3]);
    expect(ids(callOrder(list, fields([1, strict(45)]), at(50)))).toEqual([1, 2, 4, 3]);
  });

  it("lists every candidate once, and its head is always what pickNextTicket picks (500 random queues)", () => {
    for (let seed = 1; seed <= 500; seed++) {
      const rng = new Rng(seed);
      const fieldIds = [1, 2, 3].slice(0, rng.int(1, 3));
      const states = new Map<number, FieldQueueState>(
        fieldIds.map((f) => [
          f,
          { policy: rng.chance(0.3) ? strict(rng.chance(0.5) ? 30 : null) : ratio(rng.int(1, 4), rng.chance(0.5) ? 30 : null), priorityStreak: rng.int(0, 4) },
        ]),
      );
      const list = Array.from({ length: rng.int(0, 25) }, (_, i) => (rng.chance(0.3) ? prio : normal)(i + 1, rng.pick(fieldIds), rng.int(0, 60)));
      const now = at(rng.int(0, 90));
      const order = callOrder(list, states, now);
      expect(new Set(ids(order)), `seed ${seed}`).toEqual(new Set(ids(list)));
      expect(order.length, `seed ${seed}`).toBe(list.length);
      expect(order[0] ?? null, `seed ${seed}`).toBe(pickNextTicket(list, states, now));
    }
  });
});

describe("standing: where a new ticket stands among what the counters will call", () => {
  it("counts the other field's tickets a shared counter calls first; rounds are the counters' turns", () => {
    // Counter 1 serves fields 1 and 2, counter 2 serves field 2. Three older tickets wait in field 2.
    const waiting = [normal(11, 2, 0), normal(12, 2, 1), normal(13, 2, 2), normal(21, 1, 3)];
    const counters = [
      { id: 1, fieldIds: [1, 2] },
      { id: 2, fieldIds: [2] },
    ];
    expect(standing(21, waiting, counters, fields([1, strict()], [2, strict()]), at(5))).toEqual({ ahead: 3, rounds: 2 });
    // With only its own counter for field 1, and nothing else waiting: next, no wait.
    expect(standing(21, [normal(21, 1, 3)], [{ id: 1, fieldIds: [1] }], fields([1, strict()]), at(5))).toEqual({ ahead: 0, rounds: 0 });
  });

  it("follows the priority ratio shared by the counters of a field", () => {
    // k = 2: two priority tickets, then the normal one; a later priority ticket waits behind that normal one.
    const waiting = [prio(1, 1, 0), prio(2, 1, 1), normal(3, 1, 2), prio(4, 1, 3)];
    const state = fields([1, ratio(2)]);
    expect(standing(3, waiting, [{ id: 1, fieldIds: [1] }], state, at(5))).toEqual({ ahead: 2, rounds: 2 });
    expect(standing(4, waiting, [{ id: 1, fieldIds: [1] }], state, at(5))).toEqual({ ahead: 3, rounds: 3 });
    expect(standing(4, waiting, [{ id: 1, fieldIds: [1] }, { id: 2, fieldIds: [1] }], state, at(5))).toEqual({ ahead: 3, rounds: 1 });
  });

  it("is null when no counter may call the ticket", () => {
    expect(standing(1, [normal(1, 3, 0)], [{ id: 1, fieldIds: [1] }], fields(), at(1))).toBeNull();
    expect(standing(1, [normal(1, 3, 0)], [], fields(), at(1))).toBeNull();
  });

  it(`agrees with the walk that offers every counter every ticket of its fields at each call (${RUNS} runs)`, () => {
    for (let run = 0; run < RUNS; run++) {
      const seed = 0xe000 + run;
      const rng = new Rng(seed);
      const { candidates, fields: fieldMap, now } = randomSnapshot(rng);
      const counters = Array.from({ length: rng.int(0, 4) }, (_, i) => ({ id: rng.int(1, 50) * 10 + i, fieldIds: Array.from({ length: rng.int(1, 3) }, () => rng.int(1, 4)) }));
      const target = candidates.length > 0 && rng.chance(0.9) ? rng.shuffled(candidates)[0]!.id : 999;
      const got = standing(target, candidates, counters, fieldMap, now);
      const expected = referenceStanding(target, candidates, counters, fieldMap, now);
      check(JSON.stringify(got) === JSON.stringify(expected), seed, () => `standing ${JSON.stringify(got)}, the walk over every ticket says ${JSON.stringify(expected)}`);
    }
  });

  it("stays quick when the line is long: 3,000 waiting over 4 fields and 8 counters", () => {
    const rng = new Rng(7);
    const waiting = Array.from({ length: 3000 }, (_, i) => (rng.chance(0.2) ? prio : normal)(i + 1, rng.int(1, 4), rng.int(0, 40), i));
    const counters = Array.from({ length: 8 }, (_, i) => ({ id: i + 1, fieldIds: [1 + (i % 4), 1 + ((i + 1) % 4)] }));
    const state = fields([1, ratio(2, 45)], [2, strict()], [3, ratio(3)], [4, ratio(1, 30)]);
    // The last one issued stands behind everyone; the walk over every ticket agrees (it is slower, not different).
    expect(standing(3000, waiting, counters, state, at(41))).toEqual(referenceStanding(3000, waiting, counters, state, at(41)));
  });
});

/**
 * The walk of `standing` written the obvious way (how it was first written): at each call, every
 * ticket of the counter's fields that is left is offered to the policy.
 */
function referenceStanding(
  targetId: number,
  candidates: readonly Candidate[],
  counters: ReadonlyArray<{ id: number; fieldIds: readonly number[] }>,
  fieldMap: ReadonlyMap<number, FieldQueueState>,
  now: Date,
) {
  const left = new Set(candidates);
  const states = new Map(fieldMap);
  const turn = [...counters].sort((a, b) => a.id - b.id);
  let ahead = 0;
  for (let round = 0; left.size > 0; round++) {
    let called = false;
    for (const counter of turn) {
      const pick = pickNextTicket([...left].filter((c) => counter.fieldIds.includes(c.fieldId)), states, now);
      if (!pick) continue;
      if (pick.id === targetId) return { ahead, rounds: round };
      called = true;
      ahead++;
      left.delete(pick);
      const state = states.get(pick.fieldId) ?? { policy: DEFAULT_POLICY, priorityStreak: 0 };
      states.set(pick.fieldId, { ...state, priorityStreak: pick.priority ? state.priorityStreak + 1 : 0 });
    }
    if (!called) return null;
  }
  return null;
}
