import type { MessageKey } from "../i18n";

/** Why a ticket may be called out of order; "other" requires a note. */
export const OUT_OF_ORDER_REASONS = ["appointment", "returning", "urgent", "leader", "technical", "other"] as const;
export type OutOfOrderReason = (typeof OUT_OF_ORDER_REASONS)[number];
export const outOfOrderLabel = (r: OutOfOrderReason) => `reason.ooo.${r}` as MessageKey;

/** How an out-of-order call's reason is kept in the event log: `code` or `code: note`. */
export function encodeOutOfOrderReason(reason: OutOfOrderReason, note?: string): string {
  return note ? `${reason}: ${note}` : reason;
}

export function decodeOutOfOrderReason(stored: string | null): { reason: OutOfOrderReason | null; note: string | null } {
  if (!stored) return { reason: null, note: null };
  const [code, ...rest] = stored.split(": ");
  const reason = OUT_OF_ORDER_REASONS.find((r) => r === code) ?? null;
  return reason ? { reason, note: rest.length ? rest.join(": ") : null } : { reason: null, note: stored };
}

export const PAUSE_REASONS = ["break", "meeting", "dossier", "technical", "other"] as const;
export type PauseReason = (typeof PAUSE_REASONS)[number];
export const pauseLabel = (r: PauseReason) => `reason.pause.${r}` as MessageKey;

export const OUTCOMES = ["done", "needs_dossier", "redirected", "citizen_left"] as const;
export const outcomeLabel = (o: (typeof OUTCOMES)[number]) => `outcome.${o}` as MessageKey;
