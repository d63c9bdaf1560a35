/**
 * The form that opens a dossier (the /dossiers page's "open" intent → openDossier): the
 * procedure, the applicant, the documents received against the procedure's list, notes. Used at
 * the counter for the citizen being served (with their ticket) and at reception without one.
 */
import { getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm } from "@conform-to/react";
import { useState } from "react";
import type { FetcherWithComponents } from "react-router";
import type { Procedure } from "../../db/schema";
import { t } from "../../server/i18n";
import type { ActionReply } from "../lib/actions.server";

export type ProcedureOption = Pick<Procedure, "id" | "fieldId" | "code" | "name" | "documents" | "processingDays" | "processingHours" | "fee" | "onTheSpot">;
/** The procedures offered, in groups (the ticket's field first; or by field). */
export type ProcedureGroup = { label: string; items: ProcedureOption[] };

/** The reply of the /dossiers page to an opening. */
export type OpenReply = ActionReply<{ code: string }>;

const input = "mt-1 w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-base aria-invalid:border-red-500";

export function OpenDossierForm({
  id,
  fetcher,
  reply,
  groups,
  ticketId,
  wide = false,
  onCancel,
}: {
  /** The form's id: unique on the page. */
  id: string;
  fetcher: FetcherWithComponents<OpenReply>;
  /** This form's last answer, if it was refused. */
  reply?: OpenReply;
  groups: ProcedureGroup[];
  /** The ticket being served at the counter; none at reception. */
  ticketId?: number;
  /** A whole page's width (reception): the applicant's four inputs on one row. */
  wide?: boolean;
  onCancel: () => void;
}) {
  const [procedureId, setProcedureId] = useState<number | null>(null);
  const procedure = groups.flatMap((g) => g.items).find((p) => p.id === procedureId) ?? null;
  const [form, fields] = useForm<{ procedureId: string; applicantName: string; applicantIdNumber: string; applicantPhone: string; applicantAddress: string; received: string[]; notes: string }>({
    id,
    lastResult: reply?.message ? undefined : reply?.result,
  });
  const formError = reply?.result.status === "error" ? reply.result.error?.[""]?.[0] : undefined;
  const refusal = (errors?: string[], errorId?: string) =>
    errors ? (
      <span id={errorId} className="mt-1 block text-sm text-red-700">
        {errors[0]}
      </span>
    ) : null;

  return (
    <fetcher.Form method="post" action="/dossiers" {...getFormProps(form)} className={`mt-3 grid gap-3 md:grid-cols-2 ${wide ? "xl:grid-cols-4" : ""}`} data-testid="open-dossier">
      <input type="hidden" name="intent" value="open" />
      {ticketId ? <input type="hidden" name="ticketId" value={ticketId} /> : null}
      <div className="text-sm col-span-full">
        <label htmlFor={fields.procedureId.id} className="font-medium">
          {t("dossier.procedure")}
        </label>
        <select
          {...getSelectProps(fields.procedureId)}
          required
          value={procedureId ?? ""}
          onChange={(event) => setProcedureId(Number(event.target.value) || null)}
          className={input}
        >
          <option value="">{t("dossier.chooseProcedure")}</option>
          {groups
            .filter((g) => g.items.length > 0)
            .map((g) => (
              <optgroup key={g.label} label={g.label}>
                {g.items.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </optgroup>
            ))}
        </select>
        {refusal(fields.procedureId.errors, fields.procedureId.errorId)}
      </div>
      {procedure ? (
        <p className="-mt-2 text-sm text-slate-600 col-span-full">
          {procedure.processingHours !== null
            ? t("dossier.processing.hours", { n: procedure.processingHours })
            : procedure.processingDays
              ? t("dossier.processing.days", { n: procedure.processingDays })
              : t("dossier.processing.sameDay")}
          {" · "}
          {t("dossier.fee", { fee: procedure.fee })}
        </p>
      ) : null}
      {(
        [
          ["applicantName", "dossier.applicantName", "name"],
          ["applicantIdNumber", "dossier.applicantIdNumber", "off"],
          ["applicantPhone", "dossier.applicantPhone", "tel"],
          ["applicantAddress", "dossier.applicantAddress", "street-address"],
        ] as const
      ).map(([name, label, autoComplete]) => (
        <div key={name} className="text-sm">
          <label htmlFor={fields[name].id} className="font-medium">
            {t(label)}
          </label>
          <input
            {...getInputProps(fields[name], { type: "text" })}
            autoComplete={autoComplete}
            inputMode={name === "applicantIdNumber" || name === "applicantPhone" ? "numeric" : undefined}
            className={input}
          />
          {refusal(fields[name].errors, fields[name].errorId)}
        </div>
      ))}
      {procedure ? (
        <fieldset className="col-span-full">
          <legend className="text-sm font-medium">{t("dossier.documents")}</legend>
          <ul className="mt-1 space-y-1">
            {procedure.documents.map((d) => (
              <li key={d.key}>
                <label className="flex items-start gap-2 text-sm">
                  <input type="checkbox" name="received" value={d.key} className="mt-0.5 size-4" />
                  <span>
                    {d.name}{" "}
                    <span className="text-slate-500">
                      ({t(`dossier.form.${d.form}`)}
                      {d.count > 1 ? ` × ${d.count}` : ""}
                      {d.mandatory ? `, ${t("dossier.mandatory")}` : ""})
                    </span>
                  </span>
                </label>
              </li>
            ))}
          </ul>
          {refusal(fields.received.errors, fields.received.errorId)}
        </fieldset>
      ) : null}
      <div className="text-sm col-span-full">
        <label htmlFor={fields.notes.id} className="font-medium">
          {t("dossier.notes")}
        </label>
        <textarea {...getTextareaProps(fields.notes)} rows={2} className={input} />
        {refusal(fields.notes.errors, fields.notes.errorId)}
      </div>
      <div className="flex items-center gap-2 col-span-full">
        <button type="submit" disabled={fetcher.state !== "idle"} className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800 disabled:opacity-60">
          {t("dossier.open")}
        </button>
        <button type="button" onClick={onCancel} className="rounded-md border border-slate-300 px-3 py-2 hover:bg-slate-50">
          {t("admin.queue.cancel")}
        </button>
        {formError ? (
          <span role="alert" className="text-sm text-red-700">
            {formError}
          </span>
        ) : null}
      </div>
    </fetcher.Form>
  );
}
