/**
 * Whether a dossier's result was returned on time: at or before its legal due time. An approved
 * apology's new appointment never makes a late return on time. One rule, read by the tracking
 * book (server/dossiers/book.ts) and, as SQL, by the reports (server/reports).
 */
import { sql, type SQL } from "drizzle-orm";

export const returnedOnTime = (returnedAt: Date, dueAt: Date): boolean => returnedAt.getTime() <= dueAt.getTime();

/** The same rule over two SQL instants (the return step's time, the dossier's `due_at`). */
export const returnedOnTimeSql = (returnedAt: SQL, dueAt: SQL): SQL => sql`((${returnedAt}) <= (${dueAt}))`;
