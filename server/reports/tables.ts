/**
 * The tables of a report, as the page shows them beside its charts and the exports write them:
 * Vietnamese headers from the catalogue, typed cells (durations in seconds, shares as fractions;
 * each view formats them). Pure.
 */
import { t, type MessageKey } from "../i18n";
import { OUT_OF_ORDER_REASONS, outOfOrderLabel } from "../queue/reasons";
import { reasonLabel, valueLabel } from "../ratings/rules";
import { formatDateTime as dateTime } from "../time";
import type { Durations, Granularity, Report, ReportColumn, ReportDimension, ReportKind, ReportTable, ResolvedFilter } from "./types";

type Cells = Record<string, string | number | null>;

const col = (key: string, header: MessageKey | string, kind: ReportColumn["kind"]): ReportColumn => ({ key, header: header.startsWith("reports.") ? t(header as MessageKey) : header, kind });

export const reportName = (kind: ReportKind) => t(`reports.kind.${kind}` as MessageKey);
const byWords = (by: ReportDimension) => t(`reports.by.${by}` as MessageKey);
const lineColumn = (by: ReportDimension) => col("line", `reports.col.line.${by}`, "text");
const bucketColumn = (g: Granularity) => col("bucket", `reports.col.bucket.${g}`, "text");
const lineLabel = (by: ReportDimension, line: { key: string; label: string }) => (line.key === "none" ? t(`reports.none.${by}` as MessageKey) : line.label);
/** A bucket as people read it: dd/MM/yyyy, or MM/yyyy for a month. */
const bucketLabel = (g: Granularity, bucket: string) => (g === "month" ? `${bucket.slice(5, 7)}/${bucket.slice(0, 4)}` : `${bucket.slice(8, 10)}/${bucket.slice(5, 7)}/${bucket.slice(0, 4)}`);
const TOTAL = () => t("reports.total");

function table(title: string, columns: ReportColumn[], rows: Cells[], total?: Cells): ReportTable {
  return total ? { title, columns, rows, total } : { title, columns, rows };
}
const byTitle = (kind: ReportKind, by: ReportDimension) => t("reports.table.byDimension", { report: reportName(kind), by: byWords(by) });
const overTitle = (kind: ReportKind, g: Granularity) => t("reports.table.over", { report: reportName(kind), granularity: t(`reports.granularity.${g}` as MessageKey) });

const durationCells = (prefix: string, d: Durations): Cells => ({ [`${prefix}Mean`]: d.meanSeconds, [`${prefix}Median`]: d.medianSeconds, [`${prefix}P90`]: d.p90Seconds });

export function reportTables(report: Report, filter: ResolvedFilter): ReportTable[] {
  const g = filter.granularity;
  switch (report.kind) {
    case "tickets": {
      const columns = [
        lineColumn(report.by),
        col("issued", "reports.col.issued", "int"),
        col("kiosk", "reports.col.kiosk", "int"),
        col("reception", "reports.col.reception", "int"),
        col("appointment", "reports.col.appointment", "int"),
        col("api", "reports.col.api", "int"),
        col("served", "reports.col.served", "int"),
        col("noShow", "reports.col.noShow", "int"),
        col("noShowShare", "reports.col.noShowShare", "share"),
        col("cancelled", "reports.col.cancelled", "int"),
        col("expired", "reports.col.expired", "int"),
        col("open", "reports.col.open", "int"),
      ];
      const cells = (f: (typeof report)["total"], line: string): Cells => ({ line, issued: f.issued, ...f.byChannel, served: f.served, noShow: f.noShow, noShowShare: f.noShowShare, cancelled: f.cancelled, expired: f.expired, open: f.open });
      return [
        table(byTitle("tickets", report.by), columns, report.lines.map((l) => cells(l, lineLabel(report.by, l))), cells(report.total, TOTAL())),
        table(
          overTitle("tickets", g),
          [bucketColumn(g), col("issued", "reports.col.issued", "int"), col("served", "reports.col.served", "int"), col("noShow", "reports.col.noShow", "int")],
          report.series.map((p) => ({ bucket: bucketLabel(g, p.bucket), issued: p.issued, served: p.served, noShow: p.noShow })),
        ),
      ];
    }
    case "waits": {
      const columns = [
        lineColumn(report.by),
        col("called", "reports.col.called", "int"),
        col("waitMean", "reports.col.waitMean", "duration"),
        col("waitMedian", "reports.col.waitMedian", "duration"),
        col("waitP90", "reports.col.waitP90", "duration"),
        col("serviceCount", "reports.col.serviceCount", "int"),
        col("serviceMean", "reports.col.serviceMean", "duration"),
        col("serviceMedian", "reports.col.serviceMedian", "duration"),
        col("serviceP90", "reports.col.serviceP90", "duration"),
      ];
      const cells = (f: (typeof report)["total"], line: string): Cells => ({ line, called: f.wait.count, ...durationCells("wait", f.wait), serviceCount: f.service.count, ...durationCells("service", f.service) });
      return [
        table(byTitle("waits", report.by), columns, report.lines.map((l) => cells(l, lineLabel(report.by, l))), cells(report.total, TOTAL())),
        table(
          overTitle("waits", g),
          [bucketColumn(g), col("waitMean", "reports.col.waitMean", "duration"), col("serviceMean", "reports.col.serviceMean", "duration")],
          report.series.map((p) => ({ bucket: bucketLabel(g, p.bucket), waitMean: p.meanWaitSeconds, serviceMean: p.meanServiceSeconds })),
        ),
      ];
    }
    case "arrivals": {
      const pad = (n: number) => String(n).padStart(2, "0");
      return [
        table(
          t("reports.table.hours"),
          [col("hour", "reports.col.hour", "text"), col("issued", "reports.col.arrivals", "int"), col("perDay", "reports.col.perDay", "number")],
          report.hours.map((h) => ({ hour: t("reports.hour", { from: pad(h.hour), to: pad(h.hour + 1) }), issued: h.issued, perDay: h.perDay })),
        ),
        table(
          t("reports.table.weekdays"),
          [col("weekday", "reports.col.weekday", "text"), col("issued", "reports.col.arrivals", "int"), col("perDay", "reports.col.perDay", "number")],
          report.weekdays.map((w) => ({ weekday: t(`reports.weekday.${w.weekday}` as MessageKey), issued: w.issued, perDay: w.perDay })),
        ),
      ];
    }
    case "out_of_order": {
      const columns = [
        lineColumn("officer"),
        col("calls", "reports.col.calls", "int"),
        col("outOfOrder", "reports.col.outOfOrder", "int"),
        col("share", "reports.col.outOfOrderShare", "share"),
        ...OUT_OF_ORDER_REASONS.map((r) => col(`reason_${r}`, t(outOfOrderLabel(r)), "int")),
      ];
      const cells = (f: (typeof report)["total"], line: string): Cells => ({
        line,
        calls: f.calls,
        outOfOrder: f.outOfOrder,
        share: f.share,
        ...Object.fromEntries(OUT_OF_ORDER_REASONS.map((r) => [`reason_${r}`, f.byReason[r]])),
      });
      return [
        table(t("reports.table.oooOfficers"), columns, report.officers.map((l) => cells(l, lineLabel("officer", l))), cells(report.total, TOTAL())),
        table(
          t("reports.table.oooRecent"),
          [col("at", "reports.col.at", "text"), col("code", "reports.col.code", "text"), col("officer", "reports.col.officer", "text"), col("counter", "reports.col.counter", "int"), col("reason", "reports.col.reason", "text"), col("note", "reports.col.note", "text")],
          report.recent.map((r) => ({ at: dateTime(r.at), code: r.code, officer: r.officer, counter: r.counter, reason: t(outOfOrderLabel(r.reason)), note: r.note })),
        ),
      ];
    }
    case "satisfaction": {
      const columns = [
        lineColumn(report.by),
        col("count", "reports.col.ratings", "int"),
        col("verySatisfied", "reports.col.verySatisfied", "int"),
        col("satisfied", "reports.col.satisfied", "int"),
        col("unsatisfied", "reports.col.unsatisfied", "int"),
        col("verySatisfiedShare", "reports.col.verySatisfiedShare", "share"),
        col("satisfiedShare", "reports.col.satisfiedShare", "share"),
        col("unsatisfiedShare", "reports.col.unsatisfiedShare", "share"),
        col("satisfactionRate", "reports.col.satisfactionRate", "share"),
      ];
      const cells = (f: (typeof report)["total"], line: string): Cells => ({ line, ...f });
      return [
        table(byTitle("satisfaction", report.by), columns, report.lines.map((l) => cells(pick(l, columns), lineLabel(report.by, l))), cells(pick(report.total, columns), TOTAL())),
        table(
          overTitle("satisfaction", g),
          [bucketColumn(g), col("count", "reports.col.ratings", "int"), col("satisfactionRate", "reports.col.satisfactionRate", "share")],
          report.series.map((p) => ({ bucket: bucketLabel(g, p.bucket), count: p.count, satisfactionRate: p.satisfactionRate })),
        ),
        table(
          t("reports.table.reasons"),
          [col("reason", "reports.col.reason", "text"), col("count", "reports.col.count", "int")],
          report.reasons.map((r) => ({ reason: reasonLabel(r.reason), count: r.count })),
        ),
        table(
          t("reports.table.comments"),
          [col("at", "reports.col.at", "text"), col("value", "reports.col.rating", "text"), col("officer", "reports.col.officer", "text"), col("counter", "reports.col.counter", "int"), col("text", "reports.col.comment", "text")],
          report.comments.map((c) => ({ at: dateTime(c.at), value: valueLabel(c.value), officer: c.officer, counter: c.counter, text: c.text })),
        ),
      ];
    }
    case "dossiers": {
      const columns = [
        lineColumn(report.by),
        col("received", "reports.col.received", "int"),
        col("returned", "reports.col.returned", "int"),
        col("onTime", "reports.col.onTime", "int"),
        col("late", "reports.col.late", "int"),
        col("onTimeRate", "reports.col.onTimeRate", "share"),
        col("supplemented", "reports.col.supplemented", "int"),
        col("refused", "reports.col.refused", "int"),
        col("stopped", "reports.col.stopped", "int"),
        col("open", "reports.col.dossiersOpen", "int"),
        col("overdue", "reports.col.overdue", "int"),
      ];
      const cells = (f: (typeof report)["total"], line: string): Cells => ({ line, ...f });
      return [
        table(byTitle("dossiers", report.by), columns, report.lines.map((l) => cells(pick(l, columns), lineLabel(report.by, l))), cells(report.total, TOTAL())),
        table(
          overTitle("dossiers", g),
          [bucketColumn(g), col("returned", "reports.col.returned", "int"), col("onTime", "reports.col.onTime", "int"), col("onTimeRate", "reports.col.onTimeRate", "share")],
          report.series.map((p) => ({ bucket: bucketLabel(g, p.bucket), returned: p.returned, onTime: p.onTime, onTimeRate: p.onTimeRate })),
        ),
      ];
    }
    case "appointments": {
      const columns = [
        lineColumn(report.by),
        col("booked", "reports.col.booked", "int"),
        col("kept", "reports.col.kept", "int"),
        col("missed", "reports.col.missed", "int"),
        col("cancelled", "reports.col.apptCancelled", "int"),
        col("pending", "reports.col.pending", "int"),
        col("keptRate", "reports.col.keptRate", "share"),
      ];
      const cells = (f: (typeof report)["total"], line: string): Cells => ({ line, ...f });
      const notNarrowed = [filter.counterId !== null && t("reports.by.counter"), filter.officerId !== null && t("reports.by.officer")].filter(Boolean).join(", ");
      const title = notNarrowed ? t("reports.table.notNarrowed", { title: byTitle("appointments", report.by), what: notNarrowed }) : byTitle("appointments", report.by);
      return [table(title, columns, report.lines.map((l) => cells(pick(l, columns), lineLabel(report.by, l))), cells(report.total, TOTAL()))];
    }
  }
}

/** Only the figures a table has columns for (a line also carries its key and label). */
function pick<T extends object>(figures: T, columns: ReportColumn[]): T {
  const keys = new Set(columns.map((c) => c.key));
  return Object.fromEntries(Object.entries(figures).filter(([k]) => keys.has(k))) as T;
}
