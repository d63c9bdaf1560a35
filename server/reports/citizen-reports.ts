/**
 * The citizen's side, in SQL: satisfaction (ratings), dossiers received and settled (on time or
 * late, with supplements, refused, stopped), appointments kept and missed. Definitions in
 * docs/reports.md.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { returnedOnTimeSql } from "../dossiers/timeliness";
import { UNSATISFIED_REASONS, type UnsatisfiedReason } from "../ratings/rules";
import { all, breakdown, centreIs, instants, int, isoText, num, rowsOf, vnDay, type Measure, type Row } from "./sql";
import type {
  AppointmentFigures,
  AppointmentsReport,
  DossierFigures,
  DossiersReport,
  ReportDimension,
  ResolvedFilter,
  SatisfactionFigures,
  SatisfactionReport,
} from "./types";

const count = (name: string, where: SQL): Measure => ({ name, sql: sql`(count(*) filter (where ${where}))::int`, zero: true });
const sum = (name: string, column: SQL): Measure => ({ name, sql: sql`coalesce(sum(${column}), 0)::int`, zero: true });
const ratio = (name: string, part: SQL, whole: SQL): Measure => ({ name, sql: sql`((${part})::float8 / nullif(${whole}, 0))` });

// Satisfaction ----------------------------------------------------------------------------

const RATING_KEY: Record<ReportDimension, SQL> = {
  centre: sql`r.centre_id`,
  field: sql`r.field_id`,
  counter: sql`r.counter_id`,
  officer: sql`r.officer_id`,
  procedure: sql`rd.procedure_id`,
};

/** Ratings given in the range, narrowed by the field, counter and officer they rate and the procedure of their dossier. */
function ratingScope(filter: ResolvedFilter): SQL {
  const { start, end } = instants(filter);
  return all([
    centreIs(sql`r.centre_id`, filter),
    sql`r.created_at >= ${start}::timestamptz and r.created_at < ${end}::timestamptz`,
    filter.fieldId !== null && sql`r.field_id = ${filter.fieldId}`,
    filter.counterId !== null && sql`r.counter_id = ${filter.counterId}`,
    filter.officerId !== null && sql`r.officer_id = ${filter.officerId}`,
    filter.procedureId !== null && sql`rd.procedure_id = ${filter.procedureId}`,
  ]);
}
const ratingDossier = (filter: ResolvedFilter) => (filter.procedureId !== null || filter.by === "procedure" ? sql`left join dossiers rd on rd.id = r.dossier_id` : sql``);

const SATISFIED = sql`f.value in ('very_satisfied', 'satisfied')`;
const SATISFACTION_MEASURES: Measure[] = [
  { name: "count", sql: sql`count(*)::int`, zero: true },
  count("very_satisfied", sql`f.value = 'very_satisfied'`),
  count("satisfied", sql`f.value = 'satisfied'`),
  count("unsatisfied", sql`f.value = 'unsatisfied'`),
  ratio("very_satisfied_share", sql`count(*) filter (where f.value = 'very_satisfied')`, sql`count(*)`),
  ratio("satisfied_share", sql`count(*) filter (where f.value = 'satisfied')`, sql`count(*)`),
  ratio("unsatisfied_share", sql`count(*) filter (where f.value = 'unsatisfied')`, sql`count(*)`),
  ratio("satisfaction_rate", sql`count(*) filter (where ${SATISFIED})`, sql`count(*)`),
];

const satisfactionFigures = (r: Row): SatisfactionFigures => ({
  count: int(r.count),
  verySatisfied: int(r.very_satisfied),
  satisfied: int(r.satisfied),
  unsatisfied: int(r.unsatisfied),
  verySatisfiedShare: num(r.very_satisfied_share),
  satisfiedShare: num(r.satisfied_share),
  unsatisfiedShare: num(r.unsatisfied_share),
  satisfactionRate: num(r.satisfaction_rate),
});

export async function satisfactionReport(db: Queryable, filter: ResolvedFilter): Promise<SatisfactionReport> {
  const scope = ratingScope(filter);
  const join = ratingDossier(filter);
  const reasonOrder = sql.join(
    UNSATISFIED_REASONS.map((r) => sql`${r}`),
    sql`, `,
  );
  const [b, reasons, comments] = await Promise.all([
    breakdown(db, {
      facts: sql`select ${RATING_KEY[filter.by]} as key, ${vnDay(sql`r.created_at`)} as day, r.value from ratings r ${join} where ${scope}`,
      measures: SATISFACTION_MEASURES,
      dimension: filter.by,
      series: filter,
    }),
    rowsOf(
      db,
      sql`select x.reason, count(*)::int as n from ratings r ${join} cross join lateral jsonb_array_elements_text(r.reasons) as x(reason)
        where ${scope} and r.value = 'unsatisfied' and x.reason in (${reasonOrder})
        group by x.reason order by count(*) desc, array_position(array[${reasonOrder}]::text[], x.reason)`,
    ),
    rowsOf(
      db,
      sql`select ${isoText(sql`r.created_at`)} as at, r.comment as text, r.value, u.full_name as officer, c.number as counter
        from ratings r ${join} left join users u on u.id = r.officer_id left join counters c on c.id = r.counter_id
        where ${scope} and r.comment is not null and btrim(r.comment) <> ''
        order by r.created_at desc, r.id desc limit 100`,
    ),
  ]);
  return {
    kind: "satisfaction",
    by: filter.by,
    total: satisfactionFigures(b.total),
    lines: b.lines.map((r) => ({ key: r.key, label: r.label ?? "", ...satisfactionFigures(r) })),
    series: b.points.map((p) => ({ bucket: p.bucket, count: int(p.count), satisfactionRate: num(p.satisfaction_rate) })),
    reasons: reasons.map((r) => ({ reason: r.reason as UnsatisfiedReason, count: int(r.n) })),
    comments: comments.map((r) => ({
      at: String(r.at),
      text: String(r.text),
      value: r.value as SatisfactionReport["comments"][number]["value"],
      officer: (r.officer as string | null) ?? null,
      counter: num(r.counter),
    })),
  };
}

// Dossiers --------------------------------------------------------------------------------

const DOSSIER_KEY: Record<ReportDimension, SQL> = {
  centre: sql`d.centre_id`,
  field: sql`p.field_id`,
  counter: sql`dt.counter_id`,
  officer: sql`d.received_by`,
  procedure: sql`d.procedure_id`,
};

/** Narrowing of dossiers: field of the procedure, procedure, receiving officer, counter of the ticket it came from. */
function dossierNarrowing(filter: ResolvedFilter): SQL {
  return all([
    centreIs(sql`d.centre_id`, filter),
    filter.fieldId !== null && sql`p.field_id = ${filter.fieldId}`,
    filter.procedureId !== null && sql`d.procedure_id = ${filter.procedureId}`,
    filter.officerId !== null && sql`d.received_by = ${filter.officerId}`,
    filter.counterId !== null && sql`dt.counter_id = ${filter.counterId}`,
  ]);
}
const dossierJoins = (filter: ResolvedFilter) =>
  sql`join procedures p on p.id = d.procedure_id ${filter.counterId !== null || filter.by === "counter" ? sql`left join tickets dt on dt.id = d.ticket_id` : sql``}`;

const SETTLING = sql`('return', 'refuse', 'stop')`;

/**
 * One row per dossier received in the range (with whether it was asked for a supplement, and
 * whether it is still open, or overdue, at the range's end or now if sooner), and one per step
 * that settled a dossier in the range (its result returned, on time or late; refused; stopped).
 */
function dossierFacts(filter: ResolvedFilter, asOf: string): SQL {
  const { start, end } = instants(filter);
  const joins = dossierJoins(filter);
  const key = DOSSIER_KEY[filter.by];
  const received = sql`d.received_at >= ${start}::timestamptz and d.received_at < ${end}::timestamptz`;
  const returned = sql`(s.action = 'return' and s.from_state is distinct from 'refused')`;
  return sql`
    select ${key} as key, ${vnDay(sql`d.received_at`)} as day, 1 as received,
      case when st.supplemented then 1 else 0 end as supplemented,
      case when d.received_at < ${asOf}::timestamptz and (st.settled_at is null or st.settled_at >= ${asOf}::timestamptz) then 1 else 0 end as open,
      case when d.received_at < ${asOf}::timestamptz and (st.settled_at is null or st.settled_at >= ${asOf}::timestamptz) and d.due_at < ${asOf}::timestamptz then 1 else 0 end as overdue,
      0 as returned, 0 as on_time, 0 as late, 0 as refused, 0 as stopped
    from dossiers d ${joins}
    left join (
      select s.dossier_id, bool_or(s.action = 'supplement') as supplemented, min(s.created_at) filter (where s.action in ${SETTLING}) as settled_at
      from dossier_steps s
      where s.action in ('supplement', 'return', 'refuse', 'stop')
        and s.dossier_id in (select d2.id from dossiers d2 where ${centreIs(sql`d2.centre_id`, filter)} and d2.received_at >= ${start}::timestamptz and d2.received_at < ${end}::timestamptz)
      group by s.dossier_id
    ) st on st.dossier_id = d.id
    where ${received} and ${dossierNarrowing(filter)}
    union all
    select ${key}, ${vnDay(sql`s.created_at`)}, 0, 0, 0, 0,
      case when ${returned} then 1 else 0 end,
      case when ${returned} and ${returnedOnTimeSql(sql`s.created_at`, sql`d.due_at`)} then 1 else 0 end,
      case when ${returned} and not ${returnedOnTimeSql(sql`s.created_at`, sql`d.due_at`)} then 1 else 0 end,
      case when s.action = 'refuse' then 1 else 0 end,
      case when s.action = 'stop' then 1 else 0 end
    from dossier_steps s join dossiers d on d.id = s.dossier_id ${joins}
    where ${centreIs(sql`s.centre_id`, filter)} and s.action in ${SETTLING} and s.created_at >= ${start}::timestamptz and s.created_at < ${end}::timestamptz
      and ${dossierNarrowing(filter)}`;
}

const DOSSIER_MEASURES: Measure[] = [
  sum("received", sql`f.received`),
  sum("returned", sql`f.returned`),
  sum("on_time", sql`f.on_time`),
  sum("late", sql`f.late`),
  ratio("on_time_rate", sql`sum(f.on_time)`, sql`sum(f.returned)`),
  sum("supplemented", sql`f.supplemented`),
  sum("refused", sql`f.refused`),
  sum("stopped", sql`f.stopped`),
  sum("open", sql`f.open`),
  sum("overdue", sql`f.overdue`),
];

const dossierFigures = (r: Row): DossierFigures => ({
  received: int(r.received),
  returned: int(r.returned),
  onTime: int(r.on_time),
  late: int(r.late),
  onTimeRate: num(r.on_time_rate),
  supplemented: int(r.supplemented),
  refused: int(r.refused),
  stopped: int(r.stopped),
  open: int(r.open),
  overdue: int(r.overdue),
});

export async function dossiersReport(db: Queryable, filter: ResolvedFilter, now: Date): Promise<DossiersReport> {
  const end = new Date(instants(filter).end);
  const asOf = (end < now ? end : now).toISOString();
  const b = await breakdown(db, { facts: dossierFacts(filter, asOf), measures: DOSSIER_MEASURES, dimension: filter.by, series: filter });
  return {
    kind: "dossiers",
    by: filter.by,
    total: dossierFigures(b.total),
    lines: b.lines.map((r) => ({ key: r.key, label: r.label ?? "", ...dossierFigures(r) })),
    series: b.points.map((p) => ({ bucket: p.bucket, returned: int(p.returned), onTime: int(p.on_time), onTimeRate: num(p.on_time_rate) })),
  };
}

// Appointments ----------------------------------------------------------------------------

/** Appointments have a field, a procedure (maybe) and a centre; by counter or officer they go by field. */
export const appointmentDimension = (by: ReportDimension): ReportDimension => (by === "counter" || by === "officer" ? "field" : by);

const APPOINTMENT_KEY: Partial<Record<ReportDimension, SQL>> = { centre: sql`a.centre_id`, field: sql`a.field_id`, procedure: sql`a.procedure_id` };

const APPOINTMENT_MEASURES: Measure[] = [
  { name: "booked", sql: sql`count(*)::int`, zero: true },
  count("kept", sql`f.status = 'checked_in'`),
  count("missed", sql`f.status = 'no_show'`),
  count("cancelled", sql`f.status = 'cancelled'`),
  count("pending", sql`f.status = 'booked'`),
  ratio("kept_rate", sql`count(*) filter (where f.status = 'checked_in')`, sql`count(*) filter (where f.status in ('checked_in', 'no_show'))`),
];

const appointmentFigures = (r: Row): AppointmentFigures => ({
  booked: int(r.booked),
  kept: int(r.kept),
  missed: int(r.missed),
  cancelled: int(r.cancelled),
  pending: int(r.pending),
  keptRate: num(r.kept_rate),
});

/** Appointments for a day of the range, narrowed by field and procedure (a counter or an officer does not narrow them). */
export async function appointmentsReport(db: Queryable, filter: ResolvedFilter): Promise<AppointmentsReport> {
  const by = appointmentDimension(filter.by);
  const scope = all([
    centreIs(sql`a.centre_id`, filter),
    sql`a.day >= ${filter.from}::date and a.day <= ${filter.to}::date`,
    filter.fieldId !== null && sql`a.field_id = ${filter.fieldId}`,
    filter.procedureId !== null && sql`a.procedure_id = ${filter.procedureId}`,
  ]);
  const b = await breakdown(db, { facts: sql`select ${APPOINTMENT_KEY[by]!} as key, a.status from appointments a where ${scope}`, measures: APPOINTMENT_MEASURES, dimension: by });
  return {
    kind: "appointments",
    by,
    total: appointmentFigures(b.total),
    lines: b.lines.map((r) => ({ key: r.key, label: r.label ?? "", ...appointmentFigures(r) })),
  };
}
