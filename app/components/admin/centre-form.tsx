/** A centre's details as a form: the deployment administrator's (with code and level) or the centre administrator's own. */
import { getFormProps, getInputProps, getSelectProps, useForm, type FieldMetadata } from "@conform-to/react";
import { useState } from "react";
import { useFetcher } from "react-router";
import { z } from "zod";
import { t, type MessageKey } from "../../../server/i18n";
import type { ActionReply } from "../../lib/actions.server";

export type CentreFormData = {
  id: number;
  code: string;
  name: string;
  level: "province" | "commune";
  address: string | null;
  opensAt: string;
  closesAt: string;
  alertWaitMinutes: number;
  alertPausedMinutes: number;
  alertIdleMinutes: number;
  alertDeviceOfflineMinutes: number;
};

/** The centre form's inputs, as text: the rules are the domain's (server/admin/centres.ts). */
export const centreFormFields = {
  name: z.string().default(""),
  address: z.string().default(""),
  opensAt: z.string().default(""),
  closesAt: z.string().default(""),
  alertWaitMinutes: z.string().default(""),
  alertPausedMinutes: z.string().default(""),
  alertIdleMinutes: z.string().default(""),
  alertDeviceOfflineMinutes: z.string().default(""),
};

const input = "mt-1 w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-base aria-invalid:border-red-500";

export function CentreForm({ centre, full, intent, submit, onDone }: { centre?: CentreFormData; full: boolean; intent: string; submit: string; onDone?: () => void }) {
  const formId = `centre-${centre?.id ?? "new"}`;
  const fetcher = useFetcher<ActionReply>({ key: formId });
  const [before] = useState(fetcher.data);
  const reply = fetcher.state === "idle" && fetcher.data?.form === formId && (!centre || fetcher.data !== before) ? fetcher.data : undefined;
  const [form, fields] = useForm({
    id: formId,
    lastResult: reply?.message ? undefined : reply?.result,
    defaultValue: {
      code: centre?.code ?? "",
      name: centre?.name ?? "",
      level: centre?.level ?? "commune",
      address: centre?.address ?? "",
      opensAt: centre?.opensAt ?? "07:30",
      closesAt: centre?.closesAt ?? "17:00",
      alertWaitMinutes: String(centre?.alertWaitMinutes ?? 30),
      alertPausedMinutes: String(centre?.alertPausedMinutes ?? 15),
      alertIdleMinutes: String(centre?.alertIdleMinutes ?? 20),
      alertDeviceOfflineMinutes: String(centre?.alertDeviceOfflineMinutes ?? 2),
    },
  });
  const [answered, setAnswered] = useState(reply);
  if (reply !== answered) {
    setAnswered(reply);
    if (reply?.message) onDone?.();
  }
  const field = (meta: FieldMetadata<string>, label: MessageKey, className = "", extra: React.InputHTMLAttributes<HTMLInputElement> = {}) => (
    <div className={`flex flex-col text-sm ${className}`}>
      <label htmlFor={meta.id} className="font-medium">
        {t(label)}
      </label>
      <input {...getInputProps(meta, { type: "text" })} {...extra} className={input} />
      {meta.errors?.[0] ? <span className="mt-1 text-red-700">{meta.errors[0]}</span> : null}
    </div>
  );
  const formError = reply?.result.error?.[""]?.[0];
  return (
    <fetcher.Form method="post" {...getFormProps(form)} className="grid gap-3 md:grid-cols-4">
      <input type="hidden" name="intent" value={intent} />
      {centre ? <input type="hidden" name="id" value={centre.id} /> : null}
      {full ? field(fields.code, "admin.centres.code", "", { autoCapitalize: "characters" }) : null}
      {field(fields.name, "admin.centres.name", full ? "md:col-span-2" : "md:col-span-3")}
      {full ? (
        <div className="flex flex-col text-sm">
          <label htmlFor={fields.level.id} className="font-medium">
            {t("admin.centres.level")}
          </label>
          <select {...getSelectProps(fields.level)} className={input}>
            <option value="province">{t("admin.centres.level.province")}</option>
            <option value="commune">{t("admin.centres.level.commune")}</option>
          </select>
        </div>
      ) : null}
      {field(fields.address, "admin.centres.address", full ? "md:col-span-2" : "md:col-span-1")}
      {field(fields.opensAt, "admin.centres.opensAt")}
      {field(fields.closesAt, "admin.centres.closesAt")}
      <fieldset className="md:col-span-4">
        <legend className="text-sm font-semibold text-slate-700">{t("admin.centres.alerts")}</legend>
        <div className="mt-1 grid gap-3 md:grid-cols-4">
          {field(fields.alertWaitMinutes, "admin.centres.alertWaitMinutes", "", { inputMode: "numeric" })}
          {field(fields.alertPausedMinutes, "admin.centres.alertPausedMinutes", "", { inputMode: "numeric" })}
          {field(fields.alertIdleMinutes, "admin.centres.alertIdleMinutes", "", { inputMode: "numeric" })}
          {field(fields.alertDeviceOfflineMinutes, "admin.centres.alertDeviceOfflineMinutes", "", { inputMode: "numeric" })}
        </div>
      </fieldset>
      <div className="flex flex-wrap items-center gap-3 md:col-span-4">
        <button type="submit" disabled={fetcher.state !== "idle"} className="rounded-lg bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800 disabled:opacity-60">
          {submit}
        </button>
        {reply?.message ? (
          <p role="status" className="text-emerald-800">
            {reply.message}
          </p>
        ) : null}
        {formError ? (
          <p role="alert" className="text-red-700">
            {formError}
          </p>
        ) : null}
      </div>
    </fetcher.Form>
  );
}
