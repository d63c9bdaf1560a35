import { defineConfig } from "vitest/config";

// Its own config so Vitest does not load the React Router plugin, and never picks up Playwright specs.
export default defineConfig({
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts"],
    environment: "node",
    globalSetup: ["tests/helpers/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration files each get their own database; keep two workers on a 2-core machine.
    maxWorkers: 2,
  },
});
