/**
 * Vietnamese formats of the reports' figures, the same on the server and in the browser:
 * 1.234 · 12,5 % · "8 phút 30 giây" / "1 giờ 5 phút" · 01/11/2026 · "08:00–09:00".
 * Presentation only: every figure itself comes from server/reports.
 */
import { t } from "../../../server/i18n";
import { formatDateTime } from "../../../server/time";
import type { Granularity, ReportColumn } from "../../../server/reports/types";

const integer = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 1 });

export const NONE = "—";

/** 1.234 */
export const formatInt = (n: number | null | undefined) => (n == null ? NONE : integer.format(n));
/** 12,5 */
export const formatNumber = (n: number | null | undefined) => (n == null ? NONE : decimal.format(n));
/** A fraction 0–1 as "12,5 %". */
export const formatShare = (share: number | null | undefined) => (share == null ? NONE : `${decimal.format(share * 100)} %`);

/** Seconds in words: "45 giây", "8 phút 30 giây", "8 phút", "1 giờ 5 phút". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null) return NONE;
  const total = Math.max(0, Math.round(seconds));
  if (total < 60) return t("reportsPage.duration.seconds", { s: total });
  if (total < 3600) {
    const m = Math.floor(total / 60);
    const s = total % 60;
    return s === 0 ? t("reportsPage.duration.minutes", { m }) : t("reportsPage.duration.minutesSeconds", { m, s });
  }
  const rounded = Math.round(total / 60);
  const h = Math.floor(rounded / 60);
  const m = rounded % 60;
  return m === 0 ? t("reportsPage.duration.hours", { h }) : t("reportsPage.duration.hoursMinutes", { h, m });
}

/** Seconds as minutes with one decimal, for a chart's axis in minutes. */
export const toMinutes = (seconds: number | null | undefined) => (seconds == null ? null : Math.round(seconds / 6) / 10);

/** "2026-11-01" → "01/11/2026". */
export function formatDay(day: string): string {
  const [y, m, d] = day.slice(0, 10).split("-");
  return `${d}/${m}/${y}`;
}

/** A series' bucket as an axis label: "01/11" for a day or a week (its Monday), "11/2026" for a month. */
export function formatBucket(bucket: string, granularity: Granularity): string {
  const [y, m, d] = bucket.slice(0, 10).split("-");
  return granularity === "month" ? `${m}/${y}` : `${d}/${m}`;
}

/** The bucket in full, for a tooltip: "01/11/2026", "Tuần từ 02/11/2026", "Tháng 11/2026". */
export function formatBucketLong(bucket: string, granularity: Granularity): string {
  const [y, m] = bucket.slice(0, 10).split("-");
  if (granularity === "month") return `Tháng ${m}/${y}`;
  if (granularity === "week") return `Tuần từ ${formatDay(bucket)}`;
  return formatDay(bucket);
}

const pad = (n: number) => String(n).padStart(2, "0");
/** 8 → "08:00–09:00". */
export const formatHourRange = (hour: number) => `${pad(hour)}:00–${pad((hour + 1) % 24)}:00`;
/** 8 → "08h", an axis tick. */
export const formatHourTick = (hour: number) => `${pad(hour)}h`;

/** An instant as "08:30 03/11/2026", Vietnam time. */
export const formatInstant = (at: string) => formatDateTime(at);

/** A table cell as its column's kind says. */
export function formatCell(kind: ReportColumn["kind"], value: string | number | null | undefined): string {
  if (value == null || value === "") return NONE;
  if (typeof value === "string") return value;
  switch (kind) {
    case "int":
      return formatInt(value);
    case "share":
      return formatShare(value);
    case "duration":
      return formatDuration(value);
    case "number":
      return formatNumber(value);
    default:
      return String(value);
  }
}
