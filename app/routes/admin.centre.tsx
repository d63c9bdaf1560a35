import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useState } from "react";
import { data, Link, useFetcher } from "react-router";
import { z } from "zod";
import { ownCentre, saveOwnCentre } from "../../server/admin/centres";
import { listCounters, saveCounter, saveField } from "../../server/admin/structure";
import { t } from "../../server/i18n";
import { plainText } from "../../server/input";
import { listFields } from "../../server/queue/field-settings";
import { id } from "../../server/queue/inputs";
import { CentreForm, centreFormFields } from "../components/admin/centre-form";
import { AppointmentSettings } from "../components/admin/appointment-settings";
import { CentreTabs } from "../components/admin/centre-tabs";
import { StaffHeader } from "../components/staff-header";
import { readForm, respond, type ActionReply, type Answer } from "../lib/actions.server";
import { requireUser } from "../lib/guards.server";
import type { Route } from "./+types/admin.centre";
import { Refusal, Saved } from "../components/form-replies";

export const meta: Route.MetaFunction = () => [{ title: `${t("admin.centre.title")} · ${t("app.name")}` }];

// The rules are the domain's (server/admin/structure.ts); the forms only say what arrives as text.
const fieldForm = z.object({
  intent: z.literal("field"),
  id: id.optional(),
  name: plainText(500, { required: t("admin.structure.error.name") }),
  code: plainText(50, { required: t("admin.field.error.code") }),
  prefix: plainText(10, { required: t("admin.field.error.prefix") }),
  sortOrder: z.number({ error: t("admin.structure.error.sortOrder") }).default(0),
  // An unticked checkbox is not sent at all.
  isOpen: z.boolean().default(false),
  appointmentSlotMinutes: z.number({ error: t("admin.field.error.slotMinutes") }),
  appointmentSlotCapacity: z.number({ error: t("admin.field.error.slotCapacity") }),
  walkInPercent: z.number({ error: t("admin.field.error.walkInPercent") }),
});
const counterForm = z.object({
  intent: z.literal("counter"),
  id: id.optional(),
  number: z.number({ error: t("admin.counter.error.number") }),
  name: plainText(500, { required: t("admin.structure.error.name") }),
  fieldIds: z.array(id).default([]),
  isActive: z.boolean().default(false),
});

const detailsForm = z.object({ intent: z.literal("own-centre"), ...centreFormFields });

export async function loader({ context, request }: Route.LoaderArgs) {
  const { user, actor } = requireUser(context, request, "centre.configure");
  const [centre, fields, counters] = await Promise.all([
    ownCentre(context.services, actor),
    listFields(context.services, actor),
    listCounters(context.services, actor),
  ]);
  return {
    user,
    centre: {
      id: centre.id,
      code: centre.code,
      name: centre.name,
      level: centre.level,
      address: centre.address,
      opensAt: centre.opensAt,
      closesAt: centre.closesAt,
      alertWaitMinutes: centre.alertWaitMinutes,
      alertPausedMinutes: centre.alertPausedMinutes,
      alertIdleMinutes: centre.alertIdleMinutes,
      alertDeviceOfflineMinutes: centre.alertDeviceOfflineMinutes,
    },
    fields: fields.map((f) => ({
      id: f.id,
      name: f.name,
      code: f.code,
      prefix: f.prefix,
      sortOrder: f.sortOrder,
      isOpen: f.isOpen,
      appointmentSlotMinutes: f.appointmentSlotMinutes,
      appointmentSlotCapacity: f.appointmentSlotCapacity,
      walkInPercent: f.walkInPercent,
    })),
    counters: counters.map((c) => ({ id: c.id, number: c.number, name: c.name, fieldIds: c.fieldIds, isActive: c.isActive, staffed: c.officerId !== null })),
  };
}

export async function action({ context, request }: Route.ActionArgs) {
  const { actor } = requireUser(context, request, "centre.configure");
  const { services } = context;
  const formData = await readForm(request);
  const form = `${formData.get("intent")}-${formData.get("id") || "new"}`;
  switch (formData.get("intent")) {
    case "own-centre":
      return respond(formData, detailsForm, { form: `centre-${context.auth.user?.centreId}` }, async ({ intent: _i, ...input }): Promise<Answer> => {
        const saved = await saveOwnCentre(services, actor, input);
        return saved.ok ? { message: t("admin.centres.saved", { name: saved.value.name }) } : { fieldErrors: saved.fieldErrors };
      });
    case "field":
      return respond(formData, fieldForm, { form, resetForm: !formData.get("id") }, async ({ intent: _i, ...input }): Promise<Answer> => {
        const saved = await saveField(services, actor, input);
        if (!saved.ok) return { fieldErrors: saved.fieldErrors };
        return { message: t(input.id ? "admin.centre.fieldSaved" : "admin.centre.fieldCreated", { name: saved.value.name, prefix: saved.value.prefix }) };
      });
    case "counter":
      return respond(formData, counterForm, { form, resetForm: !formData.get("id"), errorFields: { field_not_found: "fieldIds" } }, async ({ intent: _i, ...input }): Promise<Answer> => {
        const saved = await saveCounter(services, actor, input);
        if (!saved.ok) return { fieldErrors: saved.fieldErrors };
        return { message: t(input.id ? "admin.centre.counterSaved" : "admin.centre.counterCreated", { n: saved.value.number }) };
      });
    default:
      throw data({ message: t("error.bad_request") }, { status: 400 });
  }
}

type Data = Route.ComponentProps["loaderData"];
type FieldRow = Data["fields"][number];
type CounterRow = Data["counters"][number];

const input = "mt-1 rounded-lg border border-slate-300 bg-white px-3 py-2 text-base aria-invalid:border-red-500";
const small = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50";
const primary = "rounded-lg bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800 disabled:opacity-60";

export default function CentreSetup({ loaderData }: Route.ComponentProps) {
  const { fields, counters } = loaderData;
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <div className="min-h-screen">
      <StaffHeader user={loaderData.user} />
      <main className="mx-auto max-w-6xl px-6 py-5">
        <CentreTabs />
        <h1 className="text-2xl font-bold">{t("admin.centre.title")}</h1>
        <p className="mt-1 max-w-3xl text-slate-600">{t("admin.centre.intro")}</p>

        <details className="mt-5 rounded-xl bg-white shadow-sm ring-1 ring-slate-200">
          <summary className="cursor-pointer px-4 py-3 font-semibold">
            {t("admin.centres.details")}: {loaderData.centre.name} · {t("admin.centres.hours", { opens: loaderData.centre.opensAt, closes: loaderData.centre.closesAt })}
          </summary>
          <div className="border-t border-slate-100 p-4">
            <CentreForm centre={loaderData.centre} full={false} intent="own-centre" submit={t("admin.users.save")} />
          </div>
        </details>

        <section aria-labelledby="fields-title" className="mt-6">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 id="fields-title" className="text-xl font-bold">
              {t("admin.centre.fields")}
            </h2>
            <Link to="/admin/queue" className="font-medium text-brand-800 underline underline-offset-2">
              {t("admin.centre.queueSettings")}
            </Link>
          </div>
          <div className="mt-3 overflow-hidden rounded-xl bg-white shadow-sm ring-1 ring-slate-200">
            {fields.length === 0 ? <p className="px-4 py-3 text-slate-600">{t("admin.queue.empty")}</p> : null}
            <ul className="divide-y divide-slate-100">
              {fields.map((f) => (
                <li key={f.id} data-testid={`field-${f.code}`}>
                  {editing === `field-${f.id}` ? (
                    <FieldEditor field={f} onDone={() => setEditing(null)} />
                  ) : (
                    <div className="flex items-center gap-3 px-4 py-2.5">
                      <span className="w-9 rounded bg-slate-100 text-center font-mono text-sm leading-6 text-slate-700">{f.prefix}</span>
                      <span className="flex-1 font-semibold">{f.name}</span>
                      <span className="font-mono text-sm text-slate-500">{f.code}</span>
                      <span className={`rounded-full px-2 py-0.5 text-sm ${f.isOpen ? "bg-emerald-50 text-emerald-800" : "bg-amber-50 text-amber-900"}`}>
                        {f.isOpen ? t("admin.field.isOpen.open") : t("admin.field.isOpen.closed")}
                      </span>
                      <button type="button" className={small} onClick={() => setEditing(`field-${f.id}`)} aria-label={`${t("admin.queue.edit")} ${f.name}`}>
                        {t("admin.queue.edit")}
                      </button>
                    </div>
                  )}
                </li>
              ))}
            </ul>
            <FieldEditor key={`new-${fields.length}`} onDone={() => {}} nextOrder={Math.max(0, ...fields.map((f) => f.sortOrder)) + 1} />
          </div>
        </section>

        <section aria-labelledby="counters-title" className="mt-8">
          <h2 id="counters-title" className="text-xl font-bold">
            {t("admin.centre.counters")}
          </h2>
          <p className="mt-1 text-slate-600">{t("admin.centre.countersIntro")}</p>
          <div className="mt-3 overflow-hidden rounded-xl bg-white shadow-sm ring-1 ring-slate-200">
            {counters.length === 0 ? <p className="px-4 py-3 text-slate-600">{t("admin.centre.noCounters")}</p> : null}
            <ul className="divide-y divide-slate-100">
              {counters.map((c) => (
                <li key={c.id} data-testid={`counter-${c.number}`} className={c.isActive ? "" : "bg-slate-50"}>
                  {editing === `counter-${c.id}` ? (
                    <CounterEditor counter={c} fields={fields} onDone={() => setEditing(null)} />
                  ) : (
                    <div className="flex items-center gap-3 px-4 py-2.5">
                      <span className="w-20 font-semibold">{t("admin.users.atCounter", { n: c.number })}</span>
                      <span className="w-40 text-slate-700">{c.name}</span>
                      <span className="flex flex-1 flex-wrap gap-1">
                        {c.fieldIds.length === 0 ? <span className="text-amber-800">{t("admin.centre.noFields")}</span> : null}
                        {fields
                          .filter((f) => c.fieldIds.includes(f.id))
                          .map((f) => (
                            <span key={f.id} className="rounded bg-slate-100 px-1.5 text-sm text-slate-700">
                              {f.name}
                            </span>
                          ))}
                      </span>
                      {c.isActive ? null : <span className="rounded-full bg-slate-200 px-2 py-0.5 text-sm">{t("admin.centre.inactive")}</span>}
                      <button type="button" className={small} onClick={() => setEditing(`counter-${c.id}`)} aria-label={`${t("admin.queue.edit")} ${c.name}`}>
                        {t("admin.queue.edit")}
                      </button>
                    </div>
                  )}
                </li>
              ))}
            </ul>
            <CounterEditor key={`new-${counters.length}-${fields.length}`} fields={fields} onDone={() => {}} nextNumber={Math.max(0, ...counters.map((c) => c.number)) + 1} />
          </div>
        </section>
      </main>
    </div>
  );
}

/** The answer of this form's last save: its message, or its refusals (per input, and for the whole form). */
function useSave(formId: string, creating: boolean) {
  // Keyed, so a new-item form that is mounted again after its save (with the next number) still shows the answer.
  const fetcher = useFetcher<ActionReply>({ key: formId });
  // An edit panel opened again does not show the answer of its earlier save.
  const [before] = useState(fetcher.data);
  const reply = fetcher.state === "idle" && fetcher.data?.form === formId && (creating || fetcher.data !== before) ? fetcher.data : undefined;
  // A successful answer is not fed back into the form: it starts afresh from its defaults.
  return { fetcher, reply, lastResult: reply?.message ? undefined : reply?.result, busy: fetcher.state !== "idle" };
}

function FieldEditor({ field, onDone, nextOrder }: { field?: FieldRow; onDone: () => void; nextOrder?: number }) {
  const formId = `field-${field?.id ?? "new"}`;
  const { fetcher, reply, lastResult, busy } = useSave(formId, !field);
  const [form, meta] = useForm({
    id: formId,
    lastResult,
    defaultValue: field
      ? {
          name: field.name,
          code: field.code,
          prefix: field.prefix,
          sortOrder: String(field.sortOrder),
          isOpen: field.isOpen ? "on" : "",
          appointmentSlotMinutes: String(field.appointmentSlotMinutes),
          appointmentSlotCapacity: String(field.appointmentSlotCapacity),
          walkInPercent: String(field.walkInPercent),
        }
      : { sortOrder: String(nextOrder ?? 1), isOpen: "on", appointmentSlotMinutes: "30", appointmentSlotCapacity: "0", walkInPercent: "50" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: fieldForm }),
    shouldRevalidate: "onInput",
  });
  const [answered, setAnswered] = useState(reply);
  if (reply !== answered) {
    setAnswered(reply);
    if (reply?.message && field) onDone();
  }
  return (
    <fetcher.Form method="post" {...getFormProps(form)} className={`px-4 py-3 ${field ? "bg-brand-50" : "border-t border-slate-200 bg-slate-50"}`}>
      <input type="hidden" name="intent" value="field" />
      {field ? <input type="hidden" name="id" value={field.id} /> : <h3 className="mb-2 font-semibold">{t("admin.centre.newField")}</h3>}
      <div className="flex flex-wrap items-start gap-3">
        <div className="flex min-w-64 flex-1 flex-col text-sm">
          <label htmlFor={meta.name.id} className="font-medium">
            {t("admin.centre.fieldName")}
          </label>
          <input {...getInputProps(meta.name, { type: "text" })} className={input} />
          <Refusal errors={meta.name.errors} id={meta.name.errorId} />
        </div>
        <div className="flex w-32 flex-col text-sm">
          <label htmlFor={meta.code.id} className="font-medium">
            {t("admin.centre.fieldCode")}
          </label>
          <input {...getInputProps(meta.code, { type: "text" })} autoCapitalize="characters" className={`${input} uppercase`} />
          <Refusal errors={meta.code.errors} id={meta.code.errorId} />
        </div>
        <div className="flex w-32 flex-col text-sm">
          <label htmlFor={meta.prefix.id} className="font-medium">
            {t("admin.centre.fieldPrefix")}
          </label>
          <input {...getInputProps(meta.prefix, { type: "text" })} autoCapitalize="characters" maxLength={2} className={`${input} uppercase`} />
          <Refusal errors={meta.prefix.errors} id={meta.prefix.errorId} />
        </div>
        <div className="flex w-24 flex-col text-sm">
          <label htmlFor={meta.sortOrder.id} className="font-medium">
            {t("admin.centre.sortOrder")}
          </label>
          <input {...getInputProps(meta.sortOrder, { type: "text" })} inputMode="numeric" className={input} />
          <Refusal errors={meta.sortOrder.errors} id={meta.sortOrder.errorId} />
        </div>
        <label className="mt-7 flex items-center gap-2 text-sm font-medium">
          <input {...getInputProps(meta.isOpen, { type: "checkbox" })} className="size-5" />
          {t("admin.field.isOpen.label")}
        </label>
        <div className="mt-6 flex gap-2">
          <button type="submit" disabled={busy} className={primary}>
            {field ? t("admin.users.save") : t("admin.centre.addField")}
          </button>
          {field ? (
            <button type="button" className={small} onClick={onDone}>
              {t("admin.queue.cancel")}
            </button>
          ) : null}
        </div>
      </div>
      <AppointmentSettings inputs={[meta.appointmentSlotMinutes, meta.appointmentSlotCapacity, meta.walkInPercent]} className={input} />
      {field ? null : <p className="mt-1 text-xs text-slate-500">{t("admin.centre.prefixHint")}</p>}
      <Saved reply={reply} />
    </fetcher.Form>
  );
}

function CounterEditor({ counter, fields, onDone, nextNumber }: { counter?: CounterRow; fields: FieldRow[]; onDone: () => void; nextNumber?: number }) {
  const formId = `counter-${counter?.id ?? "new"}`;
  const { fetcher, reply, lastResult, busy } = useSave(formId, !counter);
  const [form, meta] = useForm({
    id: formId,
    lastResult,
    defaultValue: counter
      ? { number: String(counter.number), name: counter.name, fieldIds: counter.fieldIds.map(String), isActive: counter.isActive ? "on" : "" }
      : { number: String(nextNumber ?? 1), name: t("admin.centre.counterName", { n: nextNumber ?? 1 }), fieldIds: [], isActive: "on" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: counterForm }),
    shouldRevalidate: "onInput",
  });
  const [answered, setAnswered] = useState(reply);
  if (reply !== answered) {
    setAnswered(reply);
    if (reply?.message && counter) onDone();
  }
  const chosen = new Set((meta.fieldIds.value as string[] | string | undefined) ?? []);
  return (
    <fetcher.Form method="post" {...getFormProps(form)} className={`px-4 py-3 ${counter ? "bg-brand-50" : "border-t border-slate-200 bg-slate-50"}`}>
      <input type="hidden" name="intent" value="counter" />
      {counter ? <input type="hidden" name="id" value={counter.id} /> : <h3 className="mb-2 font-semibold">{t("admin.centre.newCounter")}</h3>}
      <div className="flex flex-wrap items-start gap-3">
        <div className="flex w-28 flex-col text-sm">
          <label htmlFor={meta.number.id} className="font-medium">
            {t("admin.centre.counterNumber")}
          </label>
          <input {...getInputProps(meta.number, { type: "text" })} inputMode="numeric" className={input} />
          <Refusal errors={meta.number.errors} id={meta.number.errorId} />
        </div>
        <div className="flex min-w-56 flex-1 flex-col text-sm">
          <label htmlFor={meta.name.id} className="font-medium">
            {t("admin.centre.counterLabel")}
          </label>
          <input {...getInputProps(meta.name, { type: "text" })} className={input} />
          <Refusal errors={meta.name.errors} id={meta.name.errorId} />
        </div>
        <label className="mt-7 flex items-center gap-2 text-sm font-medium">
          <input {...getInputProps(meta.isActive, { type: "checkbox" })} className="size-5" />
          {t("admin.centre.inService")}
        </label>
      </div>
      <fieldset className="mt-3">
        <legend className="text-sm font-medium">{t("admin.centre.servesFields")}</legend>
        {fields.length === 0 ? <p className="text-sm text-amber-800">{t("admin.centre.createFieldsFirst")}</p> : null}
        <div className="mt-1 flex flex-wrap gap-2">
          {fields.map((f) => (
            <label key={f.id} className="flex items-center gap-2 rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm has-checked:border-brand-600 has-checked:bg-brand-50">
              <input type="checkbox" name="fieldIds" value={f.id} defaultChecked={chosen.has(String(f.id))} className="size-4" />
              {f.name}
            </label>
          ))}
        </div>
        <Refusal errors={meta.fieldIds.errors} id={meta.fieldIds.errorId} />
      </fieldset>
      <div className="mt-3 flex items-center gap-3">
        <button type="submit" disabled={busy} className={primary}>
          {counter ? t("admin.users.save") : t("admin.centre.addCounter")}
        </button>
        {counter ? (
          <button type="button" className={small} onClick={onDone}>
            {t("admin.queue.cancel")}
          </button>
        ) : null}
        <Saved reply={reply} />
      </div>
    </fetcher.Form>
  );
}
