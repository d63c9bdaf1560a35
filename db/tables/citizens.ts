/** The citizen's side: appointments booked ahead, and the ratings that measure the service. */
import { sql } from "drizzle-orm";
import { bigint, date, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt } from "./columns";
import { dossiers, procedures } from "./dossiers";
import { centres, counters, devices, fields, tickets, users } from "./queue";

export const appointmentStatusEnum = pgEnum("appointment_status", ["booked", "checked_in", "cancelled", "no_show"]);
export const ratingValueEnum = pgEnum("rating_value", ["very_satisfied", "satisfied", "unsatisfied"]);
export const ratingSourceEnum = pgEnum("rating_source", ["tablet", "tracking"]);

// A slot booked for a field (or one of its procedures) on a working day; checked in at the kiosk
// by its code, which issues a ticket on the `appointment` channel.
export const appointments = pgTable(
  "appointments",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    centreId: integer("centre_id")
      .notNull()
      .references(() => centres.id),
    fieldId: integer("field_id")
      .notNull()
      .references(() => fields.id),
    procedureId: integer("procedure_id").references(() => procedures.id),
    day: date("day", { mode: "string" }).notNull(),
    // The slot's start, HH:MM Vietnam time.
    slotStart: text("slot_start").notNull(),
    // The booking code the citizen keeps (and its QR); unguessable, unique.
    code: text("code").notNull().unique(),
    // The phone it was booked with (Vietnamese mobile, digits only): one active booking per phone, field and day.
    phone: text("phone").notNull(),
    status: appointmentStatusEnum("status").notNull().default("booked"),
    ticketId: bigint("ticket_id", { mode: "number" }).references(() => tickets.id),
    checkedInAt: timestamp("checked_in_at", { withTimezone: true }),
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index("appointments_slot_idx").on(t.fieldId, t.day, t.slotStart),
    uniqueIndex("appointments_one_active_per_phone_uq")
      .on(t.fieldId, t.day, t.phone)
      .where(sql`status in ('booked', 'checked_in')`),
  ],
);

// How satisfied the citizen was with a visit: one per ticket, from the counter's tablet or the
// tracking page, stored with who served them where (and the dossier, when there is one).
export const ratings = pgTable(
  "ratings",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    centreId: integer("centre_id")
      .notNull()
      .references(() => centres.id),
    ticketId: bigint("ticket_id", { mode: "number" })
      .notNull()
      .unique()
      .references(() => tickets.id),
    value: ratingValueEnum("value").notNull(),
    // For "unsatisfied": the reasons chosen from the list (keys), and words of the citizen's own.
    reasons: jsonb("reasons").$type<string[]>().notNull().default([]),
    comment: text("comment"),
    source: ratingSourceEnum("source").notNull(),
    deviceId: integer("device_id").references(() => devices.id),
    officerId: integer("officer_id").references(() => users.id),
    counterId: integer("counter_id").references(() => counters.id),
    fieldId: integer("field_id").references(() => fields.id),
    dossierId: bigint("dossier_id", { mode: "number" }).references(() => dossiers.id),
    createdAt: createdAt(),
  },
  (t) => [index("ratings_centre_created_idx").on(t.centreId, t.createdAt)],
);
