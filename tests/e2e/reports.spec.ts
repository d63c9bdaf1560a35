import { writeFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { t } from "../../server/i18n";
import { newPage, SCREENS, signIn, whenHydrated } from "./support";

// The reports of the demo centre's history (a few weeks written at its first start): the page
// draws its charts, a filter is a URL and changes the figures (the same the API gives), the
// downloads and the printable A4 summary answer. It only reads: no demo data is changed.

/** Errors the browser reports on a page: hydration mismatches and CSP refusals show up here. */
function consoleErrors(page: Page) {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  return errors;
}

/** The text of a PDF's pages and their sizes in points. */
async function readPdf(bytes: Buffer) {
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: Array<{ width: number; height: number; text: string }> = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const { width, height } = page.getViewport({ scale: 1 });
    const content = await page.getTextContent();
    pages.push({ width, height, text: content.items.map((item) => ("str" in item ? item.str : "")).join(" ").replace(/\s+/g, " ").normalize("NFC") });
  }
  return pages;
}

const issuedOf = async (page: Page) => Number((await page.getByTestId("key-issued-value").innerText()).replace(/\./g, ""));

test("the supervisor's reports of the demo history: charts, a filter in the URL, the same figures as the API, downloads and the A4 summary", async ({ browser }) => {
  test.setTimeout(120_000);
  const { page, context } = await newPage(browser, { width: 1366, height: 768 });
  const errors = consoleErrors(page);
  await signIn(page, "giamsat");

  // The staff navigation offers the reports to a supervisor.
  await page.getByRole("navigation", { name: t("nav.label") }).getByRole("link", { name: t("reportsPage.nav") }).click();
  await expect(page).toHaveURL(/\/reports$/);
  await expect(page.getByTestId("report-title")).toContainText(t("reportsPage.title"));
  await expect(page.getByTestId("report-lines")).toContainText("Trung tâm:");

  // The charts are drawn (SVG bars, the three sectors of the satisfaction split, the on-time line).
  const arrivalsBars = page.getByTestId("chart-arrivals").locator(".recharts-bar-rectangle path");
  await expect.poll(() => arrivalsBars.count()).toBeGreaterThan(5);
  await expect.poll(() => page.getByTestId("chart-satisfaction").locator(".recharts-pie-sector path").count()).toBe(3);
  await expect.poll(() => page.getByTestId("chart-waits").locator(".recharts-bar-rectangle path").count()).toBeGreaterThan(2);
  await expect(page.getByTestId("chart-on-time").locator(".recharts-line-curve")).toHaveCount(1);
  await expect(page.getByTestId("chart-channel").locator(".recharts-bar-rectangle path").first()).toBeVisible();
  // Every key figure has a value, in Vietnamese formats.
  await expect(page.getByTestId("key-mean-wait-value")).toHaveText(/^\d+ (phút|giây)|giờ/);
  await expect(page.getByTestId("key-satisfaction-value")).toHaveText(/^\d{1,3}(,\d)? %$/);
  await expect(page.getByTestId("key-peak-value")).toHaveText(/^\d\d:00–\d\d:00$/);
  await page.screenshot({ path: `${SCREENS}/reports-1366.png` });
  await page.screenshot({ path: `${SCREENS}/reports-1366-full.png`, fullPage: true });
  const allIssued = await issuedOf(page);
  expect(allIssued).toBeGreaterThan(100);

  // A filter: field Hộ tịch. The URL carries it, and the figures are the field's.
  const form = page.getByTestId("report-filter");
  const fieldSelect = form.locator('select[name="field"]');
  await whenHydrated(fieldSelect);
  await fieldSelect.selectOption({ label: "Hộ tịch" });
  await form.getByRole("button", { name: t("reportsPage.filter.submit") }).click();
  await expect(page).toHaveURL(/[?&]field=\d+/);
  await expect(page.getByTestId("report-lines")).toContainText("Lĩnh vực: Hộ tịch");
  const url = new URL(page.url());
  expect(url.searchParams.has("counter")).toBe(false); // empty choices stay out of the URL
  await expect.poll(() => issuedOf(page)).not.toBe(allIssued);
  const fieldIssued = await issuedOf(page);
  expect(fieldIssued).toBeGreaterThan(0);
  expect(fieldIssued).toBeLessThan(allIssued);
  const api = await page.request.get(`/api/v1/reports/tickets${url.search}`);
  expect(api.status()).toBe(200);
  const body = await api.json();
  expect(body.data.report.total.issued).toBe(fieldIssued);
  // The shared view opens as it was (another tab, same URL).
  const shared = await context.newPage();
  await shared.goto(url.pathname + url.search);
  await expect(shared.getByTestId("report-lines")).toContainText("Lĩnh vực: Hộ tịch");
  await expect(shared.getByTestId("key-issued-value")).toHaveText(await page.getByTestId("key-issued-value").innerText());
  await shared.close();

  // Downloads: one report as CSV (UTF-8 with BOM) and XLSX, the whole workbook.
  const csvHref = await page.getByTestId("csv-waits").getAttribute("href");
  expect(csvHref).toContain("field=");
  const csv = await page.request.get(csvHref!);
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toMatch(/^text\/csv; ?charset=utf-8/i);
  const csvBytes = await csv.body();
  expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(csvBytes.toString("utf8")).toContain("Hộ tịch");
  for (const testId of ["xlsx-tickets", "workbook-link"]) {
    const href = await page.getByTestId(testId).getAttribute("href");
    const xlsx = await page.request.get(href!);
    expect(xlsx.status()).toBe(200);
    expect(xlsx.headers()["content-type"]).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(xlsx.headers()["content-disposition"]).toMatch(/^attachment; filename="[a-z0-9-_]+\.xlsx"$/);
    expect([...(await xlsx.body()).subarray(0, 2)]).toEqual([0x50, 0x4b]); // a zip (an OOXML file)
  }

  // The printable A4 summary of the same view: charts drawn, no navigation, A4 pages.
  await page.getByTestId("print-link").click();
  await expect(page).toHaveURL(/\/reports\/in\?.*field=\d+/);
  await expect(page.getByTestId("report-print")).toContainText("Lĩnh vực: Hộ tịch");
  await expect(page.getByRole("navigation")).toHaveCount(0);
  await expect.poll(() => page.getByTestId("chart-arrivals").locator(".recharts-bar-rectangle path").count()).toBeGreaterThan(3);
  await page.screenshot({ path: `${SCREENS}/reports-print.png`, fullPage: true });
  const pdf = await page.pdf({ format: "A4", printBackground: true });
  writeFileSync(`${SCREENS}/reports-print.pdf`, pdf);
  const pages = await readPdf(pdf);
  expect(pages.length).toBeGreaterThan(1);
  for (const p of pages) {
    // A4 is 595.3 × 841.9 pt; Chromium rounds it to whole pixels.
    expect(Math.abs(p.width - 595.3)).toBeLessThan(2);
    expect(Math.abs(p.height - 841.9)).toBeLessThan(2);
  }
  // The PDF's text items split letters with their marks apart: compared without spaces.
  const squash = (s: string) => s.replace(/\s+/g, "");
  const text = squash(pages.map((p) => p.text).join(""));
  expect(text).toContain(squash(t("reportsPage.printTitle")));
  expect(text).toContain(squash("Lĩnh vực: Hộ tịch"));
  expect(text).toContain(squash(t("reportsPage.section.appointments")));
  expect(text).toContain(squash(t("reportsPage.printFooter"))); // the last line made it onto paper
  expect(await page.getByTestId("print-button").isVisible()).toBe(true);
  expect(text).not.toContain(squash(t("reportsPage.back"))); // nor the screen's buttons
  expect(errors).toEqual([]);
  await context.close();
});

test("the reports at 1920×1080, an empty range, a refused filter, and an officer refused", async ({ browser }) => {
  const { page, context } = await newPage(browser, { width: 1920, height: 1080 });
  const errors = consoleErrors(page);
  await signIn(page, "giamsat");
  await page.goto("/reports");
  await expect.poll(() => page.getByTestId("chart-arrivals").locator(".recharts-bar-rectangle path").count()).toBeGreaterThan(5);
  await page.screenshot({ path: `${SCREENS}/reports-1920.png` });

  // A day long before the history: every section says there is nothing, in Vietnamese.
  await page.goto("/reports?period=day&date=2020-01-06");
  await expect(page.getByTestId("report-title")).toContainText("06/01/2020");
  await expect(page.getByTestId("empty-arrivals")).toHaveText(t("reportsPage.empty"));
  await expect(page.getByTestId("empty-satisfaction")).toHaveText(t("reportsPage.empty"));
  await expect(page.getByTestId("key-issued-value")).toHaveText("0");
  await page.screenshot({ path: `${SCREENS}/reports-empty.png`, fullPage: true });

  // A range that ends before it starts: the module's message above the form, the values as typed.
  await page.goto("/reports?period=custom&from=2026-03-10&to=2026-03-01");
  await expect(page.getByTestId("report-error")).toHaveText(t("error.report_range_invalid", { from: "10/03/2026", to: "01/03/2026" }));
  await expect(page.getByTestId("report-filter").locator('input[name="from"]')).toHaveValue("2026-03-10");
  await expect(page.getByTestId("key-figures")).toHaveCount(0);
  await page.screenshot({ path: `${SCREENS}/reports-bad-filter.png` });
  // A download link edited by hand to such a filter leads to the page that says why.
  await page.goto("/reports/tickets/csv?period=custom&from=2026-03-10&to=2026-03-01");
  await expect(page).toHaveURL(/\/reports\?period=custom&from=2026-03-10&to=2026-03-01$/);
  await expect(page.getByTestId("report-error")).toHaveText(t("error.report_range_invalid", { from: "10/03/2026", to: "01/03/2026" }));
  expect(errors).toEqual([]);
  await context.close();

  // An officer has no reports: no link, and the page says why.
  const officer = await newPage(browser, { width: 1366, height: 768 });
  await signIn(officer.page, "canbo01");
  await expect(officer.page.getByRole("link", { name: t("reportsPage.nav"), exact: true })).toHaveCount(0);
  await officer.page.goto("/reports");
  await expect(officer.page.getByRole("alert")).toHaveText(t("error.forbidden"));
  const csv = await officer.page.request.get("/reports/tickets/csv");
  expect(csv.status()).toBe(403);
  await officer.context.close();
});
