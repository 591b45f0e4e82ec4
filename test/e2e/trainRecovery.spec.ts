// Issue 7, item 5: every failure of a /train run leaves a clear state and a way to recover the
// lease or close it, and nothing paid is lost track of. Each test runs its own Akash stand-in
// and checks what the page says against the stand-in's chain (deployment, escrow, balance).
import { createServer } from "node:net";
import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import type { AkashStandIn, AkashStandInOptions } from "../../dev/standins/akash/server.ts";
import { key } from "../../dev/standins/akash/chain.ts";
import { DEFAULT_PROVIDERS } from "../../dev/standins/akash/providers.ts";
import { acceptCheapestBid, connectTrain, createDeployment, openTrain, startStandIn } from "./support/akash.ts";

const FUNDS = 1_000_000_000n;
const DEPOSIT = 5_000_000n;
/** What the transactions of one run may cost in fees, at most (gas 0.025 uakt). */
const FEES = 50_000n;
const INFLIGHT_KEY = "hexs:akash:inflight";

let standIn: AkashStandIn | undefined;
async function useStandIn(options: AkashStandInOptions = {}): Promise<AkashStandIn> {
  standIn = await startStandIn({ devKeyFunds: FUNDS, ...options });
  return standIn;
}
test.afterEach(async () => {
  await standIn?.stop();
  standIn = undefined;
});

const verse = async (chars: number) =>
  (await readFile(new URL("../../models/corpus/verse.txt", import.meta.url), "utf8")).slice(0, chars);

async function cosmosOwner(page: Page): Promise<string> {
  return (await page.getByTestId("cosmos-account").locator("code").textContent())!;
}

/** The stand-in's record of `dseq`, and the owner's ACT there (deposits and refunds; fees are in AKT). */
function onChain(s: AkashStandIn, owner: string, dseq: string) {
  return {
    deployment: s.chain.deployments.get(key(owner, dseq)),
    leases: s.chain.leases.filter((l) => l.ref.owner === owner && l.ref.dseq === dseq),
    act: s.chain.accounts.get(owner)?.balances.uact ?? 0n,
  };
}

/** The owner's AKT and ACT as the node's bank module reports them (GET /cosmos/bank/v1beta1/balances). */
async function bankBalances(s: AkashStandIn, owner: string): Promise<{ uakt: bigint; uact: bigint }> {
  const response = await fetch(`${s.nodeUrl}/cosmos/bank/v1beta1/balances/${owner}`);
  const { balances } = (await response.json()) as { balances: { denom: string; amount: string }[] };
  const of = (denom: string) => BigInt(balances.find((b) => b.denom === denom)?.amount ?? "0");
  return { uakt: of("uakt"), uact: of("uact") };
}

/** What the page recorded in this browser about its deployment in flight. */
async function inflightRecord(page: Page) {
  const text = await page.evaluate((k) => localStorage.getItem(k), INFLIGHT_KEY);
  return text ? (JSON.parse(text) as { dseq: string; sending?: { timeoutHeight: string; txHash?: string } }) : null;
}

/**
 * Holds the chain's blocks off broadcast transactions, creates a deployment and closes the tab
 * once its transaction is broadcast, before any block confirmed it; returns a fresh tab.
 */
async function closeTabWhileDeploymentIsSent(page: Page, s: AkashStandIn) {
  await connectTrain(page, s);
  const owner = await cosmosOwner(page);
  const funds = await bankBalances(s, owner);
  s.testControls.holdTxs();
  await createDeployment(page, { datasetText: "never trained", steps: 5 });
  await expect.poll(() => s.testControls.pendingTxs(), { timeout: 15_000 }).toBe(1);
  // Recorded before it was broadcast, with the hash the node knows it by.
  const record = (await inflightRecord(page))!;
  expect(record.sending?.txHash).toMatch(/^[0-9A-F]{64}$/);
  const context = page.context();
  await page.close();
  const again = await context.newPage();
  return { page: again, owner, funds, dseq: record.dseq, sending: record.sending! };
}

/** Starts a job, waits until the provider runs it, then closes the tab; returns a fresh tab in the same browser. */
async function startJobAndCloseTab(page: Page, s: AkashStandIn, steps: number) {
  await connectTrain(page, s);
  await createDeployment(page, { datasetText: await verse(6000), steps });
  const dseq = await acceptCheapestBid(page);
  await expect(page.getByTestId("logs")).toContainText('"event":"started"', { timeout: 30_000 });
  const owner = await cosmosOwner(page);
  const context = page.context();
  await page.close();
  const again = await context.newPage();
  await connectTrain(again, s, true);
  const inflight = again.getByTestId("inflight");
  await expect(inflight).toContainText(dseq);
  await expect(inflight).toContainText("may still hold your deposit");
  return { page: again, dseq, owner };
}

test.describe("/train: recovering from failures (local Akash stand-in)", () => {
  test.setTimeout(90_000);

  test("after the tab closed mid-job, Resume follows the job again and publishes its result", async ({ page }) => {
    const s = await useStandIn();
    const { page: again, dseq, owner } = await startJobAndCloseTab(page, s, 20);
    expect(onChain(s, owner, dseq).deployment?.state).toBe("active");

    await again.getByRole("button", { name: "Resume" }).click();
    // The provider replays the job's log from its start.
    await expect(again.getByTestId("logs")).toContainText('"event":"started"', { timeout: 15_000 });
    await expect(again.getByTestId("outcome")).toContainText("Job finished", { timeout: 60_000 });
    await expect(again.getByTestId("closed")).toContainText(`Deployment ${dseq} closed`);
    await again.getByRole("button", { name: "Publish version" }).click();
    await expect(again.getByTestId("tx-status")).toHaveAttribute("data-step", "confirmed", { timeout: 20_000 });

    const { deployment, leases } = onChain(s, owner, dseq);
    expect(deployment).toMatchObject({ state: "closed", escrow: 0n });
    expect(leases.map((l) => l.state)).toEqual(["closed"]);
  });

  test("after the tab closed mid-job, Close ends the lease, refunds the escrow and forgets the run", async ({
    page,
  }) => {
    const s = await useStandIn();
    const { page: again, dseq, owner } = await startJobAndCloseTab(page, s, 2000);
    const before = onChain(s, owner, dseq);
    expect(before.deployment).toMatchObject({ state: "active", escrow: DEPOSIT });

    await again.getByTestId("inflight").getByRole("button", { name: "Close deployment" }).click();
    await expect(again.getByTestId("outcome")).toContainText("Deployment closed");
    const shown = BigInt((await again.getByTestId("closed").textContent())!.match(/\((\d+) uact,/)?.[1] ?? "-1");

    const after = onChain(s, owner, dseq);
    expect(after.deployment).toMatchObject({ state: "closed", escrow: 0n });
    expect(after.leases).toHaveLength(1);
    expect(after.leases[0]).toMatchObject({ state: "closed", paid: shown });
    // The deposit came back less what the provider was paid; the closing fee was paid in AKT.
    expect(after.act - before.act).toBe(DEPOSIT - shown);

    await again.getByRole("button", { name: "Start another run" }).click();
    expect(await again.evaluate((k) => localStorage.getItem(k), INFLIGHT_KEY)).toBeNull();
    await again.reload();
    await expect(again.getByRole("button", { name: "Check SDL" })).toBeVisible();
    await expect(again.getByTestId("inflight")).toHaveCount(0);
  });

  test("shows the provider's lease status while the job runs; closing stops it once and reports no error", async ({
    page,
  }) => {
    const s = await useStandIn();
    await connectTrain(page, s);
    const owner = await cosmosOwner(page);
    await createDeployment(page, { datasetText: await verse(6000), steps: 2000 });
    const dseq = await acceptCheapestBid(page);
    await expect(page.getByTestId("logs")).toContainText('"event":"started"', { timeout: 30_000 });
    // Read from the provider's GET /lease/…/status with the owner's JWT, as Akash Console shows it.
    const trainer = page.getByRole("table", { name: "Lease status" }).getByRole("row", { name: /trainer/ });
    await expect(trainer).toContainText("1 / 1");

    // Adding ACT to the escrow (MsgAccountDeposit from the wallet's ACT) makes the lease last longer.
    await expect(page.getByTestId("escrow")).toContainText(/^Escrow: 4\.\d+ ACT left/);
    const actBefore = onChain(s, owner, dseq).act;
    await page.getByLabel("ACT to add to the escrow").fill("2.5");
    await page.getByRole("button", { name: "Add to escrow" }).click();
    await expect(page.getByTestId("escrow")).toContainText(/^Escrow: 7\.\d+ ACT left/);
    expect(onChain(s, owner, dseq).act).toBe(actBefore - 2_500_000n);
    // More than the wallet holds is refused before anything is signed, saying why.
    await page.getByLabel("ACT to add to the escrow").fill("100000");
    await page.getByRole("button", { name: "Add to escrow" }).click();
    await expect(page.getByTestId("train-error")).toContainText(/This account holds [\d.]+ ACT: mint more ACT first/);
    expect(onChain(s, owner, dseq).act).toBe(actBefore - 2_500_000n);

    await page.getByRole("button", { name: "Close deployment" }).click();
    await expect(page.getByTestId("outcome")).toContainText("Deployment closed");
    // The log stream ends with the lease; that must not start a second close.
    await page.waitForTimeout(1500);
    await expect(page.getByTestId("train-error")).toHaveCount(0);
    expect(onChain(s, owner, dseq).deployment).toMatchObject({ state: "closed", escrow: 0n });
    // What the lease did not use, the added ACT included, came back.
    const paid = onChain(s, owner, dseq).leases[0]!.paid;
    expect(onChain(s, owner, dseq).act).toBe(actBefore - 2_500_000n + 7_500_000n - paid);
  });

  test("a job no provider bids on says so and closes with the whole deposit back", async ({ page }) => {
    const s = await useStandIn();
    // The bid wait gives up after a minute; the test moves the page's clock past it.
    await page.clock.install();
    await connectTrain(page, s);
    const owner = await cosmosOwner(page);
    await createDeployment(page, { datasetText: "no provider has this GPU", steps: 5, gpuModel: "h200" });
    await expect(page.getByText("Waiting for providers to bid…")).toBeVisible({ timeout: 15_000 });
    const dseq = (await page.getByTestId("dseq").textContent())!;
    const before = onChain(s, owner, dseq);
    expect(before.deployment).toMatchObject({ state: "active", escrow: DEPOSIT });
    // Past the stand-in's bid delay: every provider has had its chance.
    await page.waitForTimeout(1500);
    expect(s.chain.bids.filter((b) => b.ref.dseq === dseq)).toHaveLength(0);

    await page.clock.fastForward("01:05");
    await expect(page.getByTestId("no-bids")).toBeVisible({ timeout: 10_000 });
    await expect(page.getByTestId("train-error")).toContainText("No provider bid on the deployment");
    await page.getByRole("button", { name: "Close deployment" }).click();
    await expect(page.getByTestId("outcome")).toContainText("Deployment closed");
    await expect(page.getByTestId("lease-cost")).toHaveText("0 ACT");

    const after = onChain(s, owner, dseq);
    expect(after.deployment).toMatchObject({ state: "closed", escrow: 0n });
    expect(after.leases).toHaveLength(0);
    expect(after.act - before.act).toBe(DEPOSIT);
  });

  test("an account without the deposit gets a clear error and no deployment", async ({ page }) => {
    const s = await useStandIn({ devKeyActFunds: 1_000_000n });
    await connectTrain(page, s);
    await createDeployment(page, { datasetText: "never trained", steps: 5 });
    await expect(page.getByTestId("train-error")).toContainText(
      "Creating the deployment failed on the Akash chain: insufficient funds",
      {
        timeout: 15_000,
      },
    );
    await expect(page.getByTestId("train-error")).toContainText("is smaller than 5000000uact");
    await expect(page.getByRole("button", { name: "Create deployment" })).toBeEnabled();
    expect(s.chain.deployments.size).toBe(0);
    expect(await page.evaluate((k) => localStorage.getItem(k), INFLIGHT_KEY)).toBeNull();
  });

  test("a provider that cannot be reached is reported, and its lease can be closed", async ({ page }) => {
    const s = await useStandIn({
      providers: [
        { ...DEFAULT_PROVIDERS[2]!, name: "provider-gone", hostUri: `http://127.0.0.1:${await closedPort()}` },
      ],
    });
    await connectTrain(page, s);
    const owner = await cosmosOwner(page);
    await createDeployment(page, { datasetText: "never trained", steps: 5 });
    const bids = page.getByTestId("bids");
    await expect(bids.getByRole("row")).toHaveCount(2, { timeout: 15_000 });
    await bids.getByRole("button", { name: "Accept" }).click();
    await expect(page.getByTestId("train-error")).toContainText(
      "The provider could not be reached: send the manifest",
      {
        timeout: 15_000,
      },
    );
    const dseq = (await page.getByTestId("dseq").textContent())!;
    expect(onChain(s, owner, dseq).leases.map((l) => l.state)).toEqual(["active"]);

    await page.getByRole("button", { name: "Close deployment" }).click();
    await expect(page.getByTestId("outcome")).toContainText("Deployment closed");
    const shown = BigInt((await page.getByTestId("closed").textContent())!.match(/\((\d+) uact,/)?.[1] ?? "-1");
    const after = onChain(s, owner, dseq);
    expect(after.deployment).toMatchObject({ state: "closed", escrow: 0n });
    expect(after.leases[0]).toMatchObject({ state: "closed", paid: shown });
  });

  test("without a provider proxy no bid is accepted: the job could not be followed, so nothing is leased", async ({
    page,
  }) => {
    const s = await useStandIn();
    await connectTrain(page, s, false, { akashProviderProxyUrl: "" });
    const owner = await cosmosOwner(page);
    await createDeployment(page, { datasetText: "never trained", steps: 5 });
    const bids = page.getByTestId("bids");
    await expect(bids.getByRole("row")).toHaveCount(3, { timeout: 15_000 });
    await bids.getByRole("button", { name: "Accept" }).first().click();
    await expect(page.getByTestId("train-error")).toContainText(
      "The job's logs cannot be followed without a provider proxy",
    );
    await expect(page.getByTestId("train-error")).toContainText("Settings → Akash → Provider proxy URL");
    const dseq = (await page.getByTestId("dseq").textContent())!;
    expect(onChain(s, owner, dseq).leases).toEqual([]);

    // A client certificate needs a proxy too; the page says so. Publishing and revoking one are
    // transactions on chain: they need none.
    const auth = page.getByTestId("provider-auth");
    await auth.getByLabel("Client certificate (mTLS)").check();
    await expect(auth).toContainText("can only be presented through a provider proxy");
    await auth.getByRole("button", { name: "Create and publish certificate" }).click();
    await expect(page.getByTestId("certificate-status")).toContainText("is valid on chain until", { timeout: 20_000 });
    await bids.getByRole("button", { name: "Accept" }).first().click();
    await expect(page.getByTestId("train-error")).toContainText(
      "A client certificate (mTLS) can only be presented through a provider proxy",
    );
    expect(onChain(s, owner, dseq).leases).toEqual([]);
    await auth.getByRole("button", { name: "Revoke certificate" }).click();
    await expect(page.getByTestId("certificate-status")).toContainText("No client certificate", { timeout: 20_000 });

    await page.getByRole("button", { name: "Close deployment" }).click();
    await expect(page.getByTestId("closed")).toContainText(`Deployment ${dseq} closed`, { timeout: 20_000 });
    expect(onChain(s, owner, dseq).deployment).toMatchObject({ state: "closed", escrow: 0n });
  });
});

test.describe("/train: a tab closed while the deployment's transaction was on its way", () => {
  test.setTimeout(90_000);

  test("on return the page finds the deployment on chain, and Close gives the deposit back", async ({ page }) => {
    // Slow blocks: the transaction's 50-block window outlasts the reopening of the tab.
    const s = await useStandIn({ blockMs: 1000 });
    const { page: again, owner, funds, dseq, sending } = await closeTabWhileDeploymentIsSent(page, s);
    await connectTrain(again, s, true);
    const creation = again.getByTestId("creation");
    await expect(creation).toContainText(
      `Deployment ${dseq} was sent, but transaction ${sending.txHash!.slice(0, 12)}… is not in a block yet`,
    );
    await expect(creation).toContainText(`up to block ${sending.timeoutHeight}`);
    // No second run over one whose deposit may be on its way.
    await expect(again.getByRole("button", { name: "Check SDL" })).toHaveCount(0);

    s.testControls.releaseTxs();
    await expect(creation).toContainText(`Deployment ${dseq} was created on chain and holds your deposit of 5 ACT`, {
      timeout: 15_000,
    });
    expect((await bankBalances(s, owner)).uact).toBe(funds.uact - DEPOSIT);
    const inflight = again.getByTestId("inflight");
    await expect(inflight).toContainText("may still hold your deposit");
    expect((await inflightRecord(again))?.sending).toBeUndefined();

    await inflight.getByRole("button", { name: "Close deployment" }).click();
    await expect(again.getByTestId("outcome")).toContainText("Deployment closed");
    await expect(again.getByTestId("lease-cost")).toHaveText("0 ACT");
    expect(onChain(s, owner, dseq).deployment).toMatchObject({ state: "closed", escrow: 0n });
    // The whole deposit is back; the two transactions' fees were paid in AKT.
    const after = await bankBalances(s, owner);
    expect(after.uact).toBe(funds.uact);
    expect(funds.uakt - after.uakt).toBeGreaterThan(0n);
    expect(funds.uakt - after.uakt).toBeLessThan(FEES);
  });

  test("on return after its timeout height the page says nothing was escrowed and forgets the run", async ({
    page,
  }) => {
    const s = await useStandIn({ blockMs: 100 });
    const { page: again, owner, funds, dseq, sending } = await closeTabWhileDeploymentIsSent(page, s);
    await expect.poll(() => s.chain.height, { timeout: 20_000 }).toBeGreaterThan(BigInt(sending.timeoutHeight));
    s.testControls.releaseTxs();

    await connectTrain(again, s, true);
    const creation = again.getByTestId("creation");
    await expect(creation).toContainText(
      `Deployment ${dseq} was not created: its transaction was not included by block ${sending.timeoutHeight}`,
    );
    await expect(creation).toContainText("Nothing was escrowed; the deposit of 5 ACT never left your account.");
    expect(await inflightRecord(again)).toBeNull();
    expect(onChain(s, owner, dseq).deployment).toBeUndefined();
    expect(await bankBalances(s, owner)).toEqual(funds);

    await creation.getByRole("button", { name: "OK" }).click();
    await expect(creation).toHaveCount(0);
    await expect(again.getByRole("button", { name: "Check SDL" })).toBeVisible();
  });

  test("an Akash node that cannot be reached keeps the record, and Retry asks again once it answers", async ({
    page,
  }) => {
    const s = await useStandIn({ blockMs: 1000 });
    const { page: again, dseq } = await closeTabWhileDeploymentIsSent(page, s);
    s.testControls.setNodeReachable(false);
    s.testControls.releaseTxs();

    await openTrain(again, s);
    const creation = again.getByTestId("creation");
    await expect(creation).toContainText(
      `Could not find out whether deployment ${dseq} was created: The Akash node could not be reached`,
      { timeout: 15_000 },
    );
    await expect(creation).toContainText("Its record stays in this browser");
    expect((await inflightRecord(again))?.sending).toBeDefined();

    s.testControls.setNodeReachable(true);
    await creation.getByRole("button", { name: "Retry" }).click();
    await expect(creation).toContainText(`Deployment ${dseq} was created on chain and holds your deposit of 5 ACT`, {
      timeout: 15_000,
    });
    await expect(again.getByTestId("inflight")).toContainText("may still hold your deposit");
  });
});

test.describe("/train: a provider that stops answering", () => {
  test.setTimeout(120_000);

  test("Retry sends the manifest once it answers again, and picks the logs up after the stream is cut, keeping the lease", async ({
    page,
  }) => {
    const s = await useStandIn();
    await connectTrain(page, s);
    const owner = await cosmosOwner(page);
    // provider-c bids cheapest: the one acceptCheapestBid takes.
    s.testControls.setProviderReachable("provider-c", false);
    await createDeployment(page, { datasetText: await verse(6000), steps: 100 });
    const dseq = await acceptCheapestBid(page);
    const error = page.getByTestId("train-error");
    await expect(error).toContainText("The provider could not be reached: send the manifest", { timeout: 15_000 });
    await expect(page.getByTestId("provider-down")).toContainText("The lease is still active on chain");
    const retry = page.getByRole("button", { name: "Retry" });
    await expect(page.getByRole("button", { name: "Close deployment" })).toBeVisible();
    expect(onChain(s, owner, dseq).leases.map((l) => l.state)).toEqual(["active"]);

    s.testControls.setProviderReachable("provider-c", true);
    await retry.click();
    await expect(page.getByTestId("logs")).toContainText('"event":"started"', { timeout: 30_000 });
    await expect(error).toHaveCount(0);
    await expect(retry).toHaveCount(0);

    // The connection drops mid-job: the job and its lease go on, the page says so.
    await expect(page.getByTestId("job-progress")).toContainText("Step", { timeout: 30_000 });
    s.testControls.setProviderReachable("provider-c", false);
    await expect(error).toContainText("The provider could not be reached: follow the logs", { timeout: 10_000 });
    expect(onChain(s, owner, dseq).deployment?.state).toBe("active");
    await expect(retry).toBeEnabled();

    s.testControls.setProviderReachable("provider-c", true);
    await retry.click();
    await expect(page.getByTestId("outcome")).toContainText("Job finished", { timeout: 60_000 });
    await expect(page.getByTestId("closed")).toContainText(`Deployment ${dseq} closed`);
    const { deployment, leases } = onChain(s, owner, dseq);
    expect(deployment).toMatchObject({ state: "closed", escrow: 0n });
    expect(leases.map((l) => l.state)).toEqual(["closed"]);
  });
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
