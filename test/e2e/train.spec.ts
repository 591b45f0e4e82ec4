import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { createPublicClient, http, type Address } from "viem";
import { hardhat } from "viem/chains";
import { agentAbi, agentLedgerAbi } from "../../src/lib/contracts/abis.ts";
import type { AkashStandIn } from "../../dev/standins/akash/server.ts";
import { e2eEnv, seededAgents } from "./support/app.ts";
import { devAccountIndex, openTrain, startStandIn } from "./support/akash.ts";

let standIn: AkashStandIn;
test.beforeAll(async () => {
  standIn = await startStandIn();
});
test.afterAll(async () => {
  await standIn?.stop();
});

const chain = () => createPublicClient({ chain: hardhat, transport: http(e2eEnv().rpcUrl), cacheTime: 0 });
const versionCount = async (agent: Address) =>
  (await chain().readContract({ address: agent, abi: agentAbi, functionName: "summary" })).versionCount;

async function startRun(page: Page, datasetText: string, steps: number) {
  const base = seededAgents().find((a) => a.name === "StoryTeller Tiny")!;
  await openTrain(page, standIn);
  await page.getByRole("button", { name: "Connect wallet" }).click();
  await page.getByRole("button", { name: "HEXS dev wallet" }).click();
  await page.getByLabel("Dev account").selectOption(String(devAccountIndex(base.owner)));
  await page.getByRole("button", { name: "Use dev key" }).click();
  await expect(page.getByTestId("cosmos-account")).toContainText("akash1");

  await page.getByLabel("Base agent").selectOption(base.agent);
  await page
    .getByLabel("Upload a text file")
    .setInputFiles({ name: "data.txt", mimeType: "text/plain", buffer: Buffer.from(datasetText) });
  await expect(page.getByLabel("Dataset CID")).toHaveValue(/^baf/, { timeout: 15_000 });
  await page.getByLabel("Steps").fill(String(steps));
  await page.getByRole("button", { name: "Check SDL" }).click();
  // The Akash SDK loads on first use (a large lazy chunk).
  await expect(page.getByTestId("sdl")).toContainText(`HEXS_STEPS=${steps}`, { timeout: 15_000 });
  await expect(page.getByTestId("deposit")).toHaveText("5 AKT");
  await page.getByRole("button", { name: "Create deployment" }).click();

  const bids = page.getByTestId("bids");
  await expect(bids.getByRole("row")).toHaveCount(3, { timeout: 15_000 }); // header + two providers in budget
  await expect(bids).toContainText("5 uakt");
  await bids.getByRole("button", { name: "Accept" }).first().click();
  return { base, dseq: (await page.getByTestId("dseq").textContent())! };
}

test.describe("/train: fine-tuning on Akash (local stand-in)", () => {
  test.setTimeout(120_000);

  test("from a marketplace agent to a published version with its lease record", async ({ page }) => {
    const verse = (await readFile(new URL("../../models/corpus/verse.txt", import.meta.url), "utf8")).slice(0, 6000);
    const { base, dseq } = await startRun(page, verse, 20);
    const before = await versionCount(base.agent);

    await expect(page.getByTestId("logs")).toContainText('"event":"started"', { timeout: 30_000 });
    await expect(page.getByTestId("outcome")).toContainText("Job finished", { timeout: 60_000 });
    await expect(page.getByTestId("closed")).toContainText(`Deployment ${dseq} closed`);
    const cost = BigInt((await page.getByTestId("closed").textContent())!.match(/\((\d+) uakt\)/)?.[1] ?? "0");

    await page.getByRole("button", { name: "Publish version" }).click();
    await expect(page.getByTestId("tx-status")).toHaveAttribute("data-step", "confirmed", { timeout: 20_000 });
    expect(await versionCount(base.agent)).toBe(before + 1n);

    // The training record on chain names the lease the stand-in closed and what it was paid.
    const [event] = await chain().getContractEvents({
      address: base.ledger,
      abi: agentLedgerAbi,
      eventName: "VersionRecorded",
      fromBlock: 0n,
      args: { version: before },
    });
    const lease = standIn.chain.leases.at(-1)!;
    expect(event?.args.record).toMatchObject({
      leaseDseq: BigInt(dseq),
      leaseProvider: lease.ref.provider,
      leaseCost: cost,
    });
    expect(lease.paid).toBe(cost);
    expect(standIn.chain.deployments.get(`${lease.ref.owner}/${dseq}`)?.state).toBe("closed");
  });

  test("a failed job closes the deployment and publishes nothing", async ({ page }) => {
    const { base, dseq } = await startRun(page, "far too little text", 20);
    const before = await versionCount(base.agent);
    await expect(page.getByTestId("job-failure")).toContainText("FineTuneDatasetTooSmallError", { timeout: 30_000 });
    await expect(page.getByTestId("closed")).toContainText(`Deployment ${dseq} closed`);
    await expect(page.getByRole("button", { name: "Publish version" })).toHaveCount(0);
    const owner = standIn.chain.leases.at(-1)!.ref.owner;
    expect(standIn.chain.deployments.get(`${owner}/${dseq}`)?.state).toBe("closed");
    expect(await versionCount(base.agent)).toBe(before);
  });
});
