import { expect, type Page } from "@playwright/test";
import { devAccount } from "./agents.ts";
import { e2eEnv } from "./app.ts";
import { TestWallet } from "./testWallet.ts";

/** Connects the dApp's dev wallet and picks Hardhat account #index. */
export async function connectDevWallet(page: Page, index: number): Promise<void> {
  await page.getByRole("button", { name: "Connect wallet" }).click();
  await page.getByRole("button", { name: "HEXS dev wallet" }).click();
  await page.getByLabel("Dev account").selectOption(String(index));
  await expect(page.getByTestId("wallet")).toContainText(devAccount(index).address.slice(0, 6));
}

/**
 * Installs a fresh, funded EIP-6963 test wallet — a newcomer with no history on any agent — into
 * the page before it loads; connect it with {@link connectTestWallet} once the app is open.
 */
export async function installFreshWallet(page: Page, eth = "10"): Promise<TestWallet> {
  const wallet = new TestWallet(e2eEnv().rpcUrl);
  await wallet.fund(eth);
  await wallet.install(page);
  return wallet;
}

export async function connectTestWallet(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Connect wallet" }).click();
  await page.getByRole("button", { name: "HEXS Test Wallet" }).click();
  await expect(page.getByTestId("balance")).toBeVisible();
}
