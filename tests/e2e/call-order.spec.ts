import { expect, test } from "@playwright/test";
import { t } from "../../server/i18n";
import { newPage, SCREENS, whenHydrated, demoPassword } from "./support";

// The officer's queue list is in the order F2 calls (the field's k:1 rule included), so the first
// row is always the next call. This file keeps to field Đăng ký kinh doanh (prefix D), counter 6
// (which serves it alone) and officer canbo04; no other e2e file uses them.
const FIELD_CODE = "DKKD";

test("after k priority calls the first row is the normal ticket, and F2 calls exactly the first row", async ({ browser }) => {
  const officer = await newPage(browser, { width: 1366, height: 768 });
  const page = officer.page;
  await page.goto("/login");
  await page.getByLabel(t("login.username")).fill("canbo04");
  await page.getByLabel(t("login.password")).fill(demoPassword());
  await page.getByRole("button", { name: t("login.submit"), exact: true }).click();
  await expect(page).toHaveURL(/\/counter$/);

  // Five citizens at reception (through the API with the officer's session): normal, 3 priority, normal.
  const snapshot = (await (await page.request.get("/api/v1/snapshot")).json()).data;
  const field = snapshot.fields.find((f: { code: string }) => f.code === FIELD_CODE);
  const priorityClassId = snapshot.priorityClasses[0].id;
  const issue = async (priority: boolean) => {
    const res = await page.request.post("/api/v1/reception/tickets", { data: { fieldId: field.id, priorityClassId: priority ? priorityClassId : null } });
    expect(res.status()).toBe(201);
    return (await res.json()).data.ticket.code as string;
  };
  const n1 = await issue(false);
  const [p1, p2, p3] = [await issue(true), await issue(true), await issue(true)];
  const n2 = await issue(false);

  const signIn = page.getByRole("button", { name: `${t("counter.signIn")} 6`, exact: true });
  await whenHydrated(signIn);
  await signIn.click();
  await expect(page.getByRole("heading", { name: "Quầy 6", level: 1, exact: true })).toBeVisible();
  const rows = page.getByTestId("counter-queue").getByRole("listitem");
  const current = page.getByTestId("current-ticket");

  // k = 2: two priority tickets, then the normal one that waited, then priority again.
  await expect(rows).toHaveText([p1, p2, n1, p3, n2].map((code, i) => new RegExp(`^${code}${i === 0 ? t("counter.queue.next") : ""}`)));
  await expect(rows.first().getByTestId("next-marker")).toHaveText(t("counter.queue.next"));
  await page.screenshot({ path: `${SCREENS}/call-order-before.png` });

  for (const code of [p1, p2]) {
    await expect(rows.first()).toContainText(code);
    await page.keyboard.press("F2");
    await expect(current).toHaveText(code);
    await page.keyboard.press("F4");
    await expect(current).toHaveText(t("counter.none"));
  }
  // Two priority calls in a row: the normal citizen is first now, and F2 calls exactly them.
  await expect(rows.first()).toContainText(n1);
  await expect(rows.first().getByTestId("next-marker")).toBeVisible();
  await page.screenshot({ path: `${SCREENS}/call-order-after-k.png` });
  const first = (await rows.first().locator("span.font-mono").textContent())!.trim();
  await page.keyboard.press("F2");
  await expect(current).toHaveText(first);
  expect(first).toBe(n1);

  // Tidy for the other files: finish, call and finish the rest, leave the counter.
  for (const code of [p3, n2]) {
    await page.keyboard.press("F4");
    await expect(current).toHaveText(t("counter.none"));
    await page.keyboard.press("F2");
    await expect(current).toHaveText(code);
  }
  await page.keyboard.press("F4");
  await expect(current).toHaveText(t("counter.none"));
  await page.getByRole("button", { name: t("counter.signOut"), exact: true }).click();
  await expect(page.getByRole("heading", { name: t("counter.choose"), level: 1 })).toBeVisible();
  await officer.context.close();
});
