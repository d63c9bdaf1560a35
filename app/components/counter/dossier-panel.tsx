/** The dossier of the citizen being served: opened here from the ticket, followed live through appraisal and approval, returned here. */
import { getFormProps, getInputProps, getSelectProps, useForm } from "@conform-to/react";
import { useState } from "react";
import { useFetcher } from "react-router";
import type { Procedure } from "../../../db/schema";
import type { DossierCard as Card } from "../../../server/dossiers/steps";
import { t } from "../../../server/i18n";
import type { TicketSummary } from "../../../server/realtime/events";
import type { ActionReply } from "../../lib/actions.server";
import { DossierCard } from "../dossier-card";

export type ProcedureOption = Pick<Procedure, "id" | "fieldId" | "code" | "name" | "documents" | "processingDays" | "processingHours" | "fee" | "onTheSpot">;

const input = "mt-1 w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-base aria-invalid:border-red-500";

export function DossierPanel({ ticket, procedures, dossiers }: { ticket: TicketSummary; procedures: ProcedureOption[]; dossiers: Card[] }) {
  const [opening, setOpening] = useState(false);
  const fetcher = useFetcher<ActionReply>({ key: `open-dossier-${ticket.id}` });
  const reply = fetcher.state === "idle" && fetcher.data?.form === "open-dossier" ? fetcher.data : undefined;
  const [answered, setAnswered] = useState(reply);
  if (reply !== answered) {
    setAnswered(reply);
    if (reply?.message) setOpening(false);
  }
  const forField = procedures.filter((p) => p.fieldId === ticket.fieldId);
  const [procedureId, setProcedureId] = useState<number | null>(null);
  const procedure = procedures.find((p) => p.id === procedureId) ?? null;
  const [form, fields] = useForm<{ procedureId: string; applicantName: string; applicantIdNumber: string; applicantPhone: string; applicantAddress: string; received: string[] }>({
    id: `open-dossier-${ticket.id}`,
    lastResult: reply?.message ? undefined : reply?.result,
  });
  const formError = reply?.result.status === "error" ? reply.result.error?.[""]?.[0] : undefined;

  return (
    <section aria-labelledby="dossier-title" className="rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
      <div className="flex items-center justify-between gap-3">
        <h2 id="dossier-title" className="text-sm font-semibold tracking-wide text-slate-500 uppercase">
          {t("dossier.panel")}
        </h2>
        {!opening ? (
          <button type="button" onClick={() => setOpening(true)} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-50">
            {t("dossier.open")}
          </button>
        ) : null}
      </div>
      {dossiers.length ? (
        <div className="mt-2 grid gap-2">
          {dossiers.map((d) => (
            <DossierCard key={d.id} dossier={d} compact />
          ))}
        </div>
      ) : null}
      {opening ? (
        <fetcher.Form method="post" action="/dossiers" {...getFormProps(form)} className="mt-3 grid gap-3 md:grid-cols-2" data-testid="open-dossier">
          <input type="hidden" name="intent" value="open" />
          <input type="hidden" name="ticketId" value={ticket.id} />
          <label className="text-sm font-medium md:col-span-2">
            {t("dossier.procedure")}
            <select
              {...getSelectProps(fields.procedureId)}
              required
              value={procedureId ?? ""}
              onChange={(event) => setProcedureId(Number(event.target.value) || null)}
              className={input}
            >
              <option value="">{t("dossier.chooseProcedure")}</option>
              {/* The ticket's field first: a citizen sometimes takes the number of another field. */}
              <optgroup label={t("dossier.ofThisField")}>
                {forField.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </optgroup>
              <optgroup label={t("dossier.otherFields")}>
                {procedures
                  .filter((p) => p.fieldId !== ticket.fieldId)
                  .map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                    </option>
                  ))}
              </optgroup>
            </select>
          </label>
          {procedure ? (
            <p className="-mt-2 text-sm text-slate-600 md:col-span-2">
              {procedure.processingHours !== null
                ? t("dossier.processing.hours", { n: procedure.processingHours })
                : procedure.processingDays
                  ? t("dossier.processing.days", { n: procedure.processingDays })
                  : t("dossier.processing.sameDay")}
              {" · "}
              {t("dossier.fee", { fee: procedure.fee })}
            </p>
          ) : null}
          {(
            [
              ["applicantName", "dossier.applicantName", "name"],
              ["applicantIdNumber", "dossier.applicantIdNumber", "off"],
              ["applicantPhone", "dossier.applicantPhone", "tel"],
              ["applicantAddress", "dossier.applicantAddress", "street-address"],
            ] as const
          ).map(([name, label, autoComplete]) => (
            <div key={name} className="text-sm">
              <label htmlFor={fields[name].id} className="font-medium">
                {t(label)}
              </label>
              <input {...getInputProps(fields[name], { type: "text" })} autoComplete={autoComplete} inputMode={name === "applicantIdNumber" || name === "applicantPhone" ? "numeric" : undefined} className={input} />
              {fields[name].errors ? <span className="mt-1 block text-red-700">{fields[name].errors[0]}</span> : null}
            </div>
          ))}
          {procedure ? (
            <fieldset className="md:col-span-2">
              <legend className="text-sm font-medium">{t("dossier.documents")}</legend>
              <ul className="mt-1 space-y-1">
                {procedure.documents.map((d) => (
                  <li key={d.key}>
                    <label className="flex items-start gap-2 text-sm">
                      <input type="checkbox" name="received" value={d.key} className="mt-0.5 size-4" />
                      <span>
                        {d.name} <span className="text-slate-500">({t(`dossier.form.${d.form}`)}{d.count > 1 ? ` × ${d.count}` : ""}{d.mandatory ? `, ${t("dossier.mandatory")}` : ""})</span>
                      </span>
                    </label>
                  </li>
                ))}
              </ul>
              {fields.received.errors ? <span className="mt-1 block text-sm text-red-700">{fields.received.errors[0]}</span> : null}
            </fieldset>
          ) : null}
          <div className="flex items-center gap-2 md:col-span-2">
            <button type="submit" disabled={fetcher.state !== "idle"} className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800 disabled:opacity-60">
              {t("dossier.open")}
            </button>
            <button type="button" onClick={() => setOpening(false)} className="rounded-md border border-slate-300 px-3 py-2 hover:bg-slate-50">
              {t("admin.queue.cancel")}
            </button>
            {formError ? (
              <span role="alert" className="text-sm text-red-700">
                {formError}
              </span>
            ) : null}
          </div>
        </fetcher.Form>
      ) : null}
    </section>
  );
}
