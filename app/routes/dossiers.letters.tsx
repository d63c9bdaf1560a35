import { useFetcher } from "react-router";
import { data } from "react-router";
import { z } from "zod";
import { centreOf } from "../../server/auth/permissions";
import { decideLetter, draftLatenessLetters, draftLetter, latenessLetters, type LetterRow } from "../../server/dossiers/letters";
import { LETTER_SLUGS } from "../../server/dossiers/legal-forms";
import { dossierRole } from "../../server/dossiers/steps";
import { stateLabel } from "../../server/dossiers/workflow";
import { t } from "../../server/i18n";
import { plainText } from "../../server/input";
import { id } from "../../server/queue/inputs";
import { formatDate, formatDateTime } from "../../server/time";
import { ActionMessage } from "../components/action-message";
import { DayInput } from "../components/day-input";
import { DossierNav } from "../components/dossier-nav";
import { StaffHeader } from "../components/staff-header";
import { readForm, respond, type ActionReply, type Answer } from "../lib/actions.server";
import { requireUser } from "../lib/guards.server";
import type { Route } from "./+types/dossiers.letters";

export const meta: Route.MetaFunction = () => [{ title: `${t("letters.title")} · ${t("app.name")}` }];

const draftForm = z.object({ intent: z.literal("draft"), dossierId: id, reason: plainText(1000), proposedDueDay: z.string().max(10) });
const decideForm = z.object({
  intent: z.enum(["approve", "cancel"]),
  letterId: id,
  reason: plainText(1000).optional(),
  proposedDueDay: z.string().max(10).optional(),
});

export async function loader({ context, request }: Route.LoaderArgs) {
  const { user, actor } = requireUser(context, request, "dossier.work");
  // The sweep also runs every few minutes on the server; opening the console makes it current.
  await draftLatenessLetters(context.services, centreOf(actor));
  const letters = await latenessLetters(context.services, actor);
  return { user, ...letters, leader: dossierRole(user.role) === "approver" };
}

export async function action({ context, request }: Route.ActionArgs) {
  const { actor } = requireUser(context, request, "dossier.work");
  const formData = await readForm(request);
  if (formData.get("intent") === "draft") {
    // From a dossier's card: the form is the card's.
    return respond(
      formData,
      draftForm,
      { form: `dossier-${String(formData.get("dossierId") ?? "")}`, errorFields: { letter_date_invalid: "proposedDueDay", letter_reason_required: "reason" } },
      async ({ dossierId, reason, proposedDueDay }): Promise<Answer> => {
        const { code } = await draftLetter(context.services, actor, { dossierId, reason, proposedDueDay });
        return { message: t("letters.done.draft", { code }) };
      },
    );
  }
  const letterId = String(formData.get("letterId") ?? "");
  if (!/^\d{1,12}$/.test(letterId)) throw data({ message: t("error.bad_request") }, { status: 400 });
  return respond(
    formData,
    decideForm,
    { form: `letter-${letterId}`, errorFields: { letter_date_invalid: "proposedDueDay", letter_reason_required: "reason" } },
    async ({ intent, letterId, reason, proposedDueDay }): Promise<Answer> => {
      const done = await decideLetter(context.services, actor, { letterId, decision: intent, reason, proposedDueDay });
      return {
        message: done.state === "approved" ? t("letters.done.approve", { code: done.code, day: formatDate(`${done.day}T12:00:00+07:00`) }) : t("letters.done.cancel", { code: done.code }),
      };
    },
  );
}

export default function Letters({ loaderData }: Route.ComponentProps) {
  const { drafts, approved, leader } = loaderData;
  return (
    <div className="min-h-screen">
      <StaffHeader user={loaderData.user} />
      <main className="mx-auto max-w-7xl p-5">
        <DossierNav badge={{ "/dossiers/xin-loi": drafts.length }} />
        <h1 className="text-2xl font-bold">{t("letters.heading")}</h1>
        <p className="mt-1 max-w-4xl text-slate-600">{t("letters.intro")}</p>
        <h2 className="mt-6 text-lg font-semibold">
          {t("letters.drafts")} ({drafts.length})
        </h2>
        {drafts.length === 0 ? (
          <p className="mt-2 rounded-xl bg-white p-5 text-center text-slate-500 ring-1 ring-slate-200" data-testid="letters-none">
            {t("letters.none")}
          </p>
        ) : (
          <div className="mt-2 grid gap-3 lg:grid-cols-2" data-testid="letter-drafts">
            {drafts.map((l) => (
              <DraftCard key={l.id} letter={l} leader={leader} />
            ))}
          </div>
        )}
        <h2 className="mt-8 text-lg font-semibold">{t("letters.approved")}</h2>
        {approved.length === 0 ? (
          <p className="mt-2 text-slate-500">{t("letters.noneApproved")}</p>
        ) : (
          <ul className="mt-2 divide-y divide-slate-200 rounded-xl bg-white ring-1 ring-slate-200" data-testid="letters-approved">
            {approved.map((l) => (
              <li key={l.id} className="flex flex-wrap items-center justify-between gap-3 px-4 py-3">
                <div>
                  <p className="font-mono font-bold">{l.dossier.code}</p>
                  <p className="text-sm text-slate-600">
                    {l.dossier.applicantName} · {l.dossier.procedure}
                  </p>
                  <p className="text-sm">{t("letters.approvedBy", { name: l.decider ?? "", at: formatDateTime(l.decidedAt!), day: formatDate(`${l.proposedDueDay}T12:00:00+07:00`) })}</p>
                </div>
                <a href={`/dossiers/${l.dossier.code}/phieu/${LETTER_SLUGS.apology}`} target="_blank" rel="noreferrer" className="rounded-md border border-slate-300 px-3 py-1.5 font-medium text-brand-800 hover:bg-slate-50">
                  {t("letters.print")}
                </a>
              </li>
            ))}
          </ul>
        )}
      </main>
    </div>
  );
}

function DraftCard({ letter, leader }: { letter: LetterRow; leader: boolean }) {
  const fetcher = useFetcher<ActionReply>({ key: `letter-${letter.id}` });
  const reply = fetcher.state === "idle" ? fetcher.data : undefined;
  const d = letter.dossier;
  const left = d.daysLeft < 0 ? t("letters.late", { n: -d.daysLeft }) : d.daysLeft === 0 ? t("letters.dueToday") : t("letters.left", { n: d.daysLeft });
  return (
    <article data-testid={`letter-${d.code}`} className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
      <header className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 className="font-mono text-lg font-bold">{d.code}</h3>
        <span className={`rounded-full px-3 py-0.5 text-sm font-semibold ${d.daysLeft < 0 ? "bg-red-100 text-red-900" : "bg-amber-100 text-amber-900"}`}>{left}</span>
      </header>
      <p className="font-semibold">{d.procedure}</p>
      <p className="text-sm text-slate-600">
        {d.applicantName} · {stateLabel(d.state)} · {t("letters.stepPending", { step: d.pending })}
      </p>
      <p className="text-sm text-slate-600">
        {t("letters.due", { at: formatDateTime(d.dueAt) })} · {letter.drafter ? t("letters.draftedBy", { name: letter.drafter, at: formatDateTime(letter.draftedAt) }) : t("letters.draftedBySystem", { at: formatDateTime(letter.draftedAt) })}
      </p>
      <fetcher.Form method="post" className="mt-3 grid gap-2">
        <input type="hidden" name="letterId" value={letter.id} />
        <label className="text-sm font-medium">
          {t("letters.reason")}
          <textarea name="reason" defaultValue={letter.reason} rows={2} maxLength={1000} disabled={!leader} className="mt-1 w-full rounded-md border border-slate-300 px-2.5 py-1.5 text-base disabled:bg-slate-50" />
        </label>
        <div className="flex flex-wrap items-start gap-2">
          <label className="text-sm font-medium">
            {t("letters.newDate")}
            <DayInput name="proposedDueDay" defaultValue={letter.proposedDueDay} disabled={!leader} className="mt-1 block rounded-md border border-slate-300 px-2.5 py-1.5 text-base disabled:bg-slate-50" />
          </label>
          {leader ? (
            <div className="mt-6 flex gap-2">
              <button name="intent" value="approve" disabled={fetcher.state !== "idle"} className="rounded-md bg-brand-700 px-3 py-2 font-semibold text-white hover:bg-brand-800 disabled:opacity-60">
                {t("letters.approve")}
              </button>
              <button name="intent" value="cancel" disabled={fetcher.state !== "idle"} className="rounded-md border border-slate-300 px-3 py-2 font-medium hover:bg-slate-50">
                {t("letters.cancel")}
              </button>
            </div>
          ) : (
            <p className="mt-7 text-sm italic text-slate-500">{t("letters.onlyLeader")}</p>
          )}
        </div>
      </fetcher.Form>
      <ActionMessage reply={reply} reserve={false} className="mt-2" />
    </article>
  );
}
