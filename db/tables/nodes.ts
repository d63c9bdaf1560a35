/**
 * What the app's nodes share besides the data: the throttles' buckets (server/throttle/) and the
 * Socket.IO PostgreSQL adapter's table (docs/decisions/0031).
 */
import { bigserial, customType, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

// One token bucket per limit and key ("login.user:canbo01"), as the instant it will be full again
// (the generic cell rate algorithm): one timestamp instead of a count and a refill time. A bucket
// already full is the same as no row, so rows past `full_at` are deleted by any node.
export const throttleBuckets = pgTable("throttle_buckets", {
  key: text("key").primaryKey(),
  // The limit as last applied: the refill step and the size of the burst.
  capacity: integer("capacity").notNull(),
  refillMs: integer("refill_ms").notNull(),
  fullAt: timestamp("full_at", { withTimezone: true }).notNull(),
});

const bytea = customType<{ data: Buffer }>({ dataType: () => "bytea" });

// @socket.io/postgres-adapter: a broadcast over NOTIFY's 8,000-byte limit is written here and its
// id notified; the adapter deletes rows older than 30 s. Its name, columns and types are the
// adapter's (its README's CREATE TABLE).
export const socketIoAttachments = pgTable("socket_io_attachments", {
  id: bigserial("id", { mode: "number" }).unique(),
  createdAt: timestamp("created_at", { withTimezone: true }).defaultNow(),
  payload: bytea("payload"),
});
