/**
 * The citizen's rating, on a field, counter, officer and rating tablet of this spec's own (field
 * «M»): the administrator makes the tablet bound to the counter and pairs it in its own 1280×800
 * browser; reception issues a ticket, the officer calls and finishes it; the tablet shows its code
 * without a reload and takes "Không hài lòng" with a reason and words, thanks and resets; the
 * officer's console says a rating came; the same ticket's phone page says it is rated already, and
 * a second ticket is rated on the phone. Screenshots of every screen, and of the device lists.
 */
import { expect, test, type APIRequestContext } from "@playwright/test";
import { t } from "../../server/i18n";
import { logIn, newPage, revokeDeviceNamed, SCREENS, signIn, whenHydrated, type Marked } from "./support";

const PREFIX = "M";
const COUNTER_NUMBER = 321;
const OFFICER = "canbo.danhgia";
const OFFICER_PASSWORD = "mưa xuân trên phố cổ 2027";
const TABLET_NAME = "Máy đánh giá quầy 321";

async function api(request: APIRequestContext, method: "GET" | "POST", path: string, data?: unknown) {
  const res = method === "GET" ? await request.get(`/api/v1${path}`) : await request.post(`/api/v1${path}`, { data: data ?? {} });
  const body = await res.json();
  expect(res.ok(), `${method} ${path}: ${JSON.stringify(body)}`).toBe(true);
  return body.data;
}

test("a rating tablet at the counter and the phone page: one rating per ticket, the officer told, no value", async ({ browser }) => {
  test.setTimeout(180_000);
  // The administrator sets up this spec's own field, counter and officer.
  const { context: adminContext, page: admin } = await newPage(browser, { width: 1366, height: 768 });
  await signIn(admin, "quantri");
  const field = (await api(admin.request, "POST", "/fields", { name: "Lĩnh vực đánh giá (thử)", code: "DGTHU", prefix: PREFIX, sortOrder: 90, isOpen: true })).field;
  const counter = (await api(admin.request, "POST", "/counters", { number: COUNTER_NUMBER, name: `Quầy ${COUNTER_NUMBER}`, fieldIds: [field.id], isActive: true })).counter;
  await api(admin.request, "POST", "/users", { username: OFFICER, fullName: "Trương Thị Đánh Giá", role: "officer", password: OFFICER_PASSWORD });

  // …and the tablet, bound to that counter, on the devices page.
  await admin.goto("/admin/devices");
  const create = admin.getByRole("button", { name: t("devices.create") });
  await whenHydrated(create);
  await admin.getByLabel(t("devices.name")).fill(TABLET_NAME);
  await admin.getByLabel(t("devices.kind")).selectOption("rating");
  await admin.locator("#create-counterId").selectOption(String(counter.id));
  await create.click();
  await expect(admin.getByRole("status")).toContainText(t("devices.linkCreated", { name: TABLET_NAME }));
  const link = (await admin.getByTestId("pairing-link").textContent())!.trim();

  // The tablet, in its own browser: paired, it opens the rating page, idle.
  const { context: tabletContext, page: tablet } = await newPage(browser, { width: 1280, height: 800 });
  await tablet.goto(link);
  await tablet.getByRole("button", { name: t("pair.submit") }).click();
  await expect(tablet).toHaveURL(/\/danh-gia$/);
  await expect(tablet.getByTestId("tablet-idle")).toContainText(t("rating.tablet.idle"));
  await expect(tablet.getByTestId("tablet-counter")).toHaveText(t("rating.tablet.counter", { n: COUNTER_NUMBER }));
  await tablet.evaluate(() => ((window as Marked).__marker = 42));
  await tablet.screenshot({ path: `${SCREENS}/rating-tablet-idle.png` });

  // The officer at the counter, the console open.
  const { context: officerContext, page: officer } = await newPage(browser, { width: 1366, height: 768 });
  await logIn(officer, OFFICER, OFFICER_PASSWORD);
  await api(officer.request, "POST", `/counters/${counter.id}/sign-in`);
  await officer.goto("/counter");
  await expect(officer.getByRole("heading", { level: 1 }).or(officer.getByText(`Quầy ${COUNTER_NUMBER}`).first())).toBeVisible();

  const serve = async () => {
    const issued = await api(officer.request, "POST", "/reception/tickets", { fieldId: field.id });
    const called = await api(officer.request, "POST", `/counters/${counter.id}/call-next`);
    expect(called.ticket.id).toBe(issued.ticket.id);
    await api(officer.request, "POST", `/tickets/${issued.ticket.id}/finish`);
    return { code: issued.ticket.code as string, token: issued.trackingToken as string };
  };

  // Finished at the counter: the tablet asks about it at once, without a reload.
  const first = await serve();
  await expect(tablet.getByTestId("tablet-ticket")).toHaveText(first.code);
  expect(await tablet.evaluate(() => (window as Marked).__marker)).toBe(42);
  for (const value of ["very_satisfied", "satisfied", "unsatisfied"] as const) await expect(tablet.getByRole("button", { name: t(`rating.value.${value}`), exact: true })).toBeVisible();
  await tablet.screenshot({ path: `${SCREENS}/rating-tablet-choices.png` });

  // "Không hài lòng": the reasons, one chosen, words added, sent.
  await tablet.getByRole("button", { name: t("rating.value.unsatisfied"), exact: true }).click();
  await expect(tablet.getByTestId("tablet-reasons")).toBeVisible();
  const send = tablet.getByRole("button", { name: t("rating.send") });
  await expect(send).toBeDisabled();
  await tablet.getByRole("checkbox", { name: t("rating.reason.long_wait") }).check();
  await tablet.getByLabel(t("rating.comment")).fill("Chờ gần một tiếng mới đến lượt.");
  await tablet.screenshot({ path: `${SCREENS}/rating-tablet-reasons.png` });
  await send.click();
  await expect(tablet.getByTestId("tablet-done")).toContainText(t("rating.thanks"));
  await tablet.screenshot({ path: `${SCREENS}/rating-tablet-thanks.png` });

  // The officer is told a rating came in, never its value.
  const notice = officer.getByTestId("rating-received");
  await expect(notice).toHaveText(t("counter.ratingReceived", { code: first.code }));
  await expect(notice).not.toContainText(t("rating.value.unsatisfied"));
  await officer.screenshot({ path: `${SCREENS}/rating-officer-notice.png` });

  // The tablet goes back to its start by itself.
  await expect(tablet.getByTestId("tablet-idle")).toBeVisible({ timeout: 15_000 });

  // The same ticket's phone page: rated already.
  const { context: phoneContext, page: phone } = await newPage(browser, { width: 390, height: 844 });
  await phone.goto(`/t/${first.token}/danh-gia`);
  await expect(phone.getByTestId("rating-notice")).toHaveText(t("rating.phone.rated", { code: first.code }));

  // A second ticket, rated on the phone.
  const second = await serve();
  await phone.goto(`/t/${second.token}/danh-gia`);
  await expect(phone.getByTestId("rating-ticket")).toHaveText(t("rating.phone.ticket", { code: second.code, field: field.name }));
  await phone.getByText(t("rating.value.unsatisfied"), { exact: true }).click();
  await expect(phone.getByTestId("rating-reasons")).toBeVisible();
  await phone.getByRole("checkbox", { name: t("rating.reason.unclear_guidance") }).check();
  await phone.screenshot({ path: `${SCREENS}/rating-phone.png`, fullPage: true });
  await phone.getByText(t("rating.value.very_satisfied"), { exact: true }).click();
  await expect(phone.getByTestId("rating-reasons")).toBeHidden();
  await phone.getByRole("button", { name: t("rating.send") }).click();
  await expect(phone.getByTestId("rating-thanks")).toContainText(t("rating.thanks"));
  await phone.screenshot({ path: `${SCREENS}/rating-phone-thanks.png` });
  // The tablet, which asked about it too, is refused when tapped: one rating per ticket.
  await expect(tablet.getByTestId("tablet-ticket")).toHaveText(second.code);
  await tablet.getByRole("button", { name: t("rating.value.satisfied"), exact: true }).click();
  await expect(tablet.getByTestId("tablet-done")).toHaveText(t("error.rating_exists", { code: second.code }));

  // The administrator's list: the tablet on line since its connection, at its counter, with what it reports.
  await admin.goto("/admin/devices");
  const row = admin.getByRole("row").filter({ hasText: TABLET_NAME });
  await expect(row.getByTestId("device-online")).toContainText(t("devices.online"));
  await expect(row.getByTestId("device-modes")).toContainText(t("devices.mode.counter", { n: COUNTER_NUMBER }));
  await expect(row.getByTestId("tablet-counter")).toHaveValue(String(counter.id));
  await admin.screenshot({ path: `${SCREENS}/admin-devices.png`, fullPage: true });

  // The supervisor's board lists it with the other devices.
  const { context: supervisorContext, page: supervisor } = await newPage(browser, { width: 1366, height: 768 });
  await signIn(supervisor, "giamsat");
  await supervisor.goto("/supervisor");
  const devices = supervisor.getByTestId("devices");
  await expect(devices.getByRole("listitem").filter({ hasText: TABLET_NAME })).toContainText(t("devices.mode.counter", { n: COUNTER_NUMBER }));
  await devices.scrollIntoViewIfNeeded();
  await supervisor.locator("section", { has: devices }).screenshot({ path: `${SCREENS}/supervisor-devices.png` });

  // Done: the officer leaves the counter, nothing waits in field M; the tablet is revoked (no alert left behind).
  await api(officer.request, "POST", "/counters/sign-out");
  await api(admin.request, "POST", `/fields/${field.id}`, { name: field.name, code: field.code, prefix: PREFIX, sortOrder: 90, isOpen: false });
  // The tablet's browser closes before it is revoked (a page told its device is gone would only get in the way of closing).
  await tabletContext.close();
  await revokeDeviceNamed(admin, TABLET_NAME);
  for (const context of [adminContext, officerContext, phoneContext, supervisorContext]) await context.close();
});
