import { expect, test } from "@playwright/test";
import { t } from "../../server/i18n";
import { newPage, SCREENS, signIn, whenHydrated } from "./support";

// The administrator keeps the staff accounts in the browser. The accounts made here (canbomoi*)
// belong to this file only.
test("an administrator creates an officer (a weak password explained), who signs in; disabling them signs them out at once", async ({ browser }) => {
  test.setTimeout(120_000);
  const { context, page } = await newPage(browser, { width: 1366, height: 768 });
  await signIn(page, "quantri");
  await page.getByRole("link", { name: t("nav.users"), exact: true }).click();
  await expect(page.getByRole("heading", { name: t("admin.users.title"), level: 1 })).toBeVisible();

  const username = `canbomoi${Date.now() % 100000}`;
  await whenHydrated(page.getByRole("button", { name: t("admin.users.create") }));
  await page.getByLabel(t("admin.user.fullName"), { exact: true }).fill("Trịnh Thị Mới");
  await page.getByLabel(t("admin.user.username"), { exact: true }).fill(username);
  await page.getByLabel(t("admin.user.password"), { exact: true }).fill("12345678");
  await page.getByRole("button", { name: t("admin.users.create") }).click();
  // Refused next to the password, in Vietnamese; nothing created.
  const passwordInput = page.getByLabel(t("admin.user.password"), { exact: true });
  await expect(page.getByTestId(`error-${await passwordInput.getAttribute("id")}`)).toHaveText(/[\u00C0-\u1EF9]/);
  await expect(page.getByTestId(`user-${username}`)).toHaveCount(0);

  const password = "sương sớm Hồ Gươm 2026";
  await page.getByLabel(t("admin.user.password"), { exact: true }).fill(password);
  await page.getByRole("button", { name: t("admin.users.create") }).click();
  await expect(page.getByRole("status").filter({ hasText: t("admin.users.created", { username }) })).toBeVisible();
  const row = page.getByTestId(`user-${username}`);
  await expect(row).toContainText("Trịnh Thị Mới");
  await expect(row).toContainText(t("home.role.officer"));
  await expect(row).toContainText(t("admin.users.notSignedIn"));
  await page.screenshot({ path: `${SCREENS}/admin-users-1366.png`, fullPage: true });

  // The new officer signs in and reaches the counter page.
  const officer = await newPage(browser, { width: 1366, height: 768 });
  await officer.page.goto("/login");
  await whenHydrated(officer.page.getByLabel(t("login.username")));
  await officer.page.getByLabel(t("login.username")).fill(username);
  await officer.page.getByLabel(t("login.password")).fill(password);
  await officer.page.getByRole("button", { name: t("login.submit"), exact: true }).click();
  await expect(officer.page).toHaveURL(/\/counter$/);

  await page.reload();
  await expect(row).toContainText(t("admin.users.signedIn", { n: 1, time: "" }).split("(")[0]!.trim());

  // Disabled: the officer's next request is the login page.
  page.once("dialog", (dialog) => dialog.accept());
  await row.getByRole("button", { name: t("admin.users.disable") }).click();
  await expect(row).toContainText(t("admin.users.inactive"));
  await officer.page.reload();
  await expect(officer.page).toHaveURL(/\/login/);

  await row.getByRole("button", { name: t("admin.users.enable") }).click();
  await expect(row).not.toContainText(t("admin.users.inactive"));

  // The audit log shows who did it, searchable by the account's name.
  await page.getByRole("link", { name: t("nav.audit"), exact: true }).click();
  await expect(page.getByRole("heading", { name: t("admin.audit.title"), level: 1 })).toBeVisible();
  await page.getByLabel(t("admin.audit.search")).fill(username);
  await page.getByRole("button", { name: t("admin.audit.submit") }).click();
  const audit = page.getByTestId("audit");
  await expect(audit.getByRole("row").filter({ has: page.getByText(t("audit.action.user.disabled"), { exact: true }) })).toContainText("Nguyễn Văn Quản");
  await expect(audit.getByRole("row").filter({ has: page.getByText(t("audit.action.user.created"), { exact: true }) })).toContainText(`${t("audit.key.username")}: ${username}`);
  await page.screenshot({ path: `${SCREENS}/admin-audit-1366.png`, fullPage: true });
  for (const c of [context, officer.context]) await c.close();
});
