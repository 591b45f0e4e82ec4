// Test helpers for the Akash stand-in: an IPFS node and the stand-in on free ports, the demo
// base model and a dataset pinned, and a client context signed by the dev key.
import { readFile } from "node:fs/promises";
import { startIpfsNode } from "../../ipfs/node.ts";
import { tempDir } from "../../ipfs/testing.ts";
import { packFile, packFiles } from "../../../src/lib/ipfs/car.ts";
import { kuboAdapter } from "../../../src/lib/ipfs/kubo.ts";
import { uploadCar } from "../../../src/lib/ipfs/upload.ts";
import { DevCosmosKey, STANDIN_CHAIN_ID } from "../../../src/lib/akash/devKey.ts";
import { akashChainInfo, connectCosmosWallet, type CosmosAccount } from "../../../src/lib/akash/wallet.ts";
import { akashNode } from "../../../src/lib/akash/node.ts";
import { createTxClient } from "../../../src/lib/akash/txClient.ts";
import type { AkashContext } from "../../../src/lib/akash/lease.ts";
import type { TrainingJob } from "../../../src/lib/akash/job.ts";
import type { LeaseRef } from "../../../src/lib/akash/messages.ts";
import type { ProviderEndpoint } from "../../../src/lib/akash/provider.ts";
import { startAkashStandIn, type AkashStandIn, type AkashStandInOptions } from "./server.ts";

const ROOT = new URL("../../../", import.meta.url);

/** The demo base model, pinned as an agent's weights are: a folder with model.onnx + tokenizer.json. */
export async function pinDemoBase(kuboApiUrl: string, dir = "tiny-stories-char"): Promise<string> {
  const [onnx, tokenizer] = await Promise.all([
    readFile(new URL(`models/out/${dir}/model.onnx`, ROOT)),
    readFile(new URL(`models/out/${dir}/tokenizer.json`, ROOT)),
  ]);
  const car = await packFiles([
    { path: "model.onnx", content: new Uint8Array(onnx) },
    { path: "tokenizer.json", content: new Uint8Array(tokenizer) },
  ]);
  return (await uploadCar(kuboAdapter({ url: kuboApiUrl }), car)).cid.toString();
}

/** A dataset of `bytes` characters of the verse corpus (the stories model has not seen it). */
export async function pinDataset(kuboApiUrl: string, bytes = 6000): Promise<string> {
  const text = (await readFile(new URL("models/corpus/verse.txt", ROOT), "utf8")).slice(0, bytes);
  return (await uploadCar(kuboAdapter({ url: kuboApiUrl }), await packFile(text))).cid.toString();
}

export async function startAkashTestStack(options: AkashStandInOptions = {}) {
  const dir = await tempDir("hexs-akash-");
  const ipfs = await startIpfsNode({ dataDir: dir.path });
  // The dev key holds ACT already, as if minted before: deployments are funded in ACT only.
  const standIn = await startAkashStandIn({
    ipfsApiUrl: ipfs.url,
    blockMs: 200,
    bidDelayMs: 300,
    devKeyActFunds: 1_000_000_000n,
    ...options,
  });
  return {
    ipfs,
    standIn,
    async stop() {
      await standIn.stop();
      await ipfs.stop();
      await dir.remove();
    },
  };
}

/** A client context signed by the dev key, or by the key of `mnemonic` (fund that one first). */
export async function devKeyContext(
  nodeUrl: string,
  mnemonic?: string,
): Promise<{ account: CosmosAccount; ctx: AkashContext }> {
  const info = akashChainInfo({
    chainId: STANDIN_CHAIN_ID,
    chainName: "Akash stand-in",
    rpcUrl: nodeUrl,
    restUrl: nodeUrl,
  });
  const account = await connectCosmosWallet(new DevCosmosKey(mnemonic), "dev key", info);
  const node = akashNode(nodeUrl);
  const tx = createTxClient({
    node,
    restUrl: nodeUrl,
    chainId: STANDIN_CHAIN_ID,
    address: account.address,
    signer: account.signer,
  });
  return { account, ctx: { node, restUrl: nodeUrl, tx } };
}

export function demoJob(p: { weightsCid: string; datasetCid: string; ipfsUrl: string; steps?: number }): TrainingJob {
  return {
    image: "ghcr.io/hexs/trainer-tiny:0.1.0",
    base: { kind: "ipfs", weightsCid: p.weightsCid },
    datasetCid: p.datasetCid,
    hyperparameters: { steps: p.steps ?? 20, learningRate: 0.003, seed: 1, batchSize: 8 },
    output: { kuboApiUrl: p.ipfsUrl, gatewayUrl: p.ipfsUrl },
    resources: { cpu: 1, memory: "2Gi", storage: "4Gi" },
    maxPricePerBlock: 10,
    denom: "uact",
  };
}

/** A bid's provider as the browser reaches it: through HEXS's provider proxy, as the stand-in serves it. */
export function proxiedEndpoint(standIn: AkashStandIn, bid: { hostUri: string; ref: LeaseRef }): ProviderEndpoint {
  return {
    hostUri: bid.hostUri,
    providerAddress: bid.ref.provider,
    proxy: { url: standIn.providerProxyUrl, network: standIn.chainId },
  };
}
