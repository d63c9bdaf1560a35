import { expect, test, type Page } from "@playwright/test";
import { t } from "../../server/i18n";
import { addWorkingDays } from "../../server/calendar/working-days";
import { newPage, SCREENS, signIn, whenHydrated, type Marked } from "./support";

/** The text of a PDF's first page, as a reader extracts it. */
async function textOfPdf(bytes: Buffer) {
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false }).promise;
  const content = await (await doc.getPage(1)).getTextContent();
  return content.items.map((item) => ("str" in item ? item.str : "")).join(" ").replace(/\s+/g, " ").normalize("NFC");
}

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

  // The receipt as a PDF, as it is downloaded: its text carries the tracking code and the form.
  const pdf = await officer.page.request.get(`/dossiers/${dossierCode}/giay-tiep-nhan.pdf`);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  const pdfText = await textOfPdf(await pdf.body());
  expect(pdfText).toContain(dossierCode);
  expect(pdfText).toContain("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ");
  expect(pdfText).toContain("Đặng Thị Hương");
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

  // The visit ends with the dossier's outcome: settled on the spot.
  await expect(officer.page.getByTestId("finish-outcome")).toContainText(t("outcome.done"));
  await officer.page.keyboard.press("F4");
  await expect(officer.page.getByTestId("current-ticket")).toHaveText(t("counter.none"));
  await officer.page.getByRole("button", { name: t("counter.signOut"), exact: true }).click();
  for (const c of [officer, appraiser, approver]) await c.context.close();
});

// The papers of a dossier that does not go smoothly: a supplement asked (its letter), an apology
// drafted with a new date from the dossier's card, approved by the leader and printed in the form
// of the dossier's legal basis; the tracking book lists it and exports it to Excel.
test("a supplement letter, an apology approved by the leader with a new date, and the tracking book", async ({ browser }) => {
  test.setTimeout(120_000);
  const officer = await newPage(browser, { width: 1366, height: 768 });
  await signIn(officer.page, "canbo05");
  // Opened at reception, without a ticket, through the API: HT-05 (3 working days).
  const created = await officer.page.request.post("/api/v1/dossiers", {
    data: { procedureId: await procedureIdOf(officer.page, "HT-05"), applicantName: "Phan Thị Ngọc Trâm", applicantIdNumber: "048190003456", applicantPhone: "0935 111 222", received: [] },
  });
  // A mandatory document unticked: refused with the document named, nothing opened.
  expect(created.status()).toBe(400);
  expect((await created.json()).error.code).toBe("dossier_missing_document");
  const opened = await officer.page.request.post("/api/v1/dossiers", {
    data: {
      procedureId: await procedureIdOf(officer.page, "HT-05"),
      applicantName: "Phan Thị Ngọc Trâm",
      applicantIdNumber: "048190003456",
      applicantPhone: "0935 111 222",
      applicantAddress: "45 Bạch Đằng, phường Hải Châu, Đà Nẵng",
      received: await documentKeysOf(officer.page, "HT-05"),
    },
  });
  expect(opened.status()).toBe(201);
  const dossier = (await opened.json()).data as { id: number; code: string; dueDay: string };

  // The appraiser asks for a supplement, with what is missing.
  const appraiser = await newPage(browser, { width: 1366, height: 768 });
  await signIn(appraiser.page, "thamdinh");
  await appraiser.page.goto("/dossiers");
  const card = appraiser.page.getByTestId(`dossier-${dossier.code}`);
  const supplement = card.getByRole("button", { name: "Yêu cầu bổ sung", exact: true });
  await whenHydrated(supplement);
  await supplement.click();
  await card.getByLabel(t("dossier.reasonFor", { step: "yêu cầu bổ sung" })).fill("Bổ sung giấy xác nhận tình trạng hôn nhân còn thời hạn");
  await card.getByRole("button", { name: t("dossier.confirm") }).click();
  await expect(card).toHaveCount(0);

  // The officer's card offers the supplement letter; it prints the reason and the form of Circular 03/2025.
  await officer.page.goto("/dossiers");
  const mine = officer.page.getByTestId(`dossier-${dossier.code}`);
  await expect(mine.getByTestId("dossier-state")).toHaveText("Chờ bổ sung");
  const letter = await officer.context.newPage();
  await letter.setViewportSize({ width: 1000, height: 1300 });
  await letter.goto(`/dossiers/${dossier.code}/phieu/yeu-cau-bo-sung`);
  await expect(letter.getByTestId("letter-title")).toHaveText("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ");
  await expect(letter.getByTestId("letter-code")).toHaveText(dossier.code);
  await expect(letter.getByTestId("letter-body")).toContainText("Bổ sung giấy xác nhận tình trạng hôn nhân còn thời hạn");
  await expect(letter.getByTestId("form-number")).toContainText("Thông tư số 03/2025/TT-VPCP");
  await letter.screenshot({ path: `${SCREENS}/dossier-supplement-a4.png`, fullPage: true });
  await letter.close();
  await expect(mine.getByTestId("letter-link-supplement")).toBeVisible();

  // The papers come back; then the officer sees it cannot be done in time and drafts an apology.
  const resubmit = mine.getByRole("button", { name: "Nhận hồ sơ bổ sung", exact: true });
  await whenHydrated(resubmit);
  await resubmit.click();
  await expect(mine.getByTestId("dossier-state")).toHaveText("Đang thẩm định");
  const newDay = addWorkingDays(dossier.dueDay, 2);
  await mine.getByRole("button", { name: t("letters.draft") }).click();
  await mine.getByLabel(t("letters.reason")).fill("Cần xác minh với nơi đăng ký thường trú trước đây");
  await mine.getByLabel(t("letters.newDate")).fill(newDay);
  await mine.getByRole("button", { name: t("letters.draft") }).click();
  await expect(mine.getByRole("status")).toContainText(t("letters.done.draft", { code: dossier.code }));

  // The leader approves it on the apologies page; it prints in the 03/2025 form with the new date.
  const leader = await newPage(browser, { width: 1366, height: 768 });
  await signIn(leader.page, "lanhdao");
  await leader.page.goto("/dossiers/xin-loi");
  const draft = leader.page.getByTestId(`letter-${dossier.code}`);
  await expect(draft.getByLabel(t("letters.reason"))).toHaveValue("Cần xác minh với nơi đăng ký thường trú trước đây");
  await leader.page.screenshot({ path: `${SCREENS}/dossier-letters-1366.png`, fullPage: true });
  const approve = draft.getByRole("button", { name: t("letters.approve") });
  await whenHydrated(approve);
  await approve.click();
  await expect(leader.page.getByTestId("letters-approved")).toContainText(dossier.code);
  await leader.page.goto(`/dossiers/${dossier.code}/phieu/xin-loi`);
  await expect(leader.page.getByTestId("letter-title")).toHaveText("Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết");
  const [y, m, d] = newDay.split("-");
  await expect(leader.page.getByTestId("letter-body")).toContainText(`ngày ${d}/${m}/${y}`);
  await leader.page.setViewportSize({ width: 1000, height: 1300 });
  await leader.page.screenshot({ path: `${SCREENS}/dossier-apology-a4.png`, fullPage: true });

  // The tracking book lists it with its new date; the Excel export is a real workbook.
  await officer.page.goto(`/dossiers/so-theo-doi?q=${dossier.code}`);
  const row = officer.page.getByTestId(`book-row-${dossier.code}`);
  await expect(row).toContainText("Phan Thị Ngọc Trâm");
  await expect(row).toContainText(t("book.extended", { day: `${d}/${m}/${y}` }));
  await officer.page.goto("/dossiers/so-theo-doi");
  await officer.page.screenshot({ path: `${SCREENS}/dossier-book-1366.png`, fullPage: true });
  const xlsx = await officer.page.request.get(`/dossiers/so-theo-doi.xlsx?q=${dossier.code}`);
  expect(xlsx.status()).toBe(200);
  expect(xlsx.headers()["content-type"]).toContain("spreadsheetml");
  expect((await xlsx.body()).subarray(0, 2).toString()).toBe("PK");
  for (const c of [officer, appraiser, leader]) await c.context.close();
});

async function procedureIdOf(page: Page, code: string): Promise<number> {
  return (await proceduresOf(page)).find((p) => p.code === code)!.id;
}
async function documentKeysOf(page: Page, code: string): Promise<string[]> {
  return (await proceduresOf(page)).find((p) => p.code === code)!.documents.map((d) => d.key);
}
async function proceduresOf(page: Page) {
  const res = await page.request.get("/api/v1/dossiers/procedures");
  return (await res.json()).data as Array<{ id: number; code: string; documents: Array<{ key: string }> }>;
}
