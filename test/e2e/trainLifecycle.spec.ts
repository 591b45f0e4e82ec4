// Issue 17, item 3: a lease's lifecycle as real providers run it, each behaviour reproduced by the
// Akash stand-in first (dev/standins/akash/providerApi.ts cites the provider's source for each):
// a manifest refused until the provider has seen the lease, a log stream that ends without a
// close frame, a log stream the provider refuses.
import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import type { AkashStandIn, AkashStandInOptions } from "../../dev/standins/akash/server.ts";
import { key } from "../../dev/standins/akash/chain.ts";
import { acceptCheapestBid, connectTrain, createDeployment, startStandIn } from "./support/akash.ts";

const DEPOSIT = 5_000_000n;

let standIn: AkashStandIn | undefined;
async function useStandIn(options: AkashStandInOptions): Promise<AkashStandIn> {
  standIn = await startStandIn(options);
  return standIn;
}
test.afterEach(async () => {
  await standIn?.stop();
  standIn = undefined;
});

/** Enough text for the tiny trainer's dataset (it refuses a dataset smaller than its context). */
const verse = async () =>
  (await readFile(new URL("../../models/corpus/verse.txt", import.meta.url), "utf8")).slice(0, 6000);

async function cosmosOwner(page: Page): Promise<string> {
  return (await page.getByTestId("cosmos-account").locator("code").textContent())!;
}

test.describe("/train: a lease's lifecycle as real providers run it (local Akash stand-in)", () => {
  test.setTimeout(90_000);

  test("a manifest the provider refuses until it has seen the lease is sent again, and the job runs", async ({
    page,
  }) => {
    // Eight blocks of 300 ms: the first manifest, sent as soon as the lease is on chain, gets 404.
    const s = await useStandIn({ leaseSeenAfterBlocks: 8n });
    await connectTrain(page, s);
    await createDeployment(page, { datasetText: await verse(), steps: 5 });
    await acceptCheapestBid(page);
    await expect(page.getByTestId("manifest-wait")).toContainText(
      /^The provider has not seen the lease on chain yet; sending the manifest again in \d+ s \(try 2\)$/,
      { timeout: 15_000 },
    );
    await expect(page.getByTestId("logs")).toContainText('"event":"started"', { timeout: 30_000 });
    await expect(page.getByTestId("manifest-wait")).toHaveCount(0);
    await expect(page.getByTestId("outcome")).toContainText("Job finished", { timeout: 30_000 });
  });

  test("a log stream that ends without a close frame after the result line: the lease is closed, the rest refunded", async ({
    page,
  }) => {
    // The provider's socket just ends (1006) with the workload, as a real provider's may.
    const s = await useStandIn({ endOfLogs: "drop", holdAfterExit: false });
    await connectTrain(page, s);
    const owner = await cosmosOwner(page);
    const actBefore = s.chain.account(owner).balances.uact;
    await createDeployment(page, { datasetText: await verse(), steps: 5 });
    const dseq = await acceptCheapestBid(page);
    await expect(page.getByTestId("outcome")).toContainText("Job finished", { timeout: 30_000 });
    await expect(page.getByTestId("closed")).toContainText(`Deployment ${dseq} closed`);
    await expect(page.getByTestId("train-error")).toHaveCount(0);
    const deployment = s.chain.deployments.get(key(owner, dseq))!;
    const lease = s.chain.leases.find((l) => l.ref.owner === owner && l.ref.dseq === dseq)!;
    expect(deployment).toMatchObject({ state: "closed", escrow: 0n });
    expect(lease.state).toBe("closed");
    // The deposit came back less what the lease ran.
    expect(s.chain.account(owner).balances.uact).toBe(actBefore - DEPOSIT + (DEPOSIT - lease.paid));
  });

  test("a log stream the provider refuses is reported within 5 s, and the lease can be closed", async ({ page }) => {
    const s = await useStandIn({});
    // The cheapest bidder (provider-c) answers the logs upgrade with 500 instead of switching protocols.
    s.testControls.refuseLogs("provider-c", 500);
    await connectTrain(page, s);
    await createDeployment(page, { datasetText: "never followed", steps: 5 });
    await acceptCheapestBid(page);
    // The manifest is taken; from the moment the page asks for the logs, the refusal shows within 5 s.
    await expect(page.getByRole("heading", { name: "Job" })).toBeVisible({ timeout: 15_000 });
    await expect(page.getByTestId("train-error")).toContainText("follow the logs", { timeout: 5_000 });
    await expect(page.getByTestId("train-error")).toContainText("Unexpected server response: 500");
    await page.getByRole("button", { name: "Close deployment" }).click();
    await expect(page.getByTestId("outcome")).toContainText("Deployment closed");
  });
});
