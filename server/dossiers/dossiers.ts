/**
 * Dossiers (hồ sơ): opened at a counter from the ticket being served, or at reception without
 * one; checked against the procedure's documents; given a tracking code and a due date from the
 * working-day calendar. The code is `<centre code>-<yymmdd>-<4-digit daily sequence>`, gapless
 * per centre and day: the day's counter row is incremented in the transaction that opens the
 * dossier, so a refused or rolled-back opening leaves no hole.
 */
import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { centres, dossierNumbers, dossiers, dossierSteps, fields, procedures, tickets, type ProcedureDocument } from "../../db/schema";
import type { Database } from "../../db/client";
import { calendarOrCentre } from "../calendar/calendars";
import { dueAt, receiptDay, type WorkCalendar } from "../calendar/working-days";
import { authorize, centreOf, staffOf, type Actor } from "../auth/permissions";
import { clock, inTransaction, type ServiceDeps } from "../context";
import { AppError } from "../errors";
import { t } from "../i18n";
import { hasControlCharacters } from "../input";
import { serviceDate } from "../time";
import type { ProcedureSeed } from "./procedures-vn";

/** Province codes that begin a 12-digit citizen identity number (CCCD). */
const PROVINCE_CODES = new Set(
  "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096".split(" "),
);

const text = (max: number, key: Parameters<typeof t>[0]) =>
  z
    .string({ error: t(key) })
    .transform((s) => s.normalize("NFC").replace(/\s+/g, " ").trim())
    .refine((s) => s.length > 0 && [...s].length <= max, { error: t(key) })
    .refine((s) => !hasControlCharacters(s), { error: t("validation.controlCharacters") });

export const applicantSchema = z.object({
  applicantName: text(100, "dossier.error.name"),
  applicantIdNumber: z
    .string({ error: t("dossier.error.idNumber") })
    .transform((s) => s.replace(/\s/g, ""))
    .refine((s) => /^\d{12}$/.test(s) && PROVINCE_CODES.has(s.slice(0, 3)), { error: t("dossier.error.idNumber") }),
  applicantPhone: z
    .string({ error: t("dossier.error.phone") })
    .transform((s) => s.replace(/[\s.-]/g, "").replace(/^\+84/, "0"))
    .refine((s) => /^0\d{9,10}$/.test(s), { error: t("dossier.error.phone") }),
  applicantAddress: z
    .string()
    .transform((s) => s.normalize("NFC").replace(/\s+/g, " ").trim() || null)
    .refine((s) => s === null || ([...s].length <= 300 && !hasControlCharacters(s)), { error: t("dossier.error.address") })
    .nullish(),
});

export type OpenDossierInput = z.input<typeof applicantSchema> & {
  procedureId: number;
  /** The ticket being served at the officer's counter, when the dossier is opened there. */
  ticketId?: number | null;
  /** The keys of the procedure's documents received. */
  received: string[];
  notes?: string | null;
};

/** The centre's procedures a dossier may be opened for. */
export function listProcedures(deps: Pick<ServiceDeps, "db">, actor: Actor) {
  authorize(actor, "dossier.receive");
  return deps.db
    .select()
    .from(procedures)
    .where(and(eq(procedures.centreId, centreOf(actor)), eq(procedures.isActive, true)))
    .orderBy(asc(procedures.sortOrder), asc(procedures.id));
}

/** The centre's fields, in their order: where a dossier is opened, its procedures are grouped by them. */
export function receptionFields(deps: Pick<ServiceDeps, "db">, actor: Actor) {
  authorize(actor, "dossier.receive");
  return deps.db
    .select({ id: fields.id, name: fields.name })
    .from(fields)
    .where(eq(fields.centreId, centreOf(actor)))
    .orderBy(asc(fields.sortOrder), asc(fields.id));
}

/** Adds procedures to a centre (its seed, or an import), matched to its fields by code. */
export async function addProcedures(db: Database, centreId: number, list: readonly ProcedureSeed[]) {
  const fieldRows = await db.select({ id: fields.id, code: fields.code }).from(fields).where(eq(fields.centreId, centreId));
  const rows = list.flatMap((p, i) => {
    const field = fieldRows.find((f) => f.code === p.field);
    if (!field) return [];
    return [
      {
        centreId,
        fieldId: field.id,
        code: p.code,
        name: p.name,
        level: p.level,
        legalBasis: p.legalBasis,
        documents: p.documents,
        processingDays: p.processingDays ?? null,
        processingHours: p.processingHours ?? null,
        fee: p.fee,
        onTheSpot: p.onTheSpot ?? false,
        needsAppraisal: p.needsAppraisal ?? true,
        sortOrder: i + 1,
      },
    ];
  });
  if (rows.length) await db.insert(procedures).values(rows).onConflictDoNothing();
  return rows.length;
}

const yymmdd = (day: string) => day.slice(2).replaceAll("-", "");

/** Opens a dossier: every mandatory document received, a gapless tracking code, its due date. */
export async function openDossier(deps: ServiceDeps & { calendar?: WorkCalendar }, actor: Actor, input: OpenDossierInput) {
  const officer = staffOf(actor, "dossier.receive");
  const parsed = applicantSchema.safeParse(input);
  if (!parsed.success) return { ok: false as const, fieldErrors: z.flattenError(parsed.error).fieldErrors as Record<string, string[]> };
  const applicant = parsed.data;
  const notes = input.notes?.normalize("NFC").trim() || null;
  if (notes && ([...notes].length > 2000 || hasControlCharacters(notes))) return { ok: false as const, fieldErrors: { notes: [t("dossier.error.notes")] } };
  const now = clock(deps);

  return inTransaction(deps, async (tx, outbox) => {
    const [procedure] = await tx
      .select()
      .from(procedures)
      .where(and(eq(procedures.id, input.procedureId), eq(procedures.centreId, officer.centreId), eq(procedures.isActive, true)));
    if (!procedure) throw new AppError("procedure_not_found");
    const missing = procedure.documents.filter((d: ProcedureDocument) => d.mandatory && !input.received.includes(d.key));
    if (missing.length) throw new AppError("dossier_missing_document", { document: missing[0]!.name });
    if (input.ticketId) {
      const [ticket] = await tx.select().from(tickets).where(and(eq(tickets.id, input.ticketId), eq(tickets.centreId, officer.centreId)));
      if (!ticket || ticket.status !== "called" || ticket.officerId !== officer.userId) throw new AppError("ticket_not_yours", { code: ticket?.code ?? "" });
    }
    const [centre] = await tx.select({ code: centres.code }).from(centres).where(eq(centres.id, officer.centreId));
    // The centre's calendar (its deployment's decisions, its own days and cut-off); tests may give one.
    const calendar = await calendarOrCentre(deps.calendar, tx, officer.centreId);
    const day = serviceDate(now);
    const [number] = await tx
      .insert(dossierNumbers)
      .values({ centreId: officer.centreId, day, lastNumber: 1 })
      .onConflictDoUpdate({ target: [dossierNumbers.centreId, dossierNumbers.day], set: { lastNumber: sql`${dossierNumbers.lastNumber} + 1` } })
      .returning({ n: dossierNumbers.lastNumber });
    if (number!.n > 9999) throw new AppError("dossier_day_full");
    const code = `${centre!.code}-${yymmdd(day)}-${String(number!.n).padStart(4, "0")}`;
    const due = dueAt(now, procedure.processingHours !== null ? { hours: procedure.processingHours } : { days: procedure.processingDays ?? 0 }, calendar);
    const [dossier] = await tx
      .insert(dossiers)
      .values({
        centreId: officer.centreId,
        code,
        procedureId: procedure.id,
        ticketId: input.ticketId ?? null,
        applicantName: applicant.applicantName,
        applicantIdNumber: applicant.applicantIdNumber,
        applicantPhone: applicant.applicantPhone,
        applicantAddress: applicant.applicantAddress ?? null,
        // The names and forms as they are today: the catalogue may change after, the dossier does not.
        documents: procedure.documents.map((d: ProcedureDocument) => ({ key: d.key, received: input.received.includes(d.key), count: d.count, name: d.name, form: d.form, mandatory: d.mandatory })),
        notes,
        receivedAt: now,
        countsFrom: receiptDay(now, calendar).day,
        dueDay: due.day,
        dueAt: due.at,
        receivedBy: officer.userId,
      })
      .returning();
    await tx.insert(dossierSteps).values({ dossierId: dossier!.id, centreId: officer.centreId, action: "receive", fromState: null, toState: "received", actorUserId: officer.userId, createdAt: now });
    outbox.notify({ type: "dossier.changed", centreId: officer.centreId, dossier: { id: dossier!.id, code, state: "received", ticketId: dossier!.ticketId } });
    return { ok: true as const, value: dossier! };
  });
}
