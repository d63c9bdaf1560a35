/** What a node remembers of sessions it read (server/auth/session-cache.ts): for a few seconds, on the caller's clock, until told to forget. */
import { describe, expect, it } from "vitest";
import { SESSION_TRUST_MS, SessionCache, type RememberedSession } from "../../server/auth/session-cache";

const at = (ms: number) => new Date(Date.UTC(2026, 11, 7, 8, 0, 0) + ms);
const row = (id: string): RememberedSession => ({
  session: { id, userId: 1, expiresAt: at(12 * 3600_000), lastSeenAt: at(0) },
  user: { id: 1, centreId: 1, centreName: "Trung tâm", username: "canbo01", fullName: "Lê Thị Hoa", role: "officer", isActive: true },
});

describe("SessionCache", () => {
  it("gives back a session for SESSION_TRUST_MS after it was read, then not", () => {
    const cache = new SessionCache();
    cache.remember("a", row("a"), at(0));
    expect(cache.get("a", at(SESSION_TRUST_MS - 1))?.session.id).toBe("a");
    expect(cache.get("a", at(SESSION_TRUST_MS))).toBeUndefined();
    // Gone, not only hidden: the clock set back does not bring it back.
    expect(cache.get("a", at(0))).toBeUndefined();
  });

  it("trusts nothing read 'in the future' (a clock set back)", () => {
    const cache = new SessionCache();
    cache.remember("a", row("a"), at(1_000));
    expect(cache.get("a", at(999))).toBeUndefined();
  });

  it("forgets the sessions it is told of, and only those", () => {
    const cache = new SessionCache();
    for (const id of ["a", "b", "c"]) cache.remember(id, row(id), at(0));
    cache.forget(["a", "c", "z"]);
    expect(["a", "b", "c"].map((id) => cache.get(id, at(1))?.session.id)).toEqual([undefined, "b", undefined]);
  });

  it("keeps its own copy: what a caller changes afterwards is not remembered", () => {
    const cache = new SessionCache();
    const given = row("a");
    cache.remember("a", given, at(0));
    given.user.role = "admin";
    given.session.lastSeenAt = at(50);
    expect(cache.get("a", at(1))).toMatchObject({ user: { role: "officer" }, session: { lastSeenAt: at(0) } });
  });

  it("stays bounded: past its size the oldest read goes first", () => {
    const cache = new SessionCache();
    for (let i = 0; i < 20_001; i++) cache.remember(`s${i}`, row(`s${i}`), at(0));
    expect(cache.size).toBe(20_000);
    expect(cache.get("s0", at(1))).toBeUndefined();
    expect(cache.get("s20000", at(1))?.session.id).toBe("s20000");
  });
});
