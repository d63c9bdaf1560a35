import { expect, test } from "@playwright/test";
import { t } from "../../server/i18n";
import { demoPassword, whenHydrated } from "./support";

// The production build under its Content-Security-Policy: every script carries the response's
// nonce, nothing is blocked, and the pages still hydrate and go live. (Officer canbo05 is used
// by no other e2e file.)
test("every script carries the response's CSP nonce; the login page and the console work with nothing blocked", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });

  const response = await page.goto("/login");
  const csp = response!.headers()["content-security-policy"]!;
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  const scriptSrc = /script-src ([^;]+)/.exec(csp)![1]!;
  expect(scriptSrc).not.toContain("unsafe-inline");
  const nonce = /'nonce-([^']+)'/.exec(scriptSrc)![1]!;
  expect(nonce.length).toBeGreaterThanOrEqual(16);
  const scripts = await page.evaluate(() => [...document.scripts].map((s) => s.nonce));
  expect(scripts.length).toBeGreaterThan(0);
  expect(new Set(scripts)).toEqual(new Set([nonce]));
  // Another response, another nonce.
  const again = await page.request.get("/login");
  expect(again.headers()["content-security-policy"]).not.toContain(nonce);

  const username = page.getByLabel(t("login.username"));
  await whenHydrated(username);
  await username.fill("canbo05");
  await page.getByLabel(t("login.password")).fill(demoPassword());
  await page.getByRole("button", { name: t("login.submit"), exact: true }).click();
  await expect(page).toHaveURL(/\/counter$/);
  await expect(page.getByTestId("live-badge")).toHaveAttribute("data-connection", "online");
  const console = await page.request.get("/counter");
  expect(console.headers()["cache-control"]).toBe("no-store");
  expect(violations).toEqual([]);
});
