/**
 * The database schema, one module per part (db/tables/): the queue, dossiers, the citizen's side
 * (appointments, ratings), the audit log, and what several nodes share (throttles, Socket.IO).
 * drizzle-kit reads this file; everything else imports from here.
 */
export * from "./tables/audit";
export * from "./tables/citizens";
export * from "./tables/dossiers";
export * from "./tables/nodes";
export * from "./tables/queue";

import type { auditEvents } from "./tables/audit";
import type { appointments, ratings } from "./tables/citizens";
import type { calendarDecisions, dossierLetters, dossiers, procedures } from "./tables/dossiers";
import type { centreLevelEnum, centres, counters, deviceKindEnum, devices, fields, priorityClasses, roleEnum, ticketEvents, ticketOutcomeEnum, tickets, ticketStatusEnum, users } from "./tables/queue";

export type Centre = typeof centres.$inferSelect;
export type Field = typeof fields.$inferSelect;
export type Counter = typeof counters.$inferSelect;
export type User = typeof users.$inferSelect;
export type Device = typeof devices.$inferSelect;
export type Ticket = typeof tickets.$inferSelect;
export type PriorityClass = typeof priorityClasses.$inferSelect;
export type TicketOutcome = (typeof ticketOutcomeEnum.enumValues)[number];
export type TicketEvent = typeof ticketEvents.$inferSelect;
export type AuditEvent = typeof auditEvents.$inferSelect;
export type Procedure = typeof procedures.$inferSelect;
export type Dossier = typeof dossiers.$inferSelect;
export type Appointment = typeof appointments.$inferSelect;
export type Rating = typeof ratings.$inferSelect;
export type DossierLetter = typeof dossierLetters.$inferSelect;
export type CalendarDecision = typeof calendarDecisions.$inferSelect;
export type CentreLevel = (typeof centreLevelEnum.enumValues)[number];
export type Role = (typeof roleEnum.enumValues)[number];
export type TicketStatus = (typeof ticketStatusEnum.enumValues)[number];
export type DeviceKind = (typeof deviceKindEnum.enumValues)[number];

