/**
 * The reports' exports and API over the fixed week (tests/integration/reports-fixture.ts): the
 * XLSX read back with exceljs matches the report's tables cell by cell under its title rows; the
 * CSV starts with a BOM, decodes as UTF-8 with its Vietnamese headers, quotes a name with a comma
 * and a quote; /api/v1/reports answers JSON, CSV and XLSX, and 400, 403, 404 with codes.
 */
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../server/auth/password";
import { userActor, type Actor } from "../../server/auth/permissions";
import { reportCsv, reportWorkbook } from "../../server/reports/export";
import { resolveReportFilter } from "../../server/reports/filter";
import { runReport, runReports } from "../../server/reports/service";
import { reportTables } from "../../server/reports/tables";
import { REPORT_KINDS, type ReportColumn, type ResolvedFilter } from "../../server/reports/types";
import { DEMO_PASSWORD_FOR_TESTS, startTestServer, type TestServer } from "../helpers/server";
import { NOW, buildFixture, type Fixture } from "./reports-fixture";

let s: TestServer;
let fx: Fixture;
let supervisor: Actor;
let filter: ResolvedFilter;
const cookies: Record<string, string> = {};
const QUERY = "from=2026-11-01&to=2026-11-20";

beforeAll(async () => {
  s = await startTestServer({ now: () => NOW });
  fx = await buildFixture(s.db, { passwordHash: await hashPassword(DEMO_PASSWORD_FOR_TESTS), suffix: "x" });
  supervisor = userActor(fx.people.supervisor);
  for (const [name, user] of Object.entries({ supervisor: fx.people.supervisor, officer: fx.people.officer, sysadmin: fx.people.sysadmin })) cookies[name] = (await s.login(user.username)).cookie;
  filter = await resolveReportFilter({ db: s.db, now: () => NOW }, supervisor, new URLSearchParams(QUERY));
}, 120_000);
afterAll(() => s?.close());

const deps = () => ({ db: s.db, now: () => NOW });

/** What a cell of the workbook holds for a table's value: minutes for a duration, a fraction for a share. */
const xlsxValue = (c: ReportColumn, v: string | number | null | undefined) => (v === null || v === undefined ? null : typeof v === "number" && c.kind === "duration" ? v / 60 : v);

describe("XLSX", () => {
  it("has a sheet per report with its title rows, and each table (title, headers, cells, total) as the report's tables say", async () => {
    const reports = await runReports(deps(), supervisor, filter);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await reportWorkbook(filter, reports, { now: NOW })) as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Lượt giao dịch", "Thời gian chờ và phục vụ", "Lượt đến theo giờ", "Gọi số không theo thứ tự", "Mức độ hài lòng", "Hồ sơ", "Lịch hẹn"]);
    for (const [i, report] of reports.entries()) {
      const ws = wb.worksheets[i]!;
      const text = (r: number, c: number) => ws.getCell(r, c).value;
      expect(text(1, 1)).toBe(`BÁO CÁO ${ws.name.toUpperCase()}`);
      expect(text(2, 1)).toBe("Trung tâm: Trung tâm Báo cáo, thử");
      expect(text(3, 1)).toBe("Thời gian: Từ 01/11/2026 đến 20/11/2026");
      expect(text(4, 1)).toBe("Lập lúc: 10:00 20/11/2026");
      let r = 7;
      const tables = reportTables(report, filter);
      expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 8 });
      for (const table of tables) {
        expect(text(r, 1)).toBe(table.title);
        table.columns.forEach((c, x) => expect(text(r + 1, x + 1)).toBe(c.kind === "share" ? `${c.header} (%)` : c.header));
        const body = [...table.rows, ...(table.total ? [table.total] : [])];
        body.forEach((row, y) =>
          table.columns.forEach((c, x) => {
            const cell = ws.getCell(r + 2 + y, x + 1);
            const expected = xlsxValue(c, row[c.key]);
            if (typeof expected === "number") expect(cell.value as number).toBeCloseTo(expected, 9);
            else expect(cell.value).toBe(expected);
            if (c.kind === "share" && expected !== null) expect(cell.numFmt).toBe("0.0%");
            if (c.kind === "duration" && expected !== null) expect(cell.numFmt).toBe("0.0");
          }),
        );
        if (table.total) expect(ws.getCell(r + 1 + body.length, 1).value).toBe("Tổng cộng");
        r += body.length + 3;
      }
    }
    // The waits sheet has the figures people look for.
    const waits = wb.getWorksheet("Thời gian chờ và phục vụ")!;
    expect(waits.getCell(8, 3).value).toBe("Thời gian chờ trung bình (phút)");
  });
});

describe("CSV", () => {
  it("starts with the BOM, decodes as UTF-8 with Vietnamese headers, CRLF lines, ; fields, decimal comma, quotes a name with a comma and a quote", async () => {
    const report = await runReport(deps(), supervisor, "waits", { ...filter, by: "officer" });
    const bytes = Buffer.from(reportCsv({ ...filter, by: "officer" }, report, { now: NOW }), "utf8");
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes.subarray(3));
    const lines = text.split("\r\n");
    expect(text.includes("\n") && !/[^\r]\n/.test(text)).toBe(true);
    expect(lines.slice(0, 4)).toEqual(["BÁO CÁO THỜI GIAN CHỜ VÀ PHỤC VỤ", "Trung tâm: Trung tâm Báo cáo, thử", "Thời gian: Từ 01/11/2026 đến 20/11/2026", "Lập lúc: 10:00 20/11/2026"].map((l) => (l.includes(",") ? `"${l}"` : l)));
    expect(lines).toContain("Cán bộ;Số lượt đã gọi;Thời gian chờ trung bình (phút);Thời gian chờ trung vị (phút);Thời gian chờ 90% lượt (phút);Số lượt phục vụ xong;Thời gian phục vụ trung bình (phút);Thời gian phục vụ trung vị (phút);Thời gian phục vụ 90% lượt (phút)");
    const o1 = report.lines.find((l) => l.key === String(fx.ids.O1))!;
    const minutes = (sec: number | null) => (sec === null ? "" : (sec / 60).toFixed(1).replace(".", ","));
    expect(lines).toContain(
      ['"Trần ""Bé"", Văn An"', o1.wait.count, minutes(o1.wait.meanSeconds), minutes(o1.wait.medianSeconds), minutes(o1.wait.p90Seconds), o1.service.count, minutes(o1.service.meanSeconds), minutes(o1.service.medianSeconds), minutes(o1.service.p90Seconds)].join(";"),
    );
    expect(lines.some((l) => l.startsWith("Tổng cộng;"))).toBe(true);
  });

  it("writes shares in percent with one decimal", async () => {
    const report = await runReport(deps(), supervisor, "satisfaction", filter);
    const lines = reportCsv(filter, report, { now: NOW }).split("\r\n");
    const total = lines.find((l) => l.startsWith("Tổng cộng;"))!.split(";");
    expect(total.at(-1)).toBe(((report.total.satisfactionRate ?? 0) * 100).toFixed(1).replace(".", ","));
    expect(lines).toContain("Lý do;Số lượt");
    expect(lines).toContain("Thời gian chờ đợi lâu;3");
  });
});

describe("/api/v1/reports", () => {
  const get = (path: string, who?: string) => s.request("GET", `/api/v1${path}`, { cookie: who ? cookies[who] : undefined });

  it("answers a report as JSON with its filter and tables, the same as the service", async () => {
    const res = await get(`/reports/waits?${QUERY}&by=counter`, "supervisor");
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const f = { ...filter, by: "counter" as const };
    const report = await runReport(deps(), supervisor, "waits", f);
    expect(res.body.data).toEqual(JSON.parse(JSON.stringify({ filter: f, report, tables: reportTables(report, f) })));
    const overview = await get(`/reports?${QUERY}`, "supervisor");
    expect(overview.status).toBe(200);
    expect(overview.body.data.reports.map((r: { report: { kind: string } }) => r.report.kind)).toEqual([...REPORT_KINDS]);
  });

  it("gives the CSV and the XLSX files with their names", async () => {
    const csv = await s.request("GET", `/api/v1/reports/waits?${QUERY}&format=csv`, { cookie: cookies.supervisor });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toBe('attachment; filename="bao-cao-cho-doi-2026-11-01-2026-11-20.csv"');
    // (fetch's text() drops a BOM: the bytes are read.)
    const raw = Buffer.from(await (await fetch(`${s.baseUrl}/api/v1/reports/waits?${QUERY}&format=csv`, { headers: { cookie: cookies.supervisor! } })).arrayBuffer());
    expect(raw.toString("utf8").startsWith("\uFEFFBÁO CÁO THỜI GIAN CHỜ VÀ PHỤC VỤ\r\n")).toBe(true);
    const response = await fetch(`${s.baseUrl}/api/v1/reports?${QUERY}&format=xlsx`, { headers: { cookie: cookies.supervisor! } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="bao-cao-2026-11-01-2026-11-20.xlsx"');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await response.arrayBuffer()) as never);
    expect(wb.worksheets).toHaveLength(7);
  });

  it("refuses: 404 an unknown kind, 400 a bad filter, 403 without the permission or for another centre", async () => {
    expect(await get(`/reports/weather?${QUERY}`, "supervisor")).toMatchObject({ status: 404, body: { error: { code: "report_not_found", message: "Không có loại báo cáo «weather»." } } });
    expect(await get(`/reports/waits?from=2026-11-20&to=2026-11-01`, "supervisor")).toMatchObject({ status: 400, body: { error: { code: "report_range_invalid" } } });
    expect(await get(`/reports/waits?${QUERY}&format=pdf`, "supervisor")).toMatchObject({ status: 400, body: { error: { code: "report_filter_invalid" } } });
    expect(await get(`/reports/waits?${QUERY}&field=${fx.other.field}`, "supervisor")).toMatchObject({ status: 404, body: { error: { code: "report_scope_not_found" } } });
    expect(await get(`/reports/waits?${QUERY}`, "officer")).toMatchObject({ status: 403, body: { error: { code: "forbidden" } } });
    expect(await get(`/reports/waits?${QUERY}&centre=all`, "supervisor")).toMatchObject({ status: 403, body: { error: { code: "forbidden" } } });
    expect(await get(`/reports/waits?${QUERY}`)).toMatchObject({ status: 401 });
    const all = await get(`/reports/tickets?${QUERY}&centre=all`, "sysadmin");
    expect(all.status).toBe(200);
    expect(all.body.data.filter.centreId).toBeNull();
    expect(all.body.data.report.lines.map((l: { key: string }) => l.key)).toEqual(expect.arrayContaining([String(fx.ids.centre), String(fx.other.centre)]));
  });
});
