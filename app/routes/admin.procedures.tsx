/** The centre's procedure catalogue: a searchable list by field, and the form that creates or changes a procedure with its documents. */
import { getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm, type FieldMetadata } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useMemo, useState } from "react";
import { data, Link, useFetcher, useSearchParams } from "react-router";
import { z } from "zod";
import { APPROVER_ROLES, DOCUMENT_FORMS, listCatalogue, PROCEDURE_LEVELS, saveProcedure, setProcedureActive } from "../../server/dossiers/catalogue";
import { t } from "../../server/i18n";
import { plainText } from "../../server/input";
import { listFields } from "../../server/queue/field-settings";
import { id } from "../../server/queue/inputs";
import { CentreTabs } from "../components/admin/centre-tabs";
import { StaffHeader } from "../components/staff-header";
import { readForm, respond, type ActionReply, type Answer } from "../lib/actions.server";
import { requireUser } from "../lib/guards.server";
import type { Route } from "./+types/admin.procedures";

export const meta: Route.MetaFunction = () => [{ title: `${t("procedures.title")} · ${t("app.name")}` }];

// The rules are the domain's (server/dossiers/catalogue.ts); the form only says what arrives as text.
const documentForm = z.object({
  key: z.string().max(40).optional(),
  name: plainText(1000, { required: t("procedures.error.documentName", { max: 300 }) }),
  form: z.enum(DOCUMENT_FORMS, { error: t("procedures.error.documentForm") }),
  count: z.number({ error: t("procedures.error.documentCount", { max: 20 }) }),
  // An unticked checkbox is not sent at all.
  mandatory: z.boolean().default(false),
});
const procedureForm = z.object({
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
const activeForm = z.object({ intent: z.enum(["activate", "deactivate"]), id });

export async function loader({ context, request }: Route.LoaderArgs) {
  const { user, actor } = requireUser(context, request, "centre.configure");
  const [procedures, fields] = await Promise.all([listCatalogue(context.services, actor), listFields(context.services, actor)]);
  return {
    user,
    fields: fields.map((f) => ({ id: f.id, name: f.name })),
    procedures: procedures.map((p) => ({
      id: p.id,
      fieldId: p.fieldId,
      code: p.code,
      name: p.name,
      level: p.level,
      legalBasis: p.legalBasis,
      documents: p.documents,
      processingDays: p.processingDays,
      processingHours: p.processingHours,
      fee: p.fee,
      onTheSpot: p.onTheSpot,
      needsAppraisal: p.needsAppraisal,
      approverRole: p.approverRole,
      isActive: p.isActive,
    })),
  };
}

export async function action({ context, request }: Route.ActionArgs) {
  const { actor } = requireUser(context, request, "centre.configure");
  const { services } = context;
  const formData = await readForm(request);
  const intent = formData.get("intent");
  if (intent === "save") {
    return respond(
      formData,
      procedureForm,
      { form: `procedure-${formData.get("id") || "new"}` },
      async ({ intent: _i, timeUnit, time, ...input }): Promise<Answer> => {
        const saved = await saveProcedure(services, actor, {
          ...input,
          processingDays: timeUnit === "days" ? time : null,
          processingHours: timeUnit === "hours" ? time : null,
        });
        if (!saved.ok) {
          // The processing time is one input here: days or hours, and a number.
          const { processingDays, processingHours, ...rest } = saved.fieldErrors;
          const time = [...(processingDays ?? []), ...(processingHours ?? [])];
          return { fieldErrors: time.length ? { ...rest, time } : rest };
        }
        return { message: t(input.id ? "procedures.saved" : "procedures.created", { name: saved.value.name }) };
      },
    );
  }
  if (intent === "activate" || intent === "deactivate") {
    return respond(formData, activeForm, { form: `active-${formData.get("id")}` }, async ({ intent, id }): Promise<Answer> => {
      const row = await setProcedureActive(services, actor, { procedureId: id, active: intent === "activate" });
      return { message: t(intent === "activate" ? "procedures.activated" : "procedures.deactivated", { name: row.name }) };
    });
  }
  throw data({ message: t("error.bad_request") }, { status: 400 });
}

type Data = Route.ComponentProps["loaderData"];
type Row = Data["procedures"][number];

const box = "h-10 rounded-lg border border-slate-300 bg-white px-3 text-base aria-invalid:border-red-500";
const input = `mt-1 w-full ${box}`;
const cell = `w-full ${box}`;
const small = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium whitespace-nowrap hover:bg-slate-50 disabled:opacity-60";
const primary = "rounded-lg bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800 disabled:opacity-60";

const timeText = (p: Pick<Row, "processingDays" | "processingHours">) =>
  p.processingHours !== null
    ? t("procedures.time.hours", { n: p.processingHours })
    : p.processingDays
      ? t("procedures.time.days", { n: p.processingDays })
      : t("procedures.time.sameDay");

/** Lower case without diacritics: «khai sinh» finds «Đăng ký khai sinh». */
const fold = (s: string) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();

export default function Procedures({ loaderData }: Route.ComponentProps) {
  const { procedures, fields } = loaderData;
  const [params, setParams] = useSearchParams();
  const editing = params.get("sua");
  const procedure = editing && editing !== "moi" ? procedures.find((p) => String(p.id) === editing) : undefined;
  const saveKey = `procedure-${procedure?.id ?? "new"}`;
  const saved = useFetcher<ActionReply>({ key: "procedure-saved" });
  const close = () =>
    setParams(
      (p) => {
        p.delete("sua");
        return p;
      },
      { preventScrollReset: true },
    );

  return (
    <div className="min-h-screen">
      <StaffHeader user={loaderData.user} />
      <main className="mx-auto max-w-6xl px-6 py-5">
        <CentreTabs />
        {editing && (editing === "moi" || procedure) ? (
          <ProcedureEditor key={saveKey} formId={saveKey} procedure={procedure} fields={fields} onDone={close} />
        ) : (
          <Catalogue procedures={procedures} fields={fields} message={saved.data?.message} />
        )}
      </main>
    </div>
  );
}

function Catalogue({ procedures, fields, message }: { procedures: Row[]; fields: Data["fields"]; message?: string }) {
  const [params, setParams] = useSearchParams();
  const [query, setQuery] = useState(params.get("q") ?? "");
  const fieldId = Number(params.get("linh-vuc")) || null;
  const setField = (value: string) =>
    setParams(
      (p) => {
        if (value) p.set("linh-vuc", value);
        else p.delete("linh-vuc");
        return p;
      },
      { replace: true, preventScrollReset: true },
    );
  const shown = useMemo(() => {
    const words = fold(query).split(/\s+/).filter(Boolean);
    return procedures.filter((p) => (fieldId === null || p.fieldId === fieldId) && words.every((w) => fold(`${p.code} ${p.name}`).includes(w)));
  }, [procedures, query, fieldId]);
  const groups = fields.map((f) => ({ field: f, items: shown.filter((p) => p.fieldId === f.id) })).filter((g) => g.items.length > 0);
  const activity = useFetcher<ActionReply>({ key: "procedure-active" });
  const answer = activity.state === "idle" ? (activity.data?.message ?? activity.data?.result.error?.[""]?.[0]) : undefined;

  return (
    <>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold">{t("procedures.title")}</h1>
          <p className="mt-1 max-w-3xl text-slate-600">{t("procedures.intro")}</p>
        </div>
        <Link to="?sua=moi" className={`${primary} mt-1`} data-testid="procedure-new">
          {t("procedures.add")}
        </Link>
      </div>

      <div className="mt-4 flex flex-wrap items-end gap-3 rounded-xl bg-white p-3 shadow-sm ring-1 ring-slate-200" role="search">
        <label className="flex min-w-72 flex-1 flex-col text-sm font-medium">
          {t("procedures.search")}
          <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t("procedures.searchPlaceholder")} className={input} />
        </label>
        <label className="flex w-72 flex-col text-sm font-medium">
          {t("procedures.filterField")}
          <select value={fieldId ?? ""} onChange={(e) => setField(e.target.value)} className={input}>
            <option value="">{t("procedures.allFields")}</option>
            {fields.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
        </label>
        <p className="pb-2 text-sm text-slate-600" aria-live="polite">
          {t("procedures.count", { shown: shown.length, total: procedures.length })}
        </p>
      </div>

      <p role="status" className="mt-3 min-h-6 text-emerald-800">
        {answer ?? message ?? ""}
      </p>

      {groups.length === 0 ? <p className="mt-2 rounded-xl bg-white p-6 text-center text-slate-500 shadow-sm ring-1 ring-slate-200">{t("procedures.none")}</p> : null}
      {groups.map(({ field, items }) => (
        <section key={field.id} aria-labelledby={`field-${field.id}`} className="mt-3">
          <h2 id={`field-${field.id}`} className="text-lg font-bold text-slate-800">
            {field.name} <span className="text-sm font-normal text-slate-500">({items.length})</span>
          </h2>
          <ul className="mt-1.5 divide-y divide-slate-100 overflow-hidden rounded-xl bg-white shadow-sm ring-1 ring-slate-200">
            {items.map((p) => (
              <li key={p.id} data-testid={`procedure-${p.code}`} className={`flex items-center gap-4 px-4 py-2.5 ${p.isActive ? "" : "bg-slate-50 text-slate-500"}`}>
                <span className="w-20 shrink-0 font-mono text-sm text-slate-600">{p.code}</span>
                <div className="min-w-0 flex-1">
                  <p className="font-semibold">
                    {p.name}
                    {p.onTheSpot ? <span className="ml-2 rounded-full bg-emerald-50 px-2 py-0.5 text-xs font-medium text-emerald-800">{t("procedures.onTheSpot")}</span> : null}
                    {p.isActive ? null : <span className="ml-2 rounded-full bg-slate-200 px-2 py-0.5 text-xs font-medium text-slate-700">{t("procedures.inactive")}</span>}
                  </p>
                  <p className="truncate text-sm text-slate-600">
                    {timeText(p)} · {p.fee} · {t("procedures.documentsCount", { n: p.documents.length })} · {t(`procedures.decidedBy.${p.approverRole}`)}
                  </p>
                </div>
                <Link to={`?sua=${p.id}`} className={small} aria-label={`${t("procedures.edit")} ${p.name}`}>
                  {t("procedures.edit")}
                </Link>
                <activity.Form method="post" className="w-36 shrink-0">
                  <input type="hidden" name="intent" value={p.isActive ? "deactivate" : "activate"} />
                  <input type="hidden" name="id" value={p.id} />
                  <button type="submit" disabled={activity.state !== "idle"} className={`${small} w-full`} aria-label={`${t(p.isActive ? "procedures.deactivate" : "procedures.activate")} ${p.name}`}>
                    {t(p.isActive ? "procedures.deactivate" : "procedures.activate")}
                  </button>
                </activity.Form>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}

function Refusal({ errors, id }: { errors?: string[]; id?: string }) {
  return errors?.[0] ? (
    <p id={id} className="mt-1 text-sm text-red-700">
      {errors[0]}
    </p>
  ) : null;
}

function ProcedureEditor({ formId, procedure, fields, onDone }: { formId: string; procedure?: Row; fields: Data["fields"]; onDone: () => void }) {
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
