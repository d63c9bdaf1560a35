/**
 * The rating page of a ticket's tracking link (/t/<token>/danh-gia): the token is the only key,
 * so tries with tokens that name no ticket are throttled per address, as the dossier lookup does
 * (server/dossiers/lookup.ts), and a token cannot be found by guessing.
 */
import { centres } from "../../db/schema";
import { eq } from "drizzle-orm";
import { clock, type ServiceDeps } from "../context";
import { AppError, isAppError } from "../errors";
import { securityLog } from "../security-log";
import { retrySeconds, type Bucket, type ThrottleStore } from "../throttle/store";
import { TRACKING_TOKEN, type RatingInput } from "./rules";
import { rateByToken, ticketByToken, trackingRatingState, type TrackingRatingState } from "./service";

export type TrackingRatingService = ReturnType<typeof createTrackingRatingService>;

/** What the phone page shows: the ticket's code and field, the centre, and whether it may be rated now. */
export type TrackingRatingView = { code: string; fieldName: string; centreName: string; state: TrackingRatingState; finishedAt: string | null };

const UNKNOWN_TOKENS = { name: "rating.address", capacity: 20, refillMs: 30_000 };

/** 20 unknown tokens per address (over all nodes), one more every 30 s. */
export function createTrackingRatingService(deps: ServiceDeps & { throttles: ThrottleStore }) {
  const bucketOf = (address: string): Bucket => [UNKNOWN_TOKENS, address];

  /** Refuses an address out of tries; a token that names nothing uses one up. */
  const guard = async (address: string) => {
    const waitMs = await deps.throttles.waitFor([bucketOf(address)]);
    if (waitMs === 0) return;
    const seconds = retrySeconds(waitMs);
    securityLog(deps, "rating.throttled", { address, retryAfterSeconds: seconds });
    throw new AppError("rating_throttled", { seconds });
  };
  const miss = async (address: string) => {
    await deps.throttles.spend([bucketOf(address)]);
    return new AppError("rating_ticket_not_found");
  };

  return {
    async view(input: { token: string; address: string }): Promise<TrackingRatingView> {
      await guard(input.address);
      const found = TRACKING_TOKEN.test(input.token) ? await ticketByToken(deps.db, input.token) : null;
      if (!found) throw await miss(input.address);
      const [centre] = await deps.db.select({ name: centres.name }).from(centres).where(eq(centres.id, found.ticket.centreId));
      return {
        code: found.ticket.code,
        fieldName: found.fieldName,
        centreName: centre?.name ?? "",
        state: trackingRatingState(found.ticket, found.ratingId !== null, clock(deps)),
        finishedAt: found.ticket.finishedAt?.toISOString() ?? null,
      };
    },

    async rate(input: RatingInput & { token: string; address: string }) {
      await guard(input.address);
      if (!TRACKING_TOKEN.test(input.token)) throw await miss(input.address);
      try {
        return await rateByToken(deps, input);
      } catch (error) {
        if (isAppError(error) && error.code === "rating_ticket_not_found") await deps.throttles.spend([bucketOf(input.address)]);
        throw error;
      }
    },
  };
}
