// The account page's Akash side (issue 17, item 1): a Cosmos wallet's AKT and ACT, and minting
// ACT before any /train run.
import { expect, test } from "@playwright/test";
import type { AkashStandIn } from "../../dev/standins/akash/server.ts";
import { openApp } from "./support/app.ts";
import { startStandIn } from "./support/akash.ts";

let standIn: AkashStandIn;
test.beforeAll(async () => {
  // The dev key holds AKT only, as a new Akash user does.
  standIn = await startStandIn({ devKeyActFunds: 0n });
});
test.afterAll(async () => {
  await standIn?.stop();
});

test("the account page shows a Cosmos account's AKT and ACT and mints ACT from AKT", async ({ page }) => {
  // The least deposit matters where deployments are made (/train, serving), not here.
  const depositParamReads: string[] = [];
  page.on("request", (request) => {
    if (request.url().includes("/akash/deployment/v1beta4/params")) depositParamReads.push(request.url());
  });
  await openApp(page, "#/account", {
    akashRestUrl: standIn.nodeUrl,
    akashRpcUrl: standIn.nodeUrl,
    akashChainId: standIn.chainId,
  });
  await expect(page.getByRole("heading", { name: "Akash" })).toBeVisible();
  await page.getByRole("button", { name: "Use dev key" }).click();
  await expect(page.getByTestId("cosmos-account")).toContainText("akash1");
  const funds = page.getByTestId("funds");
  await expect(funds.getByRole("heading", { name: "AKT and ACT" })).toBeVisible();
  await expect(funds.getByTestId("balances")).toContainText("1000 AKT");
  await expect(funds.getByTestId("act-balance")).toHaveText("0 ACT");
  // No deposit to cover here: the chain's minimum mint is suggested (10 ACT at AKT = $1.25 is 8 AKT).
  await expect(funds.getByLabel("AKT to burn for ACT")).toHaveAttribute("placeholder", "8");
  await funds.getByLabel("AKT to burn for ACT").fill("16");
  await expect(funds.getByTestId("mint-gives")).toHaveText("Gives ≈ 19.95 ACT.");
  await funds.getByRole("button", { name: "Mint ACT" }).click();
  await expect(funds.getByTestId("act-balance")).toHaveText("19.95 ACT", { timeout: 20_000 });
  await expect(funds.getByTestId("balances")).toContainText(/98\d\.\d+ AKT/);
  await expect(page.getByTestId("akash-error")).toHaveCount(0);
  expect(depositParamReads).toEqual([]);
});
