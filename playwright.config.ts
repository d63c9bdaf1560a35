import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

/**
 * End-to-end tests: builds the app, starts the production server on a fresh database
 * (scripts/e2e-server.mjs; PostgreSQL when DATABASE_URL is set, else a temporary PGlite)
 * and drives it with Chromium.
 *
 * The browser: PLAYWRIGHT_CHROMIUM_PATH, else Debian's /usr/bin/chromium, else the one
 * `npx playwright install` downloads (on a machine that can download it).
 */
const port = Number(process.env.E2E_PORT || 3217);
const baseURL = `http://localhost:${port}`;

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  forbidOnly: Boolean(process.env.CI),
  reporter: "list",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    locale: "vi-VN",
    timezoneId: "Asia/Ho_Chi_Minh",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: process.env.PLAYWRIGHT_CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined),
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
          ],
        },
      },
    },
  ],
  webServer: {
    // E2E_PREBUILT=1: the build of an earlier run in this checkout is used as it is (CI's second database).
    command: process.env.E2E_PREBUILT === "1" ? "node scripts/e2e-server.mjs" : "npm run build && node scripts/e2e-server.mjs",
    // Ready, not merely alive: the server listens before it has migrated and loaded the demo centre.
    url: `${baseURL}/readyz`,
    env: { E2E_PORT: String(port) },
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: "pipe",
    stderr: "pipe",
    // SIGTERM (not Playwright's default SIGKILL) so the script can drop its database / temp folder.
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
  },
});
