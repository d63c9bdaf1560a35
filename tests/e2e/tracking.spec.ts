import { expect, test, type APIRequestContext, type Locator } from "@playwright/test";
import jsQR from "jsqr";
import { PDFDocument } from "pdf-lib";
import { PNG } from "pngjs";
import { t } from "../../server/i18n";
import { logIn, newPage, pair, revokeDeviceNamed, SCREENS, signIn, whenHydrated, type Marked } from "./support";

// The citizen's ticket from the kiosk to the phone. This file keeps to what it makes itself: a
// field with prefix H, a counter and an officer of its own, and a kiosk it pairs. Every ticket
// it issues is finished and its officer leaves the counter at the end.
const FIELD = "Lĩnh vực thử theo dõi H";
const TABLET = "Máy đánh giá thử theo dõi H";
const OFFICER = { username: "canbotheodoih", fullName: "Cán bộ thử theo dõi H", password: "Theo-doi-phieu-H-2026!" };

type Printed = { __printed?: number };

/** The text of the QR code in `image` (an <img> on the page), decoded from a screenshot of it. */
async function decodeQr(image: Locator): Promise<string> {
  const png = PNG.sync.read(await image.screenshot());
  const found = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  expect(found, "a readable QR code").not.toBeNull();
  return found!.data;
}

async function postJson(request: APIRequestContext, path: string, data: unknown = {}) {
  const res = await request.post(`/api/v1${path}`, { data });
  expect(res.status(), `${path}: ${await res.text()}`).toBeLessThan(300);
  return (await res.json()).data;
}

test("a kiosk prints a slip whose QR opens the ticket's live page on a phone: people ahead fall, the call shows the counter; the counter's tablet takes the rating, and a second one is refused", async ({ browser }) => {
  test.setTimeout(180_000);
  // The administrator sets up a field, a counter and an officer of this test's own, and a kiosk.
  const admin = await newPage(browser, { width: 1280, height: 900 });
  await signIn(admin.page, "quantri");
  const field = (await postJson(admin.page.request, "/fields", { name: FIELD, code: "THEODOIH", prefix: "H", sortOrder: 80, isOpen: true })).field as { id: number };
  const existing = (await (await admin.page.request.get("/api/v1/counters")).json()).data.counters as Array<{ number: number }>;
  const number = Math.max(...existing.map((c) => c.number)) + 1;
  const counter = (await postJson(admin.page.request, "/counters", { number, name: `Quầy ${number}`, fieldIds: [field.id], isActive: true })).counter as { id: number };
  await postJson(admin.page.request, "/users", { ...OFFICER, role: "officer" });

  await admin.page.goto("/admin/devices");
  await whenHydrated(admin.page.getByRole("button", { name: t("devices.create") }));
  await admin.page.getByLabel(t("devices.name")).fill("Máy lấy số thử theo dõi H");
  await admin.page.getByLabel(t("devices.kind")).selectOption("kiosk");
  await admin.page.getByRole("button", { name: t("devices.create") }).click();
  await expect(admin.page.getByTestId("pairing-link")).toHaveText(/\/pair\/\S+$/);
  const link = (await admin.page.getByTestId("pairing-link").textContent())!.trim();
  // …and the rating tablet on the counter's desk, bound to that counter.
  await admin.page.getByLabel(t("devices.name")).fill(TABLET);
  await admin.page.getByLabel(t("devices.kind")).selectOption("rating");
  await admin.page.locator("#create-counterId").selectOption(String(counter.id));
  await admin.page.getByRole("button", { name: t("devices.create") }).click();
  await expect(admin.page.getByRole("status")).toContainText(t("devices.linkCreated", { name: TABLET }));
  const tabletLink = (await admin.page.getByTestId("pairing-link").textContent())!.trim();
  const tablet = await newPage(browser, { width: 1280, height: 800 });
  await tablet.page.goto(tabletLink);
  await tablet.page.getByRole("button", { name: t("pair.submit") }).click();
  await expect(tablet.page).toHaveURL(/\/danh-gia$/);
  await expect(tablet.page.getByTestId("tablet-idle")).toBeVisible();

  // The officer takes the counter; a citizen already waits for the field.
  const officer = await newPage(browser, { width: 1366, height: 768 });
  await logIn(officer.page, OFFICER.username, OFFICER.password);
  await postJson(officer.page.request, `/counters/${counter.id}/sign-in`);
  const ahead = (await postJson(officer.page.request, "/reception/tickets", { fieldId: field.id })).ticket as { id: number; code: string };

  // The kiosk, a portrait touch screen: a tap gives a ticket, its slip goes to the printer.
  const kiosk = await newPage(browser, { width: 1080, height: 1920 });
  // The kiosk's print call is counted (a headless browser's print job would never end, and the
  // printed page is made below as Chromium prints it, to a PDF).
  await kiosk.context.addInitScript(() => {
    window.print = () => void ((window as unknown as Printed).__printed = ((window as unknown as Printed).__printed ?? 0) + 1);
  });
  await pair(kiosk.page, link, "kiosk");
  const fieldButton = kiosk.page.getByRole("button", { name: new RegExp(FIELD) });
  await whenHydrated(fieldButton);
  await fieldButton.click();
  await expect(kiosk.page.getByTestId("take-slip")).toHaveText(new RegExp(t("kiosk.takeSlip")));
  const code = (await kiosk.page.getByTestId("ticket-code").textContent())!.trim();
  expect(code).toMatch(/^H\d{3}$/);
  expect(code).not.toBe(ahead.code);
  await expect(kiosk.page.getByTestId("issued-ticket")).toContainText(t("kiosk.ahead", { n: 1 }));
  await expect(kiosk.page.getByTestId("kiosk-countdown")).toHaveText(/Màn hình trở về sau \d+ giây/);
  await expect(kiosk.page.getByRole("button", { name: t("kiosk.again") })).toBeVisible();
  await expect.poll(() => kiosk.page.evaluate(() => (window as unknown as Printed).__printed)).toBe(1);
  const qr = kiosk.page.getByTestId("kiosk-qr");
  await expect(qr).toBeVisible();
  expect((await qr.boundingBox())!.width).toBeGreaterThanOrEqual(400);
  const trackingUrl = await decodeQr(qr);
  expect(trackingUrl).toMatch(/^http:\/\/localhost:\d+\/t\/[a-z2-7]{32}$/);
  await kiosk.page.screenshot({ path: `${SCREENS}/kiosk-issued.png` });

  // What the printer gets: the slip only, with the code, the field, where it stands and the same QR.
  await kiosk.page.emulateMedia({ media: "print" });
  const slip = kiosk.page.getByTestId("ticket-slip");
  await expect(slip).toBeVisible();
  await expect(kiosk.page.getByTestId("issued-ticket")).toBeHidden();
  await expect(kiosk.page.getByTestId("kiosk-countdown")).toBeHidden();
  await expect(kiosk.page.getByTestId("slip-code")).toHaveText(code);
  await expect(slip).toContainText(FIELD);
  await expect(slip).toContainText(t("slip.ahead", { n: 1 }));
  expect(await decodeQr(kiosk.page.getByTestId("slip-qr"))).toBe(trackingUrl);
  await slip.screenshot({ path: `${SCREENS}/kiosk-slip-print.png` });
  // As Chromium prints it: one page of the 80 mm roll, with the page size of the print stylesheet.
  const printed = await PDFDocument.load(await kiosk.page.pdf({ preferCSSPageSize: true }));
  expect(printed.getPageCount()).toBe(1);
  const { width, height } = printed.getPage(0).getSize();
  expect(Math.round((width / 72) * 25.4)).toBe(80);
  expect(Math.round((height / 72) * 25.4)).toBe(140);
  await kiosk.page.emulateMedia({ media: "screen" });

  // The citizen's phone opens the QR's address.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const page = await phone.newPage();
  await page.goto(trackingUrl);
  await expect(page.getByTestId("track-code")).toHaveText(code);
  await expect(page.getByTestId("track-ahead")).toHaveText(t("track.ahead", { n: 1 }));
  await expect(page.getByTestId("track-live")).toHaveAttribute("data-connection", "online");
  await page.getByTestId("sound-enable").click();
  await expect(page.getByTestId("sound-on")).toBeVisible();
  await page.evaluate(() => ((window as unknown as Marked).__marker = 1));
  await page.screenshot({ path: `${SCREENS}/tracking-waiting.png` });

  // The officer calls the ticket ahead: the phone follows without a reload.
  const first = (await postJson(officer.page.request, `/counters/${counter.id}/call-next`)).ticket as { id: number };
  expect(first.id).toBe(ahead.id);
  await expect(page.getByTestId("track-ahead")).toHaveText(t("track.aheadNone"));
  await postJson(officer.page.request, `/tickets/${first.id}/finish`);

  // Then this one: the counter, in words.
  const mine = (await postJson(officer.page.request, `/counters/${counter.id}/call-next`)).ticket as { id: number; code: string };
  expect(mine.code).toBe(code);
  await expect(page.getByTestId("track-call")).toHaveText(t("track.callTo", { number }));
  await postJson(officer.page.request, `/tickets/${mine.id}/recall`);
  await expect(page.getByTestId("track-recalled")).toContainText(t("track.recalled", { n: 1 }));
  await page.screenshot({ path: `${SCREENS}/tracking-called.png` });

  // After the visit: the rating form's link.
  await postJson(officer.page.request, `/tickets/${mine.id}/finish`);
  const rate = page.getByTestId("track-rate");
  await expect(rate).toHaveText(t("track.rate"));
  await expect(rate).toHaveAttribute("href", `${new URL(trackingUrl).pathname}/danh-gia`);
  expect(await page.evaluate(() => (window as unknown as Marked).__marker)).toBe(1);
  await page.screenshot({ path: `${SCREENS}/tracking-finished.png` });

  // The tablet on the counter's desk asks about this visit at once; the citizen is not satisfied, and says why.
  await expect(tablet.page.getByTestId("tablet-ticket")).toHaveText(code);
  await tablet.page.getByRole("button", { name: t("rating.value.unsatisfied"), exact: true }).click();
  await tablet.page.getByRole("checkbox", { name: t("rating.reason.long_wait") }).check();
  await tablet.page.getByRole("button", { name: t("rating.send") }).click();
  await expect(tablet.page.getByTestId("tablet-done")).toContainText(t("rating.thanks"));

  // A second rating of the same ticket is refused: from the phone's rating page, and over its API.
  await rate.click();
  await expect(page.getByTestId("rating-notice")).toHaveText(t("rating.phone.rated", { code }));
  const token = new URL(trackingUrl).pathname.split("/").pop()!;
  const again = await page.request.post(`/api/v1/ratings/tracking/${token}`, { data: { value: "very_satisfied" } });
  expect(again.status()).toBe(409);
  expect((await again.json()).error.code).toBe("rating_exists");
  // …and from the tablet, whatever it is shown next: the ticket is rated.
  const tabletAgain = await tablet.page.request.post("/api/v1/ratings/tablet", { data: { ticketId: mine.id, value: "satisfied" } });
  expect(tabletAgain.status()).toBe(409);
  expect((await tabletAgain.json()).error.code).toBe("rating_exists");

  // A token that opens nothing: a page in words.
  await page.goto(`/t/${"a".repeat(32)}`);
  await expect(page.getByTestId("track-error")).toContainText(t("track.notFound.title"));
  await expect(page.getByTestId("track-error")).toContainText(t("error.tracking_not_found"));
  await page.screenshot({ path: `${SCREENS}/tracking-not-found.png` });

  // Nothing left behind: no ticket of the field waits, and the officer leaves the counter.
  await postJson(officer.page.request, "/counters/sign-out");
  // The kiosk and the tablet are taken back: no device of this test is left to go "offline" on the board.
  // Their browsers close first (a page told its device is gone would only get in the way of closing).
  await Promise.all([kiosk.context.close(), tablet.context.close()]);
  for (const name of ["Máy lấy số thử theo dõi H", TABLET]) await revokeDeviceNamed(admin.page, name);
  await Promise.all([phone.close(), officer.context.close(), admin.context.close()]);
});
