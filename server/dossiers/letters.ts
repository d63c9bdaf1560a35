/**
 * Apology letters for late dossiers (Phiếu xin lỗi và hẹn lại ngày trả kết quả; under Circular
 * 03/2025, Văn bản xin lỗi và đề nghị gia hạn): drafted before the deadline — by the system's
 * sweep for dossiers at risk (server/dossiers/lateness.ts), or by a staff member — then approved
 * by a leader with the new date, which becomes the dossier's appointment. The approval is a step
 * of the dossier (`extend`), written with the letter in one transaction.
 */
import { and, desc, eq, gte, inArray, isNull, sql } from "drizzle-orm";
import { centres, dossierLetters, dossiers, dossierSteps, procedures, users } from "../../db/schema";
import { calendarOrCentre } from "../calendar/calendars";
import { isWorkingDay, addDays, endOfWorkingDay, workingDaysLeft, type WorkCalendar } from "../calendar/working-days";
import { authorize, centreOf, staffOf, type Actor } from "../auth/permissions";
import { clock, inTransaction, type ServiceDeps } from "../context";
import { AppError } from "../errors";
import { t } from "../i18n";
import { hasControlCharacters } from "../input";
import { formatDate, serviceDate } from "../time";
import { lateness, pendingStep, proposedDate } from "./lateness";
import { dossierRole } from "./steps";
import { isClosed, type DossierState } from "./workflow";

type Deps = ServiceDeps & { calendar?: WorkCalendar };

/** The calendar a centre's deadlines follow (tests may give one). */
const calendarOf = async (deps: Deps, centreId: number): Promise<WorkCalendar> => calendarOrCentre(deps.calendar, deps.db, centreId);

const AUTO_STATES: DossierState[] = ["received", "appraising", "approved"];
const REASON_MAX = 1000;

const processingOf = (p: { processingHours: number | null; processingDays: number | null }) =>
  p.processingHours !== null ? { hours: p.processingHours } : { days: p.processingDays ?? 0 };

/**
 * Drafts a letter for every open dossier of the centre that is at risk and has none waiting.
 * Run by the server every few minutes and when the leaders' console opens; returns the codes drafted.
 */
export async function draftLatenessLetters(deps: Deps, centreId: number): Promise<string[]> {
  const now = clock(deps);
  const calendar = await calendarOf(deps, centreId);
  const candidates = await deps.db
    .select({ dossier: dossiers, procedure: procedures })
    .from(dossiers)
    .innerJoin(procedures, eq(procedures.id, dossiers.procedureId))
    .leftJoin(dossierLetters, and(eq(dossierLetters.dossierId, dossiers.id), eq(dossierLetters.state, "draft")))
    .where(and(eq(dossiers.centreId, centreId), inArray(dossiers.state, AUTO_STATES), isNull(dossierLetters.id)));
  const drafted: string[] = [];
  for (const { dossier, procedure } of candidates) {
    const dueAt = dossier.extendedDueAt ?? dossier.dueAt;
    const risk = lateness({ state: dossier.state, needsAppraisal: procedure.needsAppraisal, processing: processingOf(procedure), dueAt }, now, calendar);
    if (!risk.atRisk) continue;
    const step = pendingStep(dossier.state, procedure.needsAppraisal);
    const proposal = proposedDate({ state: dossier.state, needsAppraisal: procedure.needsAppraisal, dueDay: dossier.extendedDueDay ?? dossier.dueDay, today: serviceDate(now) }, calendar);
    const [row] = await deps.db
      .insert(dossierLetters)
      .values({
        dossierId: dossier.id,
        centreId,
        reason: t(risk.late ? "letters.lateReason" : "letters.autoReason", { step }),
        proposedDueDay: proposal.day,
        proposedDueAt: proposal.at,
        draftedBy: null,
        draftedAt: now,
      })
      // Another sweep (another node, the console opening) drafted it first: nothing to do.
      .onConflictDoNothing()
      .returning({ id: dossierLetters.id });
    if (!row) continue;
    drafted.push(dossier.code);
    deps.events.notify?.({ type: "dossier.changed", centreId, dossier: { id: dossier.id, code: dossier.code, state: dossier.state, ticketId: dossier.ticketId } });
  }
  return drafted;
}

/** Drafts for every centre: the server's periodic sweep. */
export async function draftLatenessLettersEverywhere(deps: Deps): Promise<number> {
  const list = await deps.db.select({ id: centres.id }).from(centres);
  let n = 0;
  for (const c of list) n += (await draftLatenessLetters(deps, c.id)).length;
  return n;
}

function cleanReason(reason: string | null | undefined): string {
  const r = reason?.normalize("NFC").replace(/\s+/g, " ").trim() ?? "";
  if (!r || [...r].length > REASON_MAX || hasControlCharacters(r)) throw new AppError("letter_reason_required");
  return r;
}

/** The new date must be a working day after the dossier's current date, within 60 days. */
function checkNewDay(day: string | null | undefined, currentDue: string, calendar: WorkCalendar): string {
  const due = formatDate(`${currentDue}T12:00:00+07:00`);
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T12:00:00Z`))) throw new AppError("letter_date_invalid", { due });
  if (day <= currentDue || day > addDays(currentDue, 60) || !isWorkingDay(day, calendar)) throw new AppError("letter_date_invalid", { due });
  return day;
}

/** A staff member drafts a letter by hand (a dossier they know will be late for a reason the sweep cannot see). */
export async function draftLetter(deps: Deps, actor: Actor, input: { dossierId: number; reason: string; proposedDueDay: string }) {
  const staff = staffOf(actor, "dossier.work");
  const reason = cleanReason(input.reason);
  const now = clock(deps);
  const calendar = await calendarOf(deps, staff.centreId);
  return inTransaction(deps, async (tx, outbox) => {
    const [dossier] = await tx
      .select()
      .from(dossiers)
      .where(and(eq(dossiers.id, input.dossierId), eq(dossiers.centreId, staff.centreId)))
      .for("update");
    if (!dossier) throw new AppError("dossier_not_found");
    if (isClosed(dossier.state) || dossier.state === "result_ready" || dossier.state === "refused") throw new AppError("letter_dossier_closed", { code: dossier.code });
    const day = checkNewDay(input.proposedDueDay, dossier.extendedDueDay ?? dossier.dueDay, calendar);
    const [existing] = await tx.select({ id: dossierLetters.id }).from(dossierLetters).where(and(eq(dossierLetters.dossierId, dossier.id), eq(dossierLetters.state, "draft")));
    if (existing) throw new AppError("letter_exists", { code: dossier.code });
    const [letter] = await tx
      .insert(dossierLetters)
      .values({ dossierId: dossier.id, centreId: staff.centreId, reason, proposedDueDay: day, proposedDueAt: endOfWorkingDay(day, calendar), draftedBy: staff.userId, draftedAt: now })
      .returning();
    outbox.notify({ type: "dossier.changed", centreId: staff.centreId, dossier: { id: dossier.id, code: dossier.code, state: dossier.state, ticketId: dossier.ticketId } });
    return { letter: letter!, code: dossier.code };
  });
}

/**
 * A leader approves a draft (with its reason and date as they leave them) or cancels it. On
 * approval the new date becomes the dossier's appointment and the step `extend` is recorded.
 */
export async function decideLetter(
  deps: Deps,
  actor: Actor,
  input: { letterId: number; decision: "approve" | "cancel"; reason?: string | null; proposedDueDay?: string | null },
) {
  const staff = staffOf(actor, "dossier.work");
  if (dossierRole(staff.role) !== "approver") throw new AppError("letter_leader_only");
  const now = clock(deps);
  const calendar = await calendarOf(deps, staff.centreId);
  return inTransaction(deps, async (tx, outbox) => {
    const [row] = await tx
      .select({ letter: dossierLetters, dossier: dossiers })
      .from(dossierLetters)
      .innerJoin(dossiers, eq(dossiers.id, dossierLetters.dossierId))
      .where(and(eq(dossierLetters.id, input.letterId), eq(dossierLetters.centreId, staff.centreId)))
      .for("update", { of: [dossierLetters, dossiers] });
    if (!row) throw new AppError("letter_not_found");
    const { letter, dossier } = row;
    if (letter.state !== "draft") throw new AppError("letter_not_draft");
    if (input.decision === "cancel") {
      await tx.update(dossierLetters).set({ state: "cancelled", decidedBy: staff.userId, decidedAt: now }).where(eq(dossierLetters.id, letter.id));
      outbox.notify({ type: "dossier.changed", centreId: staff.centreId, dossier: { id: dossier.id, code: dossier.code, state: dossier.state, ticketId: dossier.ticketId } });
      return { code: dossier.code, state: "cancelled" as const, day: letter.proposedDueDay };
    }
    if (isClosed(dossier.state) || dossier.state === "result_ready" || dossier.state === "refused") throw new AppError("letter_dossier_closed", { code: dossier.code });
    const reason = cleanReason(input.reason ?? letter.reason);
    const day = checkNewDay(input.proposedDueDay ?? letter.proposedDueDay, dossier.extendedDueDay ?? dossier.dueDay, calendar);
    const at = endOfWorkingDay(day, calendar);
    await tx
      .update(dossierLetters)
      .set({ state: "approved", reason, proposedDueDay: day, proposedDueAt: at, decidedBy: staff.userId, decidedAt: now })
      .where(eq(dossierLetters.id, letter.id));
    await tx.update(dossiers).set({ extendedDueDay: day, extendedDueAt: at, updatedAt: now }).where(eq(dossiers.id, dossier.id));
    await tx.insert(dossierSteps).values({
      dossierId: dossier.id,
      centreId: dossier.centreId,
      action: "extend",
      fromState: dossier.state,
      toState: dossier.state,
      actorUserId: staff.userId,
      reason: `${reason} — ${t("letters.newDate")}: ${formatDate(at)}`,
      createdAt: now,
    });
    outbox.notify({ type: "dossier.changed", centreId: staff.centreId, dossier: { id: dossier.id, code: dossier.code, state: dossier.state, ticketId: dossier.ticketId } });
    return { code: dossier.code, state: "approved" as const, day };
  });
}

export type LetterRow = Awaited<ReturnType<typeof latenessLetters>>["drafts"][number];

/** The leaders' console: drafts waiting (oldest date first) and the letters approved in the last 30 days. */
export async function latenessLetters(deps: Deps, actor: Actor) {
  authorize(actor, "dossier.work");
  const centreId = centreOf(actor);
  const now = clock(deps);
  const calendar = await calendarOf(deps, centreId);
  const drafter = sql<string | null>`(select full_name from users where users.id = ${dossierLetters.draftedBy})`;
  const rows = await deps.db
    .select({ letter: dossierLetters, dossier: dossiers, procedure: procedures.name, needsAppraisal: procedures.needsAppraisal, drafter, decider: users.fullName })
    .from(dossierLetters)
    .innerJoin(dossiers, eq(dossiers.id, dossierLetters.dossierId))
    .innerJoin(procedures, eq(procedures.id, dossiers.procedureId))
    .leftJoin(users, eq(users.id, dossierLetters.decidedBy))
    .where(
      and(
        eq(dossierLetters.centreId, centreId),
        sql`(${dossierLetters.state} = 'draft' or (${dossierLetters.state} = 'approved' and ${gte(dossierLetters.decidedAt, new Date(now.getTime() - 30 * 86_400_000))}))`,
      ),
    )
    .orderBy(dossiers.dueAt, desc(dossierLetters.id))
    .limit(300);
  const today = serviceDate(now);
  const list = rows.map((r) => ({
    id: r.letter.id,
    state: r.letter.state,
    reason: r.letter.reason,
    proposedDueDay: r.letter.proposedDueDay,
    draftedAt: r.letter.draftedAt.toISOString(),
    drafter: r.drafter,
    decidedAt: r.letter.decidedAt?.toISOString() ?? null,
    decider: r.decider,
    dossier: {
      id: r.dossier.id,
      code: r.dossier.code,
      state: r.dossier.state,
      applicantName: r.dossier.applicantName,
      procedure: r.procedure,
      dueAt: (r.dossier.extendedDueAt ?? r.dossier.dueAt).toISOString(),
      daysLeft: workingDaysLeft(today, r.dossier.extendedDueDay ?? r.dossier.dueDay, calendar),
      pending: pendingStep(r.dossier.state, r.needsAppraisal),
    },
  }));
  return { drafts: list.filter((l) => l.state === "draft"), approved: list.filter((l) => l.state === "approved") };
}

/** How many letters wait for a leader's decision in the actor's centre (the dossier pages' badge). */
export async function draftCount(deps: Pick<ServiceDeps, "db">, actor: Actor): Promise<number> {
  authorize(actor, "dossier.work");
  const [row] = await deps.db
    .select({ n: sql<number>`count(*)::int` })
    .from(dossierLetters)
    .where(and(eq(dossierLetters.centreId, centreOf(actor)), eq(dossierLetters.state, "draft")));
  return row?.n ?? 0;
}
