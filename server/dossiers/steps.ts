/**
 * Moving a dossier along (server/dossiers/workflow.ts says which steps exist): one transaction
 * that locks the dossier, asks the state machine, writes the new state and its step (who, when,
 * the decision, why), and tells the centre's staff pages after the commit. And what each person's
 * console lists: the dossiers waiting for them.
 */
import { and, desc, eq, gte, inArray, or, sql } from "drizzle-orm";
import { dossiers, dossierSteps, procedures, users, type Dossier, type Role } from "../../db/schema";
import { staffOf, type Actor } from "../auth/permissions";
import { clock, inTransaction, type ServiceDeps } from "../context";
import { AppError } from "../errors";
import { hasControlCharacters } from "../input";
import { serviceDate } from "../time";
import type { LetterKind } from "./legal-forms";
import { actionsFor, isClosed, nextState, type DossierAction, type DossierRole, type DossierState, type ProcedureRules } from "./workflow";

/** The part a staff member plays in a dossier's life. */
export function dossierRole(role: Role): DossierRole {
  if (role === "appraiser") return "appraiser";
  if (role === "approver") return "approver";
  return "receiver";
}

/** The workflow's rules for a procedure: whether appraisal is its own step, and who decides. */
export const rulesOf = (procedure: { needsAppraisal: boolean; approverRole: "approver" | "appraiser" }): ProcedureRules => ({
  needsAppraisal: procedure.needsAppraisal,
  approvers: [procedure.approverRole],
});

const REASON_MAX = 1000;

/** Takes one step on a dossier of the actor's centre; refused steps change nothing. */
export async function takeStep(deps: ServiceDeps, actor: Actor, input: { dossierId: number; action: DossierAction; reason?: string | null }) {
  const staff = staffOf(actor, "dossier.work");
  const reason = input.reason?.normalize("NFC").replace(/\s+/g, " ").trim() || null;
  if (reason && ([...reason].length > REASON_MAX || hasControlCharacters(reason))) throw new AppError("reason_too_long", { max: REASON_MAX });
  const now = clock(deps);
  return inTransaction(deps, async (tx, outbox) => {
    const [row] = await tx
      .select({ dossier: dossiers, needsAppraisal: procedures.needsAppraisal, approverRole: procedures.approverRole })
      .from(dossiers)
      .innerJoin(procedures, eq(procedures.id, dossiers.procedureId))
      .where(and(eq(dossiers.id, input.dossierId), eq(dossiers.centreId, staff.centreId)))
      .for("update", { of: dossiers });
    if (!row) throw new AppError("dossier_not_found");
    const before = row.dossier;
    const to = nextState({
      state: before.state,
      action: input.action,
      role: dossierRole(staff.role),
      rules: rulesOf(row),
      previous: before.previousState,
      reason,
    });
    const [dossier] = await tx
      .update(dossiers)
      .set({ state: to, previousState: to === "paused" ? before.state : null, updatedAt: now })
      .where(eq(dossiers.id, before.id))
      .returning();
    await tx.insert(dossierSteps).values({
      dossierId: before.id,
      centreId: before.centreId,
      action: input.action,
      fromState: before.state,
      toState: to,
      actorUserId: staff.userId,
      reason,
      createdAt: now,
    });
    outbox.notify({ type: "dossier.changed", centreId: before.centreId, dossier: { id: before.id, code: before.code, state: to, ticketId: before.ticketId } });
    return dossier!;
  });
}

export type DossierCard = Awaited<ReturnType<typeof dossierWork>>[number];

/**
 * The dossiers waiting for the actor, oldest deadline first: for an appraiser those received for
 * appraisal; for an approver those appraised, and those received for a procedure decided on the
 * spot; for a receiving officer those they received that are not finished, and today's finished
 * ones. Each with the steps the actor may take.
 */
export async function dossierWork(deps: Pick<ServiceDeps, "db" | "now">, actor: Actor, options: { ticketId?: number } = {}) {
  const staff = staffOf(actor, "dossier.work");
  const role = dossierRole(staff.role);
  const today = serviceDate(clock(deps));
  const open: DossierState[] = ["received", "appraising", "needs_supplement", "approved", "result_ready", "refused", "paused"];
  // Waiting for a decision: appraised, or received for a procedure decided without a separate appraisal.
  const toDecide = (by: "approver" | "appraiser") =>
    and(eq(procedures.approverRole, by), or(eq(dossiers.state, "appraising"), and(eq(dossiers.state, "received"), eq(procedures.needsAppraisal, false))));
  const mine =
    role === "appraiser"
      ? or(and(eq(dossiers.state, "received"), eq(procedures.needsAppraisal, true)), toDecide("appraiser"))
      : role === "approver"
        ? toDecide("approver")
        : and(
            eq(dossiers.receivedBy, staff.userId),
            or(inArray(dossiers.state, open), gte(dossiers.updatedAt, sql`${`${today}T00:00:00+07:00`}::timestamptz`)),
          );
  const rows = await deps.db
    .select({
      dossier: dossiers,
      procedureName: procedures.name,
      procedureCode: procedures.code,
      needsAppraisal: procedures.needsAppraisal,
      approverRole: procedures.approverRole,
      onTheSpot: procedures.onTheSpot,
      legalBasis: procedures.legalBasis,
      receiverName: users.fullName,
    })
    .from(dossiers)
    .innerJoin(procedures, eq(procedures.id, dossiers.procedureId))
    .leftJoin(users, eq(users.id, dossiers.receivedBy))
    .where(and(eq(dossiers.centreId, staff.centreId), options.ticketId ? eq(dossiers.ticketId, options.ticketId) : mine))
    .orderBy(dossiers.dueAt, desc(dossiers.id))
    .limit(200);
  // The letters each dossier can print: from the steps that cause them.
  const ids = rows.map((r) => r.dossier.id);
  const caused = ids.length
    ? await deps.db
        .selectDistinct({ dossierId: dossierSteps.dossierId, action: dossierSteps.action })
        .from(dossierSteps)
        .where(and(inArray(dossierSteps.dossierId, ids), inArray(dossierSteps.action, Object.keys(LETTER_OF_STEP))))
    : [];
  return rows.map((r) => ({
    ...summary(r.dossier),
    letters: caused.filter((c) => c.dossierId === r.dossier.id).map((c) => LETTER_OF_STEP[c.action]!),
    procedureName: r.procedureName,
    procedureCode: r.procedureCode,
    onTheSpot: r.onTheSpot,
    legalBasis: r.legalBasis,
    receiverName: r.receiverName,
    actions: isClosed(r.dossier.state) ? [] : actionsFor(r.dossier.state, role, rulesOf(r)),
  }));
}

const LETTER_OF_STEP: Record<string, LetterKind> = { supplement: "supplement", refuse: "refusal", stop: "stop", extend: "apology" };

/** What a console shows of a dossier: the applicant's identity number is masked but its last digits. */
function summary(d: Dossier) {
  return {
    id: d.id,
    code: d.code,
    state: d.state,
    ticketId: d.ticketId,
    applicantName: d.applicantName,
    applicantIdNumber: `••••••••${d.applicantIdNumber.slice(-4)}`,
    receivedAt: d.receivedAt.toISOString(),
    dueDay: d.dueDay,
    dueAt: d.dueAt.toISOString(),
    extendedDueDay: d.extendedDueDay,
    documents: d.documents,
    notes: d.notes,
  };
}
