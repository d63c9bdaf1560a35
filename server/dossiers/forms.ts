/**
 * The letters printed from a dossier — supplement request, refusal, stop notice, apology — as one
 * document model read by the A4 page and the PDF alike. Which form (number, title, wording) comes
 * from the legal basis in force on the dossier's receipt day (server/dossiers/legal-forms.ts); the
 * content from the step that caused it (its reason, who took it, when) or the approved letter.
 */
import { and, desc, eq } from "drizzle-orm";
import { centres, dossierLetters, dossiers, dossierSteps, procedures, users, type Role } from "../../db/schema";
import { authorize, centreOf, type Actor } from "../auth/permissions";
import type { ServiceDeps } from "../context";
import { AppError } from "../errors";
import { t, type MessageKey } from "../i18n";
import { serviceDate } from "../time";
import { formFor, type LetterKind } from "./legal-forms";
import { lookupUrlOf } from "./receipt";
import { spelledTime } from "./receipt-text";

export type PrintedForm = {
  kind: LetterKind;
  form: { number: string; title: string; basis: string; set: string };
  centre: { name: string; address: string | null };
  code: string;
  /** The day the letter is dated (the step's, or the approval's). */
  issuedAt: string;
  lookupUrl: string;
  /** The procedure's legal basis, printed under the letter. */
  legalBasis: string;
  /** Paragraphs in order; `emphasis` ones are the reason or the new date. */
  paragraphs: Array<{ text: string; emphasis?: boolean }>;
  signer: { title: string; name: string };
};

const STEP_OF: Record<Exclude<LetterKind, "apology">, string> = { supplement: "supplement", refusal: "refuse", stop: "stop" };

const signerTitle = (role: Role | null | undefined, kind: LetterKind): string => {
  if (kind === "supplement") return t("form.signerGuide");
  if (role === "approver") return t("form.signerLeader");
  if (role === "appraiser") return t("form.signerAppraiser");
  return t("form.signerReceiver");
};

/** The letter `kind` of a dossier of the actor's centre, or a refusal saying why it does not exist yet. */
export async function letterData(deps: Pick<ServiceDeps, "db">, actor: Actor, input: { code: string; kind: LetterKind; publicUrl: string }): Promise<PrintedForm> {
  authorize(actor, "dossier.work");
  const [row] = await deps.db
    .select({ dossier: dossiers, procedure: procedures.name, legalBasis: procedures.legalBasis, centre: centres })
    .from(dossiers)
    .innerJoin(procedures, eq(procedures.id, dossiers.procedureId))
    .innerJoin(centres, eq(centres.id, dossiers.centreId))
    .where(and(eq(dossiers.code, input.code.toUpperCase()), eq(dossiers.centreId, centreOf(actor))));
  if (!row) throw new AppError("dossier_not_found");
  const { dossier, centre } = row;
  const form = formFor(input.kind, serviceDate(dossier.receivedAt));
  const notAvailable = () => new AppError("form_not_available", { message: t(`form.notAvailable.${input.kind}` as MessageKey) });
  const base = {
    kind: input.kind,
    form: { number: form.number, title: form.title, basis: form.set.basis, set: form.set.id },
    centre: { name: centre.name, address: centre.address },
    code: dossier.code,
    legalBasis: row.legalBasis,
    lookupUrl: lookupUrlOf(dossier.code, input.publicUrl),
  };
  const opening = [
    { text: t("form.dear", { name: dossier.applicantName }) },
    { text: t("form.received", { centre: centre.name, code: dossier.code, at: spelledTime(dossier.receivedAt.toISOString()) }) },
    { text: t("form.request", { procedure: row.procedure }) },
  ];

  if (input.kind === "apology") {
    const [letter] = await deps.db
      .select({ letter: dossierLetters, leader: users.fullName })
      .from(dossierLetters)
      .leftJoin(users, eq(users.id, dossierLetters.decidedBy))
      .where(and(eq(dossierLetters.dossierId, dossier.id), eq(dossierLetters.state, "approved")))
      .orderBy(desc(dossierLetters.decidedAt))
      .limit(1);
    if (!letter) throw notAvailable();
    // The date it apologises for: the one in force before this letter (the legal date, or an earlier appointment).
    const [earlier] = await deps.db
      .select({ at: dossierLetters.proposedDueAt })
      .from(dossierLetters)
      .where(and(eq(dossierLetters.dossierId, dossier.id), eq(dossierLetters.state, "approved")))
      .orderBy(desc(dossierLetters.decidedAt))
      .offset(1)
      .limit(1);
    const due = spelledTime((earlier?.at ?? dossier.dueAt).toISOString());
    const at = spelledTime(letter.letter.proposedDueAt.toISOString());
    const old = form.set.id === "tt01-2018";
    return {
      ...base,
      issuedAt: letter.letter.decidedAt!.toISOString(),
      paragraphs: [
        ...opening,
        { text: t(old ? "form.apology.old.body" : "form.apology.new.body", { due }) },
        { text: t(old ? "form.apology.old.reason" : "form.apology.new.reason", { reason: letter.letter.reason }), emphasis: true },
        { text: t(old ? "form.apology.old.sorry" : "form.apology.new.sorry", { centre: centre.name, at }), emphasis: true },
        { text: t("form.apology.thanks") },
      ],
      signer: { title: t("form.signerLeader"), name: letter.leader ?? "" },
    };
  }

  const [step] = await deps.db
    .select({ reason: dossierSteps.reason, at: dossierSteps.createdAt, name: users.fullName, role: users.role })
    .from(dossierSteps)
    .leftJoin(users, eq(users.id, dossierSteps.actorUserId))
    .where(and(eq(dossierSteps.dossierId, dossier.id), eq(dossierSteps.action, STEP_OF[input.kind])))
    .orderBy(desc(dossierSteps.id))
    .limit(1);
  if (!step) throw notAvailable();
  const reason = { text: step.reason ?? "", emphasis: true };
  const paragraphs =
    input.kind === "supplement"
      ? [...opening, { text: t("form.supplement.intro") }, reason, { text: t("form.supplement.after", { centre: centre.name, person: step.name ?? centre.name }) }]
      : input.kind === "refusal"
        ? [...opening, { text: t("form.refusal.intro") }, reason, { text: t("form.refusal.after", { centre: centre.name }) }]
        : [...opening, { text: t("form.stop.intro", { centre: centre.name }) }, reason, { text: t("form.stop.after", { centre: centre.name }) }];
  return { ...base, issuedAt: step.at.toISOString(), paragraphs, signer: { title: signerTitle(step.role, input.kind), name: step.name ?? "" } };
}
