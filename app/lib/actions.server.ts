/**
 * The one way a page action answers: Conform's reply for the form that was sent (errors per
 * input, or for the whole form), the form's id so the page knows whose answer it is, and a
 * message when the action went through. Refusals by the domain keep their HTTP status.
 */
import type { SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data } from "react-router";
import type { z } from "zod";
import { isAppError, type ErrorCode } from "../../server/errors";
import { t } from "../../server/i18n";

/** What a page action's work says: its message, or the service's refusals per input. */
export type Answer = { message: string } | { fieldErrors: Record<string, string[]> };

export type ActionReply<Extra = object> = { form: string; result: SubmissionResult<string[]>; message?: string } & Partial<Extra>;

export async function respond<S extends z.ZodType, Extra extends object = object>(
  formData: FormData,
  schema: S,
  options: {
    /** Which form this is an answer to. */
    form: string;
    /** Domain refusals that belong next to one input rather than to the whole form. */
    errorFields?: Partial<Record<ErrorCode, string>>;
    resetForm?: boolean;
  },
  /** What the action did: its message (and anything else the page needs), or the service's refusals per input. */
  work: (value: z.output<S>) => Promise<({ message?: string } & Extra) | { fieldErrors: Record<string, string[]> }>,
) {
  const submission = parseWithZod(formData, { schema });
  const { form } = options;
  const answer = (reply: ActionReply, status = 200) => data(reply as ActionReply<Extra>, { status });
  if (submission.status !== "success") return answer({ form, result: submission.reply() }, 400);
  try {
    const done = await work(submission.value as z.output<S>);
    if ("fieldErrors" in done) return answer({ form, result: submission.reply({ fieldErrors: done.fieldErrors }) }, 400);
    return answer({ form, result: submission.reply({ resetForm: options.resetForm }), ...done });
  } catch (error) {
    if (!isAppError(error)) throw error;
    const field = options.errorFields?.[error.code];
    const result = submission.reply(field ? { fieldErrors: { [field]: [error.message] } } : { formErrors: [error.message] });
    return answer({ form, result }, error.status);
  }
}

/** The form a page action received; a body that is not a readable form is a 400 page, not a crash. */
export async function readForm(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    throw data({ message: t("error.bad_request") }, { status: 400 });
  }
}
