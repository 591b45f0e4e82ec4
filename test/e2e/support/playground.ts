// Agents for the playground journey: the repo's demo models (and one broken model) pinned on
// the test IPFS node, each behind a free agent created through the factory by a dev account.
import { readFile } from "node:fs/promises";
import { createWalletClient, http, keccak256, parseEventLogs, toHex, zeroAddress, type Address } from "viem";
import { hardhat } from "viem/chains";
import { packFiles } from "../../../src/lib/ipfs/car.ts";
import { kuboAdapter } from "../../../src/lib/ipfs/kubo.ts";
import { uploadCar } from "../../../src/lib/ipfs/upload.ts";
import { hexsFactoryAbi } from "../../../src/lib/contracts/abis.ts";
import { deployments } from "../../../src/lib/contracts/deployments.ts";
import { chainClient, devAccount, pinJson } from "./agents.ts";
import { e2eEnv } from "./app.ts";

const MODELS = new URL("../../../models/out/", import.meta.url);

/** Pins `model.onnx` + `tokenizer.json` as one folder (what an agent's weights CID names). */
export async function pinWeights(files: { model: Uint8Array; tokenizer: Uint8Array }): Promise<string> {
  const car = await packFiles([
    { path: "model.onnx", content: files.model },
    { path: "tokenizer.json", content: files.tokenizer },
  ]);
  return (await uploadCar(kuboAdapter({ url: e2eEnv().ipfsUrl }), car)).cid.toString();
}

export async function demoModelFiles(name: "tiny-stories-char" | "tiny-verse-char") {
  return {
    model: new Uint8Array(await readFile(new URL(`${name}/model.onnx`, MODELS))),
    tokenizer: new Uint8Array(await readFile(new URL(`${name}/tokenizer.json`, MODELS))),
  };
}

/** Creates a free agent named `name` whose weights are `weightsCid`, owned by dev account #ownerIndex. */
export async function createAgentWithWeights(name: string, weightsCid: string, ownerIndex: number): Promise<Address> {
  const account = devAccount(ownerIndex);
  const wallet = createWalletClient({ account, chain: hardhat, transport: http(e2eEnv().rpcUrl) });
  const modelCardCid = await pinJson({ name, description: `${name}: an agent of the playground journey.` });
  const hash = await wallet.writeContract({
    address: deployments[31337]!.HexsFactory.address,
    abi: hexsFactoryAbi,
    functionName: "createAgent",
    args: [
      {
        salt: keccak256(toHex(`e2e-playground/${name}/${Date.now()}`)),
        metadata: {
          name,
          modelCardCid,
          baseModel: "hexs-demo/tiny",
          baseModelRevision: "main",
          initialWeightsCid: weightsCid,
        },
        parent: zeroAddress,
        settings: { mode: 0, pricePerCredit: 0n, royaltyBps: 0, operator: account.address, endpoint: "" },
        firstVersion: {
          contributor: account.address,
          baseVersion: 0,
          datasetCid: "",
          metricsCid: "",
          leaseProvider: "",
          leaseDseq: 0n,
          leaseCost: 0n,
        },
        votingDelay: 0,
        votingPeriod: 3600,
        quorumPercent: 4,
      },
    ],
  });
  const receipt = await chainClient().waitForTransactionReceipt({ hash });
  const [created] = parseEventLogs({ abi: hexsFactoryAbi, logs: receipt.logs, eventName: "AgentCreated" });
  if (!created) throw new Error("createAgent emitted no AgentCreated");
  return created.args.agent;
}
