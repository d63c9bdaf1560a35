/**
 * The tracking page's door: a token opens one ticket's public view (view.ts), or its live
 * updates (the socket). Tokens are 160 random bits, and wrong ones are throttled per address,
 * so they cannot be enumerated: after TRACKING_TRIES wrong tokens an address is refused — every
 * token, right or wrong, so the refusal tells nothing — until its bucket refills.
 */
import type { ServiceDeps } from "../context";
import { clock } from "../context";
import { AppError } from "../errors";
import { securityLog } from "../security-log";
import { retrySeconds, type Bucket, type ThrottleStore } from "../throttle/store";
import { ticketOfToken, trackingView, type TrackingView } from "./view";

export type TrackingService = ReturnType<typeof createTrackingService>;

/** Wrong tokens an address may try; then one more every TRACKING_REFILL_MS. */
export const TRACKING_TRIES = 10;
export const TRACKING_REFILL_MS = 30_000;

const WRONG_TOKENS = { name: "tracking.address", capacity: TRACKING_TRIES, refillMs: TRACKING_REFILL_MS };

export function createTrackingService(deps: Pick<ServiceDeps, "db" | "logger" | "now"> & { throttles: ThrottleStore }) {
  /** Refuses an address that tried too many wrong tokens (on any node); runs `find`, counting a miss against it. */
  async function guarded<T>(address: string, find: () => Promise<T | null>): Promise<T> {
    const bucket: Bucket = [WRONG_TOKENS, address];
    const waitMs = await deps.throttles.waitFor([bucket]);
    if (waitMs > 0) {
      const seconds = retrySeconds(waitMs);
      securityLog(deps, "tracking.throttled", { address, retryAfterSeconds: seconds });
      throw new AppError("tracking_throttled", { seconds });
    }
    const found = await find();
    if (found === null) {
      await deps.throttles.spend([bucket]);
      throw new AppError("tracking_not_found");
    }
    return found;
  }

  return {
    /** The public view of the token's ticket (the page and GET /api/v1/tracking/:token). */
    view(input: { token: string; address: string }): Promise<TrackingView> {
      return guarded(input.address, () => trackingView(deps, input.token, clock(deps)));
    },
    /** What a tracking socket may follow: its ticket's centre (the public room only). */
    async follow(input: { token: string; address: string }): Promise<{ centreId: number; ticketId: number }> {
      const ticket = await guarded(input.address, () => ticketOfToken(deps.db, input.token));
      return { centreId: ticket.centreId, ticketId: ticket.id };
    },
  };
}
