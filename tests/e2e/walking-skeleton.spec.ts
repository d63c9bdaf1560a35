import { expect, test, type Page } from "@playwright/test";
import { t } from "../../server/i18n";
import { demoPairingLinks, newPage, pair, SCREENS, whenHydrated, type Marked, demoPassword } from "./support";

const FIELD = "Hộ tịch"; // prefix A; counter 1 serves it alone

async function logIn(page: Page, username: string) {
  await page.goto("/login");
  await page.getByLabel(t("login.username")).fill(username);
  await page.getByLabel(t("login.password")).fill(demoPassword());
  await page.getByRole("button", { name: t("login.submit"), exact: true }).click();
}

test("walking skeleton: pair a kiosk and a display, take a number, call it, see it on the display, finish it", async ({ browser }) => {
  // a. The administrator makes one-time pairing links for the two demo devices.
  const admin = await newPage(browser, { width: 1280, height: 900 });
  await logIn(admin.page, "quantri");
  await expect(admin.page).toHaveURL(/\/$/);
  const { kioskLink, displayLink } = await demoPairingLinks(admin.page);

  // b. The waiting-room screen is paired and goes live (a banner shows whenever it is offline).
  const display = await newPage(browser, { width: 1920, height: 1080 });
  await pair(display.page, displayLink, "display");
  await expect(display.page.getByTestId("latest-call")).toBeVisible();
  // Counter 1 is closed: closed counters take no room on the screen.
  await expect(display.page.getByTestId("counter-1")).toHaveCount(0);
  await expect(display.page.getByTestId("display")).toHaveAttribute("data-connection", "online");
  await expect(display.page.getByTestId("offline-banner")).toBeHidden();

  // c. A citizen takes a number for Hộ tịch at the kiosk.
  const kiosk = await newPage(browser, { width: 1280, height: 1024 });
  await pair(kiosk.page, kioskLink, "kiosk");
  const fieldButton = kiosk.page.getByRole("button", { name: FIELD });
  await expect(fieldButton).toBeVisible();
  await whenHydrated(fieldButton);
  // The demo centre says on every page that its data is made up.
  await expect(kiosk.page.getByTestId("demo-badge")).toHaveText(t("app.demo"));
  await expect(admin.page.getByTestId("demo-badge")).toHaveText(t("app.demo"));
  await kiosk.page.screenshot({ path: `${SCREENS}/kiosk.png` });
  await fieldButton.click();
  const ticketCode = kiosk.page.getByTestId("ticket-code");
  await expect(ticketCode).toHaveText(/^A\d{3}$/);
  const code = (await ticketCode.textContent())!.trim();
  await expect(kiosk.page.getByTestId("issued-ticket")).toContainText(FIELD);
  await kiosk.page.screenshot({ path: `${SCREENS}/kiosk-ticket.png` });
  // Not called yet: the latest call does not show it (other e2e files may have called other numbers).
  await expect(display.page.getByTestId("latest-call")).not.toContainText(code);

  // The display must update live from here on: a reload would hide a broken socket.
  await display.page.evaluate(() => {
    (window as unknown as Marked).__marker = 1;
  });

  // d. An officer takes counter 1 and calls the next number with F2.
  const officer = await newPage(browser, { width: 1366, height: 768 });
  await logIn(officer.page, "canbo01");
  await expect(officer.page).toHaveURL(/\/counter$/);
  await expect(officer.page.getByTestId("live-badge")).toHaveAttribute("data-connection", "online");
  await officer.page.getByRole("button", { name: `${t("counter.signIn")} 1`, exact: true }).click();
  await expect(officer.page.getByRole("heading", { name: "Quầy 1", level: 1, exact: true })).toBeVisible();
  await expect(officer.page.getByTestId("current-ticket")).toHaveText(t("counter.none"));
  await expect(officer.page.getByTestId("waiting-total")).toHaveText(t("counter.people", { n: 1 }));
  await officer.page.keyboard.press("F2");
  await expect(officer.page.getByTestId("current-ticket")).toHaveText(code);
  await expect(officer.page.getByRole("status")).toHaveText(t("counter.called", { code }));
  await expect(officer.page.getByTestId("waiting-total")).toHaveText(t("counter.people", { n: 0 }));
  await officer.page.screenshot({ path: `${SCREENS}/counter.png` });

  // e. The display shows the call without being reloaded.
  await expect(display.page.getByTestId("counter-1")).toContainText(code, { timeout: 10_000 });
  await expect(display.page.getByTestId("latest-call")).toContainText(code, { timeout: 10_000 });
  await expect(display.page.getByTestId("latest-call")).toContainText(`${t("display.toCounter")} 1`);
  await expect(display.page.getByTestId("offline-banner")).toBeHidden();
  expect(await display.page.evaluate(() => (window as unknown as Marked).__marker)).toBe(1);
  await display.page.screenshot({ path: `${SCREENS}/display.png` });

  // f. The officer finishes with F4; the counter frees up on both screens.
  await officer.page.keyboard.press("F4");
  await expect(officer.page.getByTestId("current-ticket")).toHaveText(t("counter.none"));
  await expect(officer.page.getByRole("status")).toHaveText(t("counter.finished", { code }));
  await expect(display.page.getByTestId("counter-1")).not.toContainText(code, { timeout: 10_000 });
  expect(await display.page.evaluate(() => (window as unknown as Marked).__marker)).toBe(1);

  // The officer leaves the counter, which the display shows as closed.
  await officer.page.getByRole("button", { name: t("counter.signOut"), exact: true }).click();
  await expect(officer.page.getByRole("heading", { name: t("counter.choose"), level: 1 })).toBeVisible();
  await expect(display.page.getByTestId("counter-1")).toHaveCount(0, { timeout: 10_000 });

  for (const { context } of [admin, display, kiosk, officer]) await context.close();
});
