import {
  createPublicClient,
  createWalletClient,
  http,
  keccak256,
  parseEventLogs,
  toHex,
  zeroAddress,
  type Address,
} from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { packJson } from "../../../src/lib/ipfs/car.ts";
import { kuboAdapter } from "../../../src/lib/ipfs/kubo.ts";
import { uploadCar } from "../../../src/lib/ipfs/upload.ts";
import { parseApiKey } from "../../../src/lib/apiKey.ts";
import { agentAbi, hexsFactoryAbi } from "../../../src/lib/contracts/abis.ts";
import { deployments } from "../../../src/lib/contracts/deployments.ts";
import { e2eEnv } from "./app.ts";

const MNEMONIC = "test test test test test test test test test test test junk";

/** Hardhat's funded account #index, the same one the dApp's dev wallet offers as #index. */
export const devAccount = (index: number) => mnemonicToAccount(MNEMONIC, { addressIndex: index });

export function devAccountIndexOf(address: Address): number {
  // The node funds 20: the seed's users and owners are the first ten, the demo gateways' operators the rest.
  for (let i = 0; i < 20; i++) if (devAccount(i).address.toLowerCase() === address.toLowerCase()) return i;
  throw new Error(`${address} is not a dev account`);
}

export function chainClient() {
  return createPublicClient({ chain: hardhat, transport: http(e2eEnv().rpcUrl), cacheTime: 0 });
}

/** Pins any JSON document (a model card, valid or not) on the test IPFS node. */
export async function pinJson(value: unknown): Promise<string> {
  const { cid } = await uploadCar(kuboAdapter({ url: e2eEnv().ipfsUrl }), await packJson(value));
  return cid.toString();
}

export interface FreeAgentOptions {
  name: string;
  modelCardCid: string;
  /** Defaults to the card's CID, for tests that look only at the card. */
  weightsCid?: string;
  /** Dev account that creates and owns it. */
  ownerIndex?: number;
}

/** Creates a free agent through the factory, as a dev account, and returns its address. */
export async function createFreeAgent({
  name,
  modelCardCid,
  weightsCid,
  ownerIndex = 9,
}: FreeAgentOptions): Promise<Address> {
  const account = devAccount(ownerIndex);
  const wallet = createWalletClient({ account, chain: hardhat, transport: http(e2eEnv().rpcUrl) });
  const hash = await wallet.writeContract({
    address: deployments[31337]!.HexsFactory.address,
    abi: hexsFactoryAbi,
    functionName: "createAgent",
    args: [
      {
        salt: keccak256(toHex(`e2e/${name}/${Date.now()}`)),
        metadata: {
          name,
          modelCardCid,
          baseModel: "hexs-demo/tiny-stories-char",
          baseModelRevision: "main",
          initialWeightsCid: weightsCid ?? modelCardCid,
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

/**
 * Settles `units` of usage on the API key `keyText` (as the page showed it), sent by the agent's
 * operator — a dev account on the local chain — the way its inference gateway would.
 */
export async function settleAsOperator(agent: Address, keyText: string, units: bigint): Promise<void> {
  const client = chainClient();
  const { keyId } = parseApiKey(keyText);
  const operator = await client.readContract({ address: agent, abi: agentAbi, functionName: "operator" });
  const { sequence } = await client.readContract({
    address: agent,
    abi: agentAbi,
    functionName: "apiKey",
    args: [keyId],
  });
  const wallet = createWalletClient({
    account: devAccount(devAccountIndexOf(operator)),
    chain: hardhat,
    transport: http(e2eEnv().rpcUrl),
  });
  const hash = await wallet.writeContract({
    address: agent,
    abi: agentAbi,
    functionName: "settle",
    args: [[{ keyId, sequence: sequence + 1n, units }]],
  });
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`settling ${units} units on ${agent} reverted`);
}

/** Sends an Agent transaction from dev account `index`, as its owner or operator would outside the page. */
export async function sendAsDev(index: number, agent: Address, functionName: string, args: readonly unknown[]) {
  const wallet = createWalletClient({ account: devAccount(index), chain: hardhat, transport: http(e2eEnv().rpcUrl) });
  const hash = await wallet.writeContract({ address: agent, abi: agentAbi, functionName, args } as never);
  const receipt = await chainClient().waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`${functionName} on ${agent} reverted`);
}

/** Moves the local chain's clock on and mines a block (what the DAO page's dev control does). */
export async function advanceChainTime(seconds: number): Promise<void> {
  const request = chainClient().request as (args: { method: string; params: unknown[] }) => Promise<unknown>;
  await request({ method: "evm_increaseTime", params: [seconds] });
  await request({ method: "evm_mine", params: [] });
}
