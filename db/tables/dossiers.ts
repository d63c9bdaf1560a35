/** Procedures and the dossiers received for them, with their tracking numbers and steps. */
import { sql } from "drizzle-orm";
import { bigint, boolean, date, index, integer, jsonb, pgEnum, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt } from "./columns";
import { centreLevelEnum, centres, fields, tickets, users } from "./queue";

export const documentFormEnum = pgEnum("document_form", ["original", "certified_copy", "copy"]);
export const approverRoleEnum = pgEnum("approver_role", ["approver", "appraiser"]);
export const letterStateEnum = pgEnum("letter_state", ["draft", "approved", "cancelled"]);
export const dossierStateEnum = pgEnum("dossier_state", [
  "received",
  "appraising",
  "needs_supplement",
  "approved",
  "refused",
  "result_ready",
  "returned",
  "paused",
  "stopped",
]);

/** A document a procedure asks for: its name, in which form, how many, and whether it is required. */
export type ProcedureDocument = { key: string; name: string; form: (typeof documentFormEnum.enumValues)[number]; count: number; mandatory: boolean };

// Administrative procedures (thủ tục hành chính) a centre receives, with their legal deadline.
export const procedures = pgTable(
  "procedures",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    centreId: integer("centre_id")
      .notNull()
      .references(() => centres.id),
    fieldId: integer("field_id")
      .notNull()
      .references(() => fields.id),
    code: text("code").notNull(),
    name: text("name").notNull(),
    level: centreLevelEnum("level").notNull(),
    legalBasis: text("legal_basis").notNull(),
    documents: jsonb("documents").$type<ProcedureDocument[]>().notNull(),
    // In working days (0: the same day), or in working hours for procedures settled within a day.
    processingDays: smallint("processing_days"),
    processingHours: smallint("processing_hours"),
    fee: text("fee").notNull(),
    // Settled while the citizen waits ("4 tại chỗ"); appraisal is then part of the approval.
    onTheSpot: boolean("on_the_spot").notNull().default(false),
    needsAppraisal: boolean("needs_appraisal").notNull().default(true),
    // Who decides (approves or refuses) the procedure's dossiers: a leader, or the appraiser signing for the office.
    approverRole: approverRoleEnum("approver_role").notNull().default("approver"),
    isActive: boolean("is_active").notNull().default(true),
    sortOrder: integer("sort_order").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("procedures_centre_code_uq").on(t.centreId, t.code)],
);

// Tracking codes: one row per centre and day, incremented in the transaction that opens a
// dossier, so codes are gapless (a rollback rolls the increment back too).
export const dossierNumbers = pgTable(
  "dossier_numbers",
  {
    centreId: integer("centre_id")
      .notNull()
      .references(() => centres.id),
    day: date("day", { mode: "string" }).notNull(),
    lastNumber: integer("last_number").notNull(),
  },
  (t) => [primaryKey({ columns: [t.centreId, t.day] })],
);

/**
 * A document received, as ticked against the procedure's list, with its name and form as the
 * procedure said when the dossier was opened (an edited catalogue does not rewrite them; rows
 * written before the snapshot have only the key).
 */
export type ReceivedDocument = { key: string; received: boolean; count: number; name?: string; form?: ProcedureDocument["form"]; mandatory?: boolean };

export const dossiers = pgTable(
  "dossiers",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    centreId: integer("centre_id")
      .notNull()
      .references(() => centres.id),
    // Mã hồ sơ: <centre code>-<yymmdd>-<4-digit daily sequence>.
    code: text("code").notNull().unique(),
    procedureId: integer("procedure_id")
      .notNull()
      .references(() => procedures.id),
    ticketId: bigint("ticket_id", { mode: "number" }).references(() => tickets.id),
    applicantName: text("applicant_name").notNull(),
    applicantIdNumber: text("applicant_id_number").notNull(),
    applicantPhone: text("applicant_phone").notNull(),
    applicantAddress: text("applicant_address"),
    documents: jsonb("documents").$type<ReceivedDocument[]>().notNull(),
    notes: text("notes"),
    state: dossierStateEnum("state").notNull().default("received"),
    // The state a paused dossier resumes to.
    previousState: dossierStateEnum("previous_state"),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull(),
    // The working day its deadline counts from (after the cut-off: the next one).
    countsFrom: date("counts_from", { mode: "string" }).notNull(),
    dueDay: date("due_day", { mode: "string" }).notNull(),
    dueAt: timestamp("due_at", { withTimezone: true }).notNull(),
    receivedBy: integer("received_by").references(() => users.id),
    // The new appointment of an approved apology-and-extension letter (the legal due date above stays).
    extendedDueDay: date("extended_due_day", { mode: "string" }),
    extendedDueAt: timestamp("extended_due_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("dossiers_centre_state_idx").on(t.centreId, t.state), index("dossiers_ticket_idx").on(t.ticketId)],
);

// Every step of a dossier: who, when (the services' clock), the decision and its reason. Append-only.
export const dossierSteps = pgTable(
  "dossier_steps",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    dossierId: bigint("dossier_id", { mode: "number" })
      .notNull()
      .references(() => dossiers.id),
    centreId: integer("centre_id")
      .notNull()
      .references(() => centres.id),
    action: text("action").notNull(),
    fromState: dossierStateEnum("from_state"),
    toState: dossierStateEnum("to_state").notNull(),
    actorUserId: integer("actor_user_id").references(() => users.id),
    reason: text("reason"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().default(sql`clock_timestamp()`),
  },
  (t) => [index("dossier_steps_dossier_idx").on(t.dossierId)],
);

// The apology and new appointment of a dossier that will be (or is) late: drafted ahead of the
// deadline, by the system or a staff member, approved by a leader, then printed and sent. The
// form it prints as comes from the legal basis in force on the dossier's receipt day.
export const dossierLetters = pgTable(
  "dossier_letters",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    dossierId: bigint("dossier_id", { mode: "number" })
      .notNull()
      .references(() => dossiers.id),
    centreId: integer("centre_id")
      .notNull()
      .references(() => centres.id),
    state: letterStateEnum("state").notNull().default("draft"),
    reason: text("reason").notNull(),
    proposedDueDay: date("proposed_due_day", { mode: "string" }).notNull(),
    proposedDueAt: timestamp("proposed_due_at", { withTimezone: true }).notNull(),
    // Null: drafted by the system's lateness sweep.
    draftedBy: integer("drafted_by").references(() => users.id),
    draftedAt: timestamp("drafted_at", { withTimezone: true }).notNull(),
    decidedBy: integer("decided_by").references(() => users.id),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
  },
  (t) => [
    index("dossier_letters_dossier_idx").on(t.dossierId),
    // At most one letter waiting for a decision per dossier.
    uniqueIndex("dossier_letters_one_draft_uq").on(t.dossierId).where(sql`state = 'draft'`),
  ],
);

// The government's yearly decisions on days off and make-up working days: the deployment's (no
// centre) and a centre's own additions. Read by server/calendar/calendars.ts into a WorkCalendar.
export const calendarDecisions = pgTable(
  "calendar_decisions",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    centreId: integer("centre_id").references(() => centres.id),
    year: smallint("year").notNull(),
    daysOff: jsonb("days_off").$type<string[]>().notNull().default([]),
    workingDays: jsonb("working_days").$type<string[]>().notNull().default([]),
    tet: jsonb("tet").$type<string[] | null>(),
    nationalDayExtra: date("national_day_extra", { mode: "string" }),
    source: text("source").notNull(),
    updatedBy: integer("updated_by").references(() => users.id),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("calendar_decisions_deployment_year_uq").on(t.year).where(sql`centre_id IS NULL`),
    uniqueIndex("calendar_decisions_centre_year_uq").on(t.centreId, t.year).where(sql`centre_id IS NOT NULL`),
  ],
);
