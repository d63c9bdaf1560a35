/**
 * What a rating is made of, and when one may be given: the three answers, the fixed reasons of
 * "Không hài lòng" (keys stored, Vietnamese labels from the catalogue), and the two windows.
 */
import { z } from "zod";
import { AppError } from "../errors";
import { t, type MessageKey } from "../i18n";
import { plainText } from "../input";
import { id } from "../queue/inputs";

export const RATING_VALUES = ["very_satisfied", "satisfied", "unsatisfied"] as const;
export type RatingValue = (typeof RATING_VALUES)[number];

/** Why a citizen was not satisfied: the list the tablet and the phone offer, in this order. */
export const UNSATISFIED_REASONS = ["long_wait", "attitude", "unclear_guidance", "extra_documents", "complex_procedure", "facilities", "other"] as const;
export type UnsatisfiedReason = (typeof UNSATISFIED_REASONS)[number];

export const reasonLabel = (key: UnsatisfiedReason) => t(`rating.reason.${key}` as MessageKey);
export const valueLabel = (value: RatingValue) => t(`rating.value.${value}` as MessageKey);

/** The tablet asks only about a visit finished at its counter this recently: the citizen is still standing there. */
export const TABLET_WINDOW_MINUTES = 10;
/** The tracking page takes a rating this long after the visit's finish. */
export const TRACKING_WINDOW_HOURS = 24;
/** The citizen's own words, bounded. */
export const COMMENT_MAX = 500;

const ratingFields = {
  value: z.enum(RATING_VALUES, { error: t("error.bad_request") }),
  reasons: z
    .union([z.array(z.enum(UNSATISFIED_REASONS)), z.enum(UNSATISFIED_REASONS)])
    .optional()
    .transform((v) => [...new Set(v === undefined ? [] : Array.isArray(v) ? v : [v])]),
  comment: plainText(COMMENT_MAX)
    .optional()
    .transform((v) => v?.trim() || null),
};

/**
 * The rule of the answer: "Không hài lòng" needs at least one reason or words of the citizen's
 * own; reasons sent with a satisfied answer are dropped.
 */
const withReasonRule = <S extends z.ZodType<{ value: RatingValue; reasons: UnsatisfiedReason[]; comment: string | null }>>(schema: S) =>
  schema
    .transform((r) => (r.value === "unsatisfied" ? r : { ...r, reasons: [] as UnsatisfiedReason[] }))
    .refine((r) => r.value !== "unsatisfied" || r.reasons.length > 0 || r.comment !== null, { error: t("error.rating_reason_required"), path: ["reasons"] });

/** A rating as sent (form or JSON): the answer, its reasons, the citizen's words. */
export const ratingInput = withReasonRule(z.object(ratingFields));
export type RatingInput = z.output<typeof ratingInput>;

/** From the tablet: which finished ticket is rated, and the rating. */
export const tabletRatingInput = withReasonRule(z.object({ ticketId: id, ...ratingFields }));

/** A tracking token as issued (server/auth/token.ts: 20 bytes in base32, 32 characters). */
export const TRACKING_TOKEN = /^[a-z2-7]{32}$/;

/** A rating sent to /api/v1: the missing reason of "Không hài lòng" is said as such, any other bad input as a bad request. */
export function parseRating<S extends typeof ratingInput | typeof tabletRatingInput>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data as z.output<S>;
  throw new AppError(result.error.issues.every((i) => i.path[0] === "reasons" && i.code === "custom") ? "rating_reason_required" : "bad_request");
}
