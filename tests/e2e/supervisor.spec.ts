import { expect, test } from "@playwright/test";
import { t } from "../../server/i18n";
import { demoPairingLinks, newPage, pair, SCREENS, signIn, whenHydrated, type Marked } from "./support";

// The supervisor steers counters live. This file keeps to what no other file uses: fields Đất
// đai (prefix C) and Xây dựng (prefix E), counters 4 and 7, officer canbo07.
test("a supervisor moves an officer to another counter and changes its fields while people wait; the console and the TV follow without reload, and the next call obeys the new fields", async ({ browser }) => {
  test.setTimeout(150_000);
  const admin = await newPage(browser, { width: 1280, height: 900 });
  await signIn(admin.page, "quantri");
  const { displayLink } = await demoPairingLinks(admin.page);
  const display = await newPage(browser, { width: 1920, height: 1080 });
  await pair(display.page, displayLink, "display");

  const officer = await newPage(browser, { width: 1366, height: 768 });
  await signIn(officer.page, "canbo07");
  const signIn4 = officer.page.getByRole("button", { name: `${t("counter.signIn")} 4`, exact: true });
  await whenHydrated(signIn4);
  await signIn4.click();
  await expect(officer.page.getByRole("heading", { name: "Quầy 4", level: 1, exact: true })).toBeVisible();
  await expect(display.page.getByTestId("counter-4")).toBeVisible();

  // One citizen waits for Xây dựng, one for Đất đai.
  const snapshot = (await (await officer.page.request.get("/api/v1/snapshot")).json()).data;
  const fieldId = (code: string) => snapshot.fields.find((f: { code: string }) => f.code === code).id as number;
  const issue = async (code: string) =>
    (await (await officer.page.request.post("/api/v1/reception/tickets", { data: { fieldId: fieldId(code) } })).json()).data.ticket as { id: number; code: string };
  const building = await issue("XD");
  const land = await issue("DD");

  // Neither page may reload from here on.
  for (const page of [officer.page, display.page]) await page.evaluate(() => ((window as unknown as Marked).__marker = 1));

  const boss = await newPage(browser, { width: 1920, height: 1080 });
  await signIn(boss.page, "giamsat");
  await boss.page.goto("/supervisor");
  const row4 = boss.page.getByTestId("supervisor-counter-4");
  await expect(row4).toContainText("Đỗ Ngọc Ánh");
  const steer = (n: number) => boss.page.getByRole("button", { name: `${t("supervisor.steer.open")} Quầy ${n}`, exact: true });
  await whenHydrated(steer(4));
  await steer(4).click();
  const panel4 = boss.page.getByTestId("steer-4");
  await panel4.getByLabel(t("supervisor.steer.toCounter")).selectOption({ label: "Quầy 7" });
  await panel4.locator("form", { hasText: t("supervisor.steer.move") }).getByLabel(t("supervisor.steer.note")).fill("Xây dựng đông người");
  await boss.page.screenshot({ path: `${SCREENS}/supervisor-steer-1920.png` });
  await panel4.getByRole("button", { name: t("supervisor.steer.move") }).click();
  await expect(boss.page.getByTestId("supervisor-counter-7")).toContainText("Đỗ Ngọc Ánh");
  await expect(row4).not.toContainText("Đỗ Ngọc Ánh");

  // The console is now counter 7's, the TV shows counter 7 and no longer 4; nothing reloaded.
  await expect(officer.page.getByRole("heading", { name: "Quầy 7", level: 1, exact: true })).toBeVisible();
  await expect(display.page.getByTestId("counter-7")).toBeVisible();
  await expect(display.page.getByTestId("counter-4")).toHaveCount(0);

  // Counter 7 now serves Đất đai only: its next call is the Đất đai ticket, though Xây dựng's came first.
  await steer(7).click();
  const panel7 = boss.page.getByTestId("steer-7");
  await panel7.getByLabel("Xây dựng").uncheck();
  await panel7.getByLabel("Đất đai").check();
  await panel7.getByRole("button", { name: t("supervisor.steer.saveFields") }).click();
  await expect(panel7.getByRole("status")).toHaveText(t("supervisor.steer.fieldsSaved", { counter: "Quầy 7" }));
  await expect(boss.page.getByTestId("supervisor-counter-7")).toContainText("Đất đai");
  await boss.page.setViewportSize({ width: 1366, height: 768 });
  await boss.page.screenshot({ path: `${SCREENS}/supervisor-1366.png`, fullPage: true });

  await expect(officer.page.getByTestId("waiting-total")).toHaveText(t("counter.people", { n: 1 }));
  await officer.page.keyboard.press("F2");
  await expect(officer.page.getByTestId("current-ticket")).toHaveText(land.code);
  await expect(display.page.getByTestId("counter-7")).toContainText(land.code);
  for (const page of [officer.page, display.page]) expect(await page.evaluate(() => (window as unknown as Marked).__marker)).toBe(1);
  await officer.page.keyboard.press("F4");
  await expect(officer.page.getByTestId("current-ticket")).toHaveText(t("counter.none"));

  // A notice scrolls on the TV while it lasts; taken down, it is gone.
  const notice = "Từ 11 giờ 30 đến 13 giờ 30, quầy 10 tiếp nhận tất cả lĩnh vực.";
  const noticeForm = boss.page.locator("section", { has: boss.page.getByRole("heading", { name: t("supervisor.notice.title") }) });
  await noticeForm.getByLabel(t("supervisor.notice.text")).fill(notice);
  await noticeForm.getByRole("button", { name: t("supervisor.notice.post") }).click();
  await expect(noticeForm.getByTestId("current-notice")).toContainText(notice);
  await expect(display.page.getByTestId("notice")).toHaveText(notice);
  await display.page.screenshot({ path: `${SCREENS}/display-notice-1920.png` });
  await noticeForm.getByRole("button", { name: t("supervisor.notice.remove") }).click();
  await expect(display.page.getByTestId("notice")).toHaveCount(0);

  // Tidy: counter 7 serves Xây dựng again, the officer leaves, the Xây dựng ticket is withdrawn.
  const counter7 = snapshot.counters.find((c: { number: number }) => c.number === 7).id as number;
  expect((await boss.page.request.post(`/api/v1/supervision/counters/${counter7}/fields`, { data: { fieldIds: [fieldId("XD")] } })).ok()).toBe(true);
  await officer.page.getByRole("button", { name: t("counter.signOut"), exact: true }).click();
  await expect(display.page.getByTestId("counter-7")).toHaveCount(0);

  // The Xây dựng ticket, still waiting: sent to Giao thông vận tải, then withdrawn with a reason.
  const waitingRow = boss.page.getByTestId(`waiting-${building.code}`);
  await expect(waitingRow).toContainText("Xây dựng");
  const actions = waitingRow.getByRole("button", { name: `${t("supervisor.ticketActions")} ${building.code}` });
  await actions.click();
  await waitingRow.getByLabel(t("supervisor.rerouteTo")).selectOption({ label: "Giao thông vận tải" });
  await waitingRow.getByLabel(t("supervisor.steer.note")).fill("Nhầm lĩnh vực");
  await waitingRow.getByRole("button", { name: t("supervisor.reroute") }).click();
  await expect(waitingRow).toContainText("Giao thông vận tải");
  // The live board may show the new field before the answer closes the actions: wait for it to close.
  await expect(actions).toHaveAttribute("aria-expanded", "false");
  await actions.click();
  await waitingRow.getByLabel(t("supervisor.steer.reasonRequired")).fill("Công dân đã về");
  await waitingRow.getByRole("button", { name: t("supervisor.withdraw", { code: building.code }) }).click();
  await expect(waitingRow).toHaveCount(0);
  for (const c of [admin, display, officer, boss]) await c.context.close();
});
