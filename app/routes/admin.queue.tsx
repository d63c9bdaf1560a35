import {
  getFormProps,
  getInputProps,
  getSelectProps,
  useForm,
  type FieldMetadata,
  type SubmissionResult,
} from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useEffect, useRef, useState } from "react";
import { data, useFetcher } from "react-router";
import { z } from "zod";
import { isAppError } from "../../server/errors";
import { fieldSettingsSchema, listFields, saveFieldSettings } from "../../server/queue/field-settings";
import { listPriorityClasses, savePriorityClass } from "../../server/queue/priority-classes";
import { StaffHeader } from "../components/staff-header";
import { requireUser } from "../lib/guards.server";
import { t, type MessageKey } from "../lib/i18n";
import type { Route } from "./+types/admin.queue";

export const meta: Route.MetaFunction = () => [{ title: `${t("admin.queue.title")} · ${t("app.name")}` }];

// The ranges are the domain's (server/queue/field-settings.ts); only the form's own quirk is here.
const fieldForm = fieldSettingsSchema.extend({
  fieldId: z.number().int().positive(),
  // An unticked checkbox is not sent at all.
  isOpen: z.boolean().default(false),
});
const classForm = z.object({
  id: z.number().int().positive().optional(),
  name: z.string().optional(),
});
const classIntents = ["class-add", "class-rename", "class-activate", "class-deactivate"] as const;

/** All the page's forms share one fetcher, so the page can show the last save's outcome. */
const FETCHER_KEY = "admin-queue";
type Section = "fields" | "classes";
type ActionData = { form: string; result: SubmissionResult<string[]>; notice?: { section: Section; text: string } };

export async function loader({ context, request }: Route.LoaderArgs) {
  const user = requireUser(context, request, ["admin"]);
  const { db } = context.services;
  const [fieldRows, classRows] = await Promise.all([listFields(db, user.centreId), listPriorityClasses(db, user.centreId)]);
  return {
    user,
    fields: fieldRows.map((f) => ({
      id: f.id,
      name: f.name,
      prefix: f.prefix,
      isOpen: f.isOpen,
      queueMode: f.queueMode,
      priorityRatio: f.priorityRatio,
      ageingCapMinutes: f.ageingCapMinutes,
      dailyCapacity: f.dailyCapacity,
      cutoffTime: f.cutoffTime,
      recallsBeforeNoShow: f.recallsBeforeNoShow,
      rejoinGraceMinutes: f.rejoinGraceMinutes,
      defaultServiceMinutes: f.defaultServiceMinutes,
    })),
    classes: classRows.map((c) => ({ id: c.id, name: c.name, isActive: c.isActive })),
  };
}

export async function action({ context, request }: Route.ActionArgs) {
  const user = requireUser(context, request, ["admin"]);
  const { db } = context.services;
  const formData = await request.formData();
  const intent = formData.get("intent");

  if (intent === "field") {
    const submission = parseWithZod(formData, { schema: fieldForm });
    const form = `field-${formData.get("fieldId")}`;
    if (submission.status !== "success") return data<ActionData>({ form, result: submission.reply() }, { status: 400 });
    const { fieldId, ...settings } = submission.value;
    try {
      const saved = await saveFieldSettings(db, { centreId: user.centreId, fieldId, settings });
      if (!saved.ok) return data<ActionData>({ form, result: submission.reply({ fieldErrors: saved.fieldErrors }) }, { status: 400 });
      const text = t("admin.field.saved", { name: saved.value.name });
      return data<ActionData>({ form, result: submission.reply(), notice: { section: "fields", text } });
    } catch (error) {
      if (isAppError(error)) return data<ActionData>({ form, result: submission.reply({ formErrors: [error.message] }) }, { status: error.status });
      throw error;
    }
  }

  const classIntent = classIntents.find((i) => i === intent);
  if (!classIntent) throw data({ message: t("error.bad_request") }, { status: 400 });
  const submission = parseWithZod(formData, { schema: classForm });
  const form = classIntent === "class-add" ? "class-new" : `class-${formData.get("id")}`;
  if (submission.status !== "success" || (classIntent !== "class-add" && !submission.value.id)) {
    return data<ActionData>({ form, result: submission.reply({ formErrors: [t("error.bad_request")] }) }, { status: 400 });
  }
  const { id, name } = submission.value;
  try {
    const saved = await savePriorityClass(db, {
      centreId: user.centreId,
      ...(classIntent === "class-add" ? { name } : { id }),
      ...(classIntent === "class-rename" ? { name: name ?? "" } : {}),
      ...(classIntent === "class-activate" ? { isActive: true } : {}),
      ...(classIntent === "class-deactivate" ? { isActive: false } : {}),
    });
    if (!saved.ok) return data<ActionData>({ form, result: submission.reply({ fieldErrors: saved.fieldErrors }) }, { status: 400 });
    const done: Record<typeof classIntent, MessageKey> = {
      "class-add": "admin.classes.added",
      "class-rename": "admin.classes.renamed",
      "class-activate": "admin.classes.activated",
      "class-deactivate": "admin.classes.deactivated",
    };
    const text = t(done[classIntent], { name: saved.value.name });
    return data<ActionData>({ form, result: submission.reply({ resetForm: classIntent === "class-add" }), notice: { section: "classes", text } });
  } catch (error) {
    if (isAppError(error)) return data<ActionData>({ form, result: submission.reply({ formErrors: [error.message] }) }, { status: error.status });
    throw error;
  }
}

type FieldRowData = Route.ComponentProps["loaderData"]["fields"][number];

export default function QueueSettings({ loaderData }: Route.ComponentProps) {
  const fetcher = useFetcher<ActionData>({ key: FETCHER_KEY });
  const [editingId, setEditingId] = useState<number | null>(null);
  const done = fetcher.state === "idle" ? fetcher.data : undefined;
  // The edit panel closes once its save went through.
  useEffect(() => {
    if (done?.notice && done.form === `field-${editingId}`) setEditingId(null);
  }, [done, editingId]);

  const notice = (section: Section) =>
    done?.notice?.section === section ? (
      <p role="status" className="mt-3 rounded-lg bg-emerald-50 px-4 py-2.5 font-medium text-emerald-900 ring-1 ring-emerald-200">
        {done.notice.text}
      </p>
    ) : null;

  return (
    <div className="min-h-screen">
      <StaffHeader user={loaderData.user} />
      <main className="mx-auto max-w-[1320px] px-6 py-5">
        <h1 className="text-2xl font-bold">{t("admin.queue.title")}</h1>
        <p className="mt-1 text-slate-600">{t("admin.queue.intro")}</p>
        {notice("fields")}

        {loaderData.fields.length === 0 ? (
          <p className="mt-4 text-slate-600">{t("admin.queue.empty")}</p>
        ) : (
          <table className="mt-4 w-full rounded-xl bg-white text-left text-sm shadow-sm ring-1 ring-slate-200">
            <thead className="bg-slate-50 text-slate-600">
              <tr className="[&>th]:px-3 [&>th]:py-2.5 [&>th]:font-semibold [&>th]:whitespace-nowrap">
                <th>{t("admin.field.name")}</th>
                <th>{t("admin.field.isOpen")}</th>
                <th>{t("admin.field.queueMode")}</th>
                <th>{t("admin.field.ageingCapMinutes.short")}</th>
                <th>{t("admin.field.dailyCapacity.short")}</th>
                <th>{t("admin.field.cutoffTime.short")}</th>
                <th>{t("admin.field.recallsBeforeNoShow.short")}</th>
                <th>{t("admin.field.rejoinGraceMinutes.short")}</th>
                <th>{t("admin.field.defaultServiceMinutes.short")}</th>
                <th>
                  <span className="sr-only">{t("admin.queue.edit")}</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {loaderData.fields.map((field) => (
                <FieldRows
                  key={field.id}
                  field={field}
                  editing={editingId === field.id}
                  onEdit={() => setEditingId(field.id)}
                  onClose={() => setEditingId(null)}
                />
              ))}
            </tbody>
          </table>
        )}

        <section className="mt-8" aria-labelledby="classes-title">
          <h2 id="classes-title" className="text-xl font-bold">
            {t("admin.classes.title")}
          </h2>
          <p className="mt-1 max-w-4xl text-slate-600">{t("admin.classes.intro")}</p>
          {notice("classes")}
          <div className="mt-4 max-w-4xl rounded-xl bg-white shadow-sm ring-1 ring-slate-200">
            {loaderData.classes.length === 0 ? (
              <p className="px-4 py-3 text-slate-600">{t("admin.classes.empty")}</p>
            ) : (
              <table className="w-full text-left text-sm">
                <thead className="bg-slate-50 text-slate-600">
                  <tr className="[&>th]:px-4 [&>th]:py-2.5 [&>th]:font-semibold">
                    <th>{t("admin.classes.name")}</th>
                    <th className="w-40">{t("admin.classes.status")}</th>
                    <th className="w-40">
                      <span className="sr-only">{t("admin.classes.status")}</span>
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {loaderData.classes.map((c) => (
                    <ClassRow key={c.id} priorityClass={c} />
                  ))}
                </tbody>
              </table>
            )}
            <NewClassForm />
          </div>
        </section>
      </main>
    </div>
  );
}

function FieldRows({ field, editing, onEdit, onClose }: { field: FieldRowData; editing: boolean; onEdit: () => void; onClose: () => void }) {
  const minutes = (n: number | null, none: MessageKey) => (n === null ? <Muted>{t(none)}</Muted> : t("admin.field.minutes", { n }));
  return (
    <>
      <tr className={`[&>td]:px-3 [&>td]:py-2.5 [&>td]:whitespace-nowrap ${editing ? "bg-brand-50/60" : ""}`}>
        <td className="font-semibold text-slate-900">
          <span className="mr-2 inline-block w-6 rounded bg-slate-100 text-center font-mono text-xs leading-5 text-slate-600">{field.prefix}</span>
          {field.name}
        </td>
        <td>
          {field.isOpen ? (
            <span className="rounded-full bg-emerald-50 px-2 py-0.5 font-medium text-emerald-800 ring-1 ring-emerald-200">{t("admin.field.isOpen.open")}</span>
          ) : (
            <span className="rounded-full bg-amber-50 px-2 py-0.5 font-medium text-amber-900 ring-1 ring-amber-300">{t("admin.field.isOpen.closed")}</span>
          )}
        </td>
        <td>{field.queueMode === "strict" ? t("admin.field.queueMode.strict") : t("admin.field.queueMode.ratioShort", { k: field.priorityRatio })}</td>
        <td>{minutes(field.ageingCapMinutes, "admin.field.notApplied")}</td>
        <td>{field.dailyCapacity === null ? <Muted>{t("admin.field.unlimited")}</Muted> : field.dailyCapacity}</td>
        <td>{field.cutoffTime ?? <Muted>{t("admin.field.allDay")}</Muted>}</td>
        <td>{t("admin.field.times", { n: field.recallsBeforeNoShow })}</td>
        <td>{minutes(field.rejoinGraceMinutes, "admin.field.notApplied")}</td>
        <td>{minutes(field.defaultServiceMinutes, "admin.field.notApplied")}</td>
        <td className="text-right">
          <button
            type="button"
            onClick={editing ? onClose : onEdit}
            aria-expanded={editing}
            aria-controls={`field-${field.id}`}
            aria-label={`${t("admin.queue.edit")} ${field.name}`}
            className={`rounded-md border px-3 py-1.5 text-sm font-medium ${editing ? "border-brand-600 bg-brand-700 text-white" : "border-slate-300 hover:bg-slate-50"}`}>
            {editing ? t("admin.queue.editing") : t("admin.queue.edit")}
          </button>
        </td>
      </tr>
      {editing ? (
        <tr>
          <td colSpan={10} className="bg-brand-50/60 px-3 pb-4">
            <FieldForm field={field} onClose={onClose} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

function FieldForm({ field, onClose }: { field: FieldRowData; onClose: () => void }) {
  const fetcher = useFetcher<ActionData>({ key: FETCHER_KEY });
  const formId = `field-${field.id}`;
  const [form, fields] = useForm({
    id: formId,
    lastResult: fetcher.state === "idle" && fetcher.data?.form === formId ? fetcher.data.result : undefined,
    defaultValue: {
      isOpen: field.isOpen ? "on" : "",
      queueMode: field.queueMode,
      priorityRatio: String(field.priorityRatio),
      ageingCapMinutes: field.ageingCapMinutes?.toString() ?? "",
      dailyCapacity: field.dailyCapacity?.toString() ?? "",
      cutoffTime: field.cutoffTime ?? "",
      recallsBeforeNoShow: String(field.recallsBeforeNoShow),
      rejoinGraceMinutes: String(field.rejoinGraceMinutes),
      defaultServiceMinutes: String(field.defaultServiceMinutes),
    },
  });
  const strict = fields.queueMode.value === "strict";
  const saving = fetcher.state !== "idle";

  const panel = useRef<HTMLFormElement>(null);
  useEffect(() => {
    panel.current?.scrollIntoView({ block: "nearest", behavior: "smooth" });
    panel.current?.querySelector<HTMLElement>("input:not([type=hidden])")?.focus();
  }, []);

  const numberInput = (meta: FieldMetadata<string>, extra: { readOnly?: boolean } = {}) => (
    <input
      {...getInputProps(meta, { type: "text", ariaDescribedBy: meta.descriptionId })}
      inputMode="numeric"
      autoComplete="off"
      {...extra}
      className="w-20 rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-base tabular-nums read-only:bg-slate-100 read-only:text-slate-400 aria-invalid:border-red-500 aria-invalid:ring-1 aria-invalid:ring-red-500"
    />
  );

  return (
    <fetcher.Form
      method="post"
      {...getFormProps(form)}
      ref={panel}
      aria-label={t("admin.queue.editTitle", { name: field.name })}
      onKeyDown={(event) => {
        if (event.key === "Escape") onClose();
      }}
      className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-brand-600/30">
      <input type="hidden" name="intent" value="field" />
      <input type="hidden" name="fieldId" value={field.id} />
      <div className="flex items-baseline justify-between gap-4">
        <h3 className="text-base font-semibold text-slate-900">{t("admin.queue.editTitle", { name: field.name })}</h3>
        {form.errors ? (
          <p id={form.errorId} role="alert" className="font-medium text-red-700">
            {form.errors[0]}
          </p>
        ) : Object.values(fields).some((f) => f.errors) ? (
          <p role="alert" className="font-medium text-red-700">
            {t("admin.field.notSaved")}
          </p>
        ) : null}
      </div>

      <div className="mt-3 grid grid-cols-5 gap-x-5 gap-y-4">
        <Setting meta={fields.isOpen} label={t("admin.field.isOpen")} hint={t("admin.field.isOpen.hint")}>
          <label className="flex items-center gap-2 py-1.5 text-base">
            <input
              {...getInputProps(fields.isOpen, { type: "checkbox", ariaDescribedBy: fields.isOpen.descriptionId })}
              className="size-5 accent-brand-700"
            />
            {t("admin.field.isOpen.label")}
          </label>
        </Setting>
        <Setting meta={fields.queueMode} label={t("admin.field.queueMode")} hint={t("admin.field.queueMode.hint")} labelFor>
          <select
            {...getSelectProps(fields.queueMode, { ariaDescribedBy: fields.queueMode.descriptionId })}
            className="w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-base aria-invalid:border-red-500">
            <option value="strict">{t("admin.field.queueMode.strict")}</option>
            <option value="ratio">{t("admin.field.queueMode.ratio")}</option>
          </select>
        </Setting>
        <Setting
          meta={fields.priorityRatio}
          label={t("admin.field.priorityRatio")}
          hint={t(strict ? "admin.field.priorityRatio.strictHint" : "admin.field.priorityRatio.hint")}
          labelFor>
          {numberInput(fields.priorityRatio, { readOnly: strict })}
        </Setting>
        <Setting meta={fields.ageingCapMinutes} label={t("admin.field.ageingCapMinutes")} hint={t("admin.field.ageingCapMinutes.hint")} unit={t("admin.field.unit.minutes")} labelFor>
          {numberInput(fields.ageingCapMinutes)}
        </Setting>
        <Setting meta={fields.dailyCapacity} label={t("admin.field.dailyCapacity")} hint={t("admin.field.dailyCapacity.hint")} unit={t("admin.field.unit.tickets")} labelFor>
          {numberInput(fields.dailyCapacity)}
        </Setting>
        <Setting meta={fields.cutoffTime} label={t("admin.field.cutoffTime")} hint={t("admin.field.cutoffTime.hint")} labelFor>
          <input
            {...getInputProps(fields.cutoffTime, { type: "text", ariaDescribedBy: fields.cutoffTime.descriptionId })}
            placeholder="16:30"
            autoComplete="off"
            className="w-24 rounded-md border border-slate-300 px-2.5 py-1.5 text-base tabular-nums aria-invalid:border-red-500 aria-invalid:ring-1 aria-invalid:ring-red-500"
          />
        </Setting>
        <Setting meta={fields.recallsBeforeNoShow} label={t("admin.field.recallsBeforeNoShow")} hint={t("admin.field.recallsBeforeNoShow.hint")} unit={t("admin.field.unit.times")} labelFor>
          {numberInput(fields.recallsBeforeNoShow)}
        </Setting>
        <Setting meta={fields.rejoinGraceMinutes} label={t("admin.field.rejoinGraceMinutes")} hint={t("admin.field.rejoinGraceMinutes.hint")} unit={t("admin.field.unit.minutes")} labelFor>
          {numberInput(fields.rejoinGraceMinutes)}
        </Setting>
        <Setting meta={fields.defaultServiceMinutes} label={t("admin.field.defaultServiceMinutes")} hint={t("admin.field.defaultServiceMinutes.hint")} unit={t("admin.field.unit.minutes")} labelFor>
          {numberInput(fields.defaultServiceMinutes)}
        </Setting>
        <div className="flex items-end justify-end gap-2">
          <button type="button" onClick={onClose} className="rounded-lg border border-slate-300 px-4 py-2 font-medium hover:bg-slate-50">
            {t("admin.queue.cancel")}
          </button>
          <button type="submit" disabled={saving} className="rounded-lg bg-brand-700 px-4 py-2 font-semibold whitespace-nowrap text-white hover:bg-brand-800 disabled:opacity-60">
            {saving ? t("admin.queue.saving") : t("admin.queue.save")}
          </button>
        </div>
      </div>
    </fetcher.Form>
  );
}

/** One setting: its label, its input (with a unit), a short hint, and the reason it was refused. */
function Setting({
  meta,
  label,
  hint,
  unit,
  labelFor,
  children,
}: {
  meta: FieldMetadata<unknown>;
  label: string;
  hint: string;
  unit?: string;
  /** The label names the input itself (a checkbox carries its own label). */
  labelFor?: boolean;
  children: React.ReactNode;
}) {
  return (
    <div className="flex min-w-0 flex-col">
      {labelFor ? (
        <label htmlFor={meta.id} className="text-sm font-semibold text-slate-800">
          {label}
        </label>
      ) : (
        <span className="text-sm font-semibold text-slate-800">{label}</span>
      )}
      <div className="mt-1 flex items-center gap-2">
        {children}
        {unit ? <span className="text-sm text-slate-600">{unit}</span> : null}
      </div>
      <p id={meta.descriptionId} className="mt-1 text-xs leading-snug text-slate-500">
        {hint}
      </p>
      {meta.errors ? (
        <p id={meta.errorId} className="mt-1 text-sm leading-snug font-medium text-red-700">
          {meta.errors[0]}
        </p>
      ) : null}
    </div>
  );
}

function ClassRow({ priorityClass }: { priorityClass: { id: number; name: string; isActive: boolean } }) {
  const fetcher = useFetcher<ActionData>({ key: FETCHER_KEY });
  const formId = `class-${priorityClass.id}`;
  const [form, fields] = useForm({
    id: formId,
    lastResult: fetcher.state === "idle" && fetcher.data?.form === formId ? fetcher.data.result : undefined,
    defaultValue: { name: priorityClass.name },
  });
  const busy = fetcher.state !== "idle";
  return (
    <tr className={`align-top [&>td]:px-4 [&>td]:py-2 ${priorityClass.isActive ? "" : "bg-slate-50"}`}>
      <td>
        <fetcher.Form method="post" {...getFormProps(form)} className="flex items-center gap-2">
          <input type="hidden" name="id" value={priorityClass.id} />
          <input
            {...getInputProps(fields.name, { type: "text" })}
            aria-label={t("admin.classes.name")}
            className={`min-w-0 flex-1 rounded-md border border-slate-300 px-2.5 py-1.5 text-base aria-invalid:border-red-500 aria-invalid:ring-1 aria-invalid:ring-red-500 ${priorityClass.isActive ? "" : "text-slate-500"}`}
          />
          <button
            name="intent"
            value="class-rename"
            disabled={busy}
            className="rounded-md border border-slate-300 px-3 py-1.5 whitespace-nowrap hover:bg-slate-50 disabled:opacity-60">
            {t("admin.classes.rename")}
          </button>
        </fetcher.Form>
        {fields.name.errors ? (
          <p id={fields.name.errorId} className="mt-1 font-medium text-red-700">
            {fields.name.errors[0]}
          </p>
        ) : null}
        {form.errors ? (
          <p role="alert" className="mt-1 font-medium text-red-700">
            {form.errors[0]}
          </p>
        ) : null}
      </td>
      <td className="py-3.5! whitespace-nowrap">
        {priorityClass.isActive ? (
          <span className="rounded-full bg-emerald-50 px-2 py-0.5 font-medium text-emerald-800 ring-1 ring-emerald-200">{t("admin.classes.active")}</span>
        ) : (
          <span className="rounded-full bg-slate-100 px-2 py-0.5 font-medium text-slate-600 ring-1 ring-slate-300">{t("admin.classes.inactive")}</span>
        )}
      </td>
      <td className="text-right">
        <button
          form={form.id}
          name="intent"
          value={priorityClass.isActive ? "class-deactivate" : "class-activate"}
          disabled={busy}
          className={`rounded-md border px-3 py-1.5 whitespace-nowrap disabled:opacity-60 ${priorityClass.isActive ? "border-amber-300 text-amber-900 hover:bg-amber-50" : "border-emerald-300 text-emerald-800 hover:bg-emerald-50"}`}>
          {priorityClass.isActive ? t("admin.classes.deactivate") : t("admin.classes.activate")}
        </button>
      </td>
    </tr>
  );
}

function NewClassForm() {
  const fetcher = useFetcher<ActionData>({ key: FETCHER_KEY });
  const formId = "class-new";
  const [form, fields] = useForm<{ name: string }>({
    id: formId,
    lastResult: fetcher.state === "idle" && fetcher.data?.form === formId ? fetcher.data.result : undefined,
  });
  return (
    <fetcher.Form method="post" {...getFormProps(form)} className="border-t border-slate-200 px-4 py-3">
      <input type="hidden" name="intent" value="class-add" />
      <label htmlFor={fields.name.id} className="text-sm font-semibold text-slate-800">
        {t("admin.classes.new")}
      </label>
      <div className="mt-1 flex items-center gap-2">
        <input
          {...getInputProps(fields.name, { type: "text" })}
          placeholder={t("admin.classes.newPlaceholder")}
          className="min-w-0 flex-1 rounded-md border border-slate-300 px-2.5 py-1.5 text-base aria-invalid:border-red-500 aria-invalid:ring-1 aria-invalid:ring-red-500"
        />
        <button
          type="submit"
          disabled={fetcher.state !== "idle"}
          className="rounded-lg bg-brand-700 px-4 py-2 text-sm font-semibold whitespace-nowrap text-white hover:bg-brand-800 disabled:opacity-60">
          {t("admin.classes.add")}
        </button>
      </div>
      {fields.name.errors ? (
        <p id={fields.name.errorId} className="mt-1 text-sm font-medium text-red-700">
          {fields.name.errors[0]}
        </p>
      ) : null}
    </fetcher.Form>
  );
}

function Muted({ children }: { children: React.ReactNode }) {
  return <span className="text-slate-500">{children}</span>;
}
