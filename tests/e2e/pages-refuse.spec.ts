import { expect, test } from "@playwright/test";
import { t } from "../../server/i18n";
import { demoPassword } from "./support";

// Bad input on the pages gets a clear Vietnamese answer, never a crash page.

test("login: empty fields and a wrong password are explained", async ({ page }) => {
  await page.goto("/login");
  await page.getByRole("button", { name: t("login.submit"), exact: true }).click();
  await expect(page.getByText(t("validation.username_required"))).toBeVisible();
  await expect(page.getByText(t("validation.password_required"))).toBeVisible();

  await page.getByLabel(t("login.username")).fill("canbo03");
  await page.getByLabel(t("login.password")).fill("mat-khau-sai");
  await page.getByRole("button", { name: t("login.submit"), exact: true }).click();
  await expect(page.getByRole("alert")).toHaveText(t("error.invalid_credentials"));
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByLabel(t("login.password"))).toHaveValue("");
});

test("a page for another role, or a device page on an unpaired browser, says why", async ({ page }) => {
  // In words, never a bare status code; a device screen says it tries again by itself.
  const noStatusCode = async () => expect(await page.locator("body").innerText()).not.toMatch(/\b(400|401|403|404|500|503)\b/);
  await page.goto("/kiosk");
  await expect(page.getByRole("alert")).toHaveText(t("error.device_required"));
  await expect(page.getByText(t("errorPage.retrying"))).toBeVisible();
  await noStatusCode();
  await page.goto("/display");
  await expect(page.getByRole("alert")).toHaveText(t("error.device_required"));
  await noStatusCode();
  await page.goto("/pair/khong-hop-le");
  await expect(page.getByRole("alert")).toHaveText(t("error.pairing_invalid"));
  await noStatusCode();
  await page.goto("/khong-co-trang-nay");
  await expect(page.getByRole("heading", { name: t("errorPage.notFound.title") })).toBeVisible();
  await noStatusCode();

  await page.goto("/admin/devices");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fadmin%2Fdevices$/);
  await page.getByLabel(t("login.username")).fill("canbo04");
  await page.getByLabel(t("login.password")).fill(demoPassword());
  await page.getByRole("button", { name: t("login.submit"), exact: true }).click();
  await expect(page.getByRole("alert")).toHaveText(t("error.forbidden"));
  await noStatusCode();
});
