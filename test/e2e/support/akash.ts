import { expect, type Page } from "@playwright/test";
import { startAkashStandIn, type AkashStandIn, type AkashStandInOptions } from "../../../dev/standins/akash/server.ts";
import { devAccountIndexOf } from "./agents.ts";
import { e2eEnv, seededAgents, testSettings } from "./app.ts";

/**
 * The Akash stand-in for one spec, on a free port, uploading to the e2e IPFS node. Its jobs run as
 * the trainer images do: idle after their final line, the log stream open, until the lease closes.
 */
export function startStandIn(options: AkashStandInOptions = {}): Promise<AkashStandIn> {
  return startAkashStandIn({
    ipfsApiUrl: e2eEnv().ipfsUrl,
    blockMs: 300,
    bidDelayMs: 500,
    holdAfterExit: true,
    // 1 000 ACT, as if minted earlier (the mint itself: train.spec).
    devKeyActFunds: 1_000_000_000n,
    // The provider proxy answers the pages of the site under test, and no other origin.
    proxyAllowedOrigins: [new URL(e2eEnv().siteUrl).origin],
    ...options,
  });
}

/** The seeded agent the /train tests fine-tune; its owner is a dev wallet account. */
export const trainBase = () => seededAgents().find((a) => a.name === "StoryTeller Tiny")!;

/**
 * Opens /train and connects both wallets as the base agent's owner (or dev `account`): the EVM
 * dev wallet and the Cosmos dev key. A tab opened after another in the same browser finds the EVM wallet reconnected
 * (`reconnected`); the Cosmos key is never remembered.
 */
export async function connectTrain(
  page: Page,
  standIn: AkashStandIn,
  reconnected = false,
  settings: Record<string, string> = {},
  account = devAccountIndexOf(trainBase().owner),
): Promise<void> {
  await openTrain(page, standIn, settings);
  if (!reconnected) {
    await page.getByRole("button", { name: "Connect wallet" }).click();
    await page.getByRole("button", { name: "HEXS dev wallet" }).click();
  }
  await page.getByLabel("Dev account").selectOption(String(account));
  await page.getByRole("button", { name: "Use dev key" }).click();
  await expect(page.getByTestId("cosmos-account")).toContainText("akash1");
}

export interface JobInput {
  datasetText: string;
  steps: number;
  /** GPU model to ask for (empty: CPU only). */
  gpuModel?: string;
  /** Max price per block in uact (the form's default otherwise). */
  maxPrice?: number;
  /** Only providers the Akash Network's auditor signed for (the placement's signedBy). */
  auditedOnly?: boolean;
}

/** Fills the job form on a connected /train page, checks the SDL and creates the deployment. */
export async function createDeployment(page: Page, job: JobInput): Promise<void> {
  await page.getByLabel("Base agent").selectOption(trainBase().agent);
  await page
    .getByLabel("Upload a text file")
    .setInputFiles({ name: "data.txt", mimeType: "text/plain", buffer: Buffer.from(job.datasetText) });
  await expect(page.getByLabel("Dataset CID")).toHaveValue(/^baf/, { timeout: 15_000 });
  await page.getByLabel("Steps").fill(String(job.steps));
  if (job.gpuModel) await pickGpu(page, job.gpuModel);
  if (job.maxPrice) await page.getByLabel("Max price (uact per block)").fill(String(job.maxPrice));
  if (job.auditedOnly)
    await page.getByRole("checkbox", { name: /Only providers audited by the Akash Network/ }).check();
  await page.getByRole("button", { name: "Check SDL" }).click();
  // The Akash SDK loads on first use (a large lazy chunk).
  await expect(page.getByTestId("sdl")).toContainText(`HEXS_STEPS=${job.steps}`, { timeout: 15_000 });
  await expect(page.getByTestId("deposit")).toHaveText("5 ACT");
  await page.getByRole("button", { name: "Create deployment" }).click();
}

/**
 * Picks `model` in the GPU picker, as providers offer it on chain (the picker lists them once the
 * wallet is connected), or types it as another model when no provider offers it.
 */
export async function pickGpu(page: Page, model: string): Promise<void> {
  const picker = page.getByLabel("GPU", { exact: true });
  await expect(picker.locator("option")).not.toHaveCount(2);
  const offered = picker.locator("option", { hasText: ` ${model.toUpperCase()} ` });
  if ((await offered.count()) > 0)
    return void (await picker.selectOption({ label: (await offered.first().textContent())! }));
  await picker.selectOption("other");
  await page.getByLabel(/^GPU model/).fill(model);
}

/** Waits for the bids of the default providers within budget and accepts the cheapest; returns the dseq. */
export async function acceptCheapestBid(
  page: Page,
  expectedRun: { hours: string; cost: string } = { hours: "0.5", cost: "0.0015 ACT ($0.00)" },
): Promise<string> {
  const bids = page.getByTestId("bids");
  await expect(bids.getByRole("row")).toHaveCount(3, { timeout: 15_000 }); // header + two providers in budget
  // Who audited each bidder, from x/audit: provider-a is signed for by the Akash Network, provider-c by nobody.
  await expect(bids.getByRole("row", { name: /Stand-in Compute A/ })).toContainText("Akash Network");
  await expect(bids.getByRole("row", { name: /Stand-in Compute C/ })).toContainText("—");
  // Their uptime over 7 days, which the provider proxy reads from Console's indexer (the stand-in's).
  await expect(bids.getByRole("row", { name: /Stand-in Compute A/ })).toContainText("99.8 %");
  await expect(bids.getByRole("row", { name: /Stand-in Compute C/ })).toContainText("87.4 %");
  // What the whole run costs at each price (by default the tiny trainer's expected half hour: 300 blocks at 5 uact).
  await expect(bids.getByRole("columnheader", { name: `≈ per run (${expectedRun.hours} h)` })).toBeVisible();
  await expect(bids.getByRole("row", { name: /Stand-in Compute C/ }).getByTestId("bid-run-cost")).toHaveText(
    expectedRun.cost,
  );
  await bids.getByRole("button", { name: "Accept" }).first().click();
  return (await page.getByTestId("dseq").textContent())!;
}

/** Opens /train with the settings a user would enter: test chain, IPFS node and the stand-in (`overrides` last). */
export async function openTrain(
  page: Page,
  standIn: AkashStandIn,
  overrides: Record<string, string> = {},
): Promise<void> {
  await page.addInitScript((settings) => localStorage.setItem("hexs:settings", JSON.stringify(settings)), {
    ...testSettings(),
    akashRestUrl: standIn.nodeUrl,
    akashRpcUrl: standIn.nodeUrl,
    akashChainId: standIn.chainId,
    akashProviderProxyUrl: standIn.providerProxyUrl,
    ...overrides,
  });
  await page.goto(`${e2eEnv().siteUrl}#/train`);
}
