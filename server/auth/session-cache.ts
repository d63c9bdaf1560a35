/**
 * Sessions this process found alive a moment ago, so that the requests one person's browser
 * sends together (an action and the page data it reloads, an officer's call and finish) do not
 * each ask the database (decision 0033). An entry is trusted for {@link SESSION_TRUST_MS} at most
 * and is dropped as soon as its session ends or changes: here at once, on the other nodes by a
 * message through the Socket.IO adapter (server/realtime). The rule of a session's life is still
 * checked at each request on what was read (server/auth/session.ts).
 */
import type { Session, SessionUser } from "./session";

/** How long a session read from the database is trusted without reading it again. */
export const SESSION_TRUST_MS = 5_000;
/** The most sessions remembered; past it the oldest entry goes (a province has a few thousand staff). */
const MAX_ENTRIES = 20_000;

export type RememberedSession = { session: Session; user: SessionUser & { isActive: boolean } };

export class SessionCache {
  private readonly entries = new Map<string, { row: RememberedSession; readAt: number }>();

  constructor(private readonly trustMs = SESSION_TRUST_MS) {}

  /** The session as read at most `trustMs` ago (on the caller's clock), if this process read it. */
  get(sessionId: string, now: Date): RememberedSession | undefined {
    const entry = this.entries.get(sessionId);
    if (!entry) return undefined;
    const age = now.getTime() - entry.readAt;
    // A clock set back (tests) makes an entry as untrustworthy as an old one.
    if (age < 0 || age >= this.trustMs) {
      this.entries.delete(sessionId);
      return undefined;
    }
    return entry.row;
  }

  remember(sessionId: string, row: RememberedSession, now: Date) {
    this.entries.delete(sessionId);
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    // A copy: the caller may change what it was given.
    this.entries.set(sessionId, { row: { session: { ...row.session }, user: { ...row.user } }, readAt: now.getTime() });
  }

  /** These sessions ended or changed: read them again next time. */
  forget(sessionIds: Iterable<string>) {
    for (const id of sessionIds) this.entries.delete(id);
  }

  get size() {
    return this.entries.size;
  }
}
