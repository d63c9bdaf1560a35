import { expect, test } from "@playwright/test";
import { t } from "../../server/i18n";
import { newPage, SCREENS, signIn, whenHydrated, type Marked } from "./support";

// "4 tại chỗ": a dossier received at the counter from the ticket being served, appraised and
// approved by two other people in their own consoles, returned at the counter while the citizen
// waits. This file keeps to field Giao thông vận tải (prefix G, counter 9) and officer canbo05.
test("a dossier received at the counter is appraised and approved in two other consoles; the counter sees each step live, returns the result and finishes the ticket", async ({ browser }) => {
  test.setTimeout(150_000);
  const officer = await newPage(browser, { width: 1366, height: 768 });
  await signIn(officer.page, "canbo05");
  const signIn9 = officer.page.getByRole("button", { name: `${t("counter.signIn")} 9`, exact: true });
  await whenHydrated(signIn9);
  await signIn9.click();
  await expect(officer.page.getByRole("heading", { name: "Quầy 9", level: 1, exact: true })).toBeVisible();

  const snapshot = (await (await officer.page.request.get("/api/v1/snapshot")).json()).data;
  const field = snapshot.fields.find((f: { code: string }) => f.code === "GTVT");
  const ticket = (await (await officer.page.request.post("/api/v1/reception/tickets", { data: { fieldId: field.id } })).json()).data.ticket as { code: string };
  await expect(officer.page.getByTestId("waiting-total")).toHaveText(t("counter.people", { n: 1 }));
  await officer.page.keyboard.press("F2");
  await expect(officer.page.getByTestId("current-ticket")).toHaveText(ticket.code);

  // The other two consoles are open before the dossier exists, and must not reload.
  const appraiser = await newPage(browser, { width: 1366, height: 768 });
  await signIn(appraiser.page, "thamdinh");
  await appraiser.page.goto("/dossiers");
  await expect(appraiser.page.getByRole("heading", { name: t("dossier.console.appraiser"), level: 1 })).toBeVisible();
  const approver = await newPage(browser, { width: 1366, height: 768 });
  await signIn(approver.page, "lanhdao");
  await approver.page.goto("/dossiers");
  await expect(approver.page.getByRole("heading", { name: t("dossier.console.approver"), level: 1 })).toBeVisible();
  for (const page of [appraiser.page, approver.page, officer.page]) await page.evaluate(() => ((window as unknown as Marked).__marker = 1));

  // The citizen wants a signature certified (on the spot), though they took a Giao thông ticket.
  const openButton = officer.page.getByRole("button", { name: t("dossier.open"), exact: true });
  await whenHydrated(openButton);
  await openButton.click();
  const form = officer.page.getByTestId("open-dossier");
  await form.getByLabel(t("dossier.procedure")).selectOption({ label: "Chứng thực chữ ký trong giấy tờ, văn bản" });
  await form.getByLabel(t("dossier.applicantName")).fill("Đặng Thị Hương");
  await form.getByLabel(t("dossier.applicantIdNumber")).fill("079 185 012 345");
  await form.getByLabel(t("dossier.applicantPhone")).fill("0903 456 789");
  // Nothing ticked: the first mandatory document is named.
  await form.getByRole("button", { name: t("dossier.open"), exact: true }).click();
  await expect(form).toContainText("Giấy tờ, văn bản sẽ ký");
  for (const box of await form.getByRole("checkbox").all()) await box.check();
  await officer.page.screenshot({ path: `${SCREENS}/counter-dossier-form-1366.png`, fullPage: true });
  await form.getByRole("button", { name: t("dossier.open"), exact: true }).click();

  const code = /^DEMO-\d{6}-\d{4}$/;
  const atCounter = officer.page.locator("article").filter({ hasText: "Chứng thực chữ ký" });
  await expect(atCounter.getByRole("heading", { level: 3 })).toHaveText(code);
  const dossierCode = (await atCounter.getByRole("heading", { level: 3 }).textContent())!.trim();
  await expect(atCounter.getByTestId("dossier-state")).toHaveText("Đã tiếp nhận");

  // The receipt, to print for the citizen: the code, the due time, the documents and the legal basis.
  const receipt = await officer.context.newPage();
  await receipt.setViewportSize({ width: 1000, height: 1300 });
  await receipt.goto(`/dossiers/${dossierCode}/giay-tiep-nhan`);
  await expect(receipt.getByTestId("receipt-code")).toHaveText(dossierCode);
  await expect(receipt.getByTestId("receipt")).toContainText("Đặng Thị Hương");
  await expect(receipt.getByTestId("receipt")).toContainText("Giấy tờ, văn bản sẽ ký");
  await expect(receipt.getByTestId("receipt-legal")).toContainText("Nghị định 23/2015/NĐ-CP");
  await expect(receipt.getByTestId("receipt-due")).toContainText(/\d{2} giờ \d{2} phút, ngày \d{2}\/\d{2}\/\d{4}/);
  await expect(receipt.getByRole("img", { name: t("receipt.qr") })).toBeVisible();
  await receipt.screenshot({ path: `${SCREENS}/dossier-receipt-a4.png`, fullPage: true });
  await receipt.close();

  // The appraiser sees it arrive and appraises it; it leaves their list and reaches the approver's.
  const atAppraiser = appraiser.page.getByTestId(`dossier-${dossierCode}`);
  await expect(atAppraiser).toBeVisible();
  await appraiser.page.screenshot({ path: `${SCREENS}/dossiers-appraiser-1366.png` });
  await atAppraiser.getByRole("button", { name: "Thẩm định", exact: true }).click();
  await expect(atAppraiser).toHaveCount(0);
  await expect(atCounter.getByTestId("dossier-state")).toHaveText("Đang thẩm định");

  const atApprover = approver.page.getByTestId(`dossier-${dossierCode}`);
  await expect(atApprover).toBeVisible();
  await atApprover.getByRole("button", { name: "Phê duyệt", exact: true }).click();
  await expect(atApprover).toHaveCount(0);
  await expect(atCounter.getByTestId("dossier-state")).toHaveText("Đã phê duyệt");

  // Back at the counter: the result, handed over; then the ticket is finished.
  await atCounter.getByRole("button", { name: "Ghi nhận kết quả", exact: true }).click();
  await expect(atCounter.getByTestId("dossier-state")).toHaveText("Đã có kết quả");
  await atCounter.getByRole("button", { name: "Trả kết quả", exact: true }).click();
  await expect(atCounter.getByTestId("dossier-state")).toHaveText("Đã trả kết quả");
  await officer.page.screenshot({ path: `${SCREENS}/counter-dossier-returned-1366.png`, fullPage: true });

  // The control slip lists each hand-over: received, appraised, approved, result, returned.
  const control = await officer.context.newPage();
  await control.setViewportSize({ width: 1000, height: 1300 });
  await control.goto(`/dossiers/${dossierCode}/phieu-kiem-soat`);
  await expect(control.getByTestId("control-code")).toHaveText(dossierCode);
  await expect(control.getByTestId("control-slip").locator("tbody tr")).toHaveCount(5);
  await expect(control.getByTestId("control-slip")).toContainText("Lương Văn Thẩm");
  await expect(control.getByTestId("control-slip")).toContainText("Trịnh Quốc Duyệt");
  await control.screenshot({ path: `${SCREENS}/dossier-control-a4.png`, fullPage: true });
  await control.close();
  for (const page of [appraiser.page, approver.page, officer.page]) expect(await page.evaluate(() => (window as unknown as Marked).__marker)).toBe(1);

  // The citizen follows it on their phone: the code from the receipt and the phone's last four digits.
  const phone = await newPage(browser, { width: 390, height: 844 });
  await phone.page.goto(`/tra-cuu?ma=${dossierCode}`);
  await phone.page.getByLabel(t("lookup.phone")).fill("6789");
  await phone.page.getByRole("button", { name: t("lookup.submit") }).click();
  await expect(phone.page.getByTestId("lookup-result")).toContainText("Đã trả kết quả");
  await expect(phone.page.getByTestId("lookup-result")).not.toContainText("Đặng Thị Hương");
  await phone.page.screenshot({ path: `${SCREENS}/lookup-phone.png`, fullPage: true });
  await phone.context.close();

  await officer.page.keyboard.press("F4");
  await expect(officer.page.getByTestId("current-ticket")).toHaveText(t("counter.none"));
  await officer.page.getByRole("button", { name: t("counter.signOut"), exact: true }).click();
  for (const c of [officer, appraiser, approver]) await c.context.close();
});
