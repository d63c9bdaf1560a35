import { expect, test } from "@playwright/test";
import { t } from "../../server/i18n";
import { demoPassword, newPage, SCREENS, whenHydrated } from "./support";

// One's own account: the sessions of one's browsers, ending them, changing the password.
// Officer canbo06 is used by no other e2e file.
test("an officer sees their two browsers, signs the other out, and changes the password (a weak one explained)", async ({ browser }) => {
  test.setTimeout(120_000);
  const signIn = async (viewport: { width: number; height: number }, password: string) => {
    const { context, page } = await newPage(browser, viewport);
    await page.goto("/login");
    await whenHydrated(page.getByLabel(t("login.username")));
    await page.getByLabel(t("login.username")).fill("canbo06");
    await page.getByLabel(t("login.password")).fill(password);
    await page.getByRole("button", { name: t("login.submit"), exact: true }).click();
    await expect(page).toHaveURL(/\/counter$/);
    return { context, page };
  };
  const other = await signIn({ width: 1280, height: 800 }, demoPassword());
  const { context, page } = await signIn({ width: 1366, height: 768 }, demoPassword());

  await page.getByRole("link", { name: /Bùi Quang Huy/ }).click();
  await expect(page.getByRole("heading", { name: t("account.title") })).toBeVisible();
  const sessions = page.getByTestId("sessions").getByRole("listitem");
  await expect(sessions).toHaveCount(2);
  const currentMark = page.getByText(t("account.sessions.current"), { exact: true });
  await expect(sessions.filter({ has: currentMark })).toHaveCount(1);
  await page.screenshot({ path: `${SCREENS}/account.png` });

  const endOther = sessions.filter({ hasNot: currentMark }).getByRole("button", { name: t("account.sessions.end") });
  await whenHydrated(endOther);
  await endOther.click();
  await expect(page.getByRole("status")).toHaveText(t("account.sessions.ended", { n: 1 }));
  await expect(sessions).toHaveCount(1);
  // The other browser is signed out: its next page is the login page.
  await other.page.reload();
  await expect(other.page).toHaveURL(/\/login/);

  await page.getByLabel(t("account.password.current")).fill(demoPassword());
  await page.getByLabel(t("account.password.new"), { exact: true }).fill("password1234");
  await page.getByLabel(t("account.password.confirm")).fill("password1234");
  await page.getByRole("button", { name: t("account.password.submit") }).click();
  await expect(page.getByText(t("password.common"))).toBeVisible();
  await page.screenshot({ path: `${SCREENS}/account-weak-password.png` });

  await page.getByLabel(t("account.password.new"), { exact: true }).fill("ba con mèo ngủ trưa 2027");
  await page.getByLabel(t("account.password.confirm")).fill("ba con mèo ngủ trưa 2027");
  await page.getByLabel(t("account.password.current")).fill(demoPassword());
  await page.getByRole("button", { name: t("account.password.submit") }).click();
  await expect(page.getByRole("status")).toHaveText(t("account.password.changed"));

  await page.getByRole("button", { name: t("logout") }).click();
  await expect(page).toHaveURL(/\/login$/);
  const fresh = await signIn({ width: 1366, height: 768 }, "ba con mèo ngủ trưa 2027");
  for (const c of [context, other.context, fresh.context]) await c.close();
});
