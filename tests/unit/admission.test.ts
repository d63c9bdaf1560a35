import { describe, expect, it } from "vitest";
import { DatabaseBusyError, createAdmission, isDatabaseBusy } from "../../db/admission";

const never = () => new Promise<never>(() => {});

describe("the admission gate in front of the pool", () => {
  it("admits up to its places, refuses after the wait with DatabaseBusyError, and counts it all", async () => {
    const pool = createAdmission({ permits: 2, max: 2, waitMs: 50 });
    const a = await pool.acquire();
    const b = await pool.acquire();
    expect(pool.stats()).toMatchObject({ max: 2, inUse: 2, waiting: 0, refused: 0 });
    const third = pool.acquire();
    expect(pool.stats().waiting).toBe(1);
    await expect(third).rejects.toBeInstanceOf(DatabaseBusyError);
    expect(pool.stats()).toMatchObject({ inUse: 2, waiting: 0, refused: 1 });
    expect(pool.stats().lastRefusedAt).toEqual(expect.any(Number));

    // A place freed goes to the next in line, first come first served.
    const order: string[] = [];
    const c = pool.acquire().then((release) => (order.push("c"), release));
    const d = pool.acquire().then((release) => (order.push("d"), release));
    a();
    a(); // releasing twice frees one place only
    (await c)();
    b();
    (await d)();
    expect(order).toEqual(["c", "d"]);
    expect(pool.stats()).toMatchObject({ inUse: 0, waiting: 0, refused: 1 });
  });

  it("throws the refusal it is given, recognisable through a wrapping error's cause", async () => {
    const pool = createAdmission({ permits: 1, max: 1, waitMs: 10, busyError: () => Object.assign(new Error("bận"), { code: "DATABASE_BUSY" }) });
    const held = await pool.acquire();
    const refusal = await pool.acquire().catch((error: unknown) => error);
    expect((refusal as Error).message).toBe("bận");
    expect(isDatabaseBusy(new Error("Failed query", { cause: refusal }))).toBe(true);
    expect(isDatabaseBusy(new Error("other"))).toBe(false);
    held();
  });

  it("runs work inside a hold without taking another place, and work outside with a place of its own", async () => {
    const pool = createAdmission({ permits: 1, max: 1, waitMs: 20 });
    const hold = pool.hold(await pool.acquire());
    // Inside the request that holds the only place, its queries go straight on (no wait, no refusal).
    await hold.run(() => pool.run(async () => pool.run(async () => "nested")));
    // Outside it, there is no place until the request ends.
    await expect(pool.run(async () => "other")).rejects.toBeInstanceOf(DatabaseBusyError);
    hold.end();
    hold.end();
    expect(await pool.run(async () => "other")).toBe("other");
    expect(pool.stats().inUse).toBe(0);
  });

  it("holds a place for a whole transaction, its nested top-level queries included, and frees it on failure", async () => {
    const pool = createAdmission({ permits: 1, max: 1, waitMs: 20 });
    await expect(pool.run(async () => pool.run(async () => Promise.reject(new Error("rolled back"))))).rejects.toThrow("rolled back");
    expect(pool.stats().inUse).toBe(0);
    const stuck = pool.run(never);
    await expect(pool.run(async () => 1)).rejects.toBeInstanceOf(DatabaseBusyError);
    expect(pool.stats().inUse).toBe(1);
    void stuck;
  });

  it("admits everything at once when unlimited (the embedded database), still counting", async () => {
    const pool = createAdmission({ permits: Number.POSITIVE_INFINITY, max: 1, waitMs: 0 });
    const releases = await Promise.all(Array.from({ length: 100 }, () => pool.acquire()));
    expect(pool.stats()).toMatchObject({ max: 1, inUse: 100, waiting: 0, refused: 0 });
    for (const release of releases) release();
    expect(pool.stats().inUse).toBe(0);
  });

  it("lets a request wait aside (for its centre's turn) without its place, then gives it a place before new arrivals", async () => {
    const pool = createAdmission({ permits: 1, max: 1, waitMs: 200 });
    const hold = pool.hold(await pool.acquire());
    let turn!: () => void;
    const turnCame = new Promise<void>((resolve) => (turn = resolve));
    const waiting = hold.run(() => pool.aside(() => turnCame).then(() => pool.run(async () => "called")));
    // Aside, the request holds nothing: other work gets the only place meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(pool.stats().inUse).toBe(0);
    const other = await pool.acquire();
    // A newcomer queues behind it; when the place frees, the request coming back from aside goes first.
    const order: string[] = [];
    const newcomer = pool.acquire().then((release) => (order.push("newcomer"), release));
    turn();
    await new Promise((resolve) => setTimeout(resolve, 5));
    other();
    expect(await waiting).toBe("called");
    order.push("resumed");
    expect(pool.stats().inUse).toBe(1);
    hold.end();
    (await newcomer)();
    expect(order).toEqual(["resumed", "newcomer"]);
    expect(pool.stats()).toMatchObject({ inUse: 0, waiting: 0 });
  });

  it("gives back the place taken again after aside when the request ended meanwhile, and outside a hold just waits", async () => {
    const pool = createAdmission({ permits: 1, max: 1, waitMs: 50 });
    const hold = pool.hold(await pool.acquire());
    let turn!: () => void;
    const turnCame = new Promise<void>((resolve) => (turn = resolve));
    const waiting = hold.run(() => pool.aside(() => turnCame));
    await new Promise((resolve) => setTimeout(resolve, 5));
    hold.end(); // the client went away while it waited
    turn();
    await waiting;
    expect(pool.stats().inUse).toBe(0);
    expect(await pool.aside(async () => "no hold")).toBe("no hold");
    expect(pool.stats().inUse).toBe(0);
  });

  it("refuses the request coming back from aside when no place frees in time", async () => {
    const pool = createAdmission({ permits: 1, max: 1, waitMs: 30 });
    const hold = pool.hold(await pool.acquire());
    const waiting = hold.run(() => pool.aside(async () => {}));
    const squatter = await pool.acquire();
    await expect(waiting).rejects.toBeInstanceOf(DatabaseBusyError);
    hold.end();
    squatter();
    expect(pool.stats().inUse).toBe(0);
  });
});
