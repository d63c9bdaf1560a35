import { spawn, type ChildProcess } from "node:child_process";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { t } from "../../server/i18n";
import { pair, SCREENS, whenHydrated } from "./support";

// A real deployment, from nothing: a server of this file's own on an empty database, started
// as a province's operator would (no demo centre; the first administrator made with
// `npm run user:create`). Everything else is done in the browser.
const PORT = Number(process.env.E2E_SETUP_PORT || 3241);
const BASE = `http://localhost:${PORT}`;
const ADMIN = "quantri";
const ADMIN_PASSWORD = "Hoa phượng đỏ sân trường 1975";
const OFFICER_PASSWORD = "Trăng rằm tháng tám 2026";

let server: ChildProcess | null = null;

test.beforeAll(async () => {
  server = spawn(process.execPath, ["scripts/e2e-server.mjs"], {
    env: { ...process.env, E2E_PORT: String(PORT), E2E_DEMO: "0", E2E_FIRST_ADMIN: `${ADMIN}:${ADMIN_PASSWORD}`, E2E_LOG_LEVEL: "error" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const started = Date.now();
  for (;;) {
    const ok = await fetch(`${BASE}/readyz`, { signal: AbortSignal.timeout(1_000) }).then((r) => r.ok, () => false);
    if (ok) return;
    if (Date.now() - started > 90_000) throw new Error("the server was not ready (/readyz) within 90 s");
    await new Promise((r) => setTimeout(r, 200));
  }
});
test.afterAll(async () => {
  const child = server;
  if (!child) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
});

async function open(browser: Browser, viewport: { width: number; height: number }) {
  const context = await browser.newContext({ viewport, baseURL: BASE });
  return { context, page: await context.newPage() };
}

async function logIn(page: Page, username: string, password: string) {
  await page.goto("/login");
  await whenHydrated(page.getByLabel(t("login.username")));
  await page.getByLabel(t("login.username")).fill(username);
  await page.getByLabel(t("login.password")).fill(password);
  await page.getByRole("button", { name: t("login.submit"), exact: true }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

test("from an empty database with only the first administrator: a centre, its fields, counters and officers set up in the browser, then a ticket taken, called and finished", async ({ browser }) => {
  test.setTimeout(180_000);
  const admin = await open(browser, { width: 1366, height: 768 });
  await logIn(admin.page, ADMIN, ADMIN_PASSWORD);

  // 1. A commune centre, and work in it.
  await admin.page.getByRole("link", { name: t("nav.centres"), exact: true }).click();
  await expect(admin.page.getByRole("heading", { name: t("admin.centres.title"), level: 1 })).toBeVisible();
  const newCentre = admin.page.locator("section", { has: admin.page.getByRole("heading", { name: t("admin.centres.new") }) });
  await whenHydrated(newCentre.getByRole("button", { name: t("admin.centres.create") }));
  await newCentre.getByLabel(t("admin.centres.code")).fill("anbinh");
  await newCentre.getByLabel(t("admin.centres.name")).fill("Trung tâm Phục vụ hành chính công xã An Bình");
  await newCentre.getByLabel(t("admin.centres.address")).fill("Thôn 3, xã An Bình");
  await newCentre.getByLabel(t("admin.centres.closesAt")).fill("7h");
  await newCentre.getByRole("button", { name: t("admin.centres.create") }).click();
  // Closing before opening is explained next to the input; nothing is created.
  await expect(newCentre.getByText(t("admin.centres.error.hours"))).toBeVisible();
  await expect(admin.page.getByTestId("centre-ANBINH")).toHaveCount(0);
  await newCentre.getByLabel(t("admin.centres.closesAt")).fill("17h");
  await newCentre.getByRole("button", { name: t("admin.centres.create") }).click();
  const centreRow = admin.page.getByTestId("centre-ANBINH");
  await expect(centreRow).toContainText(t("admin.centres.level.commune"));
  await admin.page.screenshot({ path: `${SCREENS}/admin-centres-1366.png`, fullPage: true });
  await centreRow.getByRole("button", { name: t("admin.centres.workHere") }).click();
  await expect(admin.page).toHaveURL(/\/admin\/centre$/);
  await expect(admin.page.getByRole("banner")).toContainText("xã An Bình");

  // 2. Two fields.
  const newField = admin.page.locator("form", { has: admin.page.getByRole("heading", { name: t("admin.centre.newField") }) });
  const addField = async (name: string, code: string, prefix: string) => {
    const form = admin.page.locator("form", { has: admin.page.getByRole("heading", { name: t("admin.centre.newField") }) });
    await whenHydrated(form.getByRole("button", { name: t("admin.centre.addField") }));
    await form.getByLabel(t("admin.centre.fieldName")).fill(name);
    await form.getByLabel(t("admin.centre.fieldCode"), { exact: true }).fill(code);
    await form.getByLabel(t("admin.centre.fieldPrefix")).fill(prefix);
    await form.getByRole("button", { name: t("admin.centre.addField") }).click();
    await expect(admin.page.getByTestId(`field-${code.toUpperCase()}`)).toContainText(name);
  };
  await addField("Hộ tịch", "ht", "a");
  // A prefix already taken is explained.
  await whenHydrated(newField.getByRole("button", { name: t("admin.centre.addField") }));
  await newField.getByLabel(t("admin.centre.fieldName")).fill("Đất đai");
  await newField.getByLabel(t("admin.centre.fieldCode"), { exact: true }).fill("DD");
  await newField.getByLabel(t("admin.centre.fieldPrefix")).fill("A");
  await newField.getByRole("button", { name: t("admin.centre.addField") }).click();
  await expect(newField.getByText(t("admin.field.error.prefixTaken", { prefix: "A", name: "Hộ tịch" }))).toBeVisible();
  await newField.getByLabel(t("admin.centre.fieldPrefix")).fill("B");
  await newField.getByRole("button", { name: t("admin.centre.addField") }).click();
  await expect(admin.page.getByTestId("field-DD")).toContainText("Đất đai");

  // 3. Three counters: 1 serves Hộ tịch, 2 Đất đai, 3 both.
  const addCounter = async (number: number, fields: string[]) => {
    const form = admin.page.locator("form", { has: admin.page.getByRole("heading", { name: t("admin.centre.newCounter") }) });
    await whenHydrated(form.getByRole("button", { name: t("admin.centre.addCounter") }));
    await expect(form.getByLabel(t("admin.centre.counterNumber"))).toHaveValue(String(number));
    for (const name of fields) await form.getByLabel(name).check();
    await form.getByRole("button", { name: t("admin.centre.addCounter") }).click();
    await expect(admin.page.getByTestId(`counter-${number}`)).toContainText(fields[0]!);
  };
  await addCounter(1, ["Hộ tịch"]);
  await addCounter(2, ["Đất đai"]);
  await addCounter(3, ["Hộ tịch", "Đất đai"]);
  await admin.page.screenshot({ path: `${SCREENS}/admin-centre-1366.png`, fullPage: true });

  // 4. Two officers.
  await admin.page.getByRole("link", { name: t("nav.users"), exact: true }).click();
  for (const [username, name] of [
    ["hoa.le", "Lê Thị Hoa"],
    ["minh.pham", "Phạm Văn Minh"],
  ] as const) {
    await whenHydrated(admin.page.getByRole("button", { name: t("admin.users.create") }));
    await admin.page.getByLabel(t("admin.user.fullName"), { exact: true }).fill(name);
    await admin.page.getByLabel(t("admin.user.username"), { exact: true }).fill(username);
    await admin.page.getByLabel(t("admin.user.password"), { exact: true }).fill(OFFICER_PASSWORD);
    await admin.page.getByRole("button", { name: t("admin.users.create") }).click();
    await expect(admin.page.getByTestId(`user-${username}`)).toContainText(name);
  }

  // 5. A kiosk, paired.
  await admin.page.getByRole("link", { name: t("nav.devices"), exact: true }).click();
  await whenHydrated(admin.page.getByRole("button", { name: t("devices.create") }));
  await admin.page.getByLabel(t("devices.name")).fill("Máy lấy số sảnh");
  await admin.page.getByRole("button", { name: t("devices.create") }).click();
  const link = (await admin.page.getByTestId("pairing-link").textContent())!.trim();
  const kiosk = await open(browser, { width: 1280, height: 1024 });
  await pair(kiosk.page, link, "kiosk");

  // 6. A ticket taken, called and finished.
  const officer = await open(browser, { width: 1366, height: 768 });
  await logIn(officer.page, "hoa.le", OFFICER_PASSWORD);
  await expect(officer.page).toHaveURL(/\/counter$/);
  await officer.page.getByRole("button", { name: `${t("counter.signIn")} 1`, exact: true }).click();
  await expect(officer.page.getByRole("heading", { name: "Quầy 1", level: 1, exact: true })).toBeVisible();

  const fieldButton = kiosk.page.getByRole("button", { name: "Hộ tịch" });
  await whenHydrated(fieldButton);
  await fieldButton.click();
  await expect(kiosk.page.getByTestId("ticket-code")).toHaveText("A001");
  await kiosk.page.screenshot({ path: `${SCREENS}/from-nothing-kiosk.png` });

  await expect(officer.page.getByTestId("waiting-total")).toHaveText(t("counter.people", { n: 1 }));
  await officer.page.keyboard.press("F2");
  await expect(officer.page.getByTestId("current-ticket")).toHaveText("A001");
  await officer.page.keyboard.press("F4");
  await expect(officer.page.getByRole("status")).toHaveText(t("counter.finished", { code: "A001" }));
  await expect(officer.page.getByTestId("current-ticket")).toHaveText(t("counter.none"));

  // No page of this deployment says its data is made up.
  await expect(officer.page.getByTestId("demo-badge")).toHaveCount(0);
  for (const c of [admin, kiosk, officer]) await c.context.close();
});
