import { expect, test, type Locator, type Page } from "@playwright/test";
import { t } from "../../server/i18n";
import { demoPairingLinks, newPage, pair, SCREENS, whenHydrated, type Marked, demoPassword } from "./support";

// A day at the counter, all from the keyboard: an officer serves, recalls, marks a no-show,
// transfers to another counter, calls a ticket out of order with a reason, finishes, pauses
// and resumes; the waiting-room display and the other officer's console follow live.
//
// The server and its database are shared with the other e2e files (db/seed.ts demo centre).
// This file keeps to what they do not use: field Chứng thực (prefix B), counters 2 and 3
// (counter 2 serves Hộ tịch + Chứng thực, counter 3 Chứng thực only), officers canbo02/03.
const FIELD = "Chứng thực";
const FIELD_CODE = "CT";
const PRIORITY_CLASS = "Người cao tuổi";
const TRANSFER_NOTE = "Hồ sơ ủy quyền, nhờ chị Lan chứng thực chữ ký";
const CALL_NOTE = "Hẹn lúc 9 giờ qua tổng đài";

/** Signs in with the keyboard only: the username field has the focus when the page opens. */
async function logInWithKeyboard(page: Page, username: string, landing: RegExp) {
  await page.goto("/login");
  const usernameBox = page.getByLabel(t("login.username"));
  await whenHydrated(usernameBox);
  await expect(usernameBox).toBeFocused();
  await page.keyboard.type(username);
  await page.keyboard.press("Tab");
  await expect(page.getByLabel(t("login.password"))).toBeFocused();
  await page.keyboard.type(demoPassword());
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(landing);
}

/** Opens the console and takes counter `n` (the button focused, then Enter). */
async function takeCounter(page: Page, n: number) {
  await expect(page).toHaveURL(/\/counter$/);
  await expect(page.getByTestId("live-badge")).toHaveAttribute("data-connection", "online");
  const signIn = page.getByRole("button", { name: `${t("counter.signIn")} ${n}`, exact: true });
  await whenHydrated(signIn);
  await signIn.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: `Quầy ${n}`, level: 1, exact: true })).toBeVisible();
  await expect(page.getByTestId("counter-state")).toHaveText(t("counter.state.open"));
}

/** Moves a focused <select> with ArrowDown until the selected option's text starts with `text`. */
async function arrowDownTo(page: Page, select: Locator, text: string) {
  await expect(select).toBeFocused();
  for (let i = 0; i < 20; i++) {
    const label = await select.evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent ?? "");
    if (label.startsWith(text)) return;
    await page.keyboard.press("ArrowDown");
  }
  throw new Error(`no option starting with «${text}»`);
}

const waitingOn = async (display: Page) =>
  Number((await display.getByTestId(`field-waiting-${FIELD_CODE}`).textContent())?.match(/(\d+)\s*người/)?.[1] ?? NaN);

test("a counter day from the keyboard: call, recall, no-show, transfer, out-of-order call, finish, pause; the screens follow live", async ({
  browser,
}) => {
  test.setTimeout(150_000);

  // --- Set-up: the administrator pairs the kiosk and the display. ---
  const admin = await newPage(browser, { width: 1280, height: 900 });
  await logInWithKeyboard(admin.page, "quantri", /\/$/);
  const { kioskLink, displayLink } = await demoPairingLinks(admin.page);
  await admin.context.close();

  const display = await newPage(browser, { width: 1920, height: 1080 });
  const dp = display.page;
  await pair(dp, displayLink, "display");
  await expect(dp.getByTestId("display")).toHaveAttribute("data-connection", "online");
  // Closed counters take no room on the screen.
  await expect(dp.getByTestId("counter-2")).toHaveCount(0);
  await expect(dp.getByTestId("counter-3")).toHaveCount(0);
  const waitingBefore = await waitingOn(dp);
  expect(waitingBefore).toBeGreaterThanOrEqual(0);
  // From here on the display must follow by itself: a reload would hide a broken socket.
  await dp.evaluate(() => {
    (window as unknown as Marked).__marker = 1;
  });
  const displayNotReloaded = async () => expect(await dp.evaluate(() => (window as unknown as Marked).__marker)).toBe(1);

  // --- Five citizens take a number for Chứng thực; the second is elderly (priority class chip first). ---
  const kiosk = await newPage(browser, { width: 1280, height: 1024 });
  const kp = kiosk.page;
  await pair(kp, kioskLink, "kiosk");
  const fieldButton = kp.getByRole("button", { name: FIELD });
  await whenHydrated(fieldButton);
  const codes: string[] = [];
  for (let i = 0; i < 5; i++) {
    if (i === 1) {
      await kp.getByRole("radio", { name: PRIORITY_CLASS }).click();
      await expect(kp.getByRole("radio", { name: PRIORITY_CLASS })).toHaveAttribute("aria-checked", "true");
      await expect(kp.getByTestId("priority-selected")).toHaveText(t("kiosk.priority.selected", { name: PRIORITY_CLASS }));
      await kp.screenshot({ path: `${SCREENS}/counter-day-kiosk-priority.png` });
    }
    await fieldButton.click();
    await expect(kp.getByTestId("ticket-code")).toHaveText(/^B\d{3}$/);
    codes.push((await kp.getByTestId("ticket-code").textContent())!.trim());
    if (i === 1) await expect(kp.getByTestId("issued-ticket")).toContainText(t("kiosk.ticketPriority", { name: PRIORITY_CLASS }));
    else await expect(kp.getByTestId("issued-ticket")).not.toContainText(t("common.priority"));
    await kp.getByRole("button", { name: t("kiosk.again") }).click();
    await expect(fieldButton).toBeVisible();
  }
  const [first, priority, third, fourth, fifth] = codes as [string, string, string, string, string];
  expect(new Set(codes).size).toBe(5);
  await expect(dp.getByTestId(`field-waiting-${FIELD_CODE}`)).toContainText(t("counter.people", { n: waitingBefore + 5 }));

  // --- Officer A takes counter 2 (1366×768), officer B counter 3 (1920×1080). ---
  const officerA = await newPage(browser, { width: 1366, height: 768 });
  const a = officerA.page;
  await logInWithKeyboard(a, "canbo02", /\/counter$/);
  await takeCounter(a, 2);
  const officerB = await newPage(browser, { width: 1920, height: 1080 });
  const b = officerB.page;
  await logInWithKeyboard(b, "canbo03", /\/counter$/);
  await takeCounter(b, 3);
  await expect(dp.getByTestId("counter-2")).toContainText(t("display.counterIdle"));
  await expect(dp.getByTestId("counter-3")).toContainText(t("display.counterIdle"));

  const aCurrent = a.getByTestId("current-ticket");
  const aStatus = a.getByTestId("action-message");
  const bCurrent = b.getByTestId("current-ticket");
  const bStatus = b.getByTestId("action-message");
  const latestCall = dp.getByTestId("latest-call");
  const displayCounter2 = dp.getByTestId("counter-2");
  const displayCounter3 = dp.getByTestId("counter-3");

  // A's queue lists the elderly citizen first, marked as priority.
  await expect(a.getByTestId("counter-queue").getByRole("listitem").first()).toContainText(priority);
  await expect(a.getByTestId("counter-queue").getByRole("listitem").first()).toContainText(t("common.priority"));
  await expect(aCurrent).toHaveText(t("counter.none"));
  await a.screenshot({ path: `${SCREENS}/counter-day-a-ready.png` });

  // --- F2: A calls the next number: the priority ticket goes first. ---
  await a.keyboard.press("F2");
  await expect(aCurrent).toHaveText(priority);
  await expect(aStatus).toHaveText(t("counter.called", { code: priority }));
  await expect(a.getByText(`${t("common.priority")}: ${PRIORITY_CLASS}`)).toBeVisible();
  await expect(displayCounter2).toContainText(priority);
  await expect(latestCall).toContainText(priority);
  await expect(latestCall).toContainText(`${t("display.toCounter")} 2`);
  await expect(dp.getByTestId(`field-waiting-${FIELD_CODE}`)).toContainText(t("counter.people", { n: waitingBefore + 4 }));
  await a.screenshot({ path: `${SCREENS}/counter-day-a-called.png` });
  await dp.screenshot({ path: `${SCREENS}/counter-day-display-called.png` });

  // F7 too early: the field wants 2 recalls first, and says so.
  await a.keyboard.press("F7");
  await expect(a.getByRole("alert")).toHaveText(t("error.no_show_too_early", { code: priority, n: 2, done: 0 }));
  await expect(aCurrent).toHaveText(priority);
  // A dialog opened now starts clean (no earlier error in it); Esc closes it without doing anything.
  const transferPriority = a.getByRole("dialog", { name: t("counter.transfer.title", { code: priority }) });
  await a.keyboard.press("F6");
  await expect(transferPriority).toBeVisible();
  await expect(transferPriority.getByRole("alert")).toHaveCount(0);
  await a.keyboard.press("Escape");
  await expect(transferPriority).toBeHidden();
  await expect(aCurrent).toHaveText(priority);

  // B calls the next one at counter 3 (F2), so a recall by A has something to overtake.
  await b.keyboard.press("F2");
  await expect(bCurrent).toHaveText(first);
  await expect(displayCounter3).toContainText(first);
  await expect(latestCall).toContainText(first);
  await expect(latestCall).toContainText(`${t("display.toCounter")} 3`);

  // --- F3 twice: A recalls; each recall is announced again, on top of the display. ---
  await a.keyboard.press("F3");
  await expect(aStatus).toHaveText(t("counter.recalled", { code: priority, n: 1 }));
  await expect(a.getByTestId("recall-count")).toHaveText(t("counter.recallCount", { n: 1 }));
  await expect(latestCall).toContainText(priority);
  await expect(latestCall).toContainText(`${t("display.toCounter")} 2`);
  await a.keyboard.press("F3");
  await expect(aStatus).toHaveText(t("counter.recalled", { code: priority, n: 2 }));
  await expect(a.getByTestId("recall-count")).toHaveText(t("counter.recallCount", { n: 2 }));
  await expect(aCurrent).toHaveText(priority);
  await expect(displayCounter2).toContainText(priority);
  await expect(latestCall).toContainText(priority);
  await expect(latestCall).toContainText(`${t("display.toCounter")} 2`);
  await a.screenshot({ path: `${SCREENS}/counter-day-a-recalled.png` });
  await dp.screenshot({ path: `${SCREENS}/counter-day-display-recalled.png` });
  await displayNotReloaded();

  // --- F7: no-show. The ticket moves to A's no-show list and leaves counter 2 on the display. ---
  await a.keyboard.press("F7");
  await expect(aStatus).toHaveText(t("counter.noShowDone", { code: priority }));
  await expect(aCurrent).toHaveText(t("counter.none"));
  await expect(a.getByTestId("no-shows")).toContainText(priority);
  await expect(displayCounter2).not.toContainText(priority);
  await expect(displayCounter2).toContainText(t("display.counterIdle"));
  await expect(latestCall).not.toContainText(priority);
  await a.screenshot({ path: `${SCREENS}/counter-day-a-no-show.png` });

  // B finishes the first citizen (F4) and is free for the transfer.
  await b.keyboard.press("F4");
  await expect(bStatus).toHaveText(t("counter.finished", { code: first }));
  await expect(bCurrent).toHaveText(t("counter.none"));
  await expect(displayCounter3).toContainText(t("display.counterIdle"));
  // B's console must pick the transfer up without a reload.
  await b.evaluate(() => {
    (window as unknown as Marked).__marker = 1;
  });

  // --- F2 then, as soon as the number shows, F6: A transfers it to counter 3 with a note. ---
  await a.keyboard.press("F2");
  await expect(aCurrent).toHaveText(third);
  const transferDialog = a.getByRole("dialog", { name: t("counter.transfer.title", { code: third }) });
  await a.keyboard.press("F6");
  await expect(transferDialog).toBeVisible();
  // The call's round trip ends while the dialog is open (the console's buttons are enabled again):
  // the dialog must stay open.
  await expect(aStatus).toHaveText(t("counter.called", { code: third }));
  await expect(a.getByRole("button", { name: new RegExp(`^${t("counter.transfer")}\\s*F6$`) })).toBeEnabled();
  await expect(transferDialog).toBeVisible();
  await expect(displayCounter2).toContainText(third);

  // The destination list has the focus (data-autofocus); the kind of destination is just before it.
  const destination = transferDialog.getByRole("combobox");
  await expect(destination).toBeFocused();
  await expect(destination).toHaveAttribute("name", "fieldId");
  const toCounter = transferDialog.getByRole("radio", { name: t("counter.transfer.toCounter") });
  // The three kinds are one radio group: one Tab stop, arrows move between them.
  await a.keyboard.press("Shift+Tab");
  await expect(transferDialog.getByRole("radio", { name: t("counter.transfer.toField") })).toBeFocused();
  await a.keyboard.press("ArrowRight");
  await expect(toCounter).toBeFocused();
  await expect(toCounter).toBeChecked();
  await expect(destination).toHaveAttribute("name", "counterId");
  await a.keyboard.press("Tab");
  await arrowDownTo(a, destination, "Quầy 3");
  await a.keyboard.press("Tab");
  await expect(transferDialog.getByLabel(t("counter.transfer.note"))).toBeFocused();
  await a.keyboard.type(TRANSFER_NOTE);
  await a.screenshot({ path: `${SCREENS}/counter-day-a-transfer-dialog.png` });
  // Enter in the note would start a new line: Tab to the submit button, then Enter.
  await a.keyboard.press("Tab");
  await expect(transferDialog.getByRole("button", { name: t("counter.transfer.submit") })).toBeFocused();
  await a.keyboard.press("Enter");
  await expect(transferDialog).toBeHidden();
  await expect(aStatus).toHaveText(t("counter.transferred", { code: third }));
  await expect(aCurrent).toHaveText(t("counter.none"));
  await expect(displayCounter2).toContainText(t("display.counterIdle"));
  // The ticket is not A's to call any more.
  await expect(a.getByTestId("counter-queue")).not.toContainText(third);

  // --- B's console lists it, marked as coming from counter 2; F2 gets it, with the note. ---
  const transferred = b.getByTestId("counter-queue").getByRole("listitem").filter({ hasText: third });
  await expect(transferred).toContainText(t("counter.transferredFrom", { n: 2 }));
  await b.screenshot({ path: `${SCREENS}/counter-day-b-transferred-queue.png` });
  expect(await b.evaluate(() => (window as unknown as Marked).__marker)).toBe(1);
  await b.keyboard.press("F2");
  await expect(bCurrent).toHaveText(third);
  await expect(b.getByTestId("transfer-note")).toHaveText(`${t("counter.transferredFrom", { n: 2 })}: ${TRANSFER_NOTE}`);
  await expect(displayCounter3).toContainText(third);
  await expect(latestCall).toContainText(third);
  await expect(latestCall).toContainText(`${t("display.toCounter")} 3`);
  await b.screenshot({ path: `${SCREENS}/counter-day-b-transfer-note.png` });

  // --- F8: A calls the last citizen out of order; a reason is required. ---
  await expect(a.getByTestId("counter-queue").getByRole("listitem").first()).toContainText(fourth);
  const callDialog = a.getByRole("dialog", { name: t("counter.call.title") });
  await a.keyboard.press("F8");
  await expect(callDialog).toBeVisible();
  const ticketSelect = callDialog.getByRole("combobox", { name: t("counter.call.ticket") });
  await arrowDownTo(a, ticketSelect, fifth);
  // Tab passes the reasons (none chosen) to the note; Enter there submits the form.
  await a.keyboard.press("Tab");
  await expect(callDialog.getByRole("radio").first()).toBeFocused();
  await a.keyboard.press("Tab");
  const noteBox = callDialog.getByRole("textbox", { name: t("counter.call.note") });
  await expect(noteBox).toBeFocused();
  await a.keyboard.press("Enter");
  await expect(callDialog.getByRole("alert")).toHaveText(t("error.out_of_order_reason_required"));
  await expect(callDialog).toBeVisible();
  await expect(aCurrent).toHaveText(t("counter.none"));
  await expect(displayCounter2).toContainText(t("display.counterIdle"));
  await a.screenshot({ path: `${SCREENS}/counter-day-a-call-dialog-error.png` });

  // The refusal moves the focus to the reasons (the input it is about); Space chooses the first, then a note, Enter.
  const appointment = callDialog.getByRole("radio", { name: t("reason.ooo.appointment") });
  await expect(appointment).toBeFocused();
  await expect(appointment).toHaveAttribute("aria-describedby", /.+/);
  await a.keyboard.press("Space");
  await expect(appointment).toBeChecked();
  await expect(appointment).toBeFocused();
  await a.keyboard.press("Tab");
  await expect(noteBox).toBeFocused();
  await a.keyboard.type(CALL_NOTE);
  await a.screenshot({ path: `${SCREENS}/counter-day-a-call-dialog-reason.png` });
  await a.keyboard.press("Enter");
  await expect(callDialog).toBeHidden();
  await expect(aCurrent).toHaveText(fifth);
  await expect(aStatus).toHaveText(t("counter.calledSpecific", { code: fifth }));
  await expect(displayCounter2).toContainText(fifth);
  await expect(latestCall).toContainText(fifth);
  await expect(latestCall).toContainText(`${t("display.toCounter")} 2`);
  // The one skipped is still first in line.
  await expect(a.getByTestId("counter-queue").getByRole("listitem").first()).toContainText(fourth);
  await expect(dp.getByTestId(`field-waiting-${FIELD_CODE}`)).toContainText(t("counter.people", { n: waitingBefore + 1 }));
  await a.screenshot({ path: `${SCREENS}/counter-day-a-called-specific.png` });
  await dp.screenshot({ path: `${SCREENS}/counter-day-display-called-specific.png` });
  await displayNotReloaded();

  // --- F4 finishes (outcome: the select's default), F9 pauses with the first reason, F9 resumes. ---
  await expect(a.getByLabel(t("counter.outcome"))).toHaveValue("done");
  await a.keyboard.press("F4");
  await expect(aStatus).toHaveText(t("counter.finished", { code: fifth }));
  await expect(aCurrent).toHaveText(t("counter.none"));
  await expect(displayCounter2).toContainText(t("display.counterIdle"));

  const pauseDialog = a.getByRole("dialog", { name: t("counter.pause.title") });
  await a.keyboard.press("F9");
  await expect(pauseDialog).toBeVisible();
  const breakReason = pauseDialog.getByRole("radio", { name: t("reason.pause.break") });
  await expect(breakReason).toBeFocused();
  await expect(breakReason).toBeChecked();
  await a.screenshot({ path: `${SCREENS}/counter-day-a-pause-dialog.png` });
  await a.keyboard.press("Enter");
  await expect(pauseDialog).toBeHidden();
  await expect(a.getByTestId("counter-state")).toHaveText(t("counter.state.paused", { reason: t("reason.pause.break") }));
  await expect(aStatus).toHaveText(t("counter.paused"));
  await expect(displayCounter2).toContainText(t("display.counterPaused"));
  // Paused: F2 calls nobody.
  await a.keyboard.press("F2");
  await expect(a.getByTestId("counter-state")).toHaveText(t("counter.state.paused", { reason: t("reason.pause.break") }));
  await expect(aCurrent).toHaveText(t("counter.none"));
  await a.screenshot({ path: `${SCREENS}/counter-day-a-paused.png` });
  await dp.screenshot({ path: `${SCREENS}/counter-day-display-paused.png` });

  await a.keyboard.press("F9");
  await expect(aStatus).toHaveText(t("counter.resumed"));
  await expect(a.getByTestId("counter-state")).toHaveText(t("counter.state.open"));
  await expect(displayCounter2).toContainText(t("display.counterIdle"));
  await displayNotReloaded();

  // --- Leave things tidy for the other files: B finishes, both leave their counters. ---
  await b.keyboard.press("F4");
  await expect(bStatus).toHaveText(t("counter.finished", { code: third }));
  for (const page of [a, b]) {
    await page.getByRole("button", { name: t("counter.signOut"), exact: true }).focus();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("heading", { name: t("counter.choose"), level: 1 })).toBeVisible();
  }
  await expect(displayCounter2).toHaveCount(0);
  await expect(displayCounter3).toHaveCount(0);

  for (const { context } of [display, kiosk, officerA, officerB]) await context.close();
});
