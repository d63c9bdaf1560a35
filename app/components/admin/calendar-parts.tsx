/** The calendar page's parts: the year's holidays, the deployment's decision and its form, the centre's own days, the cut-off. The rules are the domain's (server/calendar/decisions.ts). */
import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { useState } from "react";
import { useFetcher } from "react-router";
import { z } from "zod";
import type { calendarYear } from "../../../server/calendar/decisions";
import { parseDay, shownDay, weekdayName } from "../../../server/calendar/days";
import { t } from "../../../server/i18n";
import { plainText } from "../../../server/input";
import { formatDateTime } from "../../../server/time";
import type { ActionReply } from "../../lib/actions.server";
import { Refusal, Saved } from "../form-replies";

// The rules are the domain's (server/calendar/decisions.ts); the forms only say what arrives as text.
const year = z.number({ error: t("calendar.error.year", { from: "", to: "" }) }).int();
export const centreDayForm = z.object({
  intent: z.literal("centre-day"),
  year,
  day: plainText(20, { required: t("calendar.error.day") }),
  kind: z.enum(["off", "work", "none"]),
  source: plainText(1000).optional(),
});
export const deploymentForm = z.object({
  intent: z.literal("deployment"),
  year,
  tetFrom: plainText(20).optional(),
  tetTo: plainText(20).optional(),
  nationalDayExtra: plainText(20).optional(),
  daysOff: plainText(1000).optional(),
  workingDays: plainText(1000).optional(),
  source: plainText(1000).optional(),
});
export const cutoffForm = z.object({
  intent: z.literal("cutoff"),
  mode: z.enum(["on", "off"]),
  cutoff: plainText(10).optional(),
});

export type Calendar = Awaited<ReturnType<typeof calendarYear>>;

const shown = shownDay;
const list = (days: readonly string[]) => days.map(shown).join(", ");

const input = "mt-1 rounded-lg border border-slate-300 bg-white px-3 py-2 text-base aria-invalid:border-red-500";
const small = "rounded-md border border-slate-300 bg-white px-3 py-1 text-sm font-medium hover:bg-slate-50 disabled:opacity-60";
const primary = "rounded-lg bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800 disabled:opacity-60";
const card = "rounded-xl bg-white shadow-sm ring-1 ring-slate-200";

export function Holidays({ calendar }: { calendar: Calendar }) {
  return (
    <section aria-labelledby="holidays-title" className={card}>
      <h2 id="holidays-title" className="border-b border-slate-100 px-4 py-3 text-lg font-bold">
        {t("calendar.holidays", { year: calendar.year })}
      </h2>
      <table className="w-full text-left">
        <thead className="text-sm text-slate-500">
          <tr>
            <th className="px-4 py-1.5 font-medium">{t("calendar.holidays.day")}</th>
            <th className="px-2 py-1.5 font-medium">{t("calendar.holidays.weekday")}</th>
            <th className="px-2 py-1.5 font-medium">{t("calendar.holidays.name")}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {calendar.holidays.map((h) => (
            <tr key={h.day} className={h.workedHere ? "text-slate-400" : ""}>
              <td className="px-4 py-1 font-mono tabular-nums">{shown(h.day)}</td>
              <td className="px-2 py-1">{h.weekday}</td>
              <td className="px-2 py-1">
                {h.name}
                {h.workedHere ? <span className="ml-2 rounded bg-amber-50 px-1.5 text-sm text-amber-900">{t("calendar.holidays.workedHere")}</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="border-t border-slate-100 px-4 py-3">
        <h3 className="font-semibold">{t("calendar.makeUp")}</h3>
        {calendar.makeUpDays.length === 0 ? <p className="text-sm text-slate-600">{t("calendar.makeUp.none")}</p> : null}
        <ul>
          {calendar.makeUpDays.map((d) => (
            <li key={d.day} className={d.offHere ? "text-slate-400" : ""}>
              <span className="font-mono tabular-nums">{shown(d.day)}</span> · {d.weekday}
              {d.offHere ? <span className="ml-2 rounded bg-amber-50 px-1.5 text-sm text-amber-900">{t("calendar.makeUp.offHere")}</span> : null}
            </li>
          ))}
        </ul>
        <p className="mt-2 text-sm text-slate-600">{t("calendar.workingDays", { year: calendar.year, n: calendar.workingDayCount })}</p>
      </div>
    </section>
  );
}

/** The answer of this form's last save. */
function useSave(formId: string) {
  const fetcher = useFetcher<ActionReply>({ key: formId });
  const reply = fetcher.state === "idle" && fetcher.data?.form === formId ? fetcher.data : undefined;
  return { fetcher, reply, lastResult: reply?.message ? undefined : reply?.result, busy: fetcher.state !== "idle" };
}

export function Decision({ calendar }: { calendar: Calendar }) {
  const d = calendar.decision;
  const origin =
    d.origin === "deployment"
      ? t("calendar.decision.origin.deployment", { at: d.updatedAt ? formatDateTime(d.updatedAt) : "", by: d.updatedBy ? t("calendar.decision.by", { name: d.updatedBy }) : "" })
      : t(`calendar.decision.origin.${d.origin}`);
  return (
    <section aria-labelledby="decision-title" className={card}>
      <h2 id="decision-title" className="border-b border-slate-100 px-4 py-3 text-lg font-bold">
        {t("calendar.decision", { year: calendar.year })}
      </h2>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 px-4 py-3">
        <dt className="text-slate-600">{t("audit.key.tet")}</dt>
        <dd>
          {shown(d.tet[0]!)} – {shown(d.tet.at(-1)!)} ({d.tet.length})
        </dd>
        <dt className="text-slate-600">{t("audit.key.nationalDayExtra")}</dt>
        <dd>{shown(d.nationalDayExtra)}</dd>
        <dt className="text-slate-600">{t("calendar.decision.daysOff")}</dt>
        <dd>{d.daysOff.length ? list(d.daysOff) : "—"}</dd>
        <dt className="text-slate-600">{t("calendar.decision.workingDays")}</dt>
        <dd>{d.workingDays.length ? list(d.workingDays) : "—"}</dd>
        <dt className="text-slate-600">{t("calendar.decision.source")}</dt>
        <dd data-testid="decision-source">{d.source}</dd>
      </dl>
      <p className="px-4 pb-3 text-sm text-slate-600">{origin}</p>
      {calendar.canEditDeployment ? (
        <details className="border-t border-slate-100">
          <summary className="cursor-pointer px-4 py-3 font-semibold text-brand-800">{t("calendar.decision.edit", { year: calendar.year })}</summary>
          <DeploymentForm key={calendar.year} calendar={calendar} />
        </details>
      ) : (
        <p className="mx-4 mb-4 rounded-lg bg-slate-50 px-3 py-2 text-sm text-slate-700 ring-1 ring-slate-200">{t("calendar.decision.readOnly")}</p>
      )}
    </section>
  );
}

export function DeploymentForm({ calendar }: { calendar: Calendar }) {
  const d = calendar.decision;
  const { fetcher, reply, lastResult, busy } = useSave("deployment");
  const [form, meta] = useForm<{ year: string; tet: string; tetFrom: string; tetTo: string; nationalDayExtra: string; daysOff: string; workingDays: string; source: string }>({
    id: "deployment",
    lastResult,
    defaultValue: {
      tetFrom: shown(d.tet[0]!),
      tetTo: shown(d.tet.at(-1)!),
      nationalDayExtra: d.nationalDayExtra,
      daysOff: list(d.daysOff),
      workingDays: list(d.workingDays),
      // A new notice has its own source: the shipped text («… chưa nhập thông báo …») is not offered as one.
      source: d.origin === "deployment" ? d.source : "",
    },
  });
  const y = calendar.year;
  return (
    <fetcher.Form method="post" {...getFormProps(form)} className="space-y-3 bg-slate-50 px-4 py-3">
      <input type="hidden" name="intent" value="deployment" />
      <input type="hidden" name="year" value={y} />
      <div className="flex flex-wrap items-start gap-3 text-sm">
        <div className="flex flex-col">
          <label htmlFor={meta.tetFrom.id} className="font-medium">
            {t("calendar.decision.tetFrom")}
          </label>
          <input {...getInputProps(meta.tetFrom, { type: "text" })} placeholder="dd/mm/yyyy" inputMode="numeric" aria-describedby={meta.tet.errorId} className={`${input} w-36`} />
        </div>
        <div className="flex flex-col">
          <label htmlFor={meta.tetTo.id} className="font-medium">
            {t("calendar.decision.tetTo")}
          </label>
          <input {...getInputProps(meta.tetTo, { type: "text" })} placeholder="dd/mm/yyyy" inputMode="numeric" aria-describedby={meta.tet.errorId} className={`${input} w-36`} />
        </div>
      </div>
      <p className="text-xs text-slate-500">{t("calendar.decision.tetHint", { day: shown(d.lunarNewYear) })}</p>
      <Refusal errors={meta.tet.errors} id={meta.tet.errorId} />
      <fieldset className="text-sm">
        <legend className="font-medium">{t("calendar.decision.nationalDayExtra")}</legend>
        <div className="mt-1 flex gap-4">
          {[`${y}-09-01`, `${y}-09-03`].map((day) => (
            <label key={day} className="flex items-center gap-2">
              <input type="radio" name="nationalDayExtra" value={day} defaultChecked={d.nationalDayExtra === day} className="size-4" />
              {shown(day)}
            </label>
          ))}
        </div>
        <Refusal errors={meta.nationalDayExtra.errors} id={meta.nationalDayExtra.errorId} />
      </fieldset>
      {(["daysOff", "workingDays"] as const).map((name) => (
        <div key={name} className="flex flex-col text-sm">
          <label htmlFor={meta[name].id} className="font-medium">
            {t(`calendar.decision.${name}`)}
          </label>
          <input {...getInputProps(meta[name], { type: "text" })} placeholder="dd/mm/yyyy, dd/mm/yyyy" className={input} />
          <Refusal errors={meta[name].errors} id={meta[name].errorId} />
        </div>
      ))}
      <p className="text-xs text-slate-500">{t("calendar.decision.listHint")}</p>
      <div className="flex flex-col text-sm">
        <label htmlFor={meta.source.id} className="font-medium">
          {t("calendar.decision.source")}
        </label>
        <input {...getInputProps(meta.source, { type: "text" })} className={input} />
        <p className="mt-1 text-xs text-slate-500">{t("calendar.decision.sourceHint")}</p>
        <Refusal errors={meta.source.errors} id={meta.source.errorId} />
      </div>
      <Refusal errors={meta.year.errors} id={meta.year.errorId} />
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" disabled={busy} className={primary}>
          {t("calendar.decision.save")}
        </button>
        <Saved reply={reply} />
      </div>
    </fetcher.Form>
  );
}

export function CentreDays({ calendar }: { calendar: Calendar }) {
  const c = calendar.centre;
  const days = [...c.daysOff.map((d) => ({ ...d, kind: "off" as const })), ...c.workingDays.map((d) => ({ ...d, kind: "work" as const }))].sort((a, b) => a.day.localeCompare(b.day));
  return (
    <section aria-labelledby="centre-title" className={card}>
      <h2 id="centre-title" className="border-b border-slate-100 px-4 py-3 text-lg font-bold">
        {t("calendar.centre", { year: calendar.year })}
      </h2>
      <p className="px-4 pt-3 text-sm text-slate-600">{t("calendar.centre.intro")}</p>
      <div className="px-4 py-3">
        {days.length === 0 ? <p className="text-sm text-slate-600">{t("calendar.centre.none", { year: calendar.year })}</p> : null}
        <ul aria-label={t("calendar.centre", { year: calendar.year })} className="divide-y divide-slate-100">
          {days.map((d) => (
            <CentreDayRow key={d.day} year={calendar.year} day={d.day} weekday={d.weekday} kind={d.kind} />
          ))}
        </ul>
        {c.source ? (
          <p className="mt-2 text-sm text-slate-600">
            {t("calendar.centre.source")}: {c.source}
            {c.updatedAt ? ` · ${t("calendar.centre.updated", { at: formatDateTime(c.updatedAt), by: c.updatedBy ? t("calendar.decision.by", { name: c.updatedBy }) : "" })}` : null}
          </p>
        ) : null}
      </div>
      <AddCentreDay calendar={calendar} />
    </section>
  );
}

function CentreDayRow({ year, day, weekday, kind }: { year: number; day: string; weekday: string; kind: "off" | "work" }) {
  const formId = `remove-${day}`;
  const { fetcher, reply, busy } = useSave(formId);
  const refusal = reply && !reply.message ? (Object.values(reply.result.error ?? {}).flat()[0] as string | undefined) : undefined;
  return (
    <li className="flex flex-wrap items-center gap-3 py-1.5" data-testid={`centre-day-${day}`}>
      <span className={`w-20 rounded px-2 text-center text-sm font-medium ${kind === "off" ? "bg-amber-50 text-amber-900" : "bg-emerald-50 text-emerald-800"}`}>
        {t(kind === "off" ? "calendar.centre.dayOff" : "calendar.centre.workingDay")}
      </span>
      <span className="font-mono tabular-nums">{shown(day)}</span>
      <span className="flex-1 text-slate-600">{weekday}</span>
      <fetcher.Form method="post">
        <input type="hidden" name="intent" value="centre-day" />
        <input type="hidden" name="year" value={year} />
        <input type="hidden" name="day" value={day} />
        <input type="hidden" name="kind" value="none" />
        <button type="submit" disabled={busy} className={small} aria-label={t("calendar.centre.removeLabel", { day: shown(day) })}>
          {t("calendar.centre.remove")}
        </button>
      </fetcher.Form>
      {refusal ? <p className="w-full text-sm text-red-700">{refusal}</p> : null}
    </li>
  );
}

function AddCentreDay({ calendar }: { calendar: Calendar }) {
  const { fetcher, reply, lastResult, busy } = useSave("centre-day");
  const y = calendar.year;
  const [form, meta] = useForm<{ year: string; day: string; kind: string; source: string }>({ id: "centre-day", lastResult, defaultValue: { kind: "off", source: calendar.centre.source } });
  const [kind, setKind] = useState<"off" | "work">("off");
  // The weekday of the day being typed, so a wrong day is seen before it is sent.
  const [typed, setTyped] = useState("");
  const [answered, setAnswered] = useState(reply);
  if (reply !== answered) {
    setAnswered(reply);
    if (reply?.message) setTyped("");
  }
  const typedDay = parseDay(typed);
  return (
    <fetcher.Form method="post" {...getFormProps(form)} className="rounded-b-xl border-t border-slate-200 bg-slate-50 px-4 py-3">
      <input type="hidden" name="intent" value="centre-day" />
      <input type="hidden" name="year" value={y} />
      <div className="flex flex-wrap items-start gap-3 text-sm">
        <fieldset>
          <legend className="font-medium">{t("calendar.centre.kind")}</legend>
          <div className="mt-1 flex gap-1">
            {(["off", "work"] as const).map((k) => (
              <label key={k} className="flex items-center gap-2 rounded-lg border border-slate-300 bg-white px-3 py-2 has-checked:border-brand-600 has-checked:bg-brand-50">
                <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} className="size-4" />
                {t(k === "off" ? "calendar.centre.dayOff" : "calendar.centre.workingDay")}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="flex flex-col">
          <label htmlFor={meta.day.id} className="font-medium">
            {t("calendar.centre.day")}
          </label>
          <input
            {...getInputProps(meta.day, { type: "text" })}
            placeholder="dd/mm/yyyy"
            inputMode="numeric"
            autoComplete="off"
            onChange={(e) => setTyped(e.target.value)}
            aria-describedby={`${meta.day.errorId} ${meta.day.id}-weekday`}
            className={`${input} w-36`}
          />
          <span id={`${meta.day.id}-weekday`} className="mt-1 h-5 text-slate-600" data-testid="typed-weekday">
            {typedDay ? weekdayName(typedDay) : ""}
          </span>
        </div>
        <div className="flex min-w-56 flex-1 flex-col">
          <label htmlFor={meta.source.id} className="font-medium">
            {t("calendar.centre.source")}
          </label>
          <input {...getInputProps(meta.source, { type: "text" })} placeholder={t("calendar.centre.sourceHint", { year: y })} className={input} />
        </div>
      </div>
      <Refusal errors={meta.day.errors} id={meta.day.errorId} />
      <Refusal errors={meta.source.errors} id={meta.source.errorId} />
      <Refusal errors={meta.year.errors} id={meta.year.errorId} />
      <div className="mt-3 flex flex-wrap items-center gap-3">
        <button type="submit" disabled={busy} className={primary}>
          {t("calendar.centre.add")}
        </button>
        <Saved reply={reply} />
      </div>
    </fetcher.Form>
  );
}

export function Cutoff({ calendar }: { calendar: Calendar }) {
  const { fetcher, reply, lastResult, busy } = useSave("cutoff");
  const [form, meta] = useForm<{ mode: string; cutoff: string }>({ id: "cutoff", lastResult, defaultValue: { cutoff: calendar.cutoff ?? "15:00" } });
  const [mode, setMode] = useState<"on" | "off">(calendar.cutoff === null ? "off" : "on");
  return (
    <section aria-labelledby="cutoff-title" className={card}>
      <h2 id="cutoff-title" className="border-b border-slate-100 px-4 py-3 text-lg font-bold">
        {t("calendar.cutoff")}
      </h2>
      <fetcher.Form method="post" {...getFormProps(form)} className="px-4 py-3">
        <input type="hidden" name="intent" value="cutoff" />
        <p className="text-sm text-slate-600">{t("calendar.cutoff.intro")}</p>
        <p className="mt-1 text-sm font-medium" data-testid="cutoff-current">
          {t("calendar.cutoff.current", { value: calendar.cutoff ?? t("calendar.cutoff.none") })}
        </p>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <label className="flex items-center gap-2">
            <input type="radio" name="mode" value="on" checked={mode === "on"} onChange={() => setMode("on")} className="size-4" />
            {t("calendar.cutoff.on")}
          </label>
          <input {...getInputProps(meta.cutoff, { type: "text" })} aria-label={t("calendar.cutoff")} placeholder="15:00" inputMode="numeric" disabled={mode === "off"} className={`${input} mt-0 w-24 disabled:bg-slate-100 disabled:text-slate-400`} />
          <label className="flex items-center gap-2">
            <input type="radio" name="mode" value="off" checked={mode === "off"} onChange={() => setMode("off")} className="size-4" />
            {t("calendar.cutoff.off")}
          </label>
        </div>
        <Refusal errors={meta.cutoff.errors} id={meta.cutoff.errorId} />
        <div className="mt-3 flex flex-wrap items-center gap-3">
          <button type="submit" disabled={busy} className={primary}>
            {t("calendar.cutoff.save")}
          </button>
          <Saved reply={reply} />
        </div>
      </fetcher.Form>
    </section>
  );
}
