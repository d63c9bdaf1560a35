import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, type Browser, type Locator, type Page } from "@playwright/test";
import { t } from "../../server/i18n";

// The demo centre the e2e server seeds into its fresh database (server/demo/seed.ts), with a
// password made at its first start and kept in its data folder (scripts/e2e-server.mjs).
const passwords = new Map<number, string>();
/** The demo password of the e2e server on `port` (by default the one Playwright starts). */
export function demoPassword(port = Number(process.env.E2E_PORT || 3217)): string {
  if (!passwords.has(port)) passwords.set(port, readFileSync(path.join(tmpdir(), `motcua-e2e-${port}`, "demo-password.txt"), "utf8").trim());
  return passwords.get(port)!;
}
export const KIOSK_NAME = "Máy lấy số sảnh chính";
export const DISPLAY_NAME = "Màn hình chờ sảnh chính";
export const SCREENS = "test-results/screens";

/** A value set on a page's window: still there later means the page was never reloaded. */
export type Marked = { __marker?: number };

/**
 * Waits until React has hydrated the element. Plain <Form>s work before that (they post
 * like HTML forms), but a fetcher form clicked too early would post as a document request:
 * the action would run and its answer would never reach the page.
 */
export async function whenHydrated(locator: Locator) {
  await expect
    .poll(() => locator.evaluate((el) => Object.keys(el).some((key) => key.startsWith("__reactProps$"))))
    .toBe(true);
}

export async function newPage(browser: Browser, viewport: { width: number; height: number }) {
  const context = await browser.newContext({ viewport });
  return { context, page: await context.newPage() };
}

/** Signs a staff member in on `page` with the demo password (of the e2e server on `port`), and waits to leave the login page. */
export async function signIn(page: Page, username: string, port?: number) {
  await logIn(page, username, demoPassword(port));
}

/** Signs a staff member in on `page` with their own password (an account a test made), and waits to leave the login page. */
export async function logIn(page: Page, username: string, password: string) {
  await page.goto("/login");
  await whenHydrated(page.getByLabel(t("login.username")));
  await page.getByLabel(t("login.username")).fill(username);
  await page.getByLabel(t("login.password")).fill(password);
  await page.getByRole("button", { name: t("login.submit"), exact: true }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

/** Opens a one-time pairing link on a fresh browser and pairs it; returns on the device's page. */
export async function pair(page: Page, link: string, kind: "kiosk" | "display") {
  await page.goto(link);
  await expect(page.getByRole("heading", { name: t("pair.title") })).toBeVisible();
  await page.getByRole("button", { name: t("pair.submit") }).click();
  await expect(page).toHaveURL(new RegExp(`/${kind}$`));
}

/** On /admin/devices (signed in as the administrator): fresh one-time links for the demo kiosk and display. */
export async function demoPairingLinks(admin: Page) {
  await admin.goto("/admin/devices");
  await expect(admin.getByRole("heading", { name: t("devices.title"), level: 1 })).toBeVisible();
  const newLinkButton = (deviceName: string) =>
    admin.getByRole("row").filter({ hasText: deviceName }).getByRole("button", { name: t("devices.newLink") });
  const linkBox = admin.getByTestId("pairing-link");

  await whenHydrated(newLinkButton(KIOSK_NAME));
  await newLinkButton(KIOSK_NAME).click();
  await expect(admin.getByRole("status")).toContainText(t("devices.linkCreated", { name: KIOSK_NAME }));
  await expect(linkBox).toHaveText(/^http:\/\/localhost:\d+\/pair\/\S+$/);
  const kioskLink = (await linkBox.textContent())!.trim();

  await newLinkButton(DISPLAY_NAME).click();
  await expect(admin.getByRole("status")).toContainText(t("devices.linkCreated", { name: DISPLAY_NAME }));
  await expect(linkBox).not.toHaveText(kioskLink);
  await expect(linkBox).toHaveText(/^http:\/\/localhost:\d+\/pair\/\S+$/);
  const displayLink = (await linkBox.textContent())!.trim();
  return { kioskLink, displayLink };
}

/** On /admin/devices (signed in as the administrator): takes back a device a test made, so no device of it is left to go "offline" on the board. */
export async function revokeDeviceNamed(admin: Page, name: string) {
  await admin.goto("/admin/devices");
  const row = admin.getByRole("row").filter({ hasText: name });
  admin.once("dialog", (dialog) => void dialog.accept());
  const revoke = row.getByRole("button", { name: t("devices.revoke") });
  await whenHydrated(revoke);
  await revoke.click();
  await expect(row).toContainText(t("devices.status.revoked"));
}
