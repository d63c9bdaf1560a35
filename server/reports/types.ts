/**
 * The shapes of the reports a centre answers for. Every figure is computed in SQL by
 * server/reports (never in a route); pages, the API and the exports only show these shapes.
 *
 * Conventions: durations in seconds; shares are fractions 0–1 (null when there is nothing to
 * divide by); days are service days `YYYY-MM-DD` in Vietnam time, both ends included.
 */
import type { OutOfOrderReason } from "../queue/reasons";
import type { UnsatisfiedReason } from "../ratings/rules";

export const REPORT_PERIODS = ["day", "week", "month", "quarter", "year", "custom"] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];

export const REPORT_KINDS = ["tickets", "waits", "arrivals", "out_of_order", "satisfaction", "dossiers", "appointments"] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** What a breakdown's lines are: one per centre, field, counter, officer or procedure. */
export const REPORT_DIMENSIONS = ["centre", "field", "counter", "officer", "procedure"] as const;
export type ReportDimension = (typeof REPORT_DIMENSIONS)[number];

/** How a series over time is cut: per day up to two months, per week up to half a year, else per month. */
export type Granularity = "day" | "week" | "month";

/** A report's range and what it is narrowed to (null: not narrowed). */
export type ReportFilter = {
  period: ReportPeriod;
  from: string;
  to: string;
  /** null: every centre of the deployment (deployment administrators only). */
  centreId: number | null;
  fieldId: number | null;
  counterId: number | null;
  officerId: number | null;
  procedureId: number | null;
  /** The dimension of the breakdowns. */
  by: ReportDimension;
};

/** The filter with what a title needs, in Vietnamese: "Tháng 11/2026 (01/11/2026 – 30/11/2026)", "Lĩnh vực: Hộ tịch"… */
export type ResolvedFilter = ReportFilter & {
  /** The range in words. */
  label: string;
  /** One line per narrowing, e.g. "Trung tâm: …", "Lĩnh vực: Hộ tịch". */
  lines: string[];
  granularity: Granularity;
};

export type Durations = { count: number; meanSeconds: number | null; medianSeconds: number | null; p90Seconds: number | null };

/**
 * Reports with lines say which dimension they follow in `by`: the filter's, or the report's
 * natural one when the filter's does not apply (appointments have no counter or officer: by field).
 */
/** One line of a breakdown: its key (an id, or "none") and its name. */
export type Line<T> = T & { key: string; label: string };
/** One point of a series over time; `bucket` is the first day of the day, week (Monday) or month. */
export type Point<T> = T & { bucket: string };

export type TicketFigures = {
  issued: number;
  byChannel: { kiosk: number; reception: number; appointment: number; api: number };
  served: number;
  noShow: number;
  cancelled: number;
  expired: number;
  /** Still waiting or at a counter (only today's tickets can be). */
  open: number;
  /** Served and no-shows, as shares of the issued. */
  servedShare: number | null;
  noShowShare: number | null;
};
export type TicketsReport = { kind: "tickets"; by: ReportDimension; total: TicketFigures; lines: Line<TicketFigures>[]; series: Point<{ issued: number; served: number; noShow: number }>[] };

/** Wait: issue → first call. Service: the call at the counter that finished it → finish (served tickets). */
export type WaitFigures = { wait: Durations; service: Durations };
export type WaitsReport = { kind: "waits"; by: ReportDimension; total: WaitFigures; lines: Line<WaitFigures>[]; series: Point<{ meanWaitSeconds: number | null; meanServiceSeconds: number | null }>[] };

/** Arrivals (tickets issued) per hour of the day, Vietnam time, over the service days that had any. */
export type ArrivalsReport = {
  kind: "arrivals";
  days: number;
  hours: Array<{ hour: number; issued: number; perDay: number }>;
  /** The hour with the most arrivals (the earliest on a tie); null when none. */
  peakHour: number | null;
  /** Arrivals per weekday (1 = Monday … 7 = Sunday), mean per such day. */
  weekdays: Array<{ weekday: number; issued: number; perDay: number }>;
};

export type OutOfOrderFigures = { calls: number; outOfOrder: number; share: number | null; byReason: Record<OutOfOrderReason, number> };
export type OutOfOrderReport = {
  kind: "out_of_order";
  total: OutOfOrderFigures;
  /** Per officer, whatever `by` says: the trace the law asks for is the officer's. */
  officers: Line<OutOfOrderFigures>[];
  /** The latest ones with their notes (at most 200), newest first. */
  recent: Array<{ at: string; code: string; officer: string; counter: number | null; reason: OutOfOrderReason; note: string | null }>;
};

export type SatisfactionFigures = {
  count: number;
  verySatisfied: number;
  satisfied: number;
  unsatisfied: number;
  /** Shares of `count`. */
  verySatisfiedShare: number | null;
  satisfiedShare: number | null;
  unsatisfiedShare: number | null;
  /** Very satisfied + satisfied, over `count`: the figure superiors read. */
  satisfactionRate: number | null;
};
export type SatisfactionReport = {
  kind: "satisfaction";
  by: ReportDimension;
  total: SatisfactionFigures;
  lines: Line<SatisfactionFigures>[];
  series: Point<{ count: number; satisfactionRate: number | null }>[];
  /** Reasons of the unsatisfied ratings, most frequent first (a rating may give several). */
  reasons: Array<{ reason: UnsatisfiedReason; count: number }>;
  /** The latest words citizens wrote (at most 100), newest first. */
  comments: Array<{ at: string; text: string; value: "very_satisfied" | "satisfied" | "unsatisfied"; officer: string | null; counter: number | null }>;
};

/**
 * Received: in the range. Settled in the range: returned (on time when returned by the legal due
 * time; an approved apology's new date never makes it on time), refused or stopped.
 */
export type DossierFigures = {
  received: number;
  returned: number;
  onTime: number;
  late: number;
  onTimeRate: number | null;
  /** Received in the range and asked for a supplement at least once. */
  supplemented: number;
  refused: number;
  stopped: number;
  /** Received in the range and not settled at the range's end (or now, if sooner). */
  open: number;
  /** Of those open, past their legal due time. */
  overdue: number;
};
export type DossiersReport = { kind: "dossiers"; by: ReportDimension; total: DossierFigures; lines: Line<DossierFigures>[]; series: Point<{ returned: number; onTime: number; onTimeRate: number | null }>[] };

export type AppointmentFigures = { booked: number; kept: number; missed: number; cancelled: number; pending: number; keptRate: number | null };
export type AppointmentsReport = { kind: "appointments"; by: ReportDimension; total: AppointmentFigures; lines: Line<AppointmentFigures>[] };

export type Report = TicketsReport | WaitsReport | ArrivalsReport | OutOfOrderReport | SatisfactionReport | DossiersReport | AppointmentsReport;
export type ReportOf<K extends ReportKind> = Extract<Report, { kind: K }>;

/** A table as the page, the CSV and the XLSX show it: Vietnamese headers, typed cells. */
export type ReportColumn = { key: string; header: string; kind: "text" | "int" | "share" | "duration" | "number" };
export type ReportTable = { title: string; columns: ReportColumn[]; rows: Array<Record<string, string | number | null>>; total?: Record<string, string | number | null> };
