import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import type { Address } from "viem";
import { startHubStandIn, type HubStandIn } from "../../dev/standins/hub/server.ts";
import { freePort } from "../../dev/stack/ports.ts";
import { agentAbi } from "../../src/lib/contracts/abis.ts";
import { chainClient } from "./support/agents.ts";
import { openApp, seededAgents } from "./support/app.ts";
import { connectTestWallet, installFreshWallet } from "./support/devWallet.ts";

let hub: HubStandIn;
test.beforeAll(async () => {
  hub = await startHubStandIn({ port: await freePort() });
});
test.afterAll(() => hub?.stop());

/** The repo's own tiny model: a real ONNX file of about 480 KiB. */
const modelOnnx = () => readFile(new URL("../../models/out/tiny-stories-char/model.onnx", import.meta.url));

async function pickHubBase(page: Page, query: string, id: string) {
  await page.getByLabel("Search the Hugging Face hub").fill(query);
  const results = page.getByTestId("hub-results");
  await expect(results.locator("li")).toHaveCount(1);
  await expect(results).toContainText(id);
  await expect(results).toContainText("text-generation");
  await expect(results).toContainText("license:mit");
  await page.getByRole("button", { name: `Use ${id}` }).click();
  await expect(page.getByTestId("chosen-base")).toContainText(id);
  // Read from the repo's files, as the Hub lists them: its ONNX export runs in the playground.
  await expect(page.getByTestId("base-onnx")).toContainText("ONNX export onnx/model.onnx");
}

async function uploadWeights(page: Page) {
  await page.getByLabel(/Weights files/).setInputFiles({
    name: "model.onnx",
    mimeType: "application/octet-stream",
    buffer: await modelOnnx(),
  });
  await page.getByRole("button", { name: "Upload weights to IPFS" }).click();
  await expect(page.getByTestId("upload-percent")).toHaveText("100%");
  await expect(page.getByTestId("weights-cid")).toContainText("model.onnx");
  return (await page.getByTestId("weights-cid").locator("code").textContent()) ?? "";
}

test.describe("an LLM developer publishes an agent", () => {
  test("from a Hugging Face base: card with preview, weights on IPFS, paid, created and listed", async ({ page }) => {
    await installFreshWallet(page);
    await openApp(page, "#/create", { hubUrl: hub.url });
    await connectTestWallet(page);
    await pickHubBase(page, "stories", "hexs-demo/tiny-stories-char");

    const name = `Story Sprout ${Date.now()}`;
    await page.getByLabel("Agent name").fill(name);
    await page.getByLabel("Tags").fill("stories, e2e");
    await page.getByLabel("Model card (Markdown)").fill(`# ${name}\n\nTells **tiny** stories.`);
    const preview = page.getByTestId("card-preview");
    await expect(preview.getByRole("heading", { name })).toBeVisible();
    await expect(preview.locator("strong", { hasText: "tiny" })).toBeVisible();

    const weightsCid = await uploadWeights(page);
    await page.getByLabel("Paid (users buy credits)").check();
    await page.getByLabel("Price per credit (ETH)").fill("0.002");
    await expect(page.getByTestId("publish-missing")).toHaveCount(0);
    await page.getByRole("button", { name: "Create agent" }).click();

    await expect(page).toHaveURL(/#\/agent\/0x[0-9a-fA-F]{40}$/, { timeout: 20_000 });
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(page.getByTestId("model-card").getByText("Tells")).toBeVisible();

    const agent = page.url().split("/").at(-1) as Address;
    const summary = await chainClient().readContract({ address: agent, abi: agentAbi, functionName: "summary" });
    expect(summary).toMatchObject({ name, mode: 1, pricePerCredit: 2n * 10n ** 15n, weightsCid });
    const metadata = await chainClient().readContract({ address: agent, abi: agentAbi, functionName: "metadata" });
    expect(metadata.baseModel).toBe("hexs-demo/tiny-stories-char");
    expect(metadata.baseModelRevision).toMatch(/^[0-9a-f]{40}$/);

    await page.getByRole("link", { name: "Marketplace" }).click();
    await page.getByLabel("Search", { exact: true }).fill(name);
    await expect(page.getByRole("link", { name })).toBeVisible();
  });

  test("from a marketplace agent as parent: inherits its base, pays it a royalty, and is listed as its child", async ({
    page,
  }) => {
    const parent = seededAgents().find((agent) => agent.name === "Fable Engine")!;
    await installFreshWallet(page);
    await openApp(page, "#/create", { hubUrl: hub.url });
    await connectTestWallet(page);
    await page.getByLabel("an agent on the marketplace (parent)").check();
    await page.getByLabel("Filter agents").fill("fable");
    await page.getByRole("button", { name: `Use ${parent.name} as parent` }).click();
    await expect(page.getByTestId("chosen-base")).toContainText(`Parent agent ${parent.name}`);
    const parentMetadata = await chainClient().readContract({
      address: parent.agent,
      abi: agentAbi,
      functionName: "metadata",
    });
    await expect(page.getByTestId("chosen-base")).toContainText(parentMetadata.baseModel);

    const name = `Fable Fork ${Date.now()}`;
    await page.getByLabel("Agent name").fill(name);
    await page.getByLabel("Model card (Markdown)").fill(`# ${name}\n\nFables, retold.`);
    await uploadWeights(page);
    await page.getByLabel("Royalty to the parent (%)").fill("5");
    await page.getByRole("button", { name: "Create agent" }).click();
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible({ timeout: 20_000 });

    const child = page.url().split("/").at(-1) as Address;
    const metadata = await chainClient().readContract({ address: child, abi: agentAbi, functionName: "metadata" });
    expect(metadata).toMatchObject({
      baseModel: parentMetadata.baseModel,
      baseModelRevision: parentMetadata.baseModelRevision,
    });
    const summary = await chainClient().readContract({ address: child, abi: agentAbi, functionName: "summary" });
    expect(summary.parent).toBe(parent.agent);
    expect(await chainClient().readContract({ address: child, abi: agentAbi, functionName: "royaltyBps" })).toBe(500n);

    await openApp(page, `#/agent/${parent.agent}`);
    await expect(page.getByTestId("children").getByRole("link", { name })).toBeVisible();
  });

  test("a malformed card field is named, and a rejected signature keeps the draft", async ({ page }) => {
    const wallet = await installFreshWallet(page);
    await openApp(page, "#/create", { hubUrl: hub.url });
    await connectTestWallet(page);
    await pickHubBase(page, "verse", "hexs-demo/tiny-verse-char");
    // No name: asked for before anything is uploaded or signed (the factory would refuse it).
    await expect(page.getByTestId("publish-missing")).toContainText("Give the agent a name.");
    await page.getByLabel("Agent name").fill("Kept Verse");
    await expect(page.getByTestId("publish-missing")).not.toContainText("Give the agent a name.");

    await page.getByLabel("License").fill("not a license!");
    await expect(page.getByTestId("license-error")).toHaveText(
      "expected a license id such as apache-2.0, mit or other",
    );
    await expect(page.getByTestId("publish-missing")).toContainText(
      "Fix the license field: expected a license id such as apache-2.0, mit or other.",
    );
    await expect(page.getByRole("button", { name: "Create agent" })).toBeDisabled();
    await page.getByLabel("License").fill("apache-2.0");
    await expect(page.getByTestId("license-error")).toHaveCount(0);
    const weightsCid = await uploadWeights(page);

    wallet.rejectTransactions = true;
    await page.getByRole("button", { name: "Create agent" }).click();
    await expect(page.getByTestId("tx-status")).toContainText("You rejected the request in your wallet");
    expect(wallet.sentTransactions).toBe(0);
    await expect(page.getByLabel("Agent name")).toHaveValue("Kept Verse");
    await expect(page.getByLabel("License")).toHaveValue("apache-2.0");

    // The draft also survives a reload: it is kept in this browser's storage.
    await page.reload();
    await expect(page.getByLabel("Agent name")).toHaveValue("Kept Verse");
    await expect(page.getByLabel("License")).toHaveValue("apache-2.0");
    await expect(page.getByTestId("chosen-base")).toContainText("hexs-demo/tiny-verse-char");
    await expect(page.getByTestId("weights-cid")).toContainText(weightsCid);

    wallet.rejectTransactions = false;
    if (await page.getByRole("button", { name: "Connect wallet" }).isVisible()) await connectTestWallet(page);
    await page.getByRole("button", { name: "Create agent" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Kept Verse" })).toBeVisible({ timeout: 20_000 });
    expect(wallet.sentTransactions).toBe(1);
  });
});
