import type { MessageKey } from "../i18n";

/** Why a ticket may be called out of order; "other" requires a note. */
export const OUT_OF_ORDER_REASONS = ["appointment", "returning", "urgent", "leader", "technical", "other"] as const;
export type OutOfOrderReason = (typeof OUT_OF_ORDER_REASONS)[number];
export const outOfOrderLabel = (r: OutOfOrderReason) => `reason.ooo.${r}` as MessageKey;

export const PAUSE_REASONS = ["break", "meeting", "dossier", "technical", "other"] as const;
export type PauseReason = (typeof PAUSE_REASONS)[number];
export const pauseLabel = (r: PauseReason) => `reason.pause.${r}` as MessageKey;

export const OUTCOMES = ["done", "needs_dossier", "redirected", "citizen_left"] as const;
export const outcomeLabel = (o: (typeof OUTCOMES)[number] | "dossier_received" | "dossier_refused") => `outcome.${o}` as MessageKey;
