/**
 * The queue's reports, in SQL over the tickets and their event log: tickets by channel and
 * outcome, waits and service times, arrivals per hour, out-of-order calls. Definitions in
 * docs/reports.md.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { OUT_OF_ORDER_REASONS, type OutOfOrderReason } from "../queue/reasons";
import { addDays } from "../calendar/working-days";
import { serviceDayStart } from "../time";
import { all, breakdown, series, centreIs, durationMeasures, durationsOf, instants, int, isoText, num, rowsOf, seconds, type Measure, type Row } from "./sql";
import type { ArrivalsReport, OutOfOrderFigures, OutOfOrderReport, ReportDimension, ResolvedFilter, TicketFigures, TicketsReport, WaitFigures, WaitsReport } from "./types";

/**
 * Dossiers opened from a visit are received during it, on its service day: the window of
 * receipts searched for the range's tickets (a day of slack after its end).
 */
function dossierWindow(filter: ResolvedFilter) {
  return { start: serviceDayStart(filter.from).toISOString(), end: serviceDayStart(addDays(filter.to, 2)).toISOString() };
}

/** Tickets from which a dossier of the filter's procedure was received. */
function ticketsOfProcedure(filter: ResolvedFilter): SQL {
  const w = dossierWindow(filter);
  return sql`(select pd.ticket_id from dossiers pd where pd.procedure_id = ${filter.procedureId} and pd.ticket_id is not null
    and pd.received_at >= ${w.start}::timestamptz and pd.received_at < ${w.end}::timestamptz)`;
}

/** The procedure of a visit: of the first dossier received from it. */
function firstProcedureJoin(filter: ResolvedFilter, ticketId: SQL): SQL {
  const w = dossierWindow(filter);
  return sql`left join (select distinct on (d.ticket_id) d.ticket_id, d.procedure_id from dossiers d
    where ${centreIs(sql`d.centre_id`, filter)} and d.ticket_id is not null and d.received_at >= ${w.start}::timestamptz and d.received_at < ${w.end}::timestamptz
    order by d.ticket_id, d.id) dp on dp.ticket_id = ${ticketId}`;
}

/** The tickets of the range (by service day) as narrowed: field, counter and officer that last served it, procedure of a dossier received from it. */
function ticketScope(filter: ResolvedFilter): SQL {
  return all([
    centreIs(sql`t.centre_id`, filter),
    sql`t.service_date >= ${filter.from}::date and t.service_date <= ${filter.to}::date`,
    filter.fieldId !== null && sql`t.field_id = ${filter.fieldId}`,
    filter.counterId !== null && sql`t.counter_id = ${filter.counterId}`,
    filter.officerId !== null && sql`t.officer_id = ${filter.officerId}`,
    filter.procedureId !== null && sql`t.id in ${ticketsOfProcedure(filter)}`,
  ]);
}

const TICKET_KEY: Record<ReportDimension, SQL> = {
  centre: sql`t.centre_id`,
  field: sql`t.field_id`,
  counter: sql`t.counter_id`,
  officer: sql`t.officer_id`,
  procedure: sql`dp.procedure_id`,
};

/** One row per ticket of the scope: its line's key, service day, channel, status, wait and service time (seconds). */
function ticketFacts(filter: ResolvedFilter, dimension: ReportDimension): SQL {
  const byProcedure = dimension === "procedure";
  const key = byProcedure && filter.procedureId !== null ? sql`${filter.procedureId}::int` : TICKET_KEY[dimension];
  return sql`select ${key} as key, t.service_date as day, t.channel, t.status,
      case when t.first_called_at is not null then ${seconds(sql`t.first_called_at`, sql`t.issued_at`)} end as wait,
      case when t.status = 'done' and t.called_at is not null and t.finished_at is not null then ${seconds(sql`t.finished_at`, sql`t.called_at`)} end as service
    from tickets t ${byProcedure && filter.procedureId === null ? firstProcedureJoin(filter, sql`t.id`) : sql``}
    where ${ticketScope(filter)}`;
}

const count = (name: string, where: SQL): Measure => ({ name, sql: sql`(count(*) filter (where ${where}))::int`, zero: true });

const TICKET_MEASURES: Measure[] = [
  { name: "issued", sql: sql`count(*)::int`, zero: true },
  count("kiosk", sql`f.channel = 'kiosk'`),
  count("reception", sql`f.channel = 'reception'`),
  count("appointment", sql`f.channel = 'appointment'`),
  count("api", sql`f.channel = 'api'`),
  count("served", sql`f.status = 'done'`),
  count("no_show", sql`f.status = 'no_show'`),
  count("cancelled", sql`f.status = 'cancelled'`),
  count("expired", sql`f.status = 'expired'`),
  count("open", sql`f.status in ('waiting', 'called')`),
];

const share = (part: number, whole: number) => (whole > 0 ? part / whole : null);
const ticketFigures = (r: Row): TicketFigures => ({
  servedShare: share(int(r.served), int(r.issued)),
  noShowShare: share(int(r.no_show), int(r.issued)),
  issued: int(r.issued),
  byChannel: { kiosk: int(r.kiosk), reception: int(r.reception), appointment: int(r.appointment), api: int(r.api) },
  served: int(r.served),
  noShow: int(r.no_show),
  cancelled: int(r.cancelled),
  expired: int(r.expired),
  open: int(r.open),
});

export async function ticketsReport(db: Queryable, filter: ResolvedFilter): Promise<TicketsReport> {
  const b = await breakdown(db, { facts: ticketFacts(filter, filter.by), measures: TICKET_MEASURES, dimension: filter.by, series: filter });
  return {
    kind: "tickets",
    by: filter.by,
    total: ticketFigures(b.total),
    lines: b.lines.map((r) => ({ key: r.key, label: r.label ?? "", ...ticketFigures(r) })),
    series: b.points.map((p) => ({ bucket: p.bucket, issued: int(p.issued), served: int(p.served), noShow: int(p.no_show) })),
  };
}

const WAIT_MEASURES: Measure[] = [...durationMeasures("wait", sql`f.wait`), ...durationMeasures("service", sql`f.service`)];
const waitFigures = (r: Row): WaitFigures => ({ wait: durationsOf(r, "wait"), service: durationsOf(r, "service") });

export async function waitsReport(db: Queryable, filter: ResolvedFilter): Promise<WaitsReport> {
  // The percentiles per line and in total; the series (means only) apart, in parallel: sorting the
  // range's tickets once more per bucket for percentiles nobody charts would double the work.
  const [b, points] = await Promise.all([
    breakdown(db, { facts: ticketFacts(filter, filter.by), measures: WAIT_MEASURES, dimension: filter.by }),
    series(db, { facts: ticketFacts(filter, "centre"), measures: [{ name: "wait_mean", sql: sql`avg(f.wait)::float8` }, { name: "service_mean", sql: sql`avg(f.service)::float8` }], series: filter }),
  ]);
  return {
    kind: "waits",
    by: filter.by,
    total: waitFigures(b.total),
    lines: b.lines.map((r) => ({ key: r.key, label: r.label ?? "", ...waitFigures(r) })),
    series: points.map((p) => ({ bucket: p.bucket, meanWaitSeconds: num(p.wait_mean), meanServiceSeconds: num(p.service_mean) })),
  };
}

/** The hours always shown (a centre's working day); earlier or later ones when anyone came then. */
export const ARRIVAL_HOURS = { first: 7, last: 17 } as const;

export async function arrivalsReport(db: Queryable, filter: ResolvedFilter): Promise<ArrivalsReport> {
  const rows = await rowsOf(
    db,
    sql`with dh as (
        select t.service_date as day, date_part('hour', ${sql.raw(`t.issued_at at time zone 'Asia/Ho_Chi_Minh'`)})::int as hour, count(*)::int as n
        from tickets t where ${ticketScope(filter)} group by 1, 2),
      h as (select hour, sum(n)::int as n from dh group by hour),
      d as (select count(distinct day)::int as days from dh),
      w as (select extract(isodow from day)::int as weekday, sum(n)::int as n, count(distinct day)::int as days from dh group by 1),
      peak as (select hour from h order by n desc, hour asc limit 1)
      select 'hour' as part, g.hour as at, coalesce(h.n, 0) as issued, coalesce(h.n::float8 / nullif(d.days, 0), 0) as per_day, d.days, (select hour from peak) as peak
      from generate_series(least(${ARRIVAL_HOURS.first}, (select min(hour) from h)), greatest(${ARRIVAL_HOURS.last}, (select max(hour) from h))) as g(hour)
      cross join d left join h on h.hour = g.hour
      union all
      select 'weekday', g.weekday, coalesce(w.n, 0), coalesce(w.n::float8 / nullif(w.days, 0), 0), d.days, (select hour from peak)
      from generate_series(1, 7) as g(weekday) cross join d left join w on w.weekday = g.weekday
      order by 1, 2`,
  );
  const first = rows[0];
  return {
    kind: "arrivals",
    days: int(first?.days),
    hours: rows.filter((r) => r.part === "hour").map((r) => ({ hour: int(r.at), issued: int(r.issued), perDay: Number(r.per_day) })),
    peakHour: num(first?.peak),
    weekdays: rows.filter((r) => r.part === "weekday").map((r) => ({ weekday: int(r.at), issued: int(r.issued), perDay: Number(r.per_day) })),
  };
}

/** Calls (plain and out of order) made in the range, by the day they were made, narrowed by where they were made and by whom. */
function callScope(filter: ResolvedFilter): SQL {
  const { start, end } = instants(filter);
  return all([
    centreIs(sql`e.centre_id`, filter),
    sql`e.type in ('called', 'called_out_of_order')`,
    sql`e.created_at >= ${start}::timestamptz and e.created_at < ${end}::timestamptz`,
    filter.fieldId !== null && sql`e.field_id = ${filter.fieldId}`,
    filter.counterId !== null && sql`e.counter_id = ${filter.counterId}`,
    filter.officerId !== null && sql`e.actor_user_id = ${filter.officerId}`,
    filter.procedureId !== null && sql`e.ticket_id in ${ticketsOfProcedure(filter)}`,
  ]);
}

const OOO_MEASURES: Measure[] = [
  { name: "calls", sql: sql`count(*)::int`, zero: true },
  count("out_of_order", sql`f.type = 'called_out_of_order'`),
  { name: "share", sql: sql`((count(*) filter (where f.type = 'called_out_of_order'))::float8 / nullif(count(*), 0))` },
  ...OUT_OF_ORDER_REASONS.map((reason) => count(`reason_${reason}`, sql`f.type = 'called_out_of_order' and f.reason = ${reason}`)),
];

const oooFigures = (r: Row): OutOfOrderFigures => ({
  calls: int(r.calls),
  outOfOrder: int(r.out_of_order),
  share: num(r.share),
  byReason: Object.fromEntries(OUT_OF_ORDER_REASONS.map((reason) => [reason, int(r[`reason_${reason}`])])) as Record<OutOfOrderReason, number>,
});

export async function outOfOrderReport(db: Queryable, filter: ResolvedFilter): Promise<OutOfOrderReport> {
  const scope = callScope(filter);
  const [b, recent] = await Promise.all([
    breakdown(db, {
      facts: sql`select e.actor_user_id as key, e.type, e.details->>'reason' as reason from ticket_events e where ${scope}`,
      measures: OOO_MEASURES,
      dimension: "officer",
    }),
    rowsOf(
      db,
      sql`select ${isoText(sql`e.created_at`)} as at, t.code, u.full_name as officer, c.number as counter, e.details->>'reason' as reason, nullif(e.details->>'note', '') as note
        from ticket_events e join tickets t on t.id = e.ticket_id left join users u on u.id = e.actor_user_id left join counters c on c.id = e.counter_id
        where ${scope} and e.type = 'called_out_of_order'
        order by e.created_at desc, e.id desc limit 200`,
    ),
  ]);
  return {
    kind: "out_of_order",
    total: oooFigures(b.total),
    officers: b.lines.map((r) => ({ key: r.key, label: r.label ?? "", ...oooFigures(r) })),
    recent: recent.map((r) => ({
      at: String(r.at),
      code: String(r.code),
      officer: (r.officer as string | null) ?? "",
      counter: num(r.counter),
      reason: r.reason as OutOfOrderReason,
      note: (r.note as string | null) ?? null,
    })),
  };
}
