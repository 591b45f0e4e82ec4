import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { createPublicClient, http, type Address } from "viem";
import { hardhat } from "viem/chains";
import { agentAbi, agentLedgerAbi } from "../../src/lib/contracts/abis.ts";
import type { AkashStandIn } from "../../dev/standins/akash/server.ts";
import { AKASH_AUDITOR } from "../../src/lib/akash/audit.ts";
import { e2eEnv } from "./support/app.ts";
import {
  acceptCheapestBid,
  connectTrain,
  createDeployment,
  openTrain,
  startStandIn,
  trainBase,
} from "./support/akash.ts";
import { startHubStandIn } from "../../dev/standins/hub/server.ts";
import { freePort } from "../../dev/stack/ports.ts";

let standIn: AkashStandIn;
test.beforeAll(async () => {
  // A pod takes a moment to start, as an image pull does: until then the logs close with 4000.
  standIn = await startStandIn({ podStartDelayMs: 2_500 });
});
test.afterAll(async () => {
  await standIn?.stop();
});

const chain = () => createPublicClient({ chain: hardhat, transport: http(e2eEnv().rpcUrl), cacheTime: 0 });
const versionCount = async (agent: Address) =>
  (await chain().readContract({ address: agent, abi: agentAbi, functionName: "summary" })).versionCount;

async function startRun(page: Page, datasetText: string, steps: number, account?: number) {
  await connectTrain(page, standIn, false, {}, account);
  await createDeployment(page, { datasetText, steps });
  await expect(page.getByTestId("bids")).toContainText("5 uact", { timeout: 15_000 });
  return { base: trainBase(), dseq: await acceptCheapestBid(page) };
}

test.describe("/train: fine-tuning on Akash (local stand-in)", () => {
  test.setTimeout(120_000);

  test("a Hugging Face base is looked up on the hub: its ONNX export named, or a missing repo said", async ({
    page,
  }) => {
    const hub = await startHubStandIn({ port: await freePort() });
    try {
      await openTrain(page, standIn, { hubUrl: hub.url });
      await page.getByLabel("A Hugging Face model").check();
      await page.getByLabel("Hugging Face id").fill("hexs-demo/tiny-verse-char");
      await expect(page.getByTestId("hub-base")).toContainText("has an ONNX export (onnx/model.onnx)");
      await page.getByLabel("Hugging Face id").fill("hexs-demo/no-such-model");
      await expect(page.getByTestId("hub-base")).toContainText("hexs-demo/no-such-model");
      await expect(page.getByTestId("hub-base")).toHaveAttribute("role", "alert");
    } finally {
      await hub.stop();
    }
  });

  test("from a marketplace agent to a published version with its lease record", async ({ page }) => {
    const verse = (await readFile(new URL("../../models/corpus/verse.txt", import.meta.url), "utf8")).slice(0, 6000);
    const { base, dseq } = await startRun(page, verse, 20);
    const before = await versionCount(base.agent);

    // The provider answers the logs with 4000 "no running pods" while the pod starts; the page waits and follows again.
    await expect(page.getByTestId("pod-wait")).toContainText("The container is not running yet", { timeout: 15_000 });
    // Meanwhile the provider's events say why, as Console's Events tab does: the image is being pulled.
    const events = page.getByRole("table", { name: "Provider events" });
    await expect(events).toContainText('Pulling image "ghcr.io/hexs/trainer-tiny:0.1.0"');
    await expect(page.getByTestId("logs")).toContainText('"event":"started"', { timeout: 30_000 });
    await expect(page.getByTestId("pod-wait")).toHaveCount(0);
    await expect(events).toContainText("Started container trainer");
    // The escrow's balance and time left, as Console shows them: the 5 ACT deposit less what the lease ran.
    await expect(page.getByTestId("escrow")).toContainText(
      /^Escrow: 4\.\d+ ACT left \(\$\d\.\d\d\) · pays for \d+ more blocks, about \d+ (h \d+ )?min at ~6 s a block$/,
    );
    // Progress lines become a bar, a percentage and a loss curve, not JSON on screen.
    await expect(page.getByTestId("job-progress")).toContainText(/Step \d+ of 20 \(\d+%\)/, { timeout: 30_000 });
    await expect(page.getByTestId("loss-chart").getByRole("img")).toHaveAttribute("aria-label", /Training loss from/);
    await expect(page.getByTestId("job-log")).not.toContainText("HEXS_PROGRESS");
    await expect(page.getByTestId("outcome")).toContainText("Job finished", { timeout: 60_000 });
    await expect(page.getByTestId("closed")).toContainText(`Deployment ${dseq} closed`);
    // The whole log, progress lines included, as a file.
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: /^Download the log \(\d+ lines\)$/ }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`hexs-lease-${dseq}.log`);
    const saved = await readFile(await file.path(), "utf8");
    expect(saved).toContain('"event":"result"');
    expect(saved.trimEnd().split("\n")).toHaveLength(
      await page.getByTestId("logs").evaluate((pre) => pre.textContent!.split("\n").length),
    );
    const cost = BigInt((await page.getByTestId("closed").textContent())!.match(/\((\d+) uact,/)?.[1] ?? "0");

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

  test("someone else's fine-tune of an agent becomes a new agent, written on the publish page with a valid card and its lease record", async ({
    page,
  }) => {
    const verse = (await readFile(new URL("../../models/corpus/verse.txt", import.meta.url), "utf8")).slice(0, 6000);
    const { base, dseq } = await startRun(page, verse, 10, 7);
    await expect(page.getByTestId("outcome")).toContainText("Job finished", { timeout: 60_000 });
    await expect(page.getByTestId("closed")).toContainText(`Deployment ${dseq} closed`);
    // Account 7 does not own StoryTeller Tiny: no version to publish, a new agent instead.
    await expect(page.getByRole("button", { name: "Publish version" })).toHaveCount(0);
    await page.getByRole("button", { name: "Write the model card and publish" }).click();

    await expect(page).toHaveURL(/#\/create$/);
    await expect(page.getByTestId("chosen-base")).toContainText(base.name);
    await expect(page.getByTestId("trained-weights")).toContainText(`deployment ${dseq}`);
    await expect(page.getByLabel("Model card (Markdown)")).toHaveValue(new RegExp(`deployment ${dseq}`));
    await page.getByLabel("Agent name").fill("Verse Trained on Akash");
    await page.getByLabel("Paid (users buy credits)").check();
    await page.getByLabel(/Price per credit/).fill("0.0002");
    await page.getByRole("button", { name: "Create agent" }).click();

    // The new agent's page: its card reads, its first version carries the lease.
    await expect(page.getByRole("heading", { level: 1, name: "Verse Trained on Akash" })).toBeVisible({
      timeout: 20_000,
    });
    await expect(page.getByTestId("model-card")).toContainText("fine-tuned");
    await expect(page.getByTestId("model-card-error")).toHaveCount(0);
    await expect(page.getByTestId("parent-link")).toBeVisible();
    const lease = standIn.chain.leases.at(-1)!;
    await expect(page.getByTestId("lease")).toContainText(`provider ${lease.ref.provider}, dseq ${dseq}`);
  });

  test("a Hugging Face base fine-tuned by the GPU trainer becomes a new agent that answers in the playground", async ({
    page,
  }) => {
    test.setTimeout(240_000);
    const hub = await startHubStandIn({ port: await freePort() });
    // The stand-in provider runs an image of the GPU trainer as trainer/gpu on this machine's CPU.
    const gpuStandIn = await startStandIn({ hfEndpoint: hub.url });
    try {
      await connectTrain(page, gpuStandIn, false, { hubUrl: hub.url }, 7);
      await page.getByLabel("A Hugging Face model").check();
      await page.getByLabel("Hugging Face id").fill("hexs-demo/tiny-stories-char");
      await expect(page.getByLabel("Trainer")).toHaveValue("gpu");
      await expect(page.getByTestId("trainer-image")).toHaveText("Image: ghcr.io/hexs/trainer-gpu:0.1.0");
      const verse = (await readFile(new URL("../../models/corpus/verse.txt", import.meta.url), "utf8"))
        .split("\n")
        .filter((line) => line.trim())
        .slice(0, 80);
      const jsonl = verse.map((text) => JSON.stringify({ text })).join("\n");
      await page
        .getByLabel("Upload a text file")
        .setInputFiles({ name: "verse.jsonl", mimeType: "application/jsonl", buffer: Buffer.from(jsonl) });
      await expect(page.getByLabel("Dataset CID")).toHaveValue(/^baf/, { timeout: 15_000 });
      await page.getByLabel("Steps").fill("30");
      await page.getByRole("button", { name: "Check SDL" }).click();
      await expect(page.getByTestId("sdl")).toContainText(`image: "ghcr.io/hexs/trainer-gpu:0.1.0"`, {
        timeout: 15_000,
      });
      await expect(page.getByTestId("sdl")).toContainText("HEXS_METHOD=lora");
      await expect(page.getByTestId("sdl")).toContainText("HEXS_BASE_HF_ID=hexs-demo/tiny-stories-char");
      await page.getByRole("button", { name: "Create deployment" }).click();
      // The GPU trainer is expected to run 2 hours: 1200 blocks at 5 uact.
      const dseq = await acceptCheapestBid(page, { hours: "2", cost: "0.006 ACT ($0.01)" });

      await expect(page.getByTestId("job-log")).toContainText("as the GPU trainer (trainer/gpu", { timeout: 30_000 });
      await expect(page.getByTestId("outcome")).toContainText("Job finished", { timeout: 150_000 });
      await expect(page.getByTestId("closed")).toContainText(`Deployment ${dseq} closed`);
      await page.getByRole("button", { name: "Write the model card and publish" }).click();
      await expect(page).toHaveURL(/#\/create$/);
      await page.getByLabel("Agent name").fill("Verse LoRA from the Hub");
      await page.getByRole("button", { name: "Create agent" }).click();
      await expect(page.getByRole("heading", { level: 1, name: "Verse LoRA from the Hub" })).toBeVisible({
        timeout: 20_000,
      });
      await expect(page.getByTestId("model-card-error")).toHaveCount(0);
      const agent = /#\/agent\/(0x[0-9a-fA-F]{40})/.exec(page.url())![1]!;

      // The playground runs the exported ONNX graph (transformers.js, KV cache) from IPFS.
      await page.goto(`${e2eEnv().siteUrl}#/playground?agent=${agent}`);
      const column = page.getByRole("article", { name: "Verse LoRA from the Hub" });
      await expect(column.getByTestId("runtime")).toContainText("transformers.js", { timeout: 60_000 });
      await page.getByLabel("Prompt").fill("The willow");
      await page.getByRole("button", { name: "Generate", exact: true }).click();
      await expect(column.getByTestId("token-count")).toContainText(/\d+/, { timeout: 60_000 });
      await expect(column.getByTestId("column-output")).not.toBeEmpty();
      await expect(column.getByTestId("column-error")).toHaveCount(0);
    } finally {
      await gpuStandIn.stop();
      await hub.stop();
    }
  });

  test("with audited providers only, the SDL names the Akash Network's auditor and only audited providers bid", async ({
    page,
  }) => {
    await connectTrain(page, standIn);
    await createDeployment(page, { datasetText: "audited only", steps: 5, auditedOnly: true });
    await expect(page.getByTestId("sdl")).toContainText("signedBy:");
    await expect(page.getByTestId("sdl")).toContainText(AKASH_AUDITOR);
    const bids = page.getByTestId("bids");
    await expect(bids.getByRole("row", { name: /Stand-in Compute A/ })).toContainText("Akash Network", {
      timeout: 15_000,
    });
    // Past the stand-in's bid delay every provider has had its chance: the cheaper, unaudited one did not bid.
    await page.waitForTimeout(1500);
    await expect(bids.getByRole("row")).toHaveCount(2);
    await page.getByRole("button", { name: "Close deployment" }).click();
    await expect(page.getByTestId("outcome")).toContainText("Deployment closed");
  });

  test("a chain whose least deposit is higher than mainnet's: the deposit follows it, and less is refused before signing", async ({
    page,
  }) => {
    // Governance can raise x/deployment's min_deposits; the page reads it from the node, as Console does.
    const strict = await startStandIn({ minDeposit: 10_000_000n });
    try {
      await connectTrain(page, strict, false, {}, 7);
      await expect(page.getByLabel("Escrow deposit (ACT)")).toHaveValue("10");
      await page.getByLabel("Escrow deposit (ACT)").fill("6");
      await page.getByLabel("Upload a text file").setInputFiles({
        name: "data.txt",
        mimeType: "text/plain",
        buffer: Buffer.from("a few lines of verse to train on"),
      });
      await expect(page.getByLabel("Dataset CID")).toHaveValue(/^baf/, { timeout: 15_000 });
      await page.getByRole("button", { name: "Check SDL" }).click();
      // The field's own minimum is the chain's: the browser holds the form back and says why.
      const deposit = page.getByLabel("Escrow deposit (ACT)");
      expect(await deposit.evaluate((input: HTMLInputElement) => input.validity.rangeUnderflow)).toBe(true);
      expect(await deposit.evaluate((input: HTMLInputElement) => input.min)).toBe("10");
      await expect(page.getByTestId("sdl")).toHaveCount(0);
      expect(strict.chain.deployments.size).toBe(0);
    } finally {
      await strict.stop();
    }
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
