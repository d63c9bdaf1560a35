/**
 * The waiting-room screen's announcements, as a queue: each call is said once (a call is known
 * by its ticket and its event's sequence number, so a live event and the same call found again
 * after a reconnect are one), one after the other, never over each other. How a call sounds
 * (a Vietnamese speech voice, or the recorded clips) is the player's business
 * (announce.client.ts); this module holds the order and the rules, and runs in Node for tests.
 */
import type { LoggedCall } from "../../server/realtime/events";

export type CallToAnnounce = { key: string; code: string; counterNumber: number };

export type CallPlayer = { play(call: CallToAnnounce): Promise<void> };

/** A call's identity: the same call seen live and in the event log after a reconnect has one key. */
export const callKey = (ticketId: number, seq: number) => `${ticketId}:${seq}`;

/** A missed call is still worth saying aloud when its ticket is still called and the call is this recent. */
export const MISSED_CALL_ANNOUNCE_MS = 2 * 60_000;
/** More than this many waiting: the oldest are dropped (a hall does not need a backlog read out). */
const MAX_WAITING = 8;

export class CallAnnouncer {
  private readonly said = new Set<string>();
  private readonly waiting: CallToAnnounce[] = [];
  private running = false;
  private idle: Promise<void> = Promise.resolve();

  constructor(private readonly player: CallPlayer) {}

  /** Queues the call unless it was already queued or said; true when queued. */
  announce(call: CallToAnnounce): boolean {
    if (this.said.has(call.key)) return false;
    this.said.add(call.key);
    this.waiting.push(call);
    if (this.waiting.length > MAX_WAITING) this.waiting.splice(0, this.waiting.length - MAX_WAITING);
    if (!this.running) this.idle = this.run();
    return true;
  }

  /** The calls queued and not yet begun. */
  get pending(): readonly CallToAnnounce[] {
    return this.waiting;
  }

  /** Resolves when every queued call has been played. */
  settled(): Promise<void> {
    return this.idle;
  }

  private async run() {
    this.running = true;
    try {
      for (let call = this.waiting.shift(); call; call = this.waiting.shift()) {
        try {
          await this.player.play(call);
        } catch {
          // A call that could not be played (sound blocked, a clip missing) does not stop the next.
        }
      }
    } finally {
      this.running = false;
    }
  }
}

/**
 * Of the calls a screen missed while away (oldest first), those to say aloud now: each ticket's
 * latest call, when the ticket is still called there and the call is at most two minutes old.
 */
export function missedCallsToAnnounce(calls: readonly LoggedCall[], now: number): CallToAnnounce[] {
  const latest = new Map<number, LoggedCall>();
  for (const call of calls) latest.set(call.ticket.id, call);
  return [...latest.values()]
    .filter((c) => c.ticket.status === "called" && now - Date.parse(c.at) <= MISSED_CALL_ANNOUNCE_MS)
    .sort((a, b) => a.seq - b.seq)
    .map((c) => ({ key: callKey(c.ticket.id, c.seq), code: c.ticket.code, counterNumber: c.counterNumber }));
}
