import { defineConfig, devices } from "@playwright/test";
import { CHROMIUM_ARGS, chromiumExecutablePath } from "./dev/chromium.ts";

// Chromium: PLAYWRIGHT_CHROMIUM_PATH, else Debian's /usr/bin/chromium where installed, else
// Playwright's own download (`npx playwright install chromium`) — see dev/chromium.ts.
export default defineConfig({
  testDir: "test/e2e",
  globalSetup: "./test/e2e/support/globalSetup.ts",
  // One local chain is shared and some tests pause its automining: run them one at a time.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 30_000,
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    ...devices["Desktop Chrome"],
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromiumExecutablePath(),
      args: CHROMIUM_ARGS,
    },
  },
});
