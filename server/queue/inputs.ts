/**
 * The shapes of what officers send for queue actions, parsed the same way by the pages and
 * by /api/v1. Numbers arrive as strings from forms, hence the coercion.
 */
import { z } from "zod";
import { t } from "../i18n";
import { plainText } from "../input";
import type { TransferTarget } from "./event-details";
import { OUT_OF_ORDER_REASONS, OUTCOMES, PAUSE_REASONS } from "./reasons";

/** Row ids are PostgreSQL integers: anything else is refused before it reaches a query. */
const MAX_ID = 2_147_483_647;
const idOf = (message: string) => z.coerce.number({ error: message }).int({ error: message }).positive({ error: message }).max(MAX_ID, { error: message });
export const id = idOf(t("validation.id"));
const text = (max: number) =>
  plainText(max)
    .optional()
    .transform((v) => v?.trim() || undefined);

/** A form sends "" and a JSON client null for "no priority class". */
export const issueInput = z.object({
  fieldId: id,
  priorityClassId: z
    .union([id, z.literal("")])
    .nullish()
    .transform((v) => (v === "" || v === null ? undefined : v)),
});
export const signOutInput = z.object({ activeTicket: z.enum(["finish", "requeue"]).optional() });
export const pauseInput = z.object({ reason: z.enum(PAUSE_REASONS).optional().catch(undefined) });
export const callInput = z.object({ ticketId: idOf(t("validation.ticketRequired")), reason: z.enum(OUT_OF_ORDER_REASONS).optional().catch(undefined), note: text(500) });
export const transferInput = z.object({
  fieldId: id.optional().catch(undefined),
  counterId: id.optional().catch(undefined),
  officerId: id.optional().catch(undefined),
  note: text(500),
});
export const finishInput = z.object({ outcome: z.enum(OUTCOMES).optional(), note: text(1000) });
export const cancelInput = z.object({ reason: text(500) });

/** The one destination a transfer names (the first given of field, counter, officer). */
export function transferTarget(body: z.infer<typeof transferInput>): TransferTarget | null {
  if (body.fieldId) return { fieldId: body.fieldId };
  if (body.counterId) return { counterId: body.counterId };
  if (body.officerId) return { officerId: body.officerId };
  return null;
}
