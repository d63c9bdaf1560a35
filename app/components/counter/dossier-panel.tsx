/** The dossier of the citizen being served: opened here from the ticket, followed live through appraisal and approval, returned here. */
import { useState } from "react";
import { useFetcher } from "react-router";
import type { DossierCard as Card } from "../../../server/dossiers/steps";
import { t } from "../../../server/i18n";
import type { TicketSummary } from "../../../server/realtime/events";
import { DossierCard } from "../dossier-card";
import { OpenDossierForm, type OpenReply, type ProcedureOption } from "../open-dossier-form";

export type { ProcedureOption };

export function DossierPanel({ ticket, procedures, dossiers }: { ticket: TicketSummary; procedures: ProcedureOption[]; dossiers: Card[] }) {
  const [opening, setOpening] = useState(false);
  const fetcher = useFetcher<OpenReply>({ key: `open-dossier-${ticket.id}` });
  const reply = fetcher.state === "idle" && fetcher.data?.form === "open-dossier" ? fetcher.data : undefined;
  const [answered, setAnswered] = useState(reply);
  if (reply !== answered) {
    setAnswered(reply);
    if (reply?.message) setOpening(false);
  }
  // The ticket's field first: a citizen sometimes takes the number of another field.
  const groups = [
    { label: t("dossier.ofThisField"), items: procedures.filter((p) => p.fieldId === ticket.fieldId) },
    { label: t("dossier.otherFields"), items: procedures.filter((p) => p.fieldId !== ticket.fieldId) },
  ];

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
      {opening ? <OpenDossierForm id={`open-dossier-${ticket.id}`} fetcher={fetcher} reply={reply} groups={groups} ticketId={ticket.id} onCancel={() => setOpening(false)} /> : null}
    </section>
  );
}
