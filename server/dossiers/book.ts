/**
 * The tracking book (Sổ theo dõi hồ sơ): every dossier of the centre in the order received, with
 * the dates of its steps and whether it was settled on time — filterable, and exported to Excel
 * (exceljs) with the form's columns. "On time" is measured against the legal due time; an
 * approved apology's new appointment is noted, never counted as on time.
 */
import ExcelJS from "exceljs";
import { and, asc, eq, gte, ilike, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { centres, dossiers, fields, procedures } from "../../db/schema";
import { calendarOrCentre } from "../calendar/calendars";
import { addDays, workingDaysLeft, type WorkCalendar } from "../calendar/working-days";
import { authorize, centreOf, type Actor } from "../auth/permissions";
import { clock, type ServiceDeps } from "../context";
import { AppError } from "../errors";
import { t } from "../i18n";
import { formatDate, formatDateTime, serviceDate, serviceDayStart } from "../time";
import { formFor } from "./legal-forms";
import { returnedOnTime } from "./timeliness";
import { DOSSIER_STATES, stateLabel, type DossierState } from "./workflow";

/** Working days left at or under which an open dossier counts as "due soon". */
export const DUE_SOON_DAYS = 2;
const PAGE_LIMIT = 500;
const EXPORT_LIMIT = 20_000;

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)));
const id = z.coerce.number().int().positive().max(2_147_483_647);

export const bookFilterSchema = z.object({
  from: day.optional().catch(undefined),
  to: day.optional().catch(undefined),
  fieldId: id.optional().catch(undefined),
  procedureId: id.optional().catch(undefined),
  state: z.enum(["all", "open", "closed", ...DOSSIER_STATES]).catch("all"),
  timeliness: z.enum(["all", "on_time", "late", "due_soon"]).catch("all"),
  q: z
    .string()
    .transform((s) => s.normalize("NFC").replace(/[\p{Cc}%_\\]/gu, "").trim().slice(0, 60))
    .optional()
    .catch(undefined),
});
/** The filter as a form or a URL gives it: anything unreadable falls back to its default. */
export type BookFilter = Partial<Record<keyof z.output<typeof bookFilterSchema>, unknown>>;

const OPEN: DossierState[] = ["received", "appraising", "needs_supplement", "approved", "result_ready", "paused"];

export type BookRow = Awaited<ReturnType<typeof trackingBook>>["rows"][number];

/** The centre's book for a filter (received between `from` and `to`, by default the last 30 days). */
export async function trackingBook(deps: Pick<ServiceDeps, "db" | "now"> & { calendar?: WorkCalendar }, actor: Actor, input: BookFilter, options: { limit?: number } = {}) {
  authorize(actor, "dossier.work");
  const centreId = centreOf(actor);
  const now = clock(deps);
  const today = serviceDate(now);
  const calendar = await calendarOrCentre(deps.calendar, deps.db, centreId);
  const f = bookFilterSchema.parse(input);
  const to = f.to ?? today;
  // A search looks back a year unless told where to start; a plain listing, 30 days.
  const from = f.from ?? addDays(to, f.q ? -366 : -30);
  if (from > to || addDays(from, 366) < to) throw new AppError("book_dates_invalid");
  const limit = options.limit ?? PAGE_LIMIT;

  const where: SQL[] = [eq(dossiers.centreId, centreId), gte(dossiers.receivedAt, serviceDayStart(from)), lt(dossiers.receivedAt, serviceDayStart(addDays(to, 1)))];
  if (f.fieldId) where.push(eq(procedures.fieldId, f.fieldId));
  if (f.procedureId) where.push(eq(dossiers.procedureId, f.procedureId));
  if (f.state === "open") where.push(inArray(dossiers.state, OPEN));
  else if (f.state === "closed") where.push(inArray(dossiers.state, ["returned", "stopped", "refused"]));
  else if (f.state !== "all") where.push(eq(dossiers.state, f.state));
  if (f.q) where.push(or(ilike(dossiers.code, `%${f.q}%`), ilike(dossiers.applicantName, `%${f.q}%`))!);

  const firstStep = (action: string) =>
    sql<Date | null>`(select min(s.created_at) from dossier_steps s where s.dossier_id = "dossiers"."id" and s.action = ${action})`.mapWith(
      (v: string | Date | null) => (v === null ? null : new Date(v)),
    );
  const rows = await deps.db
    .select({
      dossier: dossiers,
      procedure: procedures.name,
      field: fields.name,
      centre: centres.name,
      appraisedAt: firstStep("appraise"),
      resultAt: firstStep("result"),
      returnedAt: firstStep("return"),
    })
    .from(dossiers)
    .innerJoin(procedures, eq(procedures.id, dossiers.procedureId))
    .innerJoin(fields, eq(fields.id, procedures.fieldId))
    .innerJoin(centres, eq(centres.id, dossiers.centreId))
    .where(and(...where))
    .orderBy(asc(dossiers.receivedAt), asc(dossiers.id))
    .limit(EXPORT_LIMIT + 1);

  const all = rows.map((r) => {
    const d = r.dossier;
    const closed = d.state === "returned" || d.state === "stopped" || d.state === "refused";
    let timeliness: "on_time" | "late" | "due_soon" | "open" | "none";
    let status: string;
    if (d.state === "returned" && r.returnedAt) {
      const late = !returnedOnTime(r.returnedAt, d.dueAt);
      timeliness = late ? "late" : "on_time";
      status = late ? t("book.status.late") : serviceDate(r.returnedAt) < d.dueDay ? t("book.status.early") : t("book.status.onTime");
    } else if (closed) {
      timeliness = "none";
      status = stateLabel(d.state);
    } else {
      const left = workingDaysLeft(today, d.dueDay, calendar);
      const late = now > d.dueAt;
      timeliness = late ? "late" : left <= DUE_SOON_DAYS ? "due_soon" : "open";
      status = late
        ? t("book.status.overdue", { n: Math.max(1, -left) })
        : left === 0
          ? t("book.status.dueToday")
          : t("book.status.inProgress", { n: left });
    }
    return {
      id: d.id,
      code: d.code,
      procedure: r.procedure,
      field: r.field,
      applicant: d.applicantName,
      contact: [d.applicantAddress, d.applicantPhone].filter(Boolean).join(" — "),
      agency: r.centre,
      state: d.state,
      stateLabel: stateLabel(d.state),
      receivedAt: d.receivedAt.toISOString(),
      dueAt: d.dueAt.toISOString(),
      extendedDueAt: d.extendedDueAt?.toISOString() ?? null,
      appraisedAt: r.appraisedAt?.toISOString() ?? null,
      resultAt: r.resultAt?.toISOString() ?? null,
      returnedAt: r.returnedAt?.toISOString() ?? null,
      timeliness,
      status,
      note: d.extendedDueAt ? t("book.extended", { day: formatDate(d.extendedDueAt) }) : "",
    };
  });
  const filtered =
    f.timeliness === "all"
      ? all
      : f.timeliness === "on_time"
        ? all.filter((r) => r.timeliness === "on_time" || r.timeliness === "open" || r.timeliness === "due_soon")
        : all.filter((r) => r.timeliness === f.timeliness);
  const form = formFor("book", today);
  return {
    filter: { ...f, from, to },
    form: { number: form.number, title: form.title, basis: form.set.basis },
    total: filtered.length,
    truncated: filtered.length > limit,
    rows: filtered.slice(0, limit),
  };
}

/** The book as an Excel workbook, with the form's columns, a title and the filter it shows. */
export async function bookWorkbook(book: Awaited<ReturnType<typeof trackingBook>>, centreName: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "Một Cửa";
  wb.created = new Date();
  const ws = wb.addWorksheet(t("book.sheet"), { pageSetup: { paperSize: 9, orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  const headers = [
    t("book.col.no"),
    t("book.col.code"),
    t("book.col.procedure"),
    t("book.col.count"),
    t("book.col.applicant"),
    t("book.col.contact"),
    t("book.col.agency"),
    t("book.col.receivedFull"),
    t("book.col.dueFull"),
    t("book.col.transferred"),
    t("book.col.result"),
    t("book.col.returned"),
    t("book.col.state"),
    t("book.col.note"),
  ];
  const widths = [6, 20, 40, 10, 24, 30, 24, 17, 17, 17, 17, 17, 26, 26];
  ws.columns = widths.map((width) => ({ width }));
  ws.mergeCells(1, 1, 1, headers.length);
  ws.getCell(1, 1).value = `${book.form.title.toUpperCase()} — ${centreName}`;
  ws.getCell(1, 1).font = { bold: true, size: 14 };
  ws.getCell(1, 1).alignment = { horizontal: "center" };
  ws.mergeCells(2, 1, 2, headers.length);
  ws.getCell(2, 1).value = `${book.form.number} — ${t("form.issuedBy", { basis: book.form.basis })}. ${t("book.from")} ${formatDate(`${book.filter.from}T12:00:00+07:00`)} ${t("book.to")} ${formatDate(`${book.filter.to}T12:00:00+07:00`)}; ${t("book.count", { n: book.total })}.`;
  ws.getCell(2, 1).font = { italic: true };
  ws.getCell(2, 1).alignment = { horizontal: "center" };
  const head = ws.getRow(4);
  head.values = headers;
  head.font = { bold: true };
  head.alignment = { vertical: "middle", horizontal: "center", wrapText: true };
  head.height = 36;
  const at = (iso: string | null) => (iso ? formatDateTime(iso) : "");
  book.rows.forEach((r, i) => {
    const row = ws.getRow(5 + i);
    row.values = [i + 1, r.code, r.procedure, 1, r.applicant, r.contact, r.agency, at(r.receivedAt), at(r.dueAt), at(r.appraisedAt), at(r.resultAt), at(r.returnedAt), r.status, r.note];
    row.alignment = { vertical: "top", wrapText: true };
  });
  const last = 4 + book.rows.length;
  for (let r = 4; r <= last; r++)
    for (let c = 1; c <= headers.length; c++) ws.getCell(r, c).border = { top: { style: "thin" }, left: { style: "thin" }, bottom: { style: "thin" }, right: { style: "thin" } };
  ws.views = [{ state: "frozen", ySplit: 4 }];
  ws.autoFilter = { from: { row: 4, column: 1 }, to: { row: Math.max(4, last), column: headers.length } };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export const BOOK_EXPORT_LIMIT = EXPORT_LIMIT;

/** The fields and procedures the book can be filtered by. */
export async function bookChoices(deps: Pick<ServiceDeps, "db">, actor: Actor) {
  authorize(actor, "dossier.work");
  const centreId = centreOf(actor);
  const [fieldList, procedureList, centre] = await Promise.all([
    deps.db.select({ id: fields.id, name: fields.name }).from(fields).where(eq(fields.centreId, centreId)).orderBy(asc(fields.sortOrder), asc(fields.id)),
    deps.db
      .select({ id: procedures.id, name: procedures.name, fieldId: procedures.fieldId })
      .from(procedures)
      .where(eq(procedures.centreId, centreId))
      .orderBy(asc(procedures.sortOrder), asc(procedures.id)),
    deps.db.select({ name: centres.name }).from(centres).where(eq(centres.id, centreId)),
  ]);
  return { fields: fieldList, procedures: procedureList, centreName: centre[0]?.name ?? "" };
}
