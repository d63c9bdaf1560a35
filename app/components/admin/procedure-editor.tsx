/** The form that creates or changes a procedure, with its documents editor (Conform field lists); the rules are the domain's. */
import { getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm, type FieldMetadata } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useState } from "react";
import { useFetcher } from "react-router";
import { z } from "zod";
import { APPROVER_ROLES, DOCUMENT_FORMS, PROCEDURE_LEVELS, type listCatalogue } from "../../../server/dossiers/catalogue";
import { t } from "../../../server/i18n";
import { plainText } from "../../../server/input";
import { id } from "../../../server/queue/inputs";
import type { ActionReply } from "../../lib/actions.server";

/** A procedure as the catalogue page lists it. */
export type ProcedureRow = Omit<Awaited<ReturnType<typeof listCatalogue>>[number], "centreId" | "sortOrder" | "createdAt" | "fieldName" | "fieldCode">;
export type FieldOption = { id: number; name: string };

// The rules are the domain's (server/dossiers/catalogue.ts); the form only says what arrives as text.
export const documentForm = z.object({
  key: z.string().max(40).optional(),
  name: plainText(1000, { required: t("procedures.error.documentName", { max: 300 }) }),
  form: z.enum(DOCUMENT_FORMS, { error: t("procedures.error.documentForm") }),
  count: z.number({ error: t("procedures.error.documentCount", { max: 20 }) }),
  // An unticked checkbox is not sent at all.
  mandatory: z.boolean().default(false),
});
export const procedureForm = z.object({
  intent: z.literal("save"),
  id: id.optional(),
  fieldId: z.number({ error: t("procedures.error.field") }),
  code: plainText(100, { required: t("procedures.error.code") }),
  name: plainText(1000, { required: t("procedures.error.name", { max: 300 }) }),
  level: z.enum(PROCEDURE_LEVELS, { error: t("procedures.error.level") }),
  legalBasis: plainText(4000, { required: t("procedures.error.legalBasis", { max: 1000 }) }),
  fee: plainText(1000, { required: t("procedures.error.fee", { max: 200 }) }),
  timeUnit: z.enum(["days", "hours"], { error: t("procedures.error.time") }),
  time: z.number({ error: t("procedures.error.time") }),
  onTheSpot: z.boolean().default(false),
  needsAppraisal: z.boolean().default(false),
  approverRole: z.enum(APPROVER_ROLES, { error: t("procedures.error.approverRole") }),
  documents: z.array(documentForm).default([]),
});
const box = "h-10 rounded-lg border border-slate-300 bg-white px-3 text-base aria-invalid:border-red-500";
export const input = `mt-1 w-full ${box}`;
const cell = `w-full ${box}`;
export const small = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium whitespace-nowrap hover:bg-slate-50 disabled:opacity-60";
export const primary = "rounded-lg bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800 disabled:opacity-60";

export function Refusal({ errors, id }: { errors?: string[]; id?: string }) {
  return errors?.[0] ? (
    <p id={id} className="mt-1 text-sm text-red-700">
      {errors[0]}
    </p>
  ) : null;
}

export function ProcedureEditor({ formId, procedure, fields, onDone }: { formId: string; procedure?: ProcedureRow; fields: FieldOption[]; onDone: () => void }) {
  // The list shows the answer of the save that closed the form.
  const fetcher = useFetcher<ActionReply>({ key: "procedure-saved" });
  const [before] = useState(fetcher.data);
  const reply = fetcher.state === "idle" && fetcher.data?.form === formId && fetcher.data !== before ? fetcher.data : undefined;
  const [answered, setAnswered] = useState(reply);
  if (reply !== answered) {
    setAnswered(reply);
    if (reply?.message) onDone();
  }
  const [form, meta] = useForm({
    id: formId,
    lastResult: reply?.message ? undefined : reply?.result,
    defaultValue: procedure
      ? {
          fieldId: String(procedure.fieldId),
          code: procedure.code,
          name: procedure.name,
          level: procedure.level,
          legalBasis: procedure.legalBasis,
          fee: procedure.fee,
          timeUnit: procedure.processingHours !== null ? "hours" : "days",
          time: String(procedure.processingHours ?? procedure.processingDays ?? 0),
          onTheSpot: procedure.onTheSpot ? "on" : "",
          needsAppraisal: procedure.needsAppraisal ? "on" : "",
          approverRole: procedure.approverRole,
          documents: procedure.documents.map((d) => ({ key: d.key, name: d.name, form: d.form, count: String(d.count), mandatory: d.mandatory ? "on" : "" })),
        }
      : {
          level: "commune",
          timeUnit: "days",
          time: "",
          needsAppraisal: "on",
          approverRole: "approver",
          documents: [{ name: "", form: "original", count: "1", mandatory: "on" }],
        },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: procedureForm }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  const documents = meta.documents.getFieldList();
  const formError = reply?.result.error?.[""]?.[0];
  const busy = fetcher.state !== "idle";

  return (
    <fetcher.Form method="post" {...getFormProps(form)} className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200" data-testid="procedure-form">
      <input type="hidden" name="intent" value="save" />
      {procedure ? <input type="hidden" name="id" value={procedure.id} /> : null}
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h1 className="text-2xl font-bold">{procedure ? t("procedures.editTitle", { name: procedure.name }) : t("procedures.newTitle")}</h1>
        <button type="button" onClick={onDone} className="font-medium text-brand-800 underline underline-offset-2">
          {t("procedures.back")}
        </button>
      </div>

      <div className="mt-4 grid grid-cols-12 gap-x-4 gap-y-3">
        <div className="col-span-5 text-sm">
          <label htmlFor={meta.fieldId.id} className="font-medium">
            {t("procedures.field")}
          </label>
          <select {...getSelectProps(meta.fieldId)} className={input}>
            <option value="">{t("procedures.chooseField")}</option>
            {fields.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
          <Refusal errors={meta.fieldId.errors} id={meta.fieldId.errorId} />
        </div>
        <div className="col-span-4 text-sm">
          <label htmlFor={meta.code.id} className="font-medium">
            {t("procedures.code")}
          </label>
          <input {...getInputProps(meta.code, { type: "text" })} autoCapitalize="characters" aria-describedby={`${meta.code.errorId} ${meta.code.id}-hint`} className={`${input} font-mono uppercase`} />
          <Refusal errors={meta.code.errors} id={meta.code.errorId} />
          <p id={`${meta.code.id}-hint`} className="mt-1 text-xs text-slate-500">
            {t("procedures.codeHint")}
          </p>
        </div>
        <div className="col-span-3 text-sm">
          <label htmlFor={meta.level.id} className="font-medium">
            {t("procedures.level")}
          </label>
          <select {...getSelectProps(meta.level)} className={input}>
            {PROCEDURE_LEVELS.map((l) => (
              <option key={l} value={l}>
                {t(`procedures.level.${l}`)}
              </option>
            ))}
          </select>
          <Refusal errors={meta.level.errors} id={meta.level.errorId} />
        </div>

        <div className="col-span-12 text-sm">
          <label htmlFor={meta.name.id} className="font-medium">
            {t("procedures.name")}
          </label>
          <input {...getInputProps(meta.name, { type: "text" })} className={input} />
          <Refusal errors={meta.name.errors} id={meta.name.errorId} />
        </div>
        <div className="col-span-12 text-sm">
          <label htmlFor={meta.legalBasis.id} className="font-medium">
            {t("procedures.legalBasis")}
          </label>
          <textarea {...getTextareaProps(meta.legalBasis)} rows={2} className="mt-1 w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-base aria-invalid:border-red-500" />
          <Refusal errors={meta.legalBasis.errors} id={meta.legalBasis.errorId} />
        </div>

        <fieldset className="col-span-5 text-sm">
          <legend className="font-medium">{t("procedures.time")}</legend>
          <div className="flex gap-2">
            <input {...getInputProps(meta.time, { type: "text" })} inputMode="numeric" aria-label={t("procedures.time")} className={`mt-1 w-24 ${box}`} />
            <select {...getSelectProps(meta.timeUnit)} aria-label={t("procedures.time")} className={`mt-1 flex-1 ${box}`}>
              <option value="days">{t("procedures.timeUnit.days")}</option>
              <option value="hours">{t("procedures.timeUnit.hours")}</option>
            </select>
          </div>
          <Refusal errors={meta.time.errors ?? meta.timeUnit.errors} id={meta.time.errorId} />
          <p className="mt-1 text-xs text-slate-500">{t("procedures.timeHint")}</p>
        </fieldset>
        <div className="col-span-7 text-sm">
          <label htmlFor={meta.fee.id} className="font-medium">
            {t("procedures.fee")}
          </label>
          <input {...getInputProps(meta.fee, { type: "text" })} className={input} />
          <Refusal errors={meta.fee.errors} id={meta.fee.errorId} />
          <p className="mt-1 text-xs text-slate-500">{t("procedures.feeHint")}</p>
        </div>

        <div className="col-span-5 flex flex-col gap-2 pt-1 text-sm">
          <label className="flex items-center gap-2 font-medium">
            <input {...getInputProps(meta.onTheSpot, { type: "checkbox" })} className="size-5" />
            {t("procedures.onTheSpotLabel")}
          </label>
          <Refusal errors={meta.onTheSpot.errors} id={meta.onTheSpot.errorId} />
          <label className="flex items-center gap-2 font-medium">
            <input {...getInputProps(meta.needsAppraisal, { type: "checkbox" })} className="size-5" />
            {t("procedures.needsAppraisalLabel")}
          </label>
        </div>
        <div className="col-span-7 text-sm">
          <label htmlFor={meta.approverRole.id} className="font-medium">
            {t("procedures.approverRole")}
          </label>
          <select {...getSelectProps(meta.approverRole)} className={input}>
            {APPROVER_ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`procedures.approverRole.${r}`)}
              </option>
            ))}
          </select>
          <Refusal errors={meta.approverRole.errors} id={meta.approverRole.errorId} />
        </div>
      </div>

      <fieldset className="mt-5" data-testid="procedure-documents">
        <legend className="text-lg font-bold">{t("procedures.documents")}</legend>
        <p className="text-sm text-slate-600">{t("procedures.documentsHint")}</p>
        <div className="mt-2 grid grid-cols-[2rem_1fr_13rem_6rem_6rem_5rem] items-center gap-x-3 border-b border-slate-200 pb-1 text-sm font-medium text-slate-600" aria-hidden="true">
          <span>#</span>
          <span>{t("procedures.document.name")}</span>
          <span>{t("procedures.document.form")}</span>
          <span>{t("procedures.document.count")}</span>
          <span>{t("procedures.document.mandatory")}</span>
          <span />
        </div>
        <ol>
          {documents.map((d, i) => (
            <DocumentRow key={d.key} meta={d} index={i} removeProps={form.remove.getButtonProps({ name: meta.documents.name, index: i })} />
          ))}
        </ol>
        <Refusal errors={meta.documents.errors} id={meta.documents.errorId} />
        <button
          {...form.insert.getButtonProps({ name: meta.documents.name, defaultValue: { name: "", form: "original", count: "1", mandatory: "on" } })}
          className={`${small} mt-2`}
          disabled={documents.length >= 30}
        >
          + {t("procedures.document.add")}
        </button>
      </fieldset>

      <div className="mt-5 flex items-center gap-3 border-t border-slate-100 pt-4">
        <button type="submit" disabled={busy} className={primary}>
          {procedure ? t("procedures.save") : t("procedures.create")}
        </button>
        <button type="button" className={small} onClick={onDone}>
          {t("procedures.cancel")}
        </button>
        {formError ? (
          <p role="alert" className="text-red-700">
            {formError}
          </p>
        ) : reply && !reply.message ? (
          <p role="alert" className="text-red-700">
            {t("procedures.notSaved")}
          </p>
        ) : null}
      </div>
    </fetcher.Form>
  );
}

type DocumentFields = FieldMetadata<z.input<typeof documentForm>, z.input<typeof procedureForm>>;

function DocumentRow({ meta, index, removeProps }: { meta: DocumentFields; index: number; removeProps: React.ButtonHTMLAttributes<HTMLButtonElement> }) {
  const f = meta.getFieldset();
  const label = t("procedures.document.row", { n: index + 1 });
  return (
    <li className="grid grid-cols-[2rem_1fr_13rem_6rem_6rem_5rem] items-start gap-x-3 border-b border-slate-100 py-2" data-testid={`document-${index}`}>
      <span className="flex h-10 items-center text-sm text-slate-500">{index + 1}</span>
      <div>
        <input {...getInputProps(f.key, { type: "hidden" })} />
        <input {...getInputProps(f.name, { type: "text" })} aria-label={`${label}: ${t("procedures.document.name")}`} className={cell} />
        <Refusal errors={f.name.errors} id={f.name.errorId} />
      </div>
      <div>
        <select {...getSelectProps(f.form)} aria-label={`${label}: ${t("procedures.document.form")}`} className={cell}>
          {DOCUMENT_FORMS.map((form) => (
            <option key={form} value={form}>
              {t(`procedures.form.${form}`)}
            </option>
          ))}
        </select>
        <Refusal errors={f.form.errors} id={f.form.errorId} />
      </div>
      <div>
        <input {...getInputProps(f.count, { type: "text" })} inputMode="numeric" aria-label={`${label}: ${t("procedures.document.count")}`} className={cell} />
        <Refusal errors={f.count.errors} id={f.count.errorId} />
      </div>
      <label className="flex h-10 items-center gap-2 text-sm">
        <input {...getInputProps(f.mandatory, { type: "checkbox" })} aria-label={`${label}: ${t("procedures.document.mandatory")}`} className="size-5" />
        <span aria-hidden="true">{t("procedures.document.mandatory")}</span>
      </label>
      <button {...removeProps} className={`${small} h-10`} aria-label={t("procedures.document.removeLabel", { n: index + 1 })}>
        {t("procedures.document.remove")}
      </button>
    </li>
  );
}
