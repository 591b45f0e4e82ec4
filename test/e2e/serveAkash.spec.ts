// Issue 13, "Serving on Akash from the agent page": the owner leases a machine for the agent's
// inference gateway through the Akash stand-in (which runs a lease naming the gateway image as
// gateway/main.ts), names the operator key made in the browser, funds it, and sets the lease's URI
// as the agent's endpoint; the agent page then calls that gateway. Closing the deployment stops it.
// Then what can go wrong on the way, each against its own stand-in: no bids, a deployment the
// chain refuses, a tab closed while the deployment's transaction was on its way, a gateway that
// never starts.
import { expect, test, type Page } from "@playwright/test";
import { generatePrivateKey, privateKeyToAddress } from "viem/accounts";
import type { Address } from "viem";
import type { AkashStandIn, AkashStandInOptions } from "../../dev/standins/akash/server.ts";
import { key } from "../../dev/standins/akash/chain.ts";
import { providerAddress } from "../../dev/standins/akash/providers.ts";
import { agentAbi } from "../../src/lib/contracts/abis.ts";
import { chainClient, createFreeAgent, devAccount, pinJson, sendAsDev } from "./support/agents.ts";
import { startStandIn, trainBase } from "./support/akash.ts";
import { e2eEnv, openApp } from "./support/app.ts";
import { connectDevWallet } from "./support/devWallet.ts";
import { pinFolder } from "./support/playground.ts";
import { startSwitchableGateway } from "./support/switchableGateway.ts";

const OWNER = 7;
const DEPOSIT = 5_000_000n;

let standIn: AkashStandIn | undefined;
async function useStandIn(options: AkashStandInOptions = {}): Promise<AkashStandIn> {
  standIn = await startStandIn(options);
  return standIn;
}
test.afterEach(async () => {
  await standIn?.stop();
  standIn = undefined;
});

const akashSettings = (s: AkashStandIn) => ({
  akashRestUrl: s.nodeUrl,
  akashRpcUrl: s.nodeUrl,
  akashChainId: s.chainId,
  akashProviderProxyUrl: s.providerProxyUrl,
});

/** A new agent of the owner's serving the seeded demo's tiny weights (or `weightsCid`). */
async function servedAgent(name: string, weightsCid?: string): Promise<Address> {
  weightsCid ??= await chainClient().readContract({
    address: trainBase().agent,
    abi: agentAbi,
    functionName: "weightsCid",
  });
  const card = await pinJson({ schema: "hexs.model-card/1", metadata: { license: "mit" }, readme: `# ${name}` });
  return createFreeAgent({ name, modelCardCid: card, ownerIndex: OWNER, weightsCid });
}

/**
 * The serve page of a new agent whose operator key this browser already holds and the owner has
 * named on chain (the journey test does those steps on the page), both wallets connected.
 */
async function openServePage(
  page: Page,
  s: AkashStandIn,
  name: string,
  weightsCid?: string,
  settings: Record<string, unknown> = {},
): Promise<Address> {
  const agent = await servedAgent(name, weightsCid);
  const operatorKey = generatePrivateKey();
  await sendAsDev(OWNER, agent, "setOperator", [privateKeyToAddress(operatorKey)]);
  const record = { agent, chainId: 31337, operatorKey };
  // Written once: a reload keeps what the page has recorded since.
  await page.addInitScript(
    ([k, v]) => {
      if (!localStorage.getItem(k)) localStorage.setItem(k, v);
    },
    [servingKey(agent), JSON.stringify(record)] as const,
  );
  await openApp(page, `#/agent/${agent}/serve`, { ...akashSettings(s), ...settings });
  await connectDevWallet(page, OWNER);
  await expect(page.getByTestId("operator-named")).toBeVisible({ timeout: 15_000 });
  await page.getByRole("button", { name: "Use dev key" }).click();
  await expect(page.getByTestId("cosmos-account")).toBeVisible();
  return agent;
}

const servingKey = (agent: string) => `hexs:akash:serving:31337:${agent.toLowerCase()}`;

/** The deployment this browser recorded for `agent`, if any. */
async function recordedDeployment(page: Page, agent: string) {
  const text = await page.evaluate((k) => localStorage.getItem(k), servingKey(agent));
  const record = text
    ? (JSON.parse(text) as { deployment?: { dseq: string; owner: string; timeoutHeight: string } })
    : undefined;
  return record?.deployment;
}

/** The owner's ACT on the stand-in's chain (deposits and refunds; fees are in AKT). */
const actOf = (s: AkashStandIn, owner: string) => s.chain.accounts.get(owner)?.balances.uact ?? 0n;
const cosmosOwner = async (page: Page) => (await page.getByTestId("cosmos-account").locator("code").textContent())!;

test("an owner serves its agent on Akash: an operator key named and funded, the gateway leased, its URI set as the endpoint, then closed", async ({
  page,
}) => {
  test.setTimeout(150_000);
  const s = await useStandIn();
  const chain = chainClient();
  const agent = await servedAgent("Served on Akash");

  await openApp(page, `#/agent/${agent}`, akashSettings(s));
  await connectDevWallet(page, OWNER);
  await page.getByTestId("serve-link").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Serve Served on Akash on Akash");

  // 1. The operator key: made here, named on chain by the owner, given ETH for its transactions.
  const operatorSection = page.getByTestId("serve-operator");
  await operatorSection.getByRole("button", { name: "Make an operator key" }).click();
  const operator = (await operatorSection.getByTestId("operator-address").textContent())!;
  expect(operator).toMatch(/^0x[0-9a-fA-F]{40}$/);
  expect(operator).not.toBe(devAccount(OWNER).address);
  await expect(page.getByRole("button", { name: "Create deployment" })).toBeDisabled();
  await operatorSection.getByRole("button", { name: "Name it the operator" }).click();
  await expect(operatorSection.getByTestId("operator-named")).toBeVisible({ timeout: 15_000 });
  expect(await chain.readContract({ address: agent, abi: agentAbi, functionName: "operator" })).toBe(operator);
  await operatorSection.getByRole("button", { name: "Send ETH to the operator" }).click();
  await expect(operatorSection.getByTestId("operator-balance")).toContainText("0.01 ETH", { timeout: 15_000 });

  // 2. The lease, paid in ACT from the Cosmos dev key.
  await page.getByRole("button", { name: "Use dev key" }).click();
  await expect(page.getByTestId("cosmos-account")).toBeVisible();
  await page.getByRole("button", { name: "Create deployment" }).click();
  const bids = page.getByTestId("bids");
  await expect(bids.getByRole("button", { name: "Accept" }).first()).toBeVisible({ timeout: 20_000 });
  await bids.getByRole("button", { name: "Accept" }).first().click();
  const serving = page.getByTestId("serve-endpoint");
  await expect(serving).toContainText("ready: the weights are loaded and match their CID", { timeout: 90_000 });
  const endpoint = (await serving.locator("code").textContent())!;
  expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
  // The gateway serves this agent, and registered the operator's key as its receipt signer.
  const models = (await (await fetch(`${endpoint}/models`)).json()) as { data: { id: string }[] };
  expect(models.data.map((m) => m.id)).toEqual([agent.toLowerCase()]);
  await expect
    .poll(() => chain.readContract({ address: agent, abi: agentAbi, functionName: "receiptSigner" }))
    .toBe(operator);

  // 3. The endpoint on chain; the agent page calls it.
  await page.getByRole("button", { name: "Set as this agent's endpoint" }).click();
  await expect(page.getByTestId("endpoint-set")).toBeVisible({ timeout: 15_000 });
  expect(await chain.readContract({ address: agent, abi: agentAbi, functionName: "endpoint" })).toBe(endpoint);
  await page.getByRole("link", { name: "Back to the agent" }).click();
  const api = page.getByTestId("inference");
  await expect(api.getByTestId("endpoint")).toHaveText(endpoint);
  await expect(api.getByTestId("gateway-status")).toContainText("Serving the latest version", { timeout: 15_000 });

  // A reload finds the deployment recorded in this browser; closing it stops the gateway.
  await page.getByTestId("serve-link").click();
  await expect(page.getByTestId("serve-operator")).toBeVisible();
  await page.reload();
  const recorded = page.getByTestId("serve-recorded");
  await expect(recorded).toContainText("serves this agent");
  await page.getByRole("button", { name: "Use dev key" }).click();
  await recorded.getByRole("button", { name: "Close deployment" }).click();
  await expect(page.getByRole("button", { name: "Create deployment" })).toBeVisible({ timeout: 20_000 });
  // The one deployment this stand-in saw, closed, its deposit back but for what the lease paid.
  expect([...s.chain.deployments.values()].map((d) => ({ state: d.state, escrow: d.escrow }))).toEqual([
    { state: "closed", escrow: 0n },
  ]);
  await expect
    .poll(
      () =>
        fetch(`${endpoint}/models`).then(
          () => "answering",
          () => "stopped",
        ),
      { timeout: 15_000 },
    )
    .toBe("stopped");
});

test.describe("serving on Akash: what can go wrong", () => {
  test.setTimeout(90_000);

  test("no provider bids within the price: the page says so, and closing gives the whole deposit back", async ({
    page,
  }) => {
    const s = await useStandIn();
    // The bid wait gives up after a minute; the test moves the page's clock past it.
    await page.clock.install();
    const agent = await openServePage(page, s, "Too cheap to serve");
    const owner = await cosmosOwner(page);
    const before = actOf(s, owner);
    // Every stand-in provider asks at least 5 uact per block.
    await page.getByLabel("Max price (uact per block)").fill("4");
    // 4 uact a block is 2 400 uact an hour: the 5 ACT deposit lasts 2 083 hours at that price.
    await expect(page.getByTestId("max-price-hint")).toContainText("At most ≈ 0.0024 ACT");
    await expect(page.getByTestId("deposit-hint")).toContainText("an hour: the deposit lasts ≈ 2083 h");
    await page.getByRole("button", { name: "Create deployment" }).click();
    await expect(page.getByTestId("serve-deployment")).toHaveAttribute("data-phase", "bidding", { timeout: 15_000 });
    const { dseq } = (await recordedDeployment(page, agent))!;
    expect(actOf(s, owner)).toBe(before - DEPOSIT);
    await page.waitForTimeout(1500);
    expect(s.chain.bids.filter((b) => b.ref.dseq === dseq)).toHaveLength(0);

    await page.clock.fastForward("01:05");
    await expect(page.getByTestId("serve-flow-error")).toContainText("No provider bid on the deployment", {
      timeout: 10_000,
    });
    await page.getByRole("button", { name: "Close deployment" }).click();
    await expect(page.getByRole("button", { name: "Create deployment" })).toBeVisible({ timeout: 15_000 });
    expect(s.chain.deployments.get(key(owner, dseq))).toMatchObject({ state: "closed", escrow: 0n });
    expect(actOf(s, owner)).toBe(before);
    expect(await recordedDeployment(page, agent)).toBeUndefined();
  });

  test("a deployment the chain refuses (not enough ACT) is reported, and nothing is kept", async ({ page }) => {
    const s = await useStandIn({ devKeyActFunds: 1_000_000n });
    const agent = await openServePage(page, s, "Not enough ACT");
    await page.getByRole("button", { name: "Create deployment" }).click();
    await expect(page.getByTestId("serve-flow-error")).toContainText(
      "Creating the deployment failed on the Akash chain: insufficient funds",
      { timeout: 15_000 },
    );
    await expect(page.getByRole("button", { name: "Create deployment" })).toBeEnabled();
    expect(s.chain.deployments.size).toBe(0);
    expect(await recordedDeployment(page, agent)).toBeUndefined();
  });

  test("a tab closed while the deployment's transaction was on its way: past its timeout height the page says nothing was escrowed", async ({
    page,
  }) => {
    const s = await useStandIn({ blockMs: 100 });
    const agent = await openServePage(page, s, "Closed too soon");
    const owner = await cosmosOwner(page);
    const before = actOf(s, owner);
    s.testControls.holdTxs();
    await page.getByRole("button", { name: "Create deployment" }).click();
    await expect.poll(() => s.testControls.pendingTxs(), { timeout: 15_000 }).toBe(1);
    // Recorded before it was broadcast.
    const sent = (await recordedDeployment(page, agent))!;
    const context = page.context();
    await page.close();
    await expect.poll(() => s.chain.height, { timeout: 20_000 }).toBeGreaterThan(BigInt(sent.timeoutHeight));
    s.testControls.releaseTxs();

    const again = await context.newPage();
    await openApp(again, `#/agent/${agent}/serve`, akashSettings(s));
    const creation = again.getByTestId("creation");
    await expect(creation).toContainText(
      `Deployment ${sent.dseq} was not created: its transaction was not included by block ${sent.timeoutHeight}`,
    );
    await expect(creation).toContainText("Nothing was escrowed; the deposit of 5 ACT never left your account.");
    expect(await recordedDeployment(again, agent)).toBeUndefined();
    expect(s.chain.deployments.size).toBe(0);
    expect(actOf(s, owner)).toBe(before);
    await creation.getByRole("button", { name: "OK" }).click();
    await expect(creation).toHaveCount(0);
    // The operator key stays: only the deployment was forgotten.
    await expect(again.getByTestId("operator-named")).toBeVisible({ timeout: 15_000 });
  });

  test("a gateway that does not start within 10 minutes is reported, and its deployment can be closed", async ({
    page,
  }) => {
    // The provider never gets the pod running (an image that cannot be pulled, say).
    const s = await useStandIn({ podStartDelayMs: 3_600_000 });
    await page.clock.install();
    const agent = await openServePage(page, s, "Never starts");
    const owner = await cosmosOwner(page);
    await page.getByRole("button", { name: "Create deployment" }).click();
    const bids = page.getByTestId("bids");
    await expect(bids.getByRole("button", { name: "Accept" }).first()).toBeVisible({ timeout: 20_000 });
    await bids.getByRole("button", { name: "Accept" }).first().click();
    await expect(page.getByTestId("serve-starting")).toContainText("Waiting for the provider to run the gateway", {
      timeout: 15_000,
    });
    await page.clock.fastForward("10:05");
    const error = page.getByTestId("serve-flow-error");
    await expect(error).toContainText("The gateway did not start in 10 minutes", { timeout: 10_000 });
    await expect(error).toContainText("the lease is still active and paid from the deposit");
    const { dseq } = (await recordedDeployment(page, agent))!;
    expect(s.chain.deployments.get(key(owner, dseq))?.state).toBe("active");
    await page.getByRole("button", { name: "Close deployment" }).first().click();
    await expect(page.getByRole("button", { name: "Create deployment" })).toBeVisible({ timeout: 15_000 });
    expect(s.chain.deployments.get(key(owner, dseq))?.state).toBe("closed");
  });

  test("vLLM on a GPU: the weights are checked loadable first; the deployment asks for the GPU beside the gateway, and only providers with it bid", async ({
    page,
  }) => {
    const s = await useStandIn();
    const agent = await openServePage(page, s, "Served by vLLM");
    const owner = await cosmosOwner(page);
    await page.getByRole("radio", { name: /vLLM on a GPU/ }).check();
    const service = page.getByTestId("vllm-service");
    await expect(service).toContainText("fetches version 1's weights");
    // An H100 at its default maximum price, 4 000 uact a block: 2.4 ACT an hour, 2.52 ACT with the gateway's 200.
    await expect(page.getByTestId("vllm-price-hint")).toContainText("At most ≈ 2.4 ACT");
    await expect(page.getByTestId("deposit-hint")).toContainText("costs at most ≈ 2.52 ACT");
    await expect(page.getByTestId("deposit-hint")).toContainText("the deposit lasts ≈ 1 h");
    // The demo's weights are in the Hugging Face layout with safetensors: nothing stands in the way.
    await expect(page.getByRole("button", { name: "Create deployment" })).toBeEnabled({ timeout: 15_000 });
    await expect(page.getByTestId("deploy-problem")).toHaveCount(0);
    await page.getByRole("button", { name: "Create deployment" }).click();
    await expect(page.getByTestId("bids").getByRole("button", { name: "Accept" })).toHaveCount(1, { timeout: 20_000 });

    const { dseq } = (await recordedDeployment(page, agent))!;
    const [group] = s.chain.deployments.get(key(owner, dseq))!.groups;
    expect(group!.resources.map((unit) => unit.resource?.gpu?.attributes.map((a) => a.key))).toEqual([
      [],
      ["vendor/nvidia/model/h100"],
    ]);
    // provider-b alone has an H100.
    expect(s.chain.bids.filter((b) => b.ref.dseq === dseq).map((b) => b.ref.provider)).toEqual([
      providerAddress("provider-b"),
    ]);
    await page.getByRole("button", { name: "Close deployment" }).first().click();
    await expect(page.getByRole("button", { name: "Create deployment" })).toBeVisible({ timeout: 15_000 });
    expect(s.chain.deployments.get(key(owner, dseq))?.state).toBe("closed");
  });

  test("vLLM cannot load weights in HEXS's first format: the page says so before anything is paid", async ({
    page,
  }) => {
    const s = await useStandIn();
    const firstFormat = await pinFolder({
      "model.onnx": new Uint8Array([8, 7, 18, 0]),
      "tokenizer.json": new TextEncoder().encode('{"schema":"hexs-char-tokenizer/1"}'),
    });
    await openServePage(page, s, "ONNX only", firstFormat);
    await page.getByRole("radio", { name: /vLLM on a GPU/ }).check();
    await expect(page.getByTestId("deploy-problem")).toHaveText(
      "This agent's weights are in HEXS's first format (model.onnx only): vLLM cannot load them; serve it with the built-in runtime.",
      { timeout: 15_000 },
    );
    await expect(page.getByRole("button", { name: "Create deployment" })).toBeDisabled();
    // The built-in runtime still serves it.
    await page.getByRole("radio", { name: /Built-in runtime/ }).check();
    await expect(page.getByRole("button", { name: "Create deployment" })).toBeEnabled();
    expect(s.chain.deployments.size).toBe(0);
  });

  test("vLLM's check of the weights when IPFS cannot be reached: the page says so, and asks again when vLLM is chosen again", async ({
    page,
  }) => {
    const s = await useStandIn();
    const ipfs = await startSwitchableGateway(e2eEnv().ipfsUrl);
    try {
      await ipfs.down();
      await openServePage(page, s, "IPFS away", undefined, { ipfsGateways: [ipfs.url] });
      const vllmChoice = page.getByRole("radio", { name: /vLLM on a GPU/ });
      await vllmChoice.check();
      await expect(page.getByTestId("deploy-problem")).toContainText("Could not read this agent's weights folder", {
        timeout: 30_000,
      });
      await expect(page.getByRole("button", { name: "Create deployment" })).toBeDisabled();
      await ipfs.up();
      await page.getByRole("radio", { name: /Built-in runtime/ }).check();
      await vllmChoice.check();
      await expect(page.getByRole("button", { name: "Create deployment" })).toBeEnabled({ timeout: 15_000 });
    } finally {
      await ipfs.stop();
    }
  });
});
