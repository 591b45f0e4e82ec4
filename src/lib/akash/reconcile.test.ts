import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAkashStandIn, type AkashStandIn } from "../../../dev/standins/akash/server.ts";
import { demoJob } from "../../../dev/standins/akash/testing.ts";
import { prepareDeployment, type PreparedDeployment } from "./deployment.ts";
import { DevCosmosKey, STANDIN_CHAIN_ID } from "./devKey.ts";
import { AkashChainMismatchError, AkashNodeError, AkashTxError, AkashTxTimeoutError } from "./errors.ts";
import { createDeployment, planDeployment, type AkashContext } from "./lease.ts";
import { akashNode } from "./node.ts";
import { reconcileCreation, type SentCreation } from "./reconcile.ts";
import { createTxClient } from "./txClient.ts";
import { akashChainInfo, connectCosmosWallet, type CosmosAccount } from "./wallet.ts";

const FUNDS = 100_000_000n;
const deposit = { denom: "uact", amount: "5000000" };

let standIn: AkashStandIn;
let account: CosmosAccount;
let ctx: AkashContext;
let prepared: PreparedDeployment;

beforeAll(async () => {
  standIn = await startAkashStandIn({ blockMs: 50, bidDelayMs: 60_000, devKeyFunds: FUNDS, devKeyActFunds: FUNDS });
  account = await connectCosmosWallet(
    new DevCosmosKey(),
    "dev key",
    akashChainInfo({ chainId: STANDIN_CHAIN_ID, chainName: "stand-in", rpcUrl: "", restUrl: "" }),
  );
  const node = akashNode(standIn.nodeUrl);
  const tx = createTxClient({
    node,
    restUrl: standIn.nodeUrl,
    chainId: STANDIN_CHAIN_ID,
    address: account.address,
    signer: account.signer,
    inclusionTimeoutMs: 1500,
  });
  ctx = { node, restUrl: standIn.nodeUrl, tx };
  prepared = await prepareDeployment(
    demoJob({
      weightsCid: "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
      datasetCid: "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku",
      ipfsUrl: "http://127.0.0.1:5001",
    }),
  );
});
afterAll(() => standIn?.stop());

/** Sends MsgCreateDeployment as the /train page does: the record is written before broadcasting. */
function send(options: { amount?: string; timeoutBlocks?: bigint } = {}) {
  const record: { sent?: SentCreation } = {};
  const done = planDeployment(ctx, options.timeoutBlocks).then((plan) => {
    record.sent = {
      chainId: STANDIN_CHAIN_ID,
      owner: account.address,
      dseq: plan.dseq,
      manifestJson: prepared.manifestJson,
      sending: { timeoutHeight: plan.timeoutHeight },
    };
    return createDeployment(ctx, prepared, { ...deposit, amount: options.amount ?? deposit.amount }, plan, (txHash) => {
      record.sent!.sending.txHash = txHash;
    });
  });
  return { record, done: done.catch((error: unknown) => error) };
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Both balances: a failed or missing deployment leaves the ACT untouched and costs AKT fees at most. */
const balance = () => {
  const { uakt, uact } = standIn.chain.account(account.address).balances;
  return uakt + uact;
};

describe("reconcileCreation", () => {
  it("says pending while the transaction waits in the mempool, and finds the deployment once a block holds it", async () => {
    standIn.testControls.holdTxs();
    const { record, done } = send();
    try {
      await until(() => standIn.testControls.pendingTxs() === 1, "the broadcast");
      expect(record.sent!.sending.txHash).toMatch(/^[0-9A-F]{64}$/);
      const pending = await reconcileCreation(ctx, record.sent!);
      expect(pending).toMatchObject({ kind: "pending", timeoutHeight: BigInt(record.sent!.sending.timeoutHeight) });
    } finally {
      standIn.testControls.releaseTxs();
    }
    const created = await done;
    // The hash recorded before broadcasting is the one the node indexed.
    expect(created).toMatchObject({ tx: { txHash: record.sent!.sending.txHash } });
    expect(await reconcileCreation(ctx, record.sent!)).toEqual({ kind: "created", state: "active" });
  });

  it("reports a transaction its block failed: nothing was escrowed, only the fee paid", async () => {
    const before = balance();
    const { record, done } = send({ amount: (FUNDS * 10n).toString() });
    expect(await done).toBeInstanceOf(AkashTxError);
    const outcome = await reconcileCreation(ctx, record.sent!);
    expect(outcome).toMatchObject({ kind: "failed", code: 5, txHash: record.sent!.sending.txHash });
    expect(outcome.kind === "failed" && outcome.log).toMatch(/insufficient funds/);
    expect(before - balance()).toBeLessThan(50_000n);
    expect(standIn.chain.deployments.has(`${account.address}/${record.sent!.dseq}`)).toBe(false);
  });

  it("says a transaction past its timeout height never landed, and the chain agrees", async () => {
    const before = balance();
    standIn.testControls.holdTxs();
    const { record, done } = send({ timeoutBlocks: 10n });
    try {
      await until(() => record.sent?.sending.txHash !== undefined, "the signature");
      expect(await done).toBeInstanceOf(AkashTxTimeoutError);
      const timeoutHeight = BigInt(record.sent!.sending.timeoutHeight);
      await until(() => standIn.chain.height > timeoutHeight, "the timeout height");
      // Held or not, a mempool drops what is past its timeout height: no block can take it.
      expect(standIn.testControls.pendingTxs()).toBe(0);
    } finally {
      standIn.testControls.releaseTxs();
    }
    expect(await reconcileCreation(ctx, record.sent!)).toMatchObject({
      kind: "expired",
      timeoutHeight: BigInt(record.sent!.sending.timeoutHeight),
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(standIn.chain.deployments.has(`${account.address}/${record.sent!.dseq}`)).toBe(false);
    expect(balance()).toBe(before);
  });

  it("settles a record the wallet never signed only once its timeout height is past", async () => {
    const plan = await planDeployment(ctx, 4n);
    const sent: SentCreation = {
      chainId: STANDIN_CHAIN_ID,
      owner: account.address,
      dseq: plan.dseq,
      manifestJson: prepared.manifestJson,
      sending: { timeoutHeight: plan.timeoutHeight },
    };
    expect(await reconcileCreation(ctx, sent)).toMatchObject({ kind: "pending" });
    await until(() => standIn.chain.height > BigInt(plan.timeoutHeight), "the timeout height");
    expect(await reconcileCreation(ctx, sent)).toMatchObject({ kind: "expired" });
  });

  it("does not take a deployment with the same dseq but another manifest for this run's", async () => {
    const { record, done } = send();
    await done;
    const other = await prepareDeployment({
      ...demoJob({ weightsCid: "x", datasetCid: "y", ipfsUrl: "z" }),
      image: "other:1",
    });
    const sent = {
      ...record.sent!,
      manifestJson: other.manifestJson,
      sending: { timeoutHeight: record.sent!.sending.timeoutHeight },
    };
    expect(await reconcileCreation(ctx, sent)).toMatchObject({ kind: "pending" });
    expect(await reconcileCreation(ctx, record.sent!)).toMatchObject({ kind: "created" });
  });

  it("concludes nothing when the node cannot be reached", async () => {
    const { record, done } = send();
    await done;
    const unreachable = "http://127.0.0.1:9";
    const error = await reconcileCreation({ node: akashNode(unreachable), restUrl: unreachable }, record.sent!).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AkashNodeError);
  });

  it("concludes nothing from a node of another chain", async () => {
    const { record, done } = send();
    await done;
    const error = await reconcileCreation(ctx, { ...record.sent!, chainId: "akashnet-2" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AkashChainMismatchError);
    expect((error as AkashChainMismatchError).actual).toBe(STANDIN_CHAIN_ID);
  });
});
