import { spawn, type ChildProcess } from "node:child_process";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { t } from "../../server/i18n";
import { demoPairingLinks, pair, SCREENS, signIn, whenHydrated, type Marked } from "./support";

// A server of this file's own (scripts/e2e-server.mjs on another port, its data kept between
// starts) is stopped with SIGTERM and started again while a waiting-room TV, a kiosk and a
// counter are open. None of them may ever show the browser's error page or a status code; they
// say they are offline or restarting, keep their page, and are live again by themselves.
const PORT = Number(process.env.E2E_RESTART_PORT || 3231);
const BASE = `http://localhost:${PORT}`;
const FIELD = "Hộ tịch"; // prefix A; counter 1 serves it alone

let server: ChildProcess | null = null;

async function startServer(fresh: boolean) {
  server = spawn(process.execPath, ["scripts/e2e-server.mjs"], {
    env: { ...process.env, E2E_PORT: String(PORT), E2E_FRESH: fresh ? "1" : "0", E2E_CLEANUP: "0", E2E_LOG_LEVEL: "error" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const started = Date.now();
  for (;;) {
    if (await healthy()) return Date.now();
    if (Date.now() - started > 60_000) throw new Error("the server was not ready (/readyz) within 60 s");
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function healthy() {
  try {
    // Ready, not merely alive: the server listens (and /healthz answers) before it has migrated.
    return (await fetch(`${BASE}/readyz`, { signal: AbortSignal.timeout(1_000) })).ok;
  } catch {
    return false;
  }
}

async function stopServer(options: { cleanUp?: boolean } = {}) {
  const child = server;
  if (!child) return;
  server = null;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
  if (options.cleanUp) {
    // A last start with clean-up on, stopped at once, drops the database and the folder.
    const last = spawn(process.execPath, ["scripts/e2e-server.mjs"], {
      env: { ...process.env, E2E_PORT: String(PORT), E2E_FRESH: "0", E2E_CLEANUP: "1", E2E_LOG_LEVEL: "error" },
      stdio: "ignore",
    });
    for (let i = 0; i < 600 && !(await healthy()); i++) await new Promise((r) => setTimeout(r, 100));
    const done = new Promise((resolve) => last.once("exit", resolve));
    last.kill("SIGTERM");
    await done;
  }
}

/** Everything a page showed that it must never show: the browser's error page, an HTTP error document, a bare status code. */
function watch(page: Page, name: string, problems: string[]) {
  page.on("framenavigated", (frame) => {
    if (frame !== page.mainFrame()) return;
    if (frame.url().startsWith("chrome-error://")) problems.push(`${name}: the browser's error page`);
  });
  page.on("response", (res) => {
    if (res.request().resourceType() === "document" && res.status() >= 400) problems.push(`${name}: document ${res.status()} ${res.url()}`);
  });
  page.on("load", () => {
    void page
      .locator("body")
      .innerText()
      .then((text) => {
        if (/\b(400|401|403|404|500|502|503|504)\b/.test(text)) problems.push(`${name}: a status code on the page`);
      })
      .catch(() => {});
  });
}

async function open(browser: Browser, viewport: { width: number; height: number }, name: string, problems: string[]) {
  const context = await browser.newContext({ viewport, baseURL: BASE });
  const page = await context.newPage();
  watch(page, name, problems);
  return { context, page };
}

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  await startServer(true);
});
test.afterAll(async () => {
  await stopServer({ cleanUp: true });
});

test("a restart: the TV, the kiosk and the counter keep their pages, come back by themselves, and the TV shows a call made on the new server", async ({ browser }) => {
  test.setTimeout(150_000);
  const problems: string[] = [];
  const admin = await open(browser, { width: 1280, height: 900 }, "admin", problems);
  await signIn(admin.page, "quantri", PORT);
  const { kioskLink, displayLink } = await demoPairingLinks(admin.page);
  await admin.context.close();

  const tv = await open(browser, { width: 1920, height: 1080 }, "TV", problems);
  await pair(tv.page, displayLink, "display");
  const kiosk = await open(browser, { width: 1280, height: 1024 }, "kiosk", problems);
  await pair(kiosk.page, kioskLink, "kiosk");
  const counter = await open(browser, { width: 1366, height: 768 }, "counter", problems);
  await signIn(counter.page, "canbo01", PORT);
  await counter.page.getByRole("button", { name: `${t("counter.signIn")} 1`, exact: true }).click();
  await expect(counter.page.getByRole("heading", { name: "Quầy 1", level: 1, exact: true })).toBeVisible();
  await expect(tv.page.getByTestId("display")).toHaveAttribute("data-connection", "online");
  await expect(counter.page.getByTestId("live-badge")).toHaveAttribute("data-connection", "online");
  const fieldButton = kiosk.page.getByRole("button", { name: FIELD });
  await whenHydrated(fieldButton);
  // None of the three may reload while the server is away (a reload then is the browser's error page).
  for (const { page } of [tv, kiosk, counter]) await page.evaluate(() => ((window as unknown as Marked).__marker = 1));

  // The server stops as for an update: every screen says it is restarting, and keeps its page.
  await stopServer();
  await expect(tv.page.getByTestId("offline-banner")).toHaveText(t("display.restarting"));
  await expect(kiosk.page.getByTestId("offline-banner")).toHaveText(t("kiosk.restarting"));
  await expect(fieldButton).toBeDisabled();
  await expect(counter.page.getByTestId("live-badge")).toHaveAttribute("data-connection", "restarting");
  await tv.page.screenshot({ path: `${SCREENS}/display-restarting.png` });
  await kiosk.page.screenshot({ path: `${SCREENS}/kiosk-restarting.png` });
  await counter.page.screenshot({ path: `${SCREENS}/counter-restarting.png` });
  await new Promise((r) => setTimeout(r, 3_000)); // down a while, as a real restart is

  const healthyAt = await startServer(false);
  // Nobody touches them: each reconnects by itself.
  await expect(kiosk.page.getByTestId("offline-banner")).toBeHidden({ timeout: 10_000 });
  await expect(fieldButton).toBeEnabled();
  await fieldButton.click();
  const code = (await kiosk.page.getByTestId("ticket-code").textContent())!.trim();
  expect(code).toMatch(/^A\d{3}$/);
  await expect(counter.page.getByTestId("live-badge")).toHaveAttribute("data-connection", "online", { timeout: 10_000 });
  await expect(counter.page.getByTestId("waiting-total")).toHaveText(t("counter.people", { n: 1 }));
  await counter.page.keyboard.press("F2");
  await expect(counter.page.getByTestId("current-ticket")).toHaveText(code);
  await expect(tv.page.getByTestId("latest-call")).toContainText(code, { timeout: Math.max(1_000, healthyAt + 10_000 - Date.now()) });
  const shownAfterMs = Date.now() - healthyAt;
  console.log(`restart: the TV showed the call made on the new server ${shownAfterMs} ms after /readyz said ready`);
  expect(shownAfterMs).toBeLessThanOrEqual(10_000);
  await expect(tv.page.getByTestId("offline-banner")).toBeHidden();
  for (const { page } of [tv, kiosk, counter]) expect(await page.evaluate(() => (window as unknown as Marked).__marker)).toBe(1);
  await tv.page.screenshot({ path: `${SCREENS}/display-after-restart.png` });

  // F4 finishes it on the new server: the console works without a reload.
  await counter.page.keyboard.press("F4");
  await expect(counter.page.getByTestId("current-ticket")).toHaveText(t("counter.none"));
  expect(problems).toEqual([]);
});

test("while the server is unreachable a kiosk tap and an F4 say so, and both work again once it is back, untouched", async ({ browser }) => {
  test.setTimeout(150_000);
  const problems: string[] = [];
  const admin = await open(browser, { width: 1280, height: 900 }, "admin", problems);
  await signIn(admin.page, "quantri", PORT);
  const { kioskLink } = await demoPairingLinks(admin.page);
  await admin.context.close();
  const kiosk = await open(browser, { width: 1280, height: 1024 }, "kiosk", problems);
  await pair(kiosk.page, kioskLink, "kiosk");
  const counter = await open(browser, { width: 1366, height: 768 }, "counter", problems);
  await signIn(counter.page, "canbo01", PORT);
  await expect(counter.page.getByRole("heading", { name: "Quầy 1", level: 1, exact: true })).toBeVisible();
  const reception = await open(browser, { width: 1366, height: 768 }, "reception", problems);
  await signIn(reception.page, "canbo02", PORT);
  await reception.page.goto("/reception");
  const receptionButton = reception.page.getByRole("button", { name: new RegExp(FIELD) }).first();
  await whenHydrated(receptionButton);
  const fieldButton = kiosk.page.getByRole("button", { name: FIELD });
  await whenHydrated(fieldButton);
  await fieldButton.click();
  const code = (await kiosk.page.getByTestId("ticket-code").textContent())!.trim();
  await kiosk.page.getByRole("button", { name: t("kiosk.again") }).click();
  await expect(counter.page.getByTestId("waiting-total")).toHaveText(t("counter.people", { n: 1 }));
  await counter.page.keyboard.press("F2");
  await expect(counter.page.getByTestId("current-ticket")).toHaveText(code);

  // The kiosk's requests fail before its socket notices a loss (the network cut a moment ago):
  // the tap is answered on the kiosk itself, and the citizen can tap again.
  const cut = (route: { abort(): Promise<void> }) => route.abort();
  await kiosk.page.route("**/kiosk.data**", cut);
  await kiosk.page.route("**/readyz", cut);
  await fieldButton.click();
  await expect(kiosk.page.getByRole("alert")).toHaveText(t("kiosk.offline"));
  await expect(fieldButton).toBeEnabled();
  await kiosk.page.screenshot({ path: `${SCREENS}/kiosk-offline-tap.png` });
  await kiosk.page.unroute("**/kiosk.data**", cut);
  await kiosk.page.unroute("**/readyz", cut);

  // The server goes away: the console's keys wait and it says why; F4 does nothing it cannot do.
  await stopServer();
  await expect(counter.page.getByTestId("offline-actions")).toHaveText(t("counter.offlineActions"));
  await counter.page.keyboard.press("F4");
  await expect(counter.page.getByTestId("current-ticket")).toHaveText(code);
  await expect(counter.page.getByRole("button", { name: /F4/ })).toBeDisabled();
  await counter.page.screenshot({ path: `${SCREENS}/counter-offline.png` });
  await expect(fieldButton).toBeDisabled();
  await expect(reception.page.getByTestId("offline-actions")).toHaveText(t("reception.offline"));
  await expect(receptionButton).toBeDisabled();
  await reception.page.screenshot({ path: `${SCREENS}/reception-offline.png` });

  await startServer(false);
  // Back without anyone touching either: F4 finishes the ticket, the kiosk gives the next number.
  await expect(counter.page.getByTestId("offline-actions")).toBeHidden({ timeout: 10_000 });
  await counter.page.keyboard.press("F4");
  await expect(counter.page.getByTestId("current-ticket")).toHaveText(t("counter.none"));
  await expect(counter.page.getByRole("status")).toHaveText(t("counter.finished", { code }));
  await expect(fieldButton).toBeEnabled({ timeout: 10_000 });
  await fieldButton.click();
  await expect(kiosk.page.getByTestId("ticket-code")).toHaveText(/^A\d{3}$/);
  await expect(receptionButton).toBeEnabled({ timeout: 10_000 });
  expect(problems).toEqual([]);
});
