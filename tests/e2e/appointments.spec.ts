import { expect, test, type Page } from "@playwright/test";
import jsQR from "jsqr";
import { PNG } from "pngjs";
import { addDays, nextWorkingDay } from "../../server/calendar/working-days";
import { t } from "../../server/i18n";
import { serviceDate } from "../../server/time";
import { newPage, pair, revokeDeviceNamed, SCREENS, signIn, whenHydrated } from "./support";

// A citizen books the next working day on the phone, keeps the code and its QR, is refused a
// second booking, is told at the kiosk that the appointment is not today, and cancels it.
// This file keeps to its own field (prefix K) and its own kiosk, made here by the administrator;
// the server runs on the real clock, so the day is computed with the calendar module.
const FIELD = { name: "Lịch hẹn thử nghiệm K", code: "LHK", prefix: "K" };
const KIOSK = "Máy lấy số lịch hẹn K";
const PHONE = "0912 345 678";

/** Full-page shots from the top, where the fixed demo badge belongs. */
const top = (page: Page) => page.evaluate(() => window.scrollTo(0, 0));

test("book the next working day, refused twice for one phone and at the kiosk today, then cancel", async ({ browser }) => {
  test.setTimeout(120_000);
  const admin = await newPage(browser, { width: 1280, height: 800 });
  await signIn(admin.page, "quantri");
  const created = await admin.page.request.post("/api/v1/fields", {
    data: { ...FIELD, sortOrder: 90, isOpen: true, appointmentSlotMinutes: 30, appointmentSlotCapacity: 2, walkInPercent: 50 },
  });
  expect(created.status()).toBe(201);
  const field = (await created.json()).data.field as { id: number; sortOrder: number };

  // Its own kiosk, paired in its own browser.
  await admin.page.goto("/admin/devices");
  const create = admin.page.getByRole("button", { name: t("devices.create") });
  await whenHydrated(create);
  await admin.page.getByLabel(t("devices.name")).fill(KIOSK);
  await admin.page.getByLabel(t("devices.kind")).selectOption("kiosk");
  await create.click();
  await expect(admin.page.getByTestId("pairing-link")).toHaveText(/^http:\/\/localhost:\d+\/pair\/\S+$/);
  const link = (await admin.page.getByTestId("pairing-link").textContent())!.trim();
  const kiosk = await newPage(browser, { width: 1280, height: 1024 });
  await pair(kiosk.page, link, "kiosk");

  // The citizen, on the phone: the field, the next working day, a slot, the phone.
  const day = nextWorkingDay(addDays(serviceDate(), 1));
  const phone = await newPage(browser, { width: 390, height: 844 });
  const page = phone.page;
  await page.goto("/dat-lich");
  await expect(page.getByRole("heading", { name: t("booking.title"), level: 1 })).toBeVisible();
  await page.getByTestId("booking-fields").getByRole("link", { name: FIELD.name }).click();
  await expect(page.locator(`[data-day="${day}"]`)).toContainText(t("booking.left", { n: 16 }));
  await top(page);
  await page.screenshot({ path: `${SCREENS}/appointments-days.png`, fullPage: true });
  await page.locator(`[data-day="${day}"]`).click();
  const form = page.getByTestId("booking-form");
  await expect(form).toBeVisible();
  await form.getByText("09:00", { exact: true }).click();
  await form.getByLabel(t("booking.phone")).fill(PHONE);
  await top(page);
  await page.screenshot({ path: `${SCREENS}/appointments-booking.png`, fullPage: true });
  const bookingUrl = page.url();
  await form.getByRole("button", { name: t("booking.submit") }).click();

  const done = page.getByTestId("booking-confirmation");
  await expect(done).toBeVisible();
  await expect(done).toContainText(t("booking.bring"));
  await expect(done).toContainText(FIELD.name);
  await expect(page.getByTestId("booking-when")).toContainText(`09:00 (30 phút)`);
  await expect(page.getByTestId("booking-when")).toContainText(`${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`);
  const code = (await page.getByTestId("booking-code").getAttribute("data-code"))!;
  expect(code).toMatch(/^[2-9A-HJ-NP-Z]{10}$/);
  // The QR holds the code itself: what the kiosk's scanner types.
  const src = (await page.getByTestId("booking-qr").getAttribute("src"))!;
  const png = PNG.sync.read(Buffer.from(src.replace(/^data:image\/png;base64,/, ""), "base64"));
  expect(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe(code);
  await top(page);
  await page.screenshot({ path: `${SCREENS}/appointments-confirmation.png`, fullPage: true });

  // The same phone cannot hold a second booking of the field that day.
  await page.goto(bookingUrl);
  await page.getByTestId("booking-form").getByText("10:00", { exact: true }).click();
  await page.getByTestId("booking-form").getByLabel(t("booking.phone")).fill(PHONE);
  await page.getByTestId("booking-form").getByRole("button", { name: t("booking.submit") }).click();
  await expect(page.getByTestId("booking-error")).toContainText("đã có một lịch hẹn");

  // The staff's list of that day shows it, the phone by its last digits.
  await admin.page.goto(`/lich-hen?ngay=${day}`);
  const row = admin.page.getByRole("row").filter({ hasText: `${code.slice(0, 5)} ${code.slice(5)}` });
  await expect(row).toContainText(t("staffAppointments.status.booked"));
  await expect(row).toContainText("5678");
  await expect(row).not.toContainText("0912");
  await admin.page.screenshot({ path: `${SCREENS}/appointments-staff-list.png` });
  // The field's settings in the administrator's form.
  await admin.page.goto("/admin/centre");
  const edit = admin.page.getByRole("button", { name: `${t("admin.queue.edit")} ${FIELD.name}` });
  await whenHydrated(edit);
  await edit.click();
  const capacity = admin.page.getByTestId(`field-${FIELD.code}`).getByLabel(t("admin.field.slotCapacity"));
  await expect(capacity).toHaveValue("2");
  await capacity.scrollIntoViewIfNeeded();
  await admin.page.screenshot({ path: `${SCREENS}/appointments-admin-field.png` });

  // At the kiosk today: typed on the on-screen keys, refused as not today.
  await expect(kiosk.page.getByTestId("kiosk-appointment")).toHaveText(t("kioskCheckIn.start"));
  await kiosk.page.screenshot({ path: `${SCREENS}/appointments-kiosk-start.png` });
  await kiosk.page.getByTestId("kiosk-appointment").click();
  await expect(kiosk.page.getByRole("heading", { name: t("kioskCheckIn.title") })).toBeVisible();
  const key = kiosk.page.getByRole("button", { name: code[0], exact: true });
  await whenHydrated(key);
  for (const c of code) await kiosk.page.getByRole("button", { name: c, exact: true }).click();
  await expect(kiosk.page.getByLabel(t("kioskCheckIn.code"), { exact: true })).toHaveValue(`${code.slice(0, 5)} ${code.slice(5)}`);
  await kiosk.page.getByRole("button", { name: t("kioskCheckIn.submit") }).click();
  await expect(kiosk.page.getByTestId("checkin-error")).toContainText("không phải hôm nay");
  await kiosk.page.screenshot({ path: `${SCREENS}/appointments-kiosk-refused.png` });
  // A scanner types into the focused input and ends with Enter: the same answer.
  await kiosk.page.keyboard.type(code.toLowerCase());
  await kiosk.page.keyboard.press("Enter");
  await expect(kiosk.page.getByTestId("checkin-error")).toContainText("không phải hôm nay");

  // Cancelled with the code and the last four digits.
  await page.goto("/dat-lich/huy");
  await page.getByLabel(t("cancelBooking.code")).fill(code);
  await page.getByLabel(t("cancelBooking.phone")).fill("5678");
  await top(page);
  await page.screenshot({ path: `${SCREENS}/appointments-cancel.png`, fullPage: true });
  await page.getByRole("button", { name: t("cancelBooking.submit") }).click();
  await expect(page.getByTestId("cancel-done")).toContainText(`${code.slice(0, 5)} ${code.slice(5)}`);
  await top(page);
  await page.screenshot({ path: `${SCREENS}/appointments-cancelled.png`, fullPage: true });

  // Tidy: the field stops taking appointments and closes; nothing was issued in it.
  const closed = await admin.page.request.post(`/api/v1/fields/${field.id}`, { data: { ...FIELD, sortOrder: field.sortOrder, isOpen: false, appointmentSlotCapacity: 0 } });
  expect(closed.status()).toBe(200);
  await kiosk.context.close();
  await revokeDeviceNamed(admin.page, KIOSK);
  for (const c of [admin, phone]) await c.context.close();
});
