import type { ActionReply } from "../lib/actions.server";

/** An input's refusals under it (its `id` is what the input's aria-describedby names). */
export function Refusal({ errors, id }: { errors?: string[]; id: string }) {
  return errors?.length ? (
    <div id={id} className="mt-1 text-sm text-red-700">
      {errors.map((e) => (
        <p key={e}>{e}</p>
      ))}
    </div>
  ) : null;
}

/** The outcome of a form's last save: its message, or the refusal of the whole form. */
export function Saved({ reply }: { reply?: ActionReply }) {
  if (!reply) return null;
  if (reply.message) {
    return (
      <p role="status" className="text-emerald-800">
        {reply.message}
      </p>
    );
  }
  const formError = reply.result.error?.[""]?.[0];
  return formError ? (
    <p role="alert" className="text-red-700">
      {formError}
    </p>
  ) : null;
}
