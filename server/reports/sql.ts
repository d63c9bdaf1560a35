/**
 * The SQL the reports share: the range's instants, the series' buckets, and one query shape that
 * gives a report's total, its lines (one per centre, field, counter, officer or procedure, named
 * and ordered) and its series over time (every bucket, empty ones too) from one scan of the facts.
 */
import { sql, type SQL } from "drizzle-orm";
import { addDays } from "../calendar/working-days";
import { TIME_ZONE, serviceDayStart } from "../time";
import type { Granularity, ReportDimension, ResolvedFilter } from "./types";

import type { Queryable } from "../../db/client";
import { rowsOf, type Row } from "../../db/rows";

export { rowsOf, type Row };

/** A number from the database (counts and averages may come as strings), null kept. */
export const num = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
export const int = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));

/** The instants the range covers: [start of `from`, start of the day after `to`) in Vietnam time. */
export function instants(filter: Pick<ResolvedFilter, "from" | "to">) {
  return { start: serviceDayStart(filter.from).toISOString(), end: serviceDayStart(addDays(filter.to, 1)).toISOString() };
}

/** `at` as a service day (Vietnam time). */
export const vnDay = (at: SQL) => sql`((${at}) at time zone ${sql.raw(`'${TIME_ZONE}'`)})::date`;

/** An instant as an ISO 8601 string in UTC (the same text whichever driver reads it). */
export const isoText = (at: SQL) => sql`to_char((${at}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** `centre_id = c`, or nothing for the deployment. */
export const centreIs = (column: SQL, filter: Pick<ResolvedFilter, "centreId">) => (filter.centreId === null ? sql`true` : sql`${column} = ${filter.centreId}`);

/** `and`-joined conditions. */
export const all = (conditions: Array<SQL | null | false | undefined>) => {
  const list = conditions.filter((c): c is SQL => Boolean(c));
  return list.length === 0 ? sql`true` : sql.join(list, sql` and `);
};

/**
 * Seconds between two instants. `date_part` answers in float8 directly; `extract` answers in
 * numeric since PostgreSQL 14, which over a year of tickets doubled the scan's time.
 */
export const seconds = (to: SQL, from: SQL) => sql`date_part('epoch', (${to}) - (${from}))`;

/**
 * Mean, median and 90th percentile (interpolated) of a column of seconds, and how many. Both
 * percentiles come from one ordered-set aggregate (one sort of the group, not two).
 */
export const durationMeasures = (name: string, column: SQL): Measure[] => [
  { name: `${name}_count`, sql: sql`count(${column})::int`, zero: true },
  { name: `${name}_mean`, sql: sql`avg(${column})::float8` },
  { name: `${name}_pct`, sql: sql`array_to_string(percentile_cont(array[0.5, 0.9]::float8[]) within group (order by ${column}), ',')` },
];
export const durationsOf = (row: Row, name: string) => {
  const pct = row[`${name}_pct`];
  const [median, p90] = typeof pct === "string" && pct !== "" ? pct.split(",").map(Number) : [null, null];
  return { count: int(row[`${name}_count`]), meanSeconds: num(row[`${name}_mean`]), medianSeconds: median ?? null, p90Seconds: p90 ?? null };
};

/** One aggregate over the facts `f`; `zero`: 0 (not null) in an empty bucket. */
export type Measure = { name: string; sql: SQL; zero?: boolean };

/** How a dimension's lines are named and ordered (joined on the line's key). */
const NAMES: Record<ReportDimension, { join: SQL; label: SQL; order: SQL }> = {
  centre: { join: sql`left join centres n on n.id = a.key`, label: sql`n.name`, order: sql`n.name, a.key` },
  field: { join: sql`left join fields n on n.id = a.key`, label: sql`n.name`, order: sql`n.sort_order, n.id` },
  counter: { join: sql`left join counters n on n.id = a.key`, label: sql`n.name`, order: sql`n.number, n.id` },
  officer: { join: sql`left join users n on n.id = a.key`, label: sql`n.full_name`, order: sql`n.full_name, n.id` },
  procedure: { join: sql`left join procedures n on n.id = a.key`, label: sql`n.name`, order: sql`n.sort_order, n.id` },
};

const TRUNC: Record<Granularity, string> = { day: "day", week: "week", month: "month" };

export type Breakdown = { total: Row; lines: Array<Row & { key: string; label: string | null }>; points: Array<Row & { bucket: string }> };

/**
 * Total, lines and series of `facts` in one query. `facts` selects `key` (an id of the
 * dimension, or null) and, with a series, `day` (a date); `measures` aggregate its rows `f`.
 * Lines come named and ordered as the dimension says (fields by their order, counters by
 * number, officers by name), the line without a key last; the series has every bucket of the
 * range, the empty ones too (generate_series), so a chart's axis is continuous.
 */
export async function breakdown(
  db: Queryable,
  input: { facts: SQL; measures: Measure[]; dimension: ReportDimension; series?: Pick<ResolvedFilter, "from" | "to" | "granularity"> },
): Promise<Breakdown> {
  const { measures, dimension, series } = input;
  const names = NAMES[dimension];
  const cols = sql.join(
    measures.map((m) => sql`${m.sql} as ${sql.identifier(m.name)}`),
    sql`, `,
  );
  const pick = (prefix: string, zeroed: boolean) =>
    sql.join(
      measures.map((m) => {
        const col = sql`${sql.raw(prefix)}.${sql.identifier(m.name)}`;
        return zeroed && m.zero ? sql`coalesce(${col}, 0) as ${sql.identifier(m.name)}` : sql`${col} as ${sql.identifier(m.name)}`;
      }),
      sql`, `,
    );
  const unit = series ? TRUNC[series.granularity] : "day";
  const bucket = series ? sql`date_trunc(${unit}, f0.day::timestamp)::date` : sql`null::date`;
  const sets = series ? sql`grouping sets ((key), (bucket), ())` : sql`grouping sets ((key), ())`;
  const points = series
    ? sql`union all
      select 'point' as part, null::int as key, to_char(b.bucket, 'YYYY-MM-DD') as bucket, null::text as label, 0::bigint as ord, ${pick("p", true)}
      from (select generate_series(date_trunc(${unit}, ${series.from}::date::timestamp), ${series.to}::date::timestamp, ${`1 ${unit}`}::interval)::date as bucket) b
      left join (select * from a where a.gk = 1 and a.gb = 0) p on p.bucket = b.bucket`
    : sql``;
  const query = sql`
    with f as (select f0.*, ${bucket} as bucket from (${input.facts}) f0),
    a as (select f.key, ${series ? sql`f.bucket` : sql`null::date`} as bucket, grouping(f.key) as gk, ${series ? sql`grouping(f.bucket)` : sql`1`} as gb, ${cols} from f group by ${sets})
    select 'line' as part, a.key, null::text as bucket, ${names.label} as label,
      row_number() over (order by (a.key is null), ${names.order}) as ord, ${pick("a", false)}
    from a ${names.join} where a.gk = 0
    union all
    select 'total' as part, null::int as key, null::text as bucket, null::text as label, 0::bigint as ord, ${pick("a", false)}
    from a where a.gk = 1 and a.gb = 1
    ${points}`;
  const rows = await rowsOf(db, query);
  const emptyTotal = Object.fromEntries(measures.map((m) => [m.name, m.zero ? 0 : null]));
  const total = rows.find((r) => r.part === "total") ?? emptyTotal;
  const lines = rows
    .filter((r) => r.part === "line")
    .sort((x, y) => Number(x.ord) - Number(y.ord))
    .map((r) => ({ ...r, key: r.key === null ? "none" : String(r.key), label: (r.label as string | null) ?? null }));
  const pointRows = rows
    .filter((r) => r.part === "point")
    .map((r) => ({ ...r, bucket: String(r.bucket) }))
    .sort((x, y) => (x.bucket < y.bucket ? -1 : x.bucket > y.bucket ? 1 : 0));
  return { total, lines, points: pointRows };
}

/** Only the series of `facts` (with a `day` column): every bucket of the range, the empty ones too. */
export async function series(db: Queryable, input: { facts: SQL; measures: Measure[]; series: Pick<ResolvedFilter, "from" | "to" | "granularity"> }): Promise<Array<Row & { bucket: string }>> {
  const unit = TRUNC[input.series.granularity];
  const cols = sql.join(
    input.measures.map((m) => sql`${m.sql} as ${sql.identifier(m.name)}`),
    sql`, `,
  );
  const pick = sql.join(
    input.measures.map((m) => (m.zero ? sql`coalesce(p.${sql.identifier(m.name)}, 0) as ${sql.identifier(m.name)}` : sql`p.${sql.identifier(m.name)}`)),
    sql`, `,
  );
  const rows = await rowsOf(
    db,
    sql`with p as (select date_trunc(${unit}, f.day::timestamp)::date as bucket, ${cols} from (${input.facts}) f group by 1)
      select to_char(b.bucket, 'YYYY-MM-DD') as bucket, ${pick}
      from (select generate_series(date_trunc(${unit}, ${input.series.from}::date::timestamp), ${input.series.to}::date::timestamp, ${`1 ${unit}`}::interval)::date as bucket) b
      left join p on p.bucket = b.bucket order by b.bucket`,
  );
  return rows.map((r) => ({ ...r, bucket: String(r.bucket) }));
}
