// How HEXS's tests and benchmarks start Chromium: Playwright's own build where it is installed,
// otherwise the system one; flags that keep a headless browser off the network and the sandbox
// a root container cannot give it.
import { existsSync } from "node:fs";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** PLAYWRIGHT_CHROMIUM_PATH, else Debian's /usr/bin/chromium if present, else Playwright's own (undefined). */
export function chromiumExecutablePath(): string | undefined {
  const configured = process.env.PLAYWRIGHT_CHROMIUM_PATH;
  if (configured) return configured;
  return existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined;
}
