import type { ActionReply } from "../lib/actions.server";

/** What a page action's answer says: its message when it went through, else the first refusal. */
export function replyText(reply: ActionReply | undefined): { ok: boolean; text: string } | null {
  if (!reply) return null;
  if (reply.result.status !== "error") return reply.message ? { ok: true, text: reply.message } : null;
  const errors = reply.result.error ?? {};
  const text = errors[""]?.[0] ?? Object.values(errors).flat()[0];
  return text ? { ok: false, text } : null;
}

/**
 * The answer of the last action; by default in a row whose height is kept, so a page people
 * work in all day (the console) does not jump when a message appears.
 */
export function ActionMessage({ reply, className = "", reserve = true }: { reply: ActionReply | undefined; className?: string; reserve?: boolean }) {
  const said = replyText(reply);
  if (!reserve && !said) return null;
  return (
    <div className={`${reserve ? "min-h-11" : ""} ${className}`}>
      {said ? (
        <p
          role={said.ok ? "status" : "alert"}
          data-testid="action-message"
          className={`rounded-lg px-4 py-2 text-base ${said.ok ? "bg-emerald-50 text-emerald-900 ring-1 ring-emerald-200" : "bg-red-50 text-red-900 ring-1 ring-red-200"}`}
        >
          {said.text}
        </p>
      ) : null}
    </div>
  );
}
