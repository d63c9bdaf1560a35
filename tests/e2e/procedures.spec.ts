import { expect, test } from "@playwright/test";
import { t } from "../../server/i18n";
import { newPage, SCREENS, signIn, whenHydrated } from "./support";

// The administrator adds a document to a procedure of the catalogue; an officer at /dossiers
// opens a dossier for it without a ticket, gets its code, and the receipt lists the new document.
// This file keeps to procedure XD-02 and officer canbo07.
const PROCEDURE = "Cấp giấy phép sửa chữa, cải tạo nhà ở riêng lẻ";
const NEW_DOCUMENT = "Bản vẽ hiện trạng công trình cần sửa chữa";

test("an administrator adds a document to a procedure; an officer opens a dossier for it without a ticket and its receipt lists the document", async ({ browser }) => {
  test.setTimeout(120_000);
  const admin = await newPage(browser, { width: 1366, height: 768 });
  await signIn(admin.page, "quantri");
  await admin.page.goto("/admin/procedures");
  await expect(admin.page.getByRole("heading", { name: t("procedures.title"), level: 1 })).toBeVisible();
  await expect(admin.page.getByRole("link", { name: t("admin.tabs.procedures") })).toHaveAttribute("aria-current", "page");
  await expect(admin.page.getByText(t("procedures.count", { shown: 22, total: 22 }))).toBeVisible();
  await admin.page.screenshot({ path: `${SCREENS}/admin-procedures-list-1366.png` });

  // Search without diacritics, then filter by field.
  const search = admin.page.getByLabel(t("procedures.search"));
  await whenHydrated(search);
  await search.fill("giay phep sua chua");
  await expect(admin.page.getByText(t("procedures.count", { shown: 1, total: 22 }))).toBeVisible();
  await expect(admin.page.getByTestId("procedure-XD-02")).toBeVisible();
  await search.fill("");
  await admin.page.getByLabel(t("procedures.filterField")).selectOption({ label: "Xây dựng" });
  await expect(admin.page.getByTestId("procedure-XD-02")).toBeVisible();
  await expect(admin.page.getByTestId("procedure-HT-01")).toHaveCount(0);

  await admin.page.getByRole("link", { name: `${t("procedures.edit")} ${PROCEDURE}` }).click();
  const form = admin.page.getByTestId("procedure-form");
  await expect(form.getByRole("heading", { name: t("procedures.editTitle", { name: PROCEDURE }) })).toBeVisible();
  const documents = form.getByTestId("procedure-documents").getByRole("listitem");
  const before = await documents.count();
  const add = form.getByRole("button", { name: `+ ${t("procedures.document.add")}` });
  await whenHydrated(add);
  await add.click();
  await expect(documents).toHaveCount(before + 1);
  const row = t("procedures.document.row", { n: before + 1 });
  // Refused while the new row has no name: the message is next to it.
  await form.getByRole("button", { name: t("procedures.save") }).click();
  await expect(form.getByText(t("procedures.error.documentName", { max: 300 }))).toBeVisible();
  await form.getByLabel(`${row}: ${t("procedures.document.name")}`).fill(NEW_DOCUMENT);
  await form.getByLabel(`${row}: ${t("procedures.document.form")}`).selectOption({ label: t("procedures.form.certified_copy") });
  await form.getByLabel(`${row}: ${t("procedures.document.count")}`).fill("2");
  await admin.page.screenshot({ path: `${SCREENS}/admin-procedures-form-1366.png` });
  await admin.page.screenshot({ path: `${SCREENS}/admin-procedures-form-full.png`, fullPage: true });
  await form.getByRole("button", { name: t("procedures.save") }).click();
  await expect(admin.page.getByRole("status")).toContainText(t("procedures.saved", { name: PROCEDURE }));
  await expect(admin.page.getByTestId("procedure-XD-02")).toContainText(t("procedures.documentsCount", { n: before + 1 }));

  // At the reception desk, without a ticket.
  const officer = await newPage(browser, { width: 1366, height: 768 });
  await signIn(officer.page, "canbo07");
  await officer.page.goto("/dossiers");
  const reception = officer.page.getByTestId("reception");
  const open = reception.getByRole("button", { name: t("reception.dossier.open") });
  await whenHydrated(open);
  await open.click();
  const opening = reception.getByTestId("open-dossier");
  await opening.getByLabel(t("dossier.procedure")).selectOption({ label: PROCEDURE });
  await expect(opening.getByText(NEW_DOCUMENT)).toBeVisible();
  await opening.getByLabel(t("dossier.applicantName")).fill("Trần Văn Bình");
  await opening.getByLabel(t("dossier.applicantIdNumber")).fill("00119001234");
  await opening.getByLabel(t("dossier.applicantPhone")).fill("0912 345 678");
  await opening.getByLabel(t("dossier.applicantAddress")).fill("Số 8 phố Hàng Bạc");
  await opening.getByLabel(t("dossier.notes")).fill("Công dân nộp trực tiếp, không lấy số.");
  await officer.page.screenshot({ path: `${SCREENS}/dossiers-reception-1366.png` });
  // A wrong identity number is refused next to its input.
  await opening.getByRole("button", { name: t("dossier.open"), exact: true }).click();
  await expect(opening.getByText(t("dossier.error.idNumber"))).toBeVisible();
  await officer.page.screenshot({ path: `${SCREENS}/dossiers-reception-refused-1366.png` });
  await opening.getByLabel(t("dossier.applicantIdNumber")).fill("001190012345");
  for (const box of await opening.getByRole("checkbox").all()) await box.check();
  await opening.getByRole("button", { name: t("dossier.open"), exact: true }).click();

  const opened = reception.getByTestId("reception-opened");
  await expect(opened).toContainText(t("reception.dossier.opened"));
  const code = (await opened.locator("strong").textContent())!.trim();
  expect(code).toMatch(/^DEMO-\d{6}-\d{4}$/);
  await officer.page.screenshot({ path: `${SCREENS}/dossiers-reception-opened-1366.png` });
  await opened.getByRole("link", { name: t("reception.dossier.receipt") }).click();
  await expect(officer.page).toHaveURL(new RegExp(`/dossiers/${code}/giay-tiep-nhan$`));
  await expect(officer.page.getByTestId("receipt-code")).toHaveText(code);
  await expect(officer.page.getByTestId("receipt")).toContainText(NEW_DOCUMENT);
  await expect(officer.page.getByTestId("receipt")).toContainText("Trần Văn Bình");

  // The audit log tells the change in words: the procedure, and its documents before and after.
  await admin.page.goto("/admin/audit");
  const entry = admin.page.getByRole("row").filter({ hasText: t("audit.action.procedure.updated") });
  await expect(entry).toContainText(`XD-02 ${PROCEDURE}`);
  await expect(entry).toContainText(`${NEW_DOCUMENT} (${t("dossier.form.certified_copy")} × 2, ${t("dossier.mandatory")})`);
  await admin.page.screenshot({ path: `${SCREENS}/admin-audit-procedure-1366.png` });

  await admin.context.close();
  await officer.context.close();
});
