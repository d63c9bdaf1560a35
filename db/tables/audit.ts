/** The audit log of staff actions. */
import { sql } from "drizzle-orm";
import { bigint, index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { centres, devices, users } from "./queue";

// Who did what to whom, and why: every staff and administrator action, written in the same
// transaction as the change it records (server/audit.ts). Append-only, like ticket_events.
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    // Null for actions on the deployment itself (a centre created).
    centreId: integer("centre_id").references(() => centres.id),
    actorUserId: integer("actor_user_id").references(() => users.id),
    actorDeviceId: integer("actor_device_id").references(() => devices.id),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: bigint("target_id", { mode: "number" }),
    // The target's state before and after, in the words of server/audit.ts.
    before: jsonb("before"),
    after: jsonb("after"),
    reason: text("reason"),
    address: text("address"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().default(sql`clock_timestamp()`),
  },
  (t) => [
    index("audit_events_centre_time_idx").on(t.centreId, t.createdAt),
    index("audit_events_target_idx").on(t.targetType, t.targetId),
  ],
);
