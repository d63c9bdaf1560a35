/**
 * The reports' filter: a GET form, so a view is a URL to bookmark or share. Once hydrated it
 * leaves empty choices out of the URL and shows the anchor day or the two days the period needs;
 * before that it posts as plain HTML and the server ignores empty parameters.
 */
import { useState, type FormEvent } from "react";
import { Form, useNavigate } from "react-router";
import { t } from "../../../server/i18n";
import { DayInput } from "../day-input";
import { REPORT_DIMENSIONS, REPORT_PERIODS, type ReportFilter, type ReportPeriod } from "../../../server/reports/types";

export type ReportChoices = {
  centres: Array<{ id: number; name: string }>;
  fields: Array<{ id: number; name: string }>;
  counters: Array<{ id: number; number: number; name: string }>;
  officers: Array<{ id: number; name: string }>;
  procedures: Array<{ id: number; name: string; fieldId: number }>;
};

/** What the form shows: the filter in force, or (after a refused one) the parameters as typed. */
export type FormValues = Partial<Record<"period" | "date" | "from" | "to" | "centre" | "field" | "counter" | "officer" | "procedure" | "by", string>>;

export function formValuesOf(filter: ReportFilter): FormValues {
  return {
    period: filter.period,
    date: filter.period === "custom" ? filter.to : filter.from,
    from: filter.from,
    to: filter.to,
    centre: filter.centreId === null ? "all" : String(filter.centreId),
    field: filter.fieldId === null ? "" : String(filter.fieldId),
    counter: filter.counterId === null ? "" : String(filter.counterId),
    officer: filter.officerId === null ? "" : String(filter.officerId),
    procedure: filter.procedureId === null ? "" : String(filter.procedureId),
    by: filter.by,
  };
}

const control = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-base";

export function ReportFilterForm({ values, choices }: { values: FormValues; choices: ReportChoices }) {
  const navigate = useNavigate();
  const [period, setPeriod] = useState<ReportPeriod>((REPORT_PERIODS as readonly string[]).includes(values.period ?? "") ? (values.period as ReportPeriod) : "custom");
  const [field, setField] = useState(values.field ?? "");
  const deployment = choices.centres.length > 1;
  const custom = period === "custom";

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const params = new URLSearchParams();
    for (const [key, value] of new FormData(event.currentTarget)) if (typeof value === "string" && value.trim() !== "") params.set(key, value.trim());
    navigate(`?${params}`);
  }

  const select = (name: keyof FormValues, label: string, options: Array<{ id: number | string; name: string }>, extra?: { onChange?: (v: string) => void }) => (
    <label className="text-sm font-medium">
      {label}
      <select name={name} defaultValue={values[name] ?? ""} className={control} onChange={extra?.onChange ? (e) => extra.onChange!(e.currentTarget.value) : undefined}>
        <option value="">{t("reportsPage.filter.all")}</option>
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <Form method="get" onSubmit={submit} aria-label={t("reportsPage.filter.label")} className="grid grid-cols-2 gap-3 rounded-xl bg-white p-4 ring-1 ring-slate-200 md:grid-cols-4 xl:grid-cols-6 print:hidden" data-testid="report-filter">
      <label className="text-sm font-medium">
        {t("reportsPage.filter.period")}
        <select name="period" value={period} onChange={(e) => setPeriod(e.currentTarget.value as ReportPeriod)} className={control}>
          {REPORT_PERIODS.map((p) => (
            <option key={p} value={p}>
              {t(`reportsPage.period.${p}`)}
            </option>
          ))}
        </select>
      </label>
      {custom ? (
        <>
          <label className="text-sm font-medium">
            {t("reportsPage.filter.from")}
            <DayInput name="from" defaultValue={values.from ?? ""} className={control} />
          </label>
          <label className="text-sm font-medium">
            {t("reportsPage.filter.to")}
            <DayInput name="to" defaultValue={values.to ?? ""} className={control} />
          </label>
        </>
      ) : (
        <label className="text-sm font-medium">
          {t("reportsPage.filter.date")}
          <DayInput name="date" defaultValue={values.date ?? ""} className={control} />
        </label>
      )}
      {deployment ? (
        <label className="text-sm font-medium">
          {t("reportsPage.filter.centre")}
          <select name="centre" defaultValue={values.centre ?? ""} className={control}>
            <option value="all">{t("reportsPage.filter.allCentres")}</option>
            {choices.centres.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {select("field", t("reportsPage.filter.field"), choices.fields, { onChange: setField })}
      {select(
        "procedure",
        t("reportsPage.filter.procedure"),
        choices.procedures.filter((p) => field === "" || String(p.fieldId) === field),
      )}
      {select(
        "counter",
        t("reportsPage.filter.counter"),
        choices.counters.map((c) => ({ id: c.id, name: t("reportsPage.counterOption", { number: c.number, name: c.name }) })),
      )}
      {select("officer", t("reportsPage.filter.officer"), choices.officers)}
      <label className="text-sm font-medium">
        {t("reportsPage.filter.by")}
        <select name="by" defaultValue={values.by ?? "field"} className={control}>
          {REPORT_DIMENSIONS.filter((d) => d !== "centre" || deployment).map((d) => (
            <option key={d} value={d}>
              {t(`reportsPage.by.${d}`)}
            </option>
          ))}
        </select>
      </label>
      <div className="col-span-2 flex items-end gap-2 md:col-span-4 xl:col-span-6">
        <button type="submit" className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800" data-testid="report-submit">
          {t("reportsPage.filter.submit")}
        </button>
        <a href="/reports" className="rounded-md border border-slate-300 bg-white px-4 py-2 font-medium text-slate-700 hover:bg-slate-50">
          {t("reportsPage.filter.reset")}
        </a>
      </div>
    </Form>
  );
}
