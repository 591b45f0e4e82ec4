import type { Page } from "@playwright/test";

export function e2eEnv() {
  const rpcUrl = process.env.HEXS_E2E_RPC_URL;
  const siteUrl = process.env.HEXS_E2E_SITE_URL;
  if (!rpcUrl || !siteUrl) throw new Error("globalSetup did not run: HEXS_E2E_RPC_URL / HEXS_E2E_SITE_URL are missing");
  return { rpcUrl, siteUrl };
}

/**
 * Opens the built site at `route` (a hash route such as "#/account"), with its settings pointing
 * at the test chain the way a user would set them on /settings.
 */
export async function openApp(page: Page, route = "#/"): Promise<void> {
  const { rpcUrl, siteUrl } = e2eEnv();
  await page.addInitScript((url) => {
    localStorage.setItem("hexs:settings", JSON.stringify({ chainId: 31337, rpcUrl: url }));
  }, rpcUrl);
  await page.goto(`${siteUrl}${route}`);
}
