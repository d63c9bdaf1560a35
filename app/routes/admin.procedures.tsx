/** The centre's procedure catalogue: a searchable list by field, and the form that creates or changes a procedure with its documents. */
import { useMemo, useState } from "react";
import { data, Link, useFetcher, useSearchParams } from "react-router";
import { z } from "zod";
import { listCatalogue, saveProcedure, setProcedureActive } from "../../server/dossiers/catalogue";
import { t } from "../../server/i18n";
import { listFields } from "../../server/queue/field-settings";
import { id } from "../../server/queue/inputs";
import { CentreTabs } from "../components/admin/centre-tabs";
import { input, primary, ProcedureEditor, procedureForm, small } from "../components/admin/procedure-editor";
import { StaffHeader } from "../components/staff-header";
import { readForm, respond, type ActionReply, type Answer } from "../lib/actions.server";
import { requireUser } from "../lib/guards.server";
import type { Route } from "./+types/admin.procedures";

export const meta: Route.MetaFunction = () => [{ title: `${t("procedures.title")} · ${t("app.name")}` }];

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
