import type { FieldMetadata } from "@conform-to/react";
import { useState } from "react";
import { useFetcher } from "react-router";
import type { ActionReply } from "../../lib/actions.server";

/** All the queue settings page's forms share one fetcher, so the page can show the last save's outcome. */
export const FETCHER_KEY = "admin-queue";

export type Section = "fields" | "classes";
/** Which part of the page a form belongs to, from its id (`field-3`, `class-7`, `class-new`). */
export const sectionOf = (form: string): Section => (form.startsWith("field-") ? "fields" : "classes");

/**
 * A form's answers from the shared fetcher. Values are judged by the server, so a refusal cannot
 * be re-checked as it is typed: it is shown while it answers the page's latest save and its
 * input has not been changed since.
 */
export function useReplies(formId: string) {
  const fetcher = useFetcher<ActionReply>({ key: FETCHER_KEY });
  // An answer given before this form was shown (a panel closed and opened again) is not its own.
  const [before] = useState(fetcher.data);
  const latest = fetcher.data !== before && fetcher.data?.form === formId;
  const [changed, setChanged] = useState<ReadonlySet<string>>(() => new Set());
  const refusal = (meta: FieldMetadata<unknown>) => (latest && !changed.has(meta.name) ? meta.errors?.[0] : undefined);
  return {
    fetcher,
    lastResult: latest && fetcher.state === "idle" ? fetcher.data?.result : undefined,
    busy: fetcher.state !== "idle",
    refusal,
    /** The refusal of the whole form (not found…), or whether any input was refused. */
    formRefusal: (form: { errors?: string[]; allErrors: Record<string, string[]> }) =>
      latest ? (form.errors?.[0] ?? (Object.keys(form.allErrors).length > 0 ? true : undefined)) : undefined,
    /** Links a control to its hint and, while it stands, its refusal. */
    described: (meta: FieldMetadata<unknown>, hint = true) => {
      const refused = refusal(meta) !== undefined;
      const ids = [refused ? meta.errorId : "", hint ? meta.descriptionId : ""].join(" ").trim();
      return { "aria-invalid": refused || undefined, "aria-describedby": ids || undefined };
    },
    track: <P extends { onSubmit: (event: React.FormEvent<HTMLFormElement>) => void }>(formProps: P) => ({
      ...formProps,
      onInput: (event: React.FormEvent<HTMLFormElement>) => {
        const name = (event.target as HTMLInputElement).name;
        if (name && !changed.has(name)) setChanged(new Set(changed).add(name));
      },
      onSubmit: (event: React.FormEvent<HTMLFormElement>) => {
        setChanged(new Set());
        formProps.onSubmit(event);
      },
    }),
  };
}

