// Issue 7, item 2: /train with Keplr, the production wallet. A Keplr-protocol test wallet stands
// in for the extension (support/keplrWallet.ts): `window.keplr` in the page, the key and every
// signature in this process. The stand-in checks each transaction's signature and each provider
// JWT against that key, so nothing here is signed by the dev key.
import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import type { AkashStandIn } from "../../dev/standins/akash/server.ts";
import { TYPE_URL } from "../../src/lib/akash/messages.ts";
import { acceptCheapestBid, createDeployment, openTrain, pickGpu, startStandIn, trainBase } from "./support/akash.ts";
import { KeplrTestWallet } from "./support/keplrWallet.ts";

const FUNDS = 100_000_000n;
const INFLIGHT_KEY = "hexs:akash:inflight";

let standIn: AkashStandIn;
test.beforeAll(async () => {
  standIn = await startStandIn();
});
test.afterAll(async () => {
  await standIn?.stop();
});

/**
 * A fresh Keplr holding an account with AKT, with no chain added: what a new Akash user has (with
 * `minted`, also ACT as if minted before).
 */
async function openWithKeplr(page: Page, minted = true): Promise<KeplrTestWallet> {
  const keplr = await KeplrTestWallet.create();
  standIn.testControls.fund(keplr.address(), FUNDS);
  if (minted) standIn.testControls.fund(keplr.address(), FUNDS, "uact");
  await keplr.install(page);
  await openTrain(page, standIn);
  return keplr;
}

/** The claims of a provider JWT from the "<header>.<payload>" Keplr was asked to sign. */
function jwtClaims(signed: string): { iat: number; nbf: number; exp: number } {
  return JSON.parse(Buffer.from(signed.split(".")[1]!, "base64url").toString("utf8")) as never;
}

const ownerOf = (keplr: KeplrTestWallet) =>
  [...standIn.chain.deployments.values()].filter((d) => d.owner === keplr.address());

/**
 * Connects Keplr, whose user takes a moment over each prompt as people do (meanwhile every
 * request waits on it), and starts a long job; returns once its logs, status and events are seen
 * with the one JWT prompt they share.
 */
async function runJobWithKeplr(page: Page) {
  const keplr = await openWithKeplr(page);
  keplr.answerDelayMs = 1_500;
  const jwtPrompts = () => keplr.prompts.filter((p) => p.kind === "signArbitrary").length;
  await page.getByRole("button", { name: "Connect Keplr" }).click();
  await expect(page.getByTestId("cosmos-account")).toHaveText(`Keplr: ${keplr.address()}`);
  const verse = (await readFile(new URL("../../models/corpus/verse.txt", import.meta.url), "utf8")).slice(0, 6000);
  await createDeployment(page, { datasetText: verse, steps: 2000 });
  const dseq = await acceptCheapestBid(page);
  await expect(page.getByTestId("logs")).toContainText('"event":"started"', { timeout: 30_000 });
  await expect(page.getByRole("table", { name: "Lease status" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Provider events" })).toContainText("Started container trainer");
  expect(jwtPrompts()).toBe(1);
  return { keplr, dseq, jwtPrompts };
}

test.describe("/train with Keplr (Keplr-protocol test wallet, local Akash stand-in)", () => {
  test.setTimeout(90_000);

  test("offers Keplr when it injects itself after the page's scripts, as it may on Firefox", async ({ page }) => {
    const keplr = await KeplrTestWallet.create();
    standIn.testControls.fund(keplr.address(), FUNDS);
    await keplr.install(page, { late: true });
    await openTrain(page, standIn);
    await expect(page.getByRole("button", { name: "Connect Keplr" })).toBeEnabled();
    await page.getByRole("button", { name: "Connect Keplr" }).click();
    await expect(page.getByTestId("cosmos-account")).toHaveText(`Keplr: ${keplr.address()}`);
  });

  test("adds the chain to Keplr with AKT and ACT, mints ACT in Keplr, then runs a deployment from bids to logs to close", async ({
    page,
  }) => {
    const keplr = await openWithKeplr(page, false);
    // The user keeps Keplr's "high" fee: the transaction must carry the fee Keplr set, not HEXS's.
    keplr.feeTier = "high";
    expect(keplr.knows(standIn.chainId)).toBe(false);

    await page.getByRole("button", { name: "Connect Keplr" }).click();
    await expect(page.getByTestId("cosmos-account")).toHaveText(`Keplr: ${keplr.address()}`);
    expect(keplr.requests.slice(0, 3)).toEqual(["enable", "experimentalSuggestChain", "enable"]);
    expect(keplr.prompts[0]).toMatchObject({
      kind: "suggestChain",
      chainInfo: { chainId: standIn.chainId, rest: standIn.nodeUrl, rpc: standIn.nodeUrl },
    });
    expect(keplr.knows(standIn.chainId)).toBe(true);
    expect(keplr.prompts[0]).toMatchObject({
      chainInfo: { currencies: [{ coinMinimalDenom: "uakt" }, { coinMinimalDenom: "uact" }] },
    });

    // No ACT yet: the deposit (5 ACT) needs a mint, at least the chain's 10 ACT minimum.
    const funds = page.getByTestId("funds");
    await expect(funds.getByTestId("act-balance")).toHaveText("0 ACT");
    await expect(funds.getByTestId("act-shortfall")).toContainText("mint at least 5 ACT more");
    // The suggestion: the chain's minimum mint (10 ACT at AKT = $1.25 is 8 AKT), less the 0.25 % spread.
    await expect(funds.getByLabel("AKT to burn for ACT")).toHaveAttribute("placeholder", "8");
    await expect(funds.getByTestId("mint-gives")).toHaveText("Gives ≈ 9.975 ACT.");
    await funds.getByRole("button", { name: "Mint ACT" }).click();
    await expect(funds.getByTestId("act-balance")).toHaveText("9.975 ACT", { timeout: 20_000 });
    await expect(funds.getByTestId("act-shortfall")).toHaveCount(0);

    const verse = (await readFile(new URL("../../models/corpus/verse.txt", import.meta.url), "utf8")).slice(0, 6000);
    await createDeployment(page, { datasetText: verse, steps: 2000 });
    const dseq = await acceptCheapestBid(page);
    await expect(page.getByTestId("logs")).toContainText('"event":"started"', { timeout: 30_000 });
    await page.getByRole("button", { name: "Close deployment" }).click();
    await expect(page.getByTestId("closed")).toContainText(`Deployment ${dseq} closed`, { timeout: 20_000 });

    expect(keplr.signedTxs.map((tx) => tx.typeUrls)).toEqual([
      [TYPE_URL.mintAct],
      [TYPE_URL.createDeployment],
      [TYPE_URL.createLease],
      [TYPE_URL.closeDeployment],
    ]);
    // The provider took the manifest and the logs socket on a JWT Keplr signed (ADR-36).
    expect(keplr.prompts.filter((p) => p.kind === "signArbitrary").length).toBeGreaterThan(0);

    const [deployment] = ownerOf(keplr);
    expect(deployment).toMatchObject({ dseq: BigInt(dseq), state: "closed", escrow: 0n });
    const lease = standIn.chain.leases.find((l) => l.ref.owner === keplr.address())!;
    expect(lease.state).toBe("closed");
    // The deposit came back whole but for what the lease paid (ACT); the fees are the ones Keplr set (AKT).
    const fees = keplr.signedTxs.reduce((sum, tx) => sum + tx.fee, 0n);
    const burned = FUNDS - fees - standIn.chain.account(keplr.address()).balances.uakt;
    expect(burned).toBe(8_000_000n);
    expect(standIn.chain.account(keplr.address()).balances.uact).toBe(9_975_000n - lease.paid);
  });

  test("the mint suggested covers the expected run time at the maximum price, and the deposit follows it until typed", async ({
    page,
  }) => {
    const keplr = await openWithKeplr(page, false);
    await page.getByRole("button", { name: "Connect Keplr" }).click();
    await expect(page.getByTestId("cosmos-account")).toHaveText(`Keplr: ${keplr.address()}`);
    const funds = page.getByTestId("funds");
    await expect(funds.getByTestId("act-balance")).toHaveText("0 ACT");

    // Twelve hours on an H100 at its default maximum price (4000 uact a block, 600 blocks an hour).
    await pickGpu(page, "h100");
    await page.getByLabel("Expected run time (hours)").fill("12");
    await expect(page.getByTestId("run-cost-hint")).toContainText("at most ≈ 28.8 ACT ($28.80)");
    await expect(page.getByLabel("Escrow deposit (ACT)")).toHaveValue("29");
    await expect(funds.getByTestId("act-shortfall")).toContainText(
      "The deposit needs 29 ACT: mint at least 29 ACT more",
    );
    // 29 ACT before the 0.25 % spread is 29.072682 ACT minted, at AKT = $1.25.
    await expect(funds.getByLabel("AKT to burn for ACT")).toHaveAttribute("placeholder", "23.258146");
    await expect(funds.getByTestId("mint-gives")).toHaveText("Gives ≈ 29.000001 ACT.");

    // A smaller deposit typed in: the mint still covers the run, whose escrow is topped up as it goes.
    await page.getByLabel("Escrow deposit (ACT)").fill("6");
    await expect(page.getByTestId("deposit-short")).toContainText("The deposit lasts about 2.5 h at the maximum price");
    await expect(funds.getByTestId("act-shortfall")).toContainText(
      "The run may cost up to 28.8 ACT (12 h at the maximum price), more than the 6 ACT deposit: mint at least 28.8 ACT more",
    );
    await expect(funds.getByLabel("AKT to burn for ACT")).toHaveAttribute("placeholder", "23.097745");
    await funds.getByRole("button", { name: "Mint ACT" }).click();
    await expect(funds.getByTestId("act-balance")).not.toHaveText("0 ACT", { timeout: 20_000 });
    await expect(funds.getByTestId("act-shortfall")).toHaveCount(0);
    expect(standIn.chain.account(keplr.address()).balances.uact).toBe(28_800_001n);
    expect(keplr.signedTxs.map((tx) => tx.typeUrls)).toEqual([[TYPE_URL.mintAct]]);
  });

  test("one JWT prompt in Keplr serves the manifest, the status polls, the events and the logs; a resumed run asking for all three at once prompts once more", async ({
    page,
  }) => {
    const { dseq, jwtPrompts } = await runJobWithKeplr(page);

    // A reload forgets the token (it lives in memory only); Resume then asks for the lease status,
    // the events and the logs at once: one refresh serves all three.
    await page.reload();
    await page.getByRole("button", { name: "Connect Keplr" }).click();
    await page.getByRole("button", { name: "Resume" }).click();
    await expect(page.getByTestId("logs")).toContainText('"event":"started"', { timeout: 15_000 });
    await expect(page.getByRole("table", { name: "Lease status" })).toBeVisible();
    await expect(page.getByRole("table", { name: "Provider events" })).toContainText("Started container trainer");
    expect(jwtPrompts()).toBe(2);
    await page.getByRole("button", { name: "Close deployment" }).click();
    await expect(page.getByTestId("closed")).toContainText(`Deployment ${dseq} closed`, { timeout: 20_000 });
    expect(jwtPrompts()).toBe(2);
  });

  test("after the token expires while the provider is out of reach, Retry's status poll, events and logs cost one prompt", async ({
    page,
  }) => {
    // The page's clock runs 14 minutes behind the provider's: the first token (15 minutes by the
    // page's clock) is still good for a minute by the provider's, and moving the page's clock on
    // 14 minutes later, as a laptop whose lid was closed, expires it there while the new token's
    // times agree with the provider's clock (which allows no skew).
    await page.clock.install({ time: Date.now() - 14 * 60_000 });
    const { keplr, dseq, jwtPrompts } = await runJobWithKeplr(page);

    // The provider (provider-c took the bid) drops out; meanwhile the token expires.
    standIn.testControls.setProviderReachable("provider-c", false);
    await expect(page.getByTestId("train-error")).toContainText("The provider could not be reached", {
      timeout: 15_000,
    });
    await page.clock.fastForward("14:00");
    standIn.testControls.setProviderReachable("provider-c", true);
    const retriedAt = Date.now();
    await page.getByRole("button", { name: "Retry" }).click();
    await expect(page.getByTestId("job-progress")).toContainText("Step", { timeout: 30_000 });
    await expect(page.getByRole("table", { name: "Lease status" })).toBeVisible();
    await expect(page.getByRole("table", { name: "Provider events" })).toContainText("Started container trainer");
    await expect(page.getByTestId("train-error")).toHaveCount(0);
    expect(jwtPrompts()).toBe(2);
    // The first token ran out a minute after it was signed, by the provider's clock; the new one
    // starts at the provider's time (Retry was clicked after the clock moved on).
    const [first, second] = keplr.prompts.flatMap((p) => (p.kind === "signArbitrary" ? [jwtClaims(p.data)] : []));
    expect(first!.exp - first!.iat).toBe(15 * 60);
    expect(first!.exp).toBeLessThanOrEqual(Math.floor(retriedAt / 1000) + 60);
    expect(second!.nbf).toBeGreaterThanOrEqual(Math.floor(retriedAt / 1000) - 1);
    expect(second!.nbf).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    await page.getByRole("button", { name: "Close deployment" }).click();
    await expect(page.getByTestId("closed")).toContainText(`Deployment ${dseq} closed`, { timeout: 20_000 });
    expect(jwtPrompts()).toBe(2);
  });

  test("a MsgCreateDeployment the user rejects in Keplr escrows nothing and keeps the form as typed", async ({
    page,
  }) => {
    const keplr = await openWithKeplr(page);
    keplr.approve = (prompt) => !(prompt.kind === "signDirect" && prompt.typeUrls.includes(TYPE_URL.createDeployment));
    await page.getByRole("button", { name: "Connect Keplr" }).click();
    await expect(page.getByTestId("cosmos-account")).toContainText(keplr.address());

    await createDeployment(page, { datasetText: "a few lines of verse to train on", steps: 7 });
    await expect(page.getByTestId("train-error")).toHaveText(
      "Creating the deployment was not signed — The transaction was rejected in Keplr; nothing was sent to the chain",
      { timeout: 15_000 },
    );
    expect(keplr.prompts.at(-1)).toMatchObject({ kind: "signDirect", approved: false });

    await expect(page.getByLabel("Base agent")).toHaveValue(trainBase().agent);
    await expect(page.getByLabel("Dataset CID")).toHaveValue(/^baf/);
    await expect(page.getByLabel("Steps")).toHaveValue("7");
    await expect(page.getByRole("button", { name: "Create deployment" })).toBeEnabled();

    expect(ownerOf(keplr)).toEqual([]);
    expect(standIn.testControls.pendingTxs()).toBe(0);
    expect(standIn.chain.account(keplr.address())).toMatchObject({
      balances: { uakt: FUNDS, uact: FUNDS },
      sequence: 0,
    });
    expect(await page.evaluate((k) => localStorage.getItem(k), INFLIGHT_KEY)).toBeNull();
  });

  test("a client certificate signed in Keplr: rejected once, kept unpublished, then published with the same key", async ({
    page,
  }) => {
    const keplr = await openWithKeplr(page);
    let rejectCertificate = true;
    keplr.approve = (prompt) =>
      !(rejectCertificate && prompt.kind === "signDirect" && prompt.typeUrls.includes(TYPE_URL.createCertificate));
    await page.getByRole("button", { name: "Connect Keplr" }).click();
    await expect(page.getByTestId("cosmos-account")).toContainText(keplr.address());

    const auth = page.getByTestId("provider-auth");
    await auth.getByLabel("Client certificate (mTLS)").check();
    await auth.getByRole("button", { name: "Create and publish certificate" }).click();
    await expect(page.getByTestId("train-error")).toContainText("was rejected in Keplr; nothing was sent to the chain");
    const status = page.getByTestId("certificate-status");
    await expect(status).toContainText("was made in this browser but the chain does not hold it as valid");
    const serial = (await status.locator("code").textContent())!;
    expect(standIn.chain.certificate(keplr.address(), serial)).toBeUndefined();

    rejectCertificate = false;
    await auth.getByRole("button", { name: "Publish certificate" }).click();
    await expect(status).toContainText("is valid on chain until", { timeout: 20_000 });
    await expect(status.locator("code")).toHaveText(serial);
    expect(standIn.chain.certificate(keplr.address(), serial)?.state).toBe("valid");
    expect(keplr.signedTxs.map((tx) => tx.typeUrls)).toEqual([[TYPE_URL.createCertificate]]);
  });

  test("adding the chain rejected in Keplr says so, naming Keplr and the chain", async ({ page }) => {
    const keplr = await openWithKeplr(page);
    keplr.approve = (prompt) => prompt.kind !== "suggestChain";

    await page.getByRole("button", { name: "Connect Keplr" }).click();
    await expect(page.getByTestId("train-error")).toHaveText(
      `Adding the chain ${standIn.chainId} was rejected in Keplr`,
    );
    expect(keplr.knows(standIn.chainId)).toBe(false);
    await expect(page.getByTestId("cosmos-account")).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Connect Keplr" })).toBeEnabled();
  });

  test("a Ledger account in Keplr is refused at connection, saying why, before anything is signed", async ({
    page,
  }) => {
    const keplr = await openWithKeplr(page);
    keplr.ledger = true;

    await page.getByRole("button", { name: "Connect Keplr" }).click();
    await expect(page.getByTestId("train-error")).toContainText(
      'The Keplr account "HEXS Keplr test key" is a Ledger key',
    );
    await expect(page.getByTestId("train-error")).toContainText("only in Amino mode");
    await expect(page.getByTestId("cosmos-account")).toHaveCount(0);
    expect(keplr.signedTxs).toEqual([]);
  });

  test("switching Keplr to another key drops the account, and connecting again uses the new one", async ({ page }) => {
    const keplr = await openWithKeplr(page);
    await page.getByRole("button", { name: "Connect Keplr" }).click();
    const first = keplr.address();
    await expect(page.getByTestId("cosmos-account")).toHaveText(`Keplr: ${first}`);

    await keplr.switchKey();
    await expect(page.getByTestId("train-error")).toHaveText(`Keplr switched away from ${first}: connect Keplr again`);
    await expect(page.getByTestId("cosmos-account")).toHaveCount(0);
    await page.getByRole("button", { name: "Connect Keplr" }).click();
    await expect(page.getByTestId("cosmos-account")).toHaveText(`Keplr: ${keplr.address()}`);
    expect(keplr.address()).not.toBe(first);
  });
});
