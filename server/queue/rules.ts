import { asc, desc, type AnyColumn, type SQL } from "drizzle-orm";

/** `A` + 15 → `A015`; numbers past 999 keep all their digits (`A1000`). */
export function ticketCode(prefix: string, number: number): string {
  return `${prefix}${String(number).padStart(3, "0")}`;
}

/**
 * The order in which waiting tickets are called: higher priority class first, then the
 * earliest issue time, then the lower id (a deterministic tie-break). Every path that picks
 * a ticket sorts with this.
 */
export function nextTicketOrder(columns: { priority: AnyColumn; issuedAt: AnyColumn; id: AnyColumn }): SQL[] {
  return [desc(columns.priority), asc(columns.issuedAt), asc(columns.id)];
}
