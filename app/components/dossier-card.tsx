/** A dossier as a console shows it: code, procedure, applicant, deadline, documents, and the steps this person may take. */
import { useState } from "react";
import { useFetcher } from "react-router";
import { DayInput } from "./day-input";
import { LETTER_SLUGS } from "../../server/dossiers/legal-forms";
import type { DossierCard as Card } from "../../server/dossiers/steps";
import { actionLabel, stateLabel, type DossierAction, type DossierState } from "../../server/dossiers/workflow";
import { t } from "../../server/i18n";
import { formatDate, formatDateTime } from "../../server/time";
import type { ActionReply } from "../lib/actions.server";

/** Steps that record a decision with its reason. */
const NEEDS_REASON = new Set<DossierAction>(["refuse", "supplement", "pause", "stop"]);
const DANGER = new Set<DossierAction>(["refuse", "stop"]);
/** Where an apology and a new date can be drafted: the dossier is still being settled. */
const APOLOGY_STATES = new Set<DossierState>(["received", "appraising", "needs_supplement", "approved", "paused"]);

export function DossierCard({ dossier, compact = false }: { dossier: Card; compact?: boolean }) {
  const fetcher = useFetcher<ActionReply>({ key: `dossier-${dossier.id}` });
  const [asking, setAsking] = useState<DossierAction | null>(null);
  const reply = fetcher.state === "idle" ? fetcher.data : undefined;
  const error = reply?.result.status === "error" ? Object.values(reply.result.error ?? {}).flat()[0] : undefined;
  const done = reply?.result.status !== "error" ? reply?.message : undefined;
  const [drafting, setDrafting] = useState(false);
  const canApologise = !compact && APOLOGY_STATES.has(dossier.state);
  const busy = fetcher.state !== "idle";
  const step = (action: DossierAction, reason?: string) =>
    fetcher.submit({ intent: "step", dossierId: dossier.id, action, reason: reason ?? "" }, { method: "post", action: "/dossiers" });
  return (
    <article data-testid={`dossier-${dossier.code}`} className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
      <header className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 className="font-mono text-lg font-bold">{dossier.code}</h3>
        <span data-testid="dossier-state" className="rounded-full bg-brand-50 px-3 py-0.5 text-sm font-semibold text-brand-800 ring-1 ring-brand-200">
          {stateLabel(dossier.state)}
        </span>
      </header>
      <p className="mt-1 font-semibold">{dossier.procedureName}</p>
      <p className="text-sm text-slate-600">
        {dossier.applicantName} · {t("dossier.idShort", { digits: dossier.applicantIdNumber })}
      </p>
      <p className="text-sm text-slate-600">
        {t("dossier.received", { time: formatDateTime(dossier.receivedAt) })} · <span className="font-semibold text-slate-800">{t("dossier.due", { day: formatDate(`${dossier.dueDay}T12:00:00+07:00`) })}</span>
        {dossier.extendedDueDay ? (
          <span className="ml-2 font-semibold text-amber-800">{t("dossier.extendedTo", { day: formatDate(`${dossier.extendedDueDay}T12:00:00+07:00`) })}</span>
        ) : null}
        {dossier.onTheSpot ? <span className="ml-2 rounded bg-emerald-100 px-1.5 text-xs font-semibold text-emerald-900">{t("dossier.onTheSpot")}</span> : null}
      </p>
      {compact ? null : <p className="mt-1 text-xs text-slate-500">{dossier.legalBasis}</p>}
      <p className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-sm">
        <a href={`/dossiers/${dossier.code}/giay-tiep-nhan`} target="_blank" rel="noreferrer" className="font-medium text-brand-800 underline underline-offset-2">
          {t("receipt.open")}
        </a>
        <a href={`/dossiers/${dossier.code}/phieu-kiem-soat`} target="_blank" rel="noreferrer" className="font-medium text-brand-800 underline underline-offset-2">
          {t("control.open")}
        </a>
        {dossier.letters.map((kind) => (
          <a key={kind} href={`/dossiers/${dossier.code}/phieu/${LETTER_SLUGS[kind]}`} target="_blank" rel="noreferrer" data-testid={`letter-link-${kind}`} className="font-medium text-brand-800 underline underline-offset-2">
            {t(`form.link.${kind}`)}
          </a>
        ))}
      </p>
      {dossier.actions.length > 0 ? (
        <div className="mt-3 flex flex-wrap items-end gap-2">
          {dossier.actions.map((action) =>
            NEEDS_REASON.has(action) ? (
              <button
                key={action}
                type="button"
                disabled={busy}
                onClick={() => setAsking(asking === action ? null : action)}
                className={`rounded-md border px-3 py-1.5 text-sm font-medium ${DANGER.has(action) ? "border-red-300 text-red-800 hover:bg-red-50" : "border-slate-300 hover:bg-slate-50"}`}
              >
                {capitalise(actionLabel(action))}
              </button>
            ) : (
              <button key={action} type="button" disabled={busy} onClick={() => step(action)} className="rounded-md bg-brand-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-brand-800 disabled:opacity-60">
                {capitalise(actionLabel(action))}
              </button>
            ),
          )}
        </div>
      ) : null}
      {asking ? (
        <form
          className="mt-2 flex flex-wrap items-end gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            const reason = new FormData(event.currentTarget).get("reason");
            step(asking, String(reason ?? ""));
            setAsking(null);
          }}
        >
          <label className="min-w-60 flex-1 text-sm font-medium">
            {t("dossier.reasonFor", { step: actionLabel(asking) })}
            <input name="reason" required maxLength={1000} autoFocus className="mt-1 w-full rounded-md border border-slate-300 px-2.5 py-1.5 text-base" />
          </label>
          <button type="submit" className="rounded-md bg-brand-700 px-3 py-1.5 text-sm font-semibold text-white">
            {t("dossier.confirm")}
          </button>
        </form>
      ) : null}
      {canApologise ? (
        drafting ? (
          <form
            className="mt-3 grid gap-2 rounded-lg bg-amber-50 p-3 ring-1 ring-amber-200"
            onSubmit={(event) => {
              event.preventDefault();
              const form = new FormData(event.currentTarget);
              fetcher.submit(
                { intent: "draft", dossierId: dossier.id, reason: String(form.get("reason") ?? ""), proposedDueDay: String(form.get("proposedDueDay") ?? "") },
                { method: "post", action: "/dossiers/xin-loi" },
              );
              setDrafting(false);
            }}
          >
            <label className="text-sm font-medium">
              {t("letters.reason")}
              <input name="reason" required maxLength={1000} autoFocus className="mt-1 w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-base" />
            </label>
            <div className="flex flex-wrap items-center gap-2">
              <label className="text-sm font-medium">
                {t("letters.newDate")}
                <DayInput name="proposedDueDay" required className="mt-1 block rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-base" />
              </label>
              <button type="submit" className="rounded-md bg-amber-700 px-3 py-2 text-sm font-semibold text-white hover:bg-amber-800">
                {t("letters.draft")}
              </button>
              <button type="button" onClick={() => setDrafting(false)} className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm">
                {t("dossier.cancelForm")}
              </button>
            </div>
          </form>
        ) : (
          <button type="button" onClick={() => setDrafting(true)} className="mt-2 text-sm font-medium text-amber-800 underline underline-offset-2">
            {t("letters.draft")}
          </button>
        )
      ) : null}
      {done ? (
        <p role="status" className="mt-2 text-sm text-emerald-800">
          {done}
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </article>
  );
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
