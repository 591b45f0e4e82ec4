// Issue 13, "Serving on Akash from the agent page": the owner leases a machine for the agent's
// inference gateway through the Akash stand-in (which runs a lease naming the gateway image as
// gateway/main.ts), names the operator key made in the browser, funds it, and sets the lease's URI
// as the agent's endpoint; the agent page then calls that gateway. Closing the deployment stops it.
import { expect, test } from "@playwright/test";
import type { AkashStandIn } from "../../dev/standins/akash/server.ts";
import { agentAbi } from "../../src/lib/contracts/abis.ts";
import { chainClient, createFreeAgent, devAccount, pinJson } from "./support/agents.ts";
import { startStandIn, trainBase } from "./support/akash.ts";
import { openApp } from "./support/app.ts";
import { connectDevWallet } from "./support/devWallet.ts";

const OWNER = 7;

let standIn: AkashStandIn;
test.beforeAll(async () => {
  standIn = await startStandIn();
});
test.afterAll(async () => {
  await standIn?.stop();
});

const akashSettings = () => ({
  akashRestUrl: standIn.nodeUrl,
  akashRpcUrl: standIn.nodeUrl,
  akashChainId: standIn.chainId,
  akashProviderProxyUrl: standIn.providerProxyUrl,
});

test("an owner serves its agent on Akash: an operator key named and funded, the gateway leased, its URI set as the endpoint, then closed", async ({
  page,
}) => {
  test.setTimeout(150_000);
  const chain = chainClient();
  // The seeded demo's tiny weights, under a new agent of the owner's.
  const weightsCid = await chain.readContract({
    address: trainBase().agent,
    abi: agentAbi,
    functionName: "weightsCid",
  });
  const card = await pinJson({ schema: "hexs.model-card/1", metadata: { license: "mit" }, readme: "# Served" });
  const agent = await createFreeAgent({ name: "Served on Akash", modelCardCid: card, ownerIndex: OWNER, weightsCid });

  await openApp(page, `#/agent/${agent}`, akashSettings());
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
  expect([...standIn.chain.deployments.values()].map((d) => ({ state: d.state, escrow: d.escrow }))).toEqual([
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
