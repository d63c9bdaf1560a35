/**
 * Rows written in bulk for the demo's history: one INSERT … SELECT FROM unnest(…) per table and
 * batch, one text parameter per column however many rows (drizzle's multi-row insert would hit
 * PostgreSQL's 65 535-parameter limit).
 */
import { sql } from "drizzle-orm";
import type { Queryable } from "../../db/client";

export type Value = string | number | boolean | null;
export type Column = readonly [name: string, type: string];

export const TICKET_COLUMNS: Column[] = [
  ["id", "bigint"], ["centre_id", "integer"], ["field_id", "integer"], ["service_date", "date"], ["number", "integer"], ["code", "text"],
  ["priority", "smallint"], ["priority_class_id", "integer"], ["channel", "ticket_channel"], ["status", "ticket_status"],
  ["issued_at", "timestamptz"], ["called_at", "timestamptz"], ["first_called_at", "timestamptz"], ["announced_at", "timestamptz"],
  ["finished_at", "timestamptz"], ["no_show_at", "timestamptz"], ["recall_count", "smallint"], ["outcome", "ticket_outcome"],
  ["transferred_from_counter_id", "integer"], ["transfer_note", "text"], ["counter_id", "integer"], ["officer_id", "integer"], ["device_id", "integer"],
];
export const EVENT_COLUMNS: Column[] = [
  ["ticket_id", "bigint"], ["centre_id", "integer"], ["seq", "bigint"], ["type", "text"], ["field_id", "integer"], ["from_status", "ticket_status"],
  ["to_status", "ticket_status"], ["actor_user_id", "integer"], ["actor_device_id", "integer"], ["counter_id", "integer"], ["details", "jsonb"], ["created_at", "timestamptz"],
];
export const NUMBER_COLUMNS: Column[] = [["field_id", "integer"], ["service_date", "date"], ["last_number", "integer"]];
export const RATING_COLUMNS: Column[] = [
  ["centre_id", "integer"], ["ticket_id", "bigint"], ["value", "rating_value"], ["reasons", "jsonb"], ["comment", "text"], ["source", "rating_source"],
  ["device_id", "integer"], ["officer_id", "integer"], ["counter_id", "integer"], ["field_id", "integer"], ["dossier_id", "bigint"], ["created_at", "timestamptz"],
];
export const DOSSIER_COLUMNS: Column[] = [
  ["id", "bigint"], ["centre_id", "integer"], ["code", "text"], ["procedure_id", "integer"], ["ticket_id", "bigint"], ["applicant_name", "text"],
  ["applicant_id_number", "text"], ["applicant_phone", "text"], ["applicant_address", "text"], ["documents", "jsonb"], ["state", "dossier_state"],
  ["received_at", "timestamptz"], ["counts_from", "date"], ["due_day", "date"], ["due_at", "timestamptz"], ["received_by", "integer"], ["updated_at", "timestamptz"],
];
export const STEP_COLUMNS: Column[] = [
  ["dossier_id", "bigint"], ["centre_id", "integer"], ["action", "text"], ["from_state", "dossier_state"], ["to_state", "dossier_state"],
  ["actor_user_id", "integer"], ["reason", "text"], ["created_at", "timestamptz"],
];
export const DOSSIER_NUMBER_COLUMNS: Column[] = [["centre_id", "integer"], ["day", "date"], ["last_number", "integer"]];
export const APPOINTMENT_COLUMNS: Column[] = [
  ["centre_id", "integer"], ["field_id", "integer"], ["procedure_id", "integer"], ["day", "date"], ["slot_start", "text"], ["code", "text"], ["phone", "text"],
  ["status", "appointment_status"], ["ticket_id", "bigint"], ["checked_in_at", "timestamptz"], ["cancelled_at", "timestamptz"], ["created_at", "timestamptz"],
];

/** A PostgreSQL array literal of one column's values: one text parameter however many rows. */
function arrayLiteral(values: Value[]): string {
  return `{${values
    .map((v) => {
      if (v === null) return "NULL";
      if (typeof v === "number" || typeof v === "boolean") return String(v);
      return `"${v.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
    })
    .join(",")}}`;
}

/** INSERT … SELECT FROM unnest($1::t1[], $2::t2[], …): one statement per batch, one parameter per column. */
export async function bulkInsert(db: Queryable, table: string, columns: Column[], rows: Value[][], batchSize: number, overriding = false) {
  for (let start = 0; start < rows.length; start += batchSize) {
    const batch = rows.slice(start, start + batchSize);
    const arrays = columns.map((_, i) => arrayLiteral(batch.map((r) => r[i]!)));
    const unnest = sql.join(
      columns.map(([, type], i) => sql`${arrays[i]}::${sql.raw(type)}[]`),
      sql`, `,
    );
    await db.execute(
      sql`insert into ${sql.identifier(table)} (${sql.raw(columns.map(([name]) => `"${name}"`).join(", "))}) ${sql.raw(overriding ? "overriding system value " : "")}select * from unnest(${unnest})`,
    );
  }
}
