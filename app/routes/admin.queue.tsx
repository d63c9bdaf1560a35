import { parseWithZod } from "@conform-to/zod/v4";
import { useState } from "react";
import { data, useFetcher } from "react-router";
import { z } from "zod";
import { can } from "../../server/auth/permissions";
import { t, type MessageKey } from "../../server/i18n";
import { fieldSettingsSchema, listFields, saveFieldSettings } from "../../server/queue/field-settings";
import { listPriorityClasses, savePriorityClass } from "../../server/queue/priority-classes";
import { FieldRows } from "../components/admin/field-settings";
import { ClassRow, NewClassForm } from "../components/admin/priority-classes";
import { FETCHER_KEY, sectionOf, type Section } from "../components/admin/replies";
import { CentreTabs } from "../components/admin/centre-tabs";
import { StaffHeader } from "../components/staff-header";
import { respond, type ActionReply, readForm } from "../lib/actions.server";
import { requireUser } from "../lib/guards.server";
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
const classDone: Record<"class-add" | "class-rename" | "class-activate" | "class-deactivate", MessageKey> = {
  "class-add": "admin.classes.added",
  "class-rename": "admin.classes.renamed",
  "class-activate": "admin.classes.activated",
  "class-deactivate": "admin.classes.deactivated",
};
const isClassIntent = (intent: unknown): intent is keyof typeof classDone => typeof intent === "string" && intent in classDone;

export async function loader({ context, request }: Route.LoaderArgs) {
  const { user, actor } = requireUser(context, request, "settings.edit");
  const { services } = context;
  const [fieldRows, classRows] = await Promise.all([listFields(services, actor), listPriorityClasses(services, actor)]);
  return {
    user,
    canConfigure: can(actor, "centre.configure"),
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
  const { actor } = requireUser(context, request, "settings.edit");
  const { services } = context;
  const formData = await readForm(request);
  const intent = formData.get("intent");

  if (intent === "field") {
    return respond(formData, fieldForm, { form: `field-${formData.get("fieldId")}` }, async ({ fieldId, ...settings }) => {
      const saved = await saveFieldSettings(services, actor, { fieldId, settings });
      return saved.ok ? { message: t("admin.field.saved", { name: saved.value.name }) } : { fieldErrors: saved.fieldErrors };
    });
  }
  if (!isClassIntent(intent)) throw data({ message: t("error.bad_request") }, { status: 400 });
  const form = intent === "class-add" ? "class-new" : `class-${formData.get("id")}`;
  if (intent !== "class-add" && !parseWithZod(formData, { schema: classForm }).payload.id) {
    return data<ActionReply>({ form, result: { status: "error", error: { "": [t("error.bad_request")] } } }, { status: 400 });
  }
  return respond(formData, classForm, { form, resetForm: intent === "class-add" }, async ({ id, name }) => {
    const saved = await savePriorityClass(services, actor, {
      ...(intent === "class-add" ? { name } : { id }),
      ...(intent === "class-rename" ? { name: name ?? "" } : {}),
      ...(intent === "class-activate" ? { isActive: true } : {}),
      ...(intent === "class-deactivate" ? { isActive: false } : {}),
    });
    return saved.ok ? { message: t(classDone[intent], { name: saved.value.name }) } : { fieldErrors: saved.fieldErrors };
  });
}

export default function QueueSettings({ loaderData }: Route.ComponentProps) {
  const { canConfigure } = loaderData;
  const fetcher = useFetcher<ActionReply>({ key: FETCHER_KEY });
  const [editingId, setEditingId] = useState<number | null>(null);
  const done = fetcher.state === "idle" ? fetcher.data : undefined;
  // The edit panel closes once its save went through (checked once per answer, while rendering).
  const [answered, setAnswered] = useState(done);
  if (done !== answered) {
    setAnswered(done);
    if (done?.message && done.form === `field-${editingId}`) setEditingId(null);
  }

  const notice = (section: Section) =>
    done?.message && sectionOf(done.form) === section ? (
      <p role="status" className="mt-3 rounded-lg bg-emerald-50 px-4 py-2.5 font-medium text-emerald-900 ring-1 ring-emerald-200">
        {done.message}
      </p>
    ) : null;

  return (
    <div className="min-h-screen">
      <StaffHeader user={loaderData.user} />
      <main className="mx-auto max-w-[1400px] px-6 py-5">
        {canConfigure ? <CentreTabs /> : null}
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

