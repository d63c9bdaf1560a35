/** One field's row in the queue settings table, and its edit panel. */
import { getFormProps, getInputProps, getSelectProps, useForm, type FieldMetadata } from "@conform-to/react";
import { useEffect, useRef } from "react";
import { t, type MessageKey } from "../../../server/i18n";
import { useReplies } from "./replies";

/** A field's row as the page's loader gives it. */
export type FieldRowData = {
  id: number;
  name: string;
  prefix: string;
  isOpen: boolean;
  queueMode: "strict" | "ratio";
  priorityRatio: number;
  ageingCapMinutes: number | null;
  dailyCapacity: number | null;
  cutoffTime: string | null;
  recallsBeforeNoShow: number;
  rejoinGraceMinutes: number;
  defaultServiceMinutes: number;
};

export function FieldRows({ field, editing, onEdit, onClose }: { field: FieldRowData; editing: boolean; onEdit: () => void; onClose: () => void }) {
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

export function Muted({ children }: { children: React.ReactNode }) {
  return <span className="text-slate-500">{children}</span>;
}
