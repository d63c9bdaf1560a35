import { useState } from "react";
import { data, Form, redirect } from "react-router";
import { z } from "zod";
import { listCentres, saveCentre, workInCentre } from "../../server/admin/centres";
import { t } from "../../server/i18n";
import { id } from "../../server/queue/inputs";
import { CentreForm, centreFormFields, type CentreFormData } from "../components/admin/centre-form";
import { StaffHeader } from "../components/staff-header";
import { readForm, respond, type Answer } from "../lib/actions.server";
import { requireUser } from "../lib/guards.server";
import type { Route } from "./+types/admin.centres";

export const meta: Route.MetaFunction = () => [{ title: `${t("admin.centres.title")} · ${t("app.name")}` }];

const centreForm = z.object({
  intent: z.literal("centre"),
  id: id.optional(),
  code: z.string().default(""),
  level: z.string().default(""),
  ...centreFormFields,
});

export async function loader({ context, request }: Route.LoaderArgs) {
  const { user, actor } = requireUser(context, request, "centres.manage");
  const centres = await listCentres(context.services, actor);
  return {
    user,
    centres: centres.map(
      (c): CentreFormData => ({
        id: c.id,
        code: c.code,
        name: c.name,
        level: c.level,
        address: c.address,
        opensAt: c.opensAt,
        closesAt: c.closesAt,
        alertWaitMinutes: c.alertWaitMinutes,
        alertPausedMinutes: c.alertPausedMinutes,
        alertIdleMinutes: c.alertIdleMinutes,
        alertDeviceOfflineMinutes: c.alertDeviceOfflineMinutes,
      }),
    ),
  };
}

export async function action({ context, request }: Route.ActionArgs) {
  const { actor } = requireUser(context, request, "centres.manage");
  const formData = await readForm(request);
  if (formData.get("intent") === "work-here") {
    const centreId = id.safeParse(Number(formData.get("centreId")));
    if (!centreId.success || !context.auth.session) throw data({ message: t("error.bad_request") }, { status: 400 });
    await workInCentre(context.services, actor, { sessionId: context.auth.session.id, centreId: centreId.data });
    return redirect("/admin/centre");
  }
  if (formData.get("intent") !== "centre") throw data({ message: t("error.bad_request") }, { status: 400 });
  const form = `centre-${formData.get("id") || "new"}`;
  return respond(formData, centreForm, { form }, async ({ intent: _i, id: centreId, ...input }): Promise<Answer> => {
    const saved = await saveCentre(context.services, actor, { ...input, id: centreId, level: input.level as "province" | "commune" });
    if (!saved.ok) return { fieldErrors: saved.fieldErrors };
    return { message: t(centreId ? "admin.centres.saved" : "admin.centres.created", { name: saved.value.name }) };
  });
}

export default function Centres({ loaderData }: Route.ComponentProps) {
  const { user, centres } = loaderData;
  const [editing, setEditing] = useState<number | null>(null);
  return (
    <div className="min-h-screen">
      <StaffHeader user={user} />
      <main className="mx-auto max-w-6xl px-6 py-5">
        <h1 className="text-2xl font-bold">{t("admin.centres.title")}</h1>
        <p className="mt-1 max-w-3xl text-slate-600">{t("admin.centres.intro")}</p>
        <ul className="mt-5 divide-y divide-slate-100 overflow-hidden rounded-xl bg-white shadow-sm ring-1 ring-slate-200">
          {centres.map((c) => (
            <li key={c.id} className="px-4 py-3" data-testid={`centre-${c.code}`}>
              <div className="flex flex-wrap items-center gap-3">
                <span className="rounded bg-slate-100 px-2 font-mono text-sm">{c.code}</span>
                <span className="flex-1">
                  <span className="block font-semibold">{c.name}</span>
                  <span className="block text-sm text-slate-600">
                    {t(`admin.centres.level.${c.level}`)} · {t("admin.centres.hours", { opens: c.opensAt, closes: c.closesAt })}
                    {c.address ? ` · ${c.address}` : ""}
                  </span>
                </span>
                {c.id === user.centreId ? (
                  <span className="rounded-full bg-brand-50 px-3 py-1 text-sm font-medium text-brand-800 ring-1 ring-brand-200">{t("admin.centres.current")}</span>
                ) : (
                  <Form method="post">
                    <input type="hidden" name="centreId" value={c.id} />
                    <button name="intent" value="work-here" className="rounded-md bg-brand-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-brand-800">
                      {t("admin.centres.workHere")}
                    </button>
                  </Form>
                )}
                <button
                  type="button"
                  onClick={() => setEditing(editing === c.id ? null : c.id)}
                  aria-expanded={editing === c.id}
                  className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50"
                >
                  {editing === c.id ? t("admin.queue.close") : t("admin.queue.edit")}
                </button>
              </div>
              {editing === c.id ? (
                <div className="mt-3 rounded-lg bg-brand-50 p-4">
                  <CentreForm centre={c} full intent="centre" submit={t("admin.users.save")} onDone={() => setEditing(null)} />
                </div>
              ) : null}
            </li>
          ))}
        </ul>
        <section aria-labelledby="new-centre" className="mt-6 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
          <h2 id="new-centre" className="mb-3 text-lg font-semibold">
            {t("admin.centres.new")}
          </h2>
          <CentreForm key={`new-${centres.length}`} full intent="centre" submit={t("admin.centres.create")} />
        </section>
      </main>
    </div>
  );
}
