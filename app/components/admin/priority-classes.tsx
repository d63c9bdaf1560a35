/** The centre's priority classes: rename, offer or stop offering on the kiosk, add. */
import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { t } from "../../../server/i18n";
import { useReplies } from "./replies";

export function ClassRow({ priorityClass }: { priorityClass: { id: number; name: string; isActive: boolean } }) {
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

export function NewClassForm() {
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

