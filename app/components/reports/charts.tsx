/**
 * The reports' charts (recharts, SVG). Pure: each takes a report's shape and draws it; no figure
 * is computed here beyond turning seconds into minutes and fractions into percent for an axis.
 *
 * Drawn in the browser only: recharts measures its box before drawing, so the server sends a
 * box of the same fixed height (no layout jump), and the production CSP refuses style attributes
 * in server HTML anyway (React sets styles through the DOM once hydrated, which it allows).
 * The table beside each chart carries the same figures for anyone without JavaScript.
 */
import type { ReactNode } from "react";
import { Bar, BarChart, CartesianGrid, Cell, LabelList, Legend, Line, LineChart, Pie, PieChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { t } from "../../../server/i18n";
import type { AppointmentsReport, ArrivalsReport, DossiersReport, Granularity, SatisfactionReport, TicketsReport, WaitsReport } from "../../../server/reports/types";
import { useHydrated } from "../../lib/hydrated";
import { formatBucket, formatBucketLong, formatDuration, formatHourRange, formatHourTick, formatInt, formatNumber, formatShare, toMinutes } from "./format";

export const COLORS = {
  brand: "#1e40af",
  brandLight: "#93c5fd",
  peak: "#b45309",
  verySatisfied: "#15803d",
  satisfied: "#4ade80",
  unsatisfied: "#dc2626",
  grey: "#94a3b8",
  amber: "#f59e0b",
  p90: "#1e3a8a",
  median: "#3b82f6",
  mean: "#93c5fd",
};

const AXIS = { fontSize: 12, fill: "#334155" };
const tooltipStyle = { contentStyle: { fontSize: 13, borderRadius: 6 }, labelStyle: { fontWeight: 600 } };

/**
 * A chart's box: a fixed height from its class (server HTML and browser alike), the chart
 * inside once hydrated; `label` is what a screen reader hears.
 */
export function ChartBox({ heightClass, label, testId, children }: { heightClass: string; label: string; testId: string; children: ReactNode }) {
  const hydrated = useHydrated();
  return (
    <figure role="img" aria-label={label} data-testid={testId} className={`${heightClass} w-full min-w-0 print:break-inside-avoid`}>
      {hydrated ? (
        <ResponsiveContainer width="100%" height="100%" minWidth={0} initialDimension={{ width: 600, height: 240 }}>
          {children as React.ReactElement}
        </ResponsiveContainer>
      ) : null}
    </figure>
  );
}

/** Arrivals per hour of day (mean per day with arrivals), the peak hour in a darker colour. */
export function ArrivalsChart({ report }: { report: ArrivalsReport }) {
  const withData = report.hours.filter((h) => h.issued > 0).map((h) => h.hour);
  const first = Math.min(...withData, 7);
  const last = Math.max(...withData, 17);
  const data = report.hours.filter((h) => h.hour >= first && h.hour <= last);
  return (
    <ChartBox heightClass="h-72" label={t("reportsPage.section.arrivals")} testId="chart-arrivals">
      <BarChart data={data} margin={{ top: 20, right: 8, bottom: 4, left: 8 }}>
        <CartesianGrid vertical={false} stroke="#e2e8f0" />
        <XAxis dataKey="hour" tickFormatter={formatHourTick} tick={AXIS} interval={0} />
        <YAxis tick={AXIS} tickFormatter={(v: number) => formatNumber(v)} width={48} label={{ value: t("reportsPage.chart.arrivalsAxis"), angle: -90, position: "insideLeft", offset: 0, dy: 60, style: { fontSize: 12, fill: "#475569" } }} />
        <Tooltip
          {...tooltipStyle}
          labelFormatter={(hour) => formatHourRange(Number(hour))}
          formatter={(value, _name, item) => [`${formatNumber(Number(value))} ${t("reportsPage.key.peakPerDay", { n: "" }).trim()} (${formatInt((item.payload as { issued: number }).issued)} ${t("reportsPage.chart.tickets")})`, t("reportsPage.chart.arrivalsAxis")]}
        />
        <Bar dataKey="perDay" isAnimationActive={false} radius={[3, 3, 0, 0]}>
          {data.map((h) => (
            <Cell key={h.hour} fill={h.hour === report.peakHour ? COLORS.peak : COLORS.brand} />
          ))}
          <LabelList dataKey="perDay" position="top" formatter={(v) => (Number(v) > 0 ? formatNumber(Number(v)) : "")} style={{ fontSize: 11, fill: "#334155" }} />
        </Bar>
      </BarChart>
    </ChartBox>
  );
}

const shorten = (s: string, max = 26) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
/** A breakdown's height class by its number of lines (known on the server: the box never jumps). */
const linesHeight = (n: number) => (n <= 3 ? "h-56" : n <= 6 ? "h-80" : n <= 10 ? "h-[28rem]" : "h-[40rem]");
/** At most this many lines in a chart (the busiest); the table beside has them all. */
export const CHART_LINES = 15;

/** Waits per line of the breakdown: mean, median and p90 in minutes, horizontal bars. */
export function WaitsChart({ report, byLabel }: { report: WaitsReport; byLabel: string }) {
  const lines = [...report.lines]
    .filter((l) => l.wait.count > 0)
    .sort((a, b) => b.wait.count - a.wait.count)
    .slice(0, CHART_LINES)
    .map((l) => ({ label: l.label, mean: toMinutes(l.wait.meanSeconds), median: toMinutes(l.wait.medianSeconds), p90: toMinutes(l.wait.p90Seconds), meanS: l.wait.meanSeconds, medianS: l.wait.medianSeconds, p90S: l.wait.p90Seconds }));
  const names: Record<string, string> = { mean: t("reportsPage.chart.meanWait"), median: t("reportsPage.chart.medianWait"), p90: t("reportsPage.chart.p90Wait") };
  return (
    <ChartBox heightClass={linesHeight(lines.length)} label={t("reportsPage.chart.waitsCaption", { by: byLabel })} testId="chart-waits">
      <BarChart data={lines} layout="vertical" margin={{ top: 4, right: 24, bottom: 20, left: 8 }} barCategoryGap="20%">
        <CartesianGrid horizontal={false} stroke="#e2e8f0" />
        <XAxis type="number" tick={AXIS} tickFormatter={(v: number) => formatNumber(v)} label={{ value: t("reportsPage.chart.minutes"), position: "insideBottomRight", offset: -12, style: { fontSize: 12, fill: "#475569" } }} />
        <YAxis type="category" dataKey="label" tick={AXIS} width={170} tickFormatter={(s: string) => shorten(s)} interval={0} />
        <Tooltip
          {...tooltipStyle}
          formatter={(_value, name, item) => {
            const p = item.payload as (typeof lines)[number];
            const key = String(item.dataKey) as "mean" | "median" | "p90";
            return [formatDuration(p[`${key}S`]), names[key] ?? String(name)];
          }}
        />
        <Legend verticalAlign="top" height={28} iconType="square" formatter={(value: string) => <span className="text-sm text-slate-700">{names[value] ?? value}</span>} />
        <Bar dataKey="mean" fill={COLORS.mean} isAnimationActive={false} />
        <Bar dataKey="median" fill={COLORS.median} isAnimationActive={false} />
        <Bar dataKey="p90" fill={COLORS.p90} isAnimationActive={false} />
      </BarChart>
    </ChartBox>
  );
}

const LEVELS = ["verySatisfied", "satisfied", "unsatisfied"] as const;
/** The legend's swatches: the same colours as COLORS, as classes (no style attributes in server HTML). */
const SWATCH = { verySatisfied: "bg-green-700", satisfied: "bg-green-400", unsatisfied: "bg-red-600" } as const;
const LEVEL_LABEL = { verySatisfied: "rating.value.very_satisfied", satisfied: "rating.value.satisfied", unsatisfied: "rating.value.unsatisfied" } as const;

/** The three levels of satisfaction as a donut, the rate (very satisfied + satisfied) in its hole. */
export function SatisfactionChart({ report }: { report: SatisfactionReport }) {
  const total = report.total;
  const data = LEVELS.map((level) => ({ level, name: t(LEVEL_LABEL[level]), value: total[level], share: total[`${level}Share`] }));
  return (
    <div className="flex flex-col items-center">
      <div className="relative w-full">
        <ChartBox heightClass="h-60" label={t("reportsPage.section.satisfaction")} testId="chart-satisfaction">
          <PieChart>
            <Pie data={data} dataKey="value" nameKey="name" innerRadius="58%" outerRadius="90%" startAngle={90} endAngle={-270} isAnimationActive={false} stroke="#fff">
              {data.map((d) => (
                <Cell key={d.level} fill={COLORS[d.level]} />
              ))}
            </Pie>
            <Tooltip {...tooltipStyle} formatter={(value, name, item) => [`${formatInt(Number(value))} ${t("reportsPage.chart.ratings")} · ${formatShare((item.payload as { share: number | null }).share)}`, String(name)]} />
          </PieChart>
        </ChartBox>
        <p className="pointer-events-none absolute inset-0 flex flex-col items-center justify-center text-center">
          <span className="text-2xl font-bold text-slate-900" data-testid="satisfaction-rate">
            {formatShare(total.satisfactionRate)}
          </span>
          <span className="text-xs text-slate-600">{t("reportsPage.key.satisfaction")}</span>
        </p>
      </div>
      <ul className="mt-2 flex flex-wrap justify-center gap-x-4 gap-y-1 text-sm">
        {data.map((d) => (
          <li key={d.level} className="flex items-center gap-1.5">
            <span aria-hidden className={`inline-block size-3 rounded-sm ${SWATCH[d.level]}`} />
            <span>
              {d.name}: <b className="tabular-nums">{formatInt(d.value)}</b> <span className="text-slate-600">({formatShare(d.share)})</span>
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The on-time rate of returned dossiers over the series (percent), with a 0–100 axis. */
export function OnTimeChart({ report, granularity }: { report: DossiersReport; granularity: Granularity }) {
  const data = report.series.map((p) => ({ ...p, rate: p.onTimeRate == null ? null : Math.round(p.onTimeRate * 1000) / 10 }));
  return (
    <ChartBox heightClass="h-64" label={t("reportsPage.chart.onTimeCaption", { granularity: t(`reportsPage.granularity.${granularity}`) })} testId="chart-on-time">
      <LineChart data={data} margin={{ top: 12, right: 16, bottom: 4, left: 8 }}>
        <CartesianGrid stroke="#e2e8f0" />
        <XAxis dataKey="bucket" tick={AXIS} tickFormatter={(b: string) => formatBucket(b, granularity)} minTickGap={16} />
        <YAxis domain={[0, 100]} ticks={[0, 25, 50, 75, 100]} tick={AXIS} tickFormatter={(v: number) => `${v} %`} width={52} />
        <Tooltip
          {...tooltipStyle}
          labelFormatter={(b) => formatBucketLong(String(b), granularity)}
          formatter={(_v, _n, item) => {
            const p = item.payload as (typeof data)[number];
            return [`${formatShare(p.onTimeRate)} (${formatInt(p.onTime)}/${formatInt(p.returned)})`, t("reportsPage.chart.onTimeRate")];
          }}
        />
        <Line type="linear" dataKey="rate" stroke={COLORS.brand} strokeWidth={2.5} dot={{ r: 3 }} connectNulls isAnimationActive={false} />
      </LineChart>
    </ChartBox>
  );
}

type Bars = Array<{ key: string; name: string; value: number; fill: string }>;

/** A few named counts as horizontal bars with their value at the end. */
export function CountBars({ data, label, testId }: { data: Bars; label: string; testId: string }) {
  return (
    <ChartBox heightClass={data.length <= 4 ? "h-44" : "h-52"} label={label} testId={testId}>
      <BarChart data={data} layout="vertical" margin={{ top: 4, right: 56, bottom: 4, left: 8 }} barCategoryGap="25%">
        <XAxis type="number" hide allowDecimals={false} />
        <YAxis type="category" dataKey="name" tick={AXIS} width={150} interval={0} />
        <Tooltip {...tooltipStyle} cursor={{ fill: "#f1f5f9" }} formatter={(value) => [formatInt(Number(value)), label]} />
        <Bar dataKey="value" isAnimationActive={false} radius={[0, 3, 3, 0]}>
          {data.map((d) => (
            <Cell key={d.key} fill={d.fill} />
          ))}
          <LabelList dataKey="value" position="right" formatter={(v) => formatInt(Number(v))} style={{ fontSize: 12, fill: "#0f172a", fontWeight: 600 }} />
        </Bar>
      </BarChart>
    </ChartBox>
  );
}

export function ChannelChart({ report }: { report: TicketsReport }) {
  const c = report.total.byChannel;
  const data: Bars = [
    { key: "kiosk", name: t("channel.kiosk"), value: c.kiosk, fill: COLORS.brand },
    { key: "reception", name: t("channel.reception"), value: c.reception, fill: COLORS.median },
    { key: "appointment", name: t("channel.appointment"), value: c.appointment, fill: COLORS.mean },
    { key: "api", name: t("channel.api"), value: c.api, fill: COLORS.grey },
  ];
  return <CountBars data={data} label={t("reportsPage.chart.channel")} testId="chart-channel" />;
}

export function OutcomeChart({ report }: { report: TicketsReport }) {
  const f = report.total;
  const data: Bars = [
    { key: "served", name: t("reportsPage.outcome.served"), value: f.served, fill: COLORS.verySatisfied },
    { key: "noShow", name: t("reportsPage.outcome.noShow"), value: f.noShow, fill: COLORS.amber },
    { key: "cancelled", name: t("reportsPage.outcome.cancelled"), value: f.cancelled, fill: COLORS.grey },
    { key: "expired", name: t("reportsPage.outcome.expired"), value: f.expired, fill: COLORS.unsatisfied },
  ];
  if (f.open > 0) data.push({ key: "open", name: t("reportsPage.outcome.open"), value: f.open, fill: COLORS.brandLight });
  return <CountBars data={data} label={t("reportsPage.chart.outcome")} testId="chart-outcome" />;
}

export function AppointmentsChart({ report }: { report: AppointmentsReport }) {
  const f = report.total;
  const data: Bars = [
    { key: "kept", name: t("reportsPage.appointment.kept"), value: f.kept, fill: COLORS.verySatisfied },
    { key: "missed", name: t("reportsPage.appointment.missed"), value: f.missed, fill: COLORS.unsatisfied },
    { key: "cancelled", name: t("reportsPage.appointment.cancelled"), value: f.cancelled, fill: COLORS.grey },
    { key: "pending", name: t("reportsPage.appointment.pending"), value: f.pending, fill: COLORS.brandLight },
  ];
  return <CountBars data={data} label={t("reportsPage.chart.appointments")} testId="chart-appointments" />;
}
