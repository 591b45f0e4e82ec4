import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

/**
 * Playwright's own browser download is used where it is installed (`npx playwright install`);
 * otherwise the system Chromium (PLAYWRIGHT_CHROMIUM_PATH, or Debian's /usr/bin/chromium).
 */
const systemChromium = process.env.PLAYWRIGHT_CHROMIUM_PATH ?? "/usr/bin/chromium";
const executablePath = process.env.PLAYWRIGHT_CHROMIUM_PATH || existsSync(systemChromium) ? systemChromium : undefined;

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
      executablePath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
});
