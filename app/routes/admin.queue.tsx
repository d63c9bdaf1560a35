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
import { announceSettingsChanged } from "../../server/queue/counters";
import { listPriorityClasses, savePriorityClass } from "../../server/queue/priority-classes";
import { StaffHeader } from "../components/staff-header";
import { requireUser } from "../lib/guards.server";
import { t, type MessageKey } from "../../server/i18n";
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
      await announceSettingsChanged(context.services, user.centreId);
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
    await announceSettingsChanged(context.services, user.centreId);
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
  // The edit panel closes once its save went through (checked once per answer, while rendering).
  const [answered, setAnswered] = useState(done);
  if (done !== answered) {
    setAnswered(done);
    if (done?.notice && done.form === `field-${editingId}`) setEditingId(null);
  }

  const notice = (section: Section) =>
    done?.notice?.section === section ? (
      <p role="status" className="mt-3 rounded-lg bg-emerald-50 px-4 py-2.5 font-medium text-emerald-900 ring-1 ring-emerald-200">
        {done.notice.text}
      </p>
    ) : null;

  return (
    <div className="min-h-screen">
      <StaffHeader user={loaderData.user} />
      <main className="mx-auto max-w-[1400px] px-6 py-5">
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

        <section className="mt-8 max-w-4xl" aria-labelledby="classes-title">
          <h2 id="classes-title" className="text-xl font-bold">
            {t("admin.classes.title")}
          </h2>
          <p className="mt-1 text-slate-600">{t("admin.classes.intro")}</p>
          {notice("classes")}
          <div className="mt-4 rounded-xl bg-white shadow-sm ring-1 ring-slate-200">
            {loaderData.classes.length === 0 ? (
              <p className="px-4 py-3 text-slate-600">{t("admin.classes.empty")}</p>
            ) : (
              <table className="w-full text-left text-sm">
                <thead className="bg-slate-50 text-slate-600">
                  <tr className="[&>th]:px-4 [&>th]:py-2.5 [&>th]:font-semibold">
                    <th>{t("admin.classes.name")}</th>
                    <th className="w-40">{t("admin.classes.status")}</th>
                    <th className="w-40">
                      <span className="sr-only">{t("admin.classes.actions")}</span>
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
      <tr className={`[&>td]:px-3 [&>td]:py-2 [&>td]:whitespace-nowrap ${editing ? "bg-brand-50" : ""}`}>
        <td className="whitespace-normal!">
          <span className="flex min-w-40 items-baseline gap-2 font-semibold text-slate-900">
            <span className="w-6 shrink-0 rounded bg-slate-100 text-center font-mono text-xs leading-5 text-slate-600">{field.prefix}</span>
            {field.name}
          </span>
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
            className={`w-16 rounded-md border py-1.5 text-sm font-medium ${editing ? "border-brand-600 bg-brand-700 text-white hover:bg-brand-800" : "border-slate-300 bg-white hover:bg-slate-50"}`}>
            {editing ? t("admin.queue.close") : t("admin.queue.edit")}
          </button>
        </td>
      </tr>
      {editing ? (
        <tr>
          <td colSpan={10} className="bg-brand-50 px-3 pb-4">
            {/* Zero intrinsic width: the panel takes the table's width instead of widening it. */}
            <div className="w-0 min-w-full">
              <FieldForm field={field} onClose={onClose} />
            </div>
          </td>
        </tr>
      ) : null}
    </>
  );
}

function FieldForm({ field, onClose }: { field: FieldRowData; onClose: () => void }) {
  const formId = `field-${field.id}`;
  const { fetcher, lastResult, busy, refusal, formRefusal, described, track } = useReplies(formId);
  const [form, fields] = useForm({
    id: formId,
    lastResult,
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

  const panel = useRef<HTMLFormElement>(null);
  useEffect(() => {
    panel.current?.scrollIntoView({ block: "nearest", behavior: "smooth" });
    panel.current?.querySelector<HTMLElement>("input:not([type=hidden])")?.focus();
  }, []);

  const numberInput = (meta: FieldMetadata<string>, extra: { readOnly?: boolean } = {}) => (
    <input
      {...getInputProps(meta, { type: "text", ariaAttributes: false })}
      {...described(meta)}
      inputMode="numeric"
      autoComplete="off"
      {...extra}
      className="w-20 rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-base tabular-nums read-only:bg-slate-100 read-only:text-slate-400 aria-invalid:border-red-500 aria-invalid:ring-1 aria-invalid:ring-red-500"
    />
  );

  return (
    <fetcher.Form
      method="post"
      {...track(getFormProps(form))}
      ref={panel}
      aria-label={t("admin.queue.editTitle", { name: field.name })}
      onKeyDown={(event) => {
        if (event.key === "Escape") onClose();
      }}
      className="scroll-my-4 rounded-xl bg-white p-4 shadow-sm ring-1 ring-brand-600/30">
      <input type="hidden" name="intent" value="field" />
      <input type="hidden" name="fieldId" value={field.id} />
      <div className="flex items-baseline justify-between gap-4">
        <h3 className="text-base font-semibold text-slate-900">{t("admin.queue.editTitle", { name: field.name })}</h3>
        {formRefusal(form) ? (
          <p id={form.errorId} role="alert" className="font-medium text-red-700">
            {formRefusal(form) === true ? t("admin.field.notSaved") : formRefusal(form)}
          </p>
        ) : null}
      </div>

      <div className="mt-3 grid grid-cols-[minmax(0,0.85fr)_minmax(0,1.25fr)_repeat(3,minmax(0,1fr))] gap-x-5 gap-y-4">
        <Setting meta={fields.isOpen} error={refusal(fields.isOpen)} ownLabel>
          <label className="flex items-center gap-2 py-1.5 text-base">
            <input
              {...getInputProps(fields.isOpen, { type: "checkbox", ariaAttributes: false })}
              {...described(fields.isOpen)}
              className="size-5 accent-brand-700"
            />
            {t("admin.field.isOpen.label")}
          </label>
        </Setting>
        <Setting meta={fields.queueMode} error={refusal(fields.queueMode)}>
          <select
            {...getSelectProps(fields.queueMode, { ariaAttributes: false })}
            {...described(fields.queueMode)}
            className="w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-base aria-invalid:border-red-500">
            <option value="strict">{t("admin.field.queueMode.strict")}</option>
            <option value="ratio">{t("admin.field.queueMode.ratio")}</option>
          </select>
        </Setting>
        <Setting meta={fields.priorityRatio} error={refusal(fields.priorityRatio)} hint={strict ? "admin.field.priorityRatio.strictHint" : undefined}>
          {numberInput(fields.priorityRatio, { readOnly: strict })}
        </Setting>
        <Setting meta={fields.ageingCapMinutes} error={refusal(fields.ageingCapMinutes)} unit="minutes">
          {numberInput(fields.ageingCapMinutes)}
        </Setting>
        <Setting meta={fields.dailyCapacity} error={refusal(fields.dailyCapacity)} unit="tickets">
          {numberInput(fields.dailyCapacity)}
        </Setting>
        <Setting meta={fields.cutoffTime} error={refusal(fields.cutoffTime)}>
          <input
            {...getInputProps(fields.cutoffTime, { type: "text", ariaAttributes: false })}
            {...described(fields.cutoffTime)}
            placeholder={t("admin.field.allDay")}
            autoComplete="off"
            className="w-24 rounded-md border border-slate-300 px-2.5 py-1.5 text-base tabular-nums aria-invalid:border-red-500 aria-invalid:ring-1 aria-invalid:ring-red-500"
          />
        </Setting>
        <Setting meta={fields.recallsBeforeNoShow} error={refusal(fields.recallsBeforeNoShow)} unit="times">
          {numberInput(fields.recallsBeforeNoShow)}
        </Setting>
        <Setting meta={fields.rejoinGraceMinutes} error={refusal(fields.rejoinGraceMinutes)} unit="minutes">
          {numberInput(fields.rejoinGraceMinutes)}
        </Setting>
        <Setting meta={fields.defaultServiceMinutes} error={refusal(fields.defaultServiceMinutes)} unit="minutes">
          {numberInput(fields.defaultServiceMinutes)}
        </Setting>
        <div className="flex items-end justify-end gap-2">
          <button type="button" onClick={onClose} className="rounded-lg border border-slate-300 px-4 py-2 font-medium hover:bg-slate-50">
            {t("admin.queue.cancel")}
          </button>
          <button type="submit" disabled={busy} className="rounded-lg bg-brand-700 px-4 py-2 font-semibold whitespace-nowrap text-white hover:bg-brand-800 disabled:opacity-60">
            {busy ? t("admin.queue.saving") : t("admin.queue.save")}
          </button>
        </div>
      </div>
    </fetcher.Form>
  );
}

/**
 * A form's answers from the shared fetcher. Values are judged by the server, so a refusal cannot
 * be re-checked as it is typed: it is shown while it answers the page's latest save and its
 * input has not been changed since.
 */
function useReplies(formId: string) {
  const fetcher = useFetcher<ActionData>({ key: FETCHER_KEY });
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

/** One setting: its label and hint (catalogue keys named after it), its input with a unit, and its refusal. */
function Setting({
  meta,
  error,
  unit,
  hint,
  ownLabel,
  children,
}: {
  meta: FieldMetadata<unknown>;
  error: string | undefined;
  unit?: "minutes" | "times" | "tickets";
  hint?: MessageKey;
  /** The control carries its own label (a checkbox); the heading then only names the setting. */
  ownLabel?: boolean;
  children: React.ReactNode;
}) {
  const label = t(`admin.field.${meta.name}` as MessageKey);
  return (
    <div className="flex min-w-0 flex-col">
      {ownLabel ? (
        <span className="text-sm font-semibold text-slate-800">{label}</span>
      ) : (
        <label htmlFor={meta.id} className="text-sm font-semibold text-slate-800">
          {label}
        </label>
      )}
      <div className="mt-1 flex items-center gap-2">
        {children}
        {unit ? <span className="text-sm text-slate-600">{t(`admin.field.unit.${unit}`)}</span> : null}
      </div>
      <p id={meta.descriptionId} className="mt-1 text-xs leading-snug text-slate-500">
        {t(hint ?? (`admin.field.${meta.name}.hint` as MessageKey))}
      </p>
      {error ? (
        <p id={meta.errorId} className="mt-1 text-sm leading-snug font-medium text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function ClassRow({ priorityClass }: { priorityClass: { id: number; name: string; isActive: boolean } }) {
  const formId = `class-${priorityClass.id}`;
  const { fetcher, lastResult, busy, refusal, formRefusal, described, track } = useReplies(formId);
  const [form, fields] = useForm({ id: formId, lastResult, defaultValue: { name: priorityClass.name } });
  return (
    <tr className={`align-top [&>td]:px-4 [&>td]:py-2 ${priorityClass.isActive ? "" : "bg-slate-50"}`}>
      <td>
        <fetcher.Form method="post" {...track(getFormProps(form))} className="flex items-center gap-2">
          <input type="hidden" name="id" value={priorityClass.id} />
          <input
            {...getInputProps(fields.name, { type: "text", ariaAttributes: false })}
            {...described(fields.name, false)}
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
        {refusal(fields.name) ? (
          <p id={fields.name.errorId} className="mt-1 font-medium text-red-700">
            {refusal(fields.name)}
          </p>
        ) : null}
        {typeof formRefusal(form) === "string" ? (
          <p role="alert" className="mt-1 font-medium text-red-700">
            {formRefusal(form)}
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
  const formId = "class-new";
  const { fetcher, lastResult, busy, refusal, described, track } = useReplies(formId);
  const [form, fields] = useForm<{ name: string }>({ id: formId, lastResult });
  return (
    <fetcher.Form method="post" {...track(getFormProps(form))} className="border-t border-slate-200 px-4 py-3">
      <input type="hidden" name="intent" value="class-add" />
      <label htmlFor={fields.name.id} className="text-sm font-semibold text-slate-800">
        {t("admin.classes.new")}
      </label>
      <div className="mt-1 flex items-center gap-2">
        <input
          {...getInputProps(fields.name, { type: "text", ariaAttributes: false })}
          {...described(fields.name, false)}
          placeholder={t("admin.classes.newPlaceholder")}
          className="min-w-0 flex-1 rounded-md border border-slate-300 px-2.5 py-1.5 text-base aria-invalid:border-red-500 aria-invalid:ring-1 aria-invalid:ring-red-500"
        />
        <button
          type="submit"
          disabled={busy}
          className="rounded-lg bg-brand-700 px-4 py-2 text-sm font-semibold whitespace-nowrap text-white hover:bg-brand-800 disabled:opacity-60">
          {t("admin.classes.add")}
        </button>
      </div>
      {refusal(fields.name) ? (
        <p id={fields.name.errorId} className="mt-1 text-sm font-medium text-red-700">
          {refusal(fields.name)}
        </p>
      ) : null}
    </fetcher.Form>
  );
}

function Muted({ children }: { children: React.ReactNode }) {
  return <span className="text-slate-500">{children}</span>;
}
