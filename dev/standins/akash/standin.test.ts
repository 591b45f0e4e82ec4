import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromBase64, toBase64 } from "@cosmjs/encoding";
import { TxRaw } from "@akashnetwork/chain-sdk/private-types/cosmos.v1beta1";
import { prepareDeployment } from "../../../src/lib/akash/deployment.ts";
import { AKASH_AUDITOR } from "../../../src/lib/akash/audit.ts";
import { escrowLeft, leaseCost } from "../../../src/lib/akash/cost.ts";
import {
  AkashNoBidsError,
  AkashProviderError,
  AkashTxError,
  AkashTxNotSignedError,
} from "../../../src/lib/akash/errors.ts";
import {
  acceptBid,
  addToEscrow,
  closeDeployment,
  createDeployment,
  latestHeight,
  listBids,
  readDeploymentState,
  readEscrow,
  readLease,
  waitForBids,
} from "../../../src/lib/akash/lease.ts";
import { parseProgress, type ResultEvent } from "../../../src/lib/akash/progress.ts";
import { followLogs, sendManifest } from "../../../src/lib/akash/provider.ts";
import { providerJwt } from "../../../src/lib/akash/providerAuth.ts";
import { DevCosmosKey, STANDIN_CHAIN_ID } from "../../../src/lib/akash/devKey.ts";
import { akashChainInfo, connectCosmosWallet, type KeplrLike } from "../../../src/lib/akash/wallet.ts";
import { readHexsCharModel } from "../../../models/hf/importHf.ts";
import { HF_FOLDER_FILES } from "../../../models/hf/writeFolder.ts";
import { importOnnxParameters } from "../../../models/train/exportOnnx.ts";
import { readUnixfs } from "../../../trainer/local/ipfs.ts";
import { demoJob, devKeyContext, pinDataset, pinDemoBase, proxiedEndpoint, startAkashTestStack } from "./testing.ts";
import { providerAddress } from "./providers.ts";

let stack: Awaited<ReturnType<typeof startAkashTestStack>>;
let weightsCid: string;
let datasetCid: string;

beforeAll(async () => {
  stack = await startAkashTestStack();
  weightsCid = await pinDemoBase(stack.ipfs.url);
  datasetCid = await pinDataset(stack.ipfs.url);
});
afterAll(() => stack?.stop());

const deposit = { denom: "uact", amount: "5000000" };

describe("the lease lifecycle against the Akash stand-in", () => {
  it("deploys, leases, trains, reports the result and closes with the provider paid and the rest refunded", async () => {
    const { account, ctx } = await devKeyContext(stack.standIn.nodeUrl);
    const before = { ...stack.standIn.chain.account(account.address).balances };
    const prepared = await prepareDeployment(demoJob({ weightsCid, datasetCid, ipfsUrl: stack.ipfs.url }));
    const { dseq } = await createDeployment(ctx, prepared, deposit);
    expect(await readDeploymentState(ctx, account.address, dseq)).toBe("active");

    // CPU job, at most 10 uact/block: provider-c (5) and provider-a (8) bid; provider-b (12.5) is too dear.
    const bids = await waitForBids(ctx, account.address, dseq, { settleMs: 300, intervalMs: 150 });
    expect(bids.map((b) => [b.ref.provider, Number(b.price.amount)])).toEqual([
      [providerAddress("provider-c"), 5],
      [providerAddress("provider-a"), 8],
    ]);
    expect(bids[1]!.attributes).toContainEqual({ key: "region", value: "eu-west" });

    const bid = bids[1]!;
    await acceptBid(ctx, bid.ref);
    expect(await listBids(ctx, account.address, dseq)).toEqual([]);
    const jwt = providerJwt(account);
    await sendManifest(proxiedEndpoint(stack.standIn, bid), jwt, dseq, prepared.manifestJson);

    const events: ReturnType<typeof parseProgress>[] = [];
    const stream = await followLogs(proxiedEndpoint(stack.standIn, bid), jwt, bid.ref, (line) =>
      events.push(parseProgress(line.message)),
    );
    await stream.closed;
    const result = events.find((e) => e?.event === "result") as ResultEvent | undefined;
    expect(events.filter((e) => e?.event === "step").length).toBe(20);
    expect(result, JSON.stringify(events.at(-1))).toBeDefined();
    expect(result!.metrics.validationLossAfter).toBeLessThan(result!.metrics.validationLossBefore);

    // The result is on IPFS, verified, in the Hugging Face layout, and differs from the base.
    const [base, tuned] = await Promise.all([
      readUnixfs(stack.ipfs.url, weightsCid),
      readUnixfs(stack.ipfs.url, result!.weightsCid),
    ]);
    expect([...tuned.keys()].sort()).toEqual([...HF_FOLDER_FILES, "metrics.json"].sort());
    const tunedModel = readHexsCharModel(tuned, "tuned");
    const baseParams = importOnnxParameters(tunedModel.config, base.get("model.onnx")!);
    expect(tunedModel.params.get("blocks.0.attn.qkv.weight")!.data).not.toEqual(
      baseParams.get("blocks.0.attn.qkv.weight")!.data,
    );
    expect(JSON.parse(new TextDecoder().decode(tuned.get("metrics.json")!)).datasetName).toBe(datasetCid);

    // The escrow as x/escrow reports it: the deposit as of the lease's start, paying 8 uact a block.
    const escrow = await readEscrow(ctx, account.address, dseq);
    const running = await readLease(ctx, bid.ref);
    expect(escrow).toEqual({ fundsUact: BigInt(deposit.amount), settledAt: running!.createdAt });
    const height = await latestHeight(ctx);
    expect(escrowLeft(escrow!, height, running!.price.amount)).toEqual({
      remainingUact: BigInt(deposit.amount) - 8n * (height - running!.createdAt),
      blocksLeft: (BigInt(deposit.amount) - 8n * (height - running!.createdAt)) / 8n,
    });

    const closed = await closeDeployment(ctx, dseq);
    const lease = await readLease(ctx, bid.ref);
    expect(lease?.state).toBe("closed");
    // Closed: settled, the provider paid, the rest refunded, nothing left in escrow.
    expect((await readEscrow(ctx, account.address, dseq))?.fundsUact).toBe(0n);
    expect(await readDeploymentState(ctx, account.address, dseq)).toBe("closed");
    const cost = leaseCost(lease!.price.amount, lease!.closedOn - lease!.createdAt);
    expect(cost).toBeGreaterThan(0n);
    expect(stack.standIn.chain.account(bid.ref.provider).balances.uact).toBe(cost);
    expect(closed.height).toBeGreaterThan(0);
    const after = stack.standIn.chain.account(account.address).balances;
    // The deposit came back less the lease's cost, in ACT; three transactions' fees went in AKT.
    expect(before.uact - after.uact).toBe(cost);
    expect(before.uakt - after.uakt).toBeGreaterThan(0n);
    expect(before.uakt - after.uakt).toBeLessThan(50_000n);
  });

  it("bids only from providers an auditor the placement names signed for, and says who audited each bidder", async () => {
    const { account, ctx } = await devKeyContext(stack.standIn.nodeUrl);
    const job = { ...demoJob({ weightsCid, datasetCid, ipfsUrl: stack.ipfs.url }) };
    const open = await prepareDeployment(job);
    const { dseq: openDseq } = await createDeployment(ctx, open, deposit);
    const anyone = await waitForBids(ctx, account.address, openDseq, { settleMs: 300, intervalMs: 150 });
    expect(anyone.map((b) => [b.ref.provider, b.auditors])).toEqual([
      [providerAddress("provider-c"), []],
      [providerAddress("provider-a"), [AKASH_AUDITOR]],
    ]);
    await closeDeployment(ctx, openDseq);

    const audited = await prepareDeployment({ ...job, signedBy: [AKASH_AUDITOR] });
    expect(audited.groupSpecs[0]!.requirements?.signedBy?.anyOf).toEqual([AKASH_AUDITOR]);
    const { dseq } = await createDeployment(ctx, audited, deposit);
    const bids = await waitForBids(ctx, account.address, dseq, { settleMs: 300, intervalMs: 150 });
    expect(bids.map((b) => b.ref.provider)).toEqual([providerAddress("provider-a")]);
    await closeDeployment(ctx, dseq);
  });

  it("asks the node about each bidder once per wait, not at every poll", async () => {
    const { account, ctx } = await devKeyContext(stack.standIn.nodeUrl);
    const lookups: string[] = [];
    const { provider, audit } = ctx.node.akash;
    const counting = {
      ...ctx,
      node: {
        ...ctx.node,
        akash: {
          ...ctx.node.akash,
          provider: {
            ...provider,
            v1beta4: {
              ...provider.v1beta4,
              getProvider: (input: { owner: string }) => (
                lookups.push(`provider ${input.owner}`),
                provider.v1beta4.getProvider(input)
              ),
            },
          },
          audit: {
            ...audit,
            v1: {
              ...audit.v1,
              getProviderAttributes: (input: { owner: string }) => (
                lookups.push(`audit ${input.owner}`),
                audit.v1.getProviderAttributes(input)
              ),
            },
          },
        },
      },
    } as typeof ctx;
    const prepared = await prepareDeployment(demoJob({ weightsCid, datasetCid, ipfsUrl: stack.ipfs.url }));
    const { dseq } = await createDeployment(ctx, prepared, deposit);
    let polls = 0;
    const bids = await waitForBids(counting, account.address, dseq, {
      settleMs: 1_200,
      intervalMs: 100,
      onBids: () => polls++,
    });
    expect(bids).toHaveLength(2);
    expect(polls).toBeGreaterThan(5);
    expect(lookups.sort()).toEqual(
      ["provider-a", "provider-c"]
        .flatMap((name) => [`audit ${providerAddress(name)}`, `provider ${providerAddress(name)}`])
        .sort(),
    );
    await closeDeployment(ctx, dseq);
  });

  it("bids only from providers with the GPU model the job asks for", async () => {
    const { account, ctx } = await devKeyContext(stack.standIn.nodeUrl);
    const job = { ...demoJob({ weightsCid, datasetCid, ipfsUrl: stack.ipfs.url }), maxPricePerBlock: 20 };
    const prepared = await prepareDeployment({
      ...job,
      resources: { cpu: 4, memory: "16Gi", storage: "50Gi", gpu: { vendor: "nvidia", model: "h100", count: 1 } },
    });
    const { dseq } = await createDeployment(ctx, prepared, deposit);
    const bids = await waitForBids(ctx, account.address, dseq, { settleMs: 300, intervalMs: 150 });
    expect(bids.map((b) => b.ref.provider)).toEqual([providerAddress("provider-b")]);
    await closeDeployment(ctx, dseq);
  });
});

describe("what the stand-in refuses", () => {
  it("rejects a transaction whose signature was tampered with, and one signed for another chain", async () => {
    const { account, ctx } = await devKeyContext(stack.standIn.nodeUrl);
    const prepared = await prepareDeployment(demoJob({ weightsCid, datasetCid, ipfsUrl: stack.ipfs.url }));
    const sequence = stack.standIn.chain.account(account.address).sequence;
    let signedBytes: Uint8Array | undefined;
    const capture = { ...account.signer, signDirect: account.signer.signDirect.bind(account.signer) };
    capture.signDirect = async (address, doc) => {
      const signed = await account.signer.signDirect(address, doc);
      signedBytes = TxRaw.encode(
        TxRaw.fromPartial({
          bodyBytes: signed.signed.bodyBytes,
          authInfoBytes: signed.signed.authInfoBytes,
          signatures: [fromBase64(signed.signature.signature)],
        }),
      ).finish();
      return signed;
    };
    const broadcast = async (txBytes: Uint8Array) => {
      const response = await fetch(`${stack.standIn.nodeUrl}/cosmos/tx/v1beta1/txs`, {
        method: "POST",
        body: JSON.stringify({ tx_bytes: toBase64(txBytes), mode: "BROADCAST_MODE_SYNC" }),
      });
      return ((await response.json()) as { tx_response: { code: number; raw_log: string } }).tx_response;
    };
    const { createTxClient } = await import("../../../src/lib/akash/txClient.ts");
    const otherChain = createTxClient({
      node: ctx.node,
      restUrl: ctx.restUrl,
      chainId: "akashnet-2",
      address: account.address,
      signer: capture,
    });
    await expect(createDeployment({ ...ctx, tx: otherChain }, prepared, deposit)).rejects.toMatchObject({ code: 4 });

    const raw = TxRaw.decode(signedBytes!);
    raw.signatures[0]![10]! ^= 0xff;
    expect(await broadcast(TxRaw.encode(raw).finish())).toMatchObject({
      code: 4,
      raw_log: expect.stringContaining("signature verification failed"),
    });
    expect(stack.standIn.chain.account(account.address).sequence).toBe(sequence);
  });

  it('never receives a deployment the wallet declined to sign (Keplr\'s "Request rejected")', async () => {
    const { ctx } = await devKeyContext(stack.standIn.nodeUrl);
    const dev = new DevCosmosKey();
    const declining: KeplrLike = {
      enable: (chainId) => dev.enable(chainId),
      experimentalSuggestChain: (info) => dev.experimentalSuggestChain(info),
      getKey: (chainId) => dev.getKey(chainId),
      signArbitrary: (chainId, signer, data) => dev.signArbitrary(chainId, signer, data),
      getOfflineSigner: (chainId) => ({
        getAccounts: () => dev.getOfflineSigner(chainId).getAccounts(),
        signDirect: () => Promise.reject(new Error("Request rejected")),
      }),
    };
    const info = akashChainInfo({
      chainId: STANDIN_CHAIN_ID,
      chainName: "Akash stand-in",
      rpcUrl: ctx.restUrl,
      restUrl: ctx.restUrl,
    });
    const account = await connectCosmosWallet(declining, "Keplr", info);
    const { createTxClient } = await import("../../../src/lib/akash/txClient.ts");
    const tx = createTxClient({ ...ctx, chainId: STANDIN_CHAIN_ID, address: account.address, signer: account.signer });
    const held = stack.standIn.chain.account(account.address);
    const before = { ...held, balances: { ...held.balances } };
    const deployments = stack.standIn.chain.deployments.size;
    const prepared = await prepareDeployment(demoJob({ weightsCid, datasetCid, ipfsUrl: stack.ipfs.url }));

    const error = await createDeployment({ ...ctx, tx }, prepared, deposit).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AkashTxNotSignedError);
    expect(error).toMatchObject({
      shortMessage: "Creating the deployment was not signed",
      details: "The transaction was rejected in Keplr; nothing was sent to the chain",
    });
    expect(stack.standIn.testControls.pendingTxs()).toBe(0);
    expect(stack.standIn.chain.deployments.size).toBe(deployments);
    expect(stack.standIn.chain.account(account.address)).toMatchObject({
      balances: before.balances,
      sequence: before.sequence,
    });
  });

  it("adds ACT to a deployment's escrow as x/escrow's AccountDeposit does, refusing what it refuses", async () => {
    const { account, ctx } = await devKeyContext(stack.standIn.nodeUrl);
    const prepared = await prepareDeployment(demoJob({ weightsCid, datasetCid, ipfsUrl: stack.ipfs.url }));
    const { dseq } = await createDeployment(ctx, prepared, deposit);
    const before = stack.standIn.chain.account(account.address).balances.uact;
    await addToEscrow(ctx, account.address, dseq, 1_500_000n);
    expect((await readEscrow(ctx, account.address, dseq))?.fundsUact).toBe(6_500_000n);
    expect(stack.standIn.chain.account(account.address).balances.uact).toBe(before - 1_500_000n);

    const refusal = async (owner: string, at: string, uact: bigint) => {
      const error = await addToEscrow(ctx, owner, at, uact).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AkashTxError);
      return (error as AkashTxError).details;
    };
    const balance = stack.standIn.chain.account(account.address).balances.uact;
    expect(await refusal(account.address, dseq, balance + 1n)).toMatch(/deposit invalid: insufficient balance$/);
    expect(await refusal(account.address, dseq, 0n)).toMatch(/invalid deposit$/);
    expect(await refusal(account.address, "999999", 1n)).toMatch(/account not found$/);
    await closeDeployment(ctx, dseq);
    expect(await refusal(account.address, dseq, 1n)).toMatch(/account closed$/);
    // Closing gave back the deposit and what was added, less nothing: no lease ran.
    expect(stack.standIn.chain.account(account.address).balances.uact).toBe(before + 5_000_000n);
  });

  it("fails a deployment whose deposit exceeds the balance, charging only the fee", async () => {
    const { ctx } = await devKeyContext(stack.standIn.nodeUrl);
    const prepared = await prepareDeployment(demoJob({ weightsCid, datasetCid, ipfsUrl: stack.ipfs.url }));
    const error = await createDeployment(ctx, prepared, { denom: "uact", amount: "999999999999" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AkashTxError);
    expect((error as AkashTxError).insufficientFunds).toBe(true);
  });

  it("refuses a manifest that does not hash to the deployment's version, and a JWT from another key", async () => {
    const { account, ctx } = await devKeyContext(stack.standIn.nodeUrl);
    const prepared = await prepareDeployment(demoJob({ weightsCid, datasetCid, ipfsUrl: stack.ipfs.url }));
    const { dseq } = await createDeployment(ctx, prepared, deposit);
    const [bid] = await waitForBids(ctx, account.address, dseq, { settleMs: 0, intervalMs: 150 });
    await acceptBid(ctx, bid!.ref);
    const tampered = prepared.manifestJson.replace("HEXS_STEPS=20", "HEXS_STEPS=2000");
    await expect(
      sendManifest({ hostUri: bid!.hostUri, providerAddress: bid!.ref.provider }, providerJwt(account), dseq, tampered),
    ).rejects.toMatchObject({
      status: 422,
    });

    const other = await connectCosmosWallet(
      new DevCosmosKey("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"),
      "dev key",
      akashChainInfo({ chainId: STANDIN_CHAIN_ID, chainName: "stand-in", rpcUrl: "", restUrl: "" }),
    );
    // Same issuer claimed, signed by another key: the signature does not match the owner's key on chain.
    const forged = providerJwt({
      ...other,
      address: account.address,
      signArbitrary: (data) => other.signArbitrary(data).then((s) => s),
    });
    const error = await sendManifest(
      { hostUri: bid!.hostUri, providerAddress: bid!.ref.provider },
      forged,
      dseq,
      prepared.manifestJson,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AkashProviderError);
    expect((error as AkashProviderError).status).toBe(401);
    await closeDeployment(ctx, dseq);
  });

  it("reports no bids when no provider answers", async () => {
    const quiet = await startAkashTestStack({
      providers: [{ name: "mute", pricePerBlock: "1", gpus: [], attributes: [], silent: true }],
    });
    try {
      const { account, ctx } = await devKeyContext(quiet.standIn.nodeUrl);
      const prepared = await prepareDeployment(demoJob({ weightsCid, datasetCid, ipfsUrl: quiet.ipfs.url }));
      const { dseq } = await createDeployment(ctx, prepared, deposit);
      await expect(
        waitForBids(ctx, account.address, dseq, { timeoutMs: 1200, intervalMs: 200 }),
      ).rejects.toBeInstanceOf(AkashNoBidsError);
      await closeDeployment(ctx, dseq);
      expect(await readDeploymentState(ctx, account.address, dseq)).toBe("closed");
    } finally {
      await quiet.stop();
    }
  });
});
