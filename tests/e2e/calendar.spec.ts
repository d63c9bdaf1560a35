import { expect, test } from "@playwright/test";
import { t } from "../../server/i18n";
import { newPage, SCREENS, signIn, whenHydrated } from "./support";

// The centre's administrator keeps the centre's own days of next year on /admin/calendar. The day
// used here (Wednesday 16 June of next year) belongs to this file only; it is taken away at the end.
test("an administrator adds a centre day off for next year, sees it listed, is refused a Saturday, and takes the day away", async ({ browser }) => {
  test.setTimeout(90_000);
  const { context, page } = await newPage(browser, { width: 1366, height: 768 });
  await signIn(page, "quantri");
  await page.goto("/admin/centre");
  await page.getByRole("link", { name: t("admin.tabs.calendar"), exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/calendar$/);
  await expect(page.getByRole("heading", { name: t("calendar.title"), level: 1 })).toBeVisible();

  const year = new Date().getFullYear() + 1;
  await page.getByRole("navigation", { name: t("calendar.yearNav") }).getByRole("link", { name: String(year), exact: true }).click();
  await expect(page.getByRole("heading", { name: t("calendar.holidays", { year }) })).toBeVisible();
  // Public holidays with their names and dates; the deployment's decision is read-only for a centre's administrator.
  await expect(page.getByRole("row").filter({ hasText: `30/04/${year}` })).toContainText("Ngày Chiến thắng");
  await expect(page.getByText(t("calendar.decision.readOnly"))).toBeVisible();
  await expect(page.getByRole("button", { name: t("calendar.decision.save") })).toHaveCount(0);

  const day = new Date(Date.UTC(year, 5, 16));
  // The third Wednesday of June or so: find the Wednesday of that week, a plain working day.
  day.setUTCDate(16 + ((3 - day.getUTCDay() + 7) % 7));
  const iso = day.toISOString().slice(0, 10);
  const shown = `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${year}`;
  const listed = page.getByTestId(`centre-day-${iso}`);

  const add = page.getByRole("button", { name: t("calendar.centre.add") });
  await whenHydrated(add);
  // Typed as an administrator reads dates; the weekday shows before it is sent.
  await page.getByLabel(t("calendar.centre.day"), { exact: true }).fill(shown);
  await expect(page.getByTestId("typed-weekday")).toHaveText(t("calendar.weekday.3"));
  await page.getByLabel(t("calendar.centre.source"), { exact: true }).fill(`Quyết định số 15/QĐ-UBND ngày 02/01/${year} của UBND tỉnh`);
  await add.click();
  await expect(page.getByRole("status").filter({ hasText: t("calendar.centre.saved", { year }) })).toBeVisible();
  await expect(listed).toContainText(shown);
  await expect(listed).toContainText(t("calendar.weekday.3"));
  await expect(listed).toContainText(t("calendar.centre.dayOff"));

  // A Saturday as a day off is refused, in Vietnamese, naming the day; nothing is added.
  const saturday = new Date(day);
  saturday.setUTCDate(day.getUTCDate() + 3);
  const satIso = saturday.toISOString().slice(0, 10);
  await page.getByLabel(t("calendar.centre.day"), { exact: true }).fill(`${satIso.slice(8, 10)}/${satIso.slice(5, 7)}/${year}`);
  await expect(page.getByTestId("typed-weekday")).toHaveText(t("calendar.weekday.6"));
  await add.click();
  await expect(page.getByText(/vốn đã là ngày nghỉ hằng tuần/)).toContainText(`${satIso.slice(8, 10)}/${satIso.slice(5, 7)}/${year}`);
  await expect(page.getByTestId(`centre-day-${satIso}`)).toHaveCount(0);

  await page.screenshot({ path: `${SCREENS}/admin-calendar-1366.png` });
  await page.screenshot({ path: `${SCREENS}/admin-calendar-1366-full.png`, fullPage: true });

  await listed.getByRole("button", { name: t("calendar.centre.removeLabel", { day: shown }) }).click();
  await expect(listed).toHaveCount(0);
  await context.close();
});
