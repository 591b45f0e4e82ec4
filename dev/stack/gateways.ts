// The inference gateways of the demo agents, as their operators would run them: one
// `node gateway/main.ts` per agent, configured by environment, each with an operator key of its
// own (never the owner's). The owner names that operator and the gateway's endpoint on chain,
// so the agent pages show where to call and the keys the seed created work at once.
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { bytesToHex, createPublicClient, createWalletClient, getAddress, http, type Address, type Hex } from "viem";
import { mnemonicToAccount, type HDAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { agentAbi } from "../../src/lib/contracts/abis.ts";
import type { SeededAgent } from "../seed/seedMarketplace.ts";
import { ROOT, spawnService, stopChild, waitUntil, type Service } from "./processes.ts";

/** The mnemonic a Hardhat node funds (20 accounts); the seed uses the first ten. */
const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";
/** Demo operators are the node's accounts from here on, one per agent. */
const FIRST_OPERATOR_ACCOUNT = 10;
const FUNDED_ACCOUNTS = 20;

export interface DemoGateway extends Service {
  agent: Address;
  /** What the agent's `endpoint` says: the OpenAI base URL, ending in /v1. */
  endpoint: string;
  /** The model id the gateway serves (the agent's address, lower case). */
  model: string;
}

export interface DemoGatewayOptions {
  rpcUrl: string;
  /** Trustless gateways the weights are read from (verified). */
  ipfsGateways: string[];
  agents: readonly SeededAgent[];
  /** One port per agent, in order. */
  ports: readonly number[];
  /** Each gateway's usage log goes in a folder of its own under here; emptied first (the chain is new). */
  dataDir: string;
  settleIntervalSeconds: number;
  /** How often each gateway reads its agent's events (revocations, refunds, purchases). */
  watchIntervalSeconds: number;
}

const account = (index: number): HDAccount => mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: index });
const privateKeyOf = (index: number): Hex => bytesToHex(account(index).getHdKey().privateKey!);

/** Starts a gateway per agent, sets its operator and endpoint on chain, and waits until each serves its model. */
export async function startDemoGateways(options: DemoGatewayOptions): Promise<DemoGateway[]> {
  if (options.agents.length > FUNDED_ACCOUNTS - FIRST_OPERATOR_ACCOUNT)
    throw new Error(`the local chain funds operators for at most ${FUNDED_ACCOUNTS - FIRST_OPERATOR_ACCOUNT} agents`);
  const transport = http(options.rpcUrl);
  const publicClient = createPublicClient({ chain: hardhat, transport });
  const ownerIndex = (owner: Address) => {
    const index = Array.from({ length: FIRST_OPERATOR_ACCOUNT }, (_, i) => i).find(
      (i) => account(i).address === getAddress(owner),
    );
    if (index === undefined) throw new Error(`the owner ${owner} is not one of the local chain's accounts`);
    return index;
  };
  const asOwner = async (agent: SeededAgent, functionName: "setOperator" | "setEndpoint", arg: string) => {
    const wallet = createWalletClient({ account: account(ownerIndex(agent.owner)), chain: hardhat, transport });
    const hash = await wallet.writeContract({
      address: agent.agent,
      abi: agentAbi,
      functionName,
      args: [arg as never],
    });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`${functionName} on ${agent.name} reverted`);
  };

  await rm(options.dataDir, { recursive: true, force: true });
  const started: DemoGateway[] = [];
  try {
    // One owner transaction at a time: the seed's owners share accounts, and their nonces.
    for (const [i, agent] of options.agents.entries()) {
      await asOwner(agent, "setOperator", account(FIRST_OPERATOR_ACCOUNT + i).address);
    }
    for (const [i, agent] of options.agents.entries()) {
      const port = options.ports[i];
      if (port === undefined) throw new Error(`no port for the gateway of ${agent.name}`);
      const dataDir = join(options.dataDir, agent.agent.toLowerCase());
      await mkdir(dataDir, { recursive: true });
      const url = `http://127.0.0.1:${port}`;
      const child = spawnService(`gateway ${agent.name}`, process.execPath, [join(ROOT, "gateway", "main.ts")], {
        quiet: true,
        env: {
          HEXS_GATEWAY_RPC_URL: options.rpcUrl,
          HEXS_GATEWAY_AGENT: agent.agent,
          HEXS_GATEWAY_OPERATOR_KEY: privateKeyOf(FIRST_OPERATOR_ACCOUNT + i),
          HEXS_GATEWAY_REGISTER_RECEIPT_SIGNER: "true",
          HEXS_GATEWAY_IPFS_GATEWAYS: options.ipfsGateways.join(","),
          HEXS_GATEWAY_DATA_DIR: dataDir,
          HEXS_GATEWAY_HOST: "127.0.0.1",
          HEXS_GATEWAY_PORT: String(port),
          HEXS_GATEWAY_SETTLE_INTERVAL: String(options.settleIntervalSeconds),
          HEXS_GATEWAY_WATCH_INTERVAL: String(options.watchIntervalSeconds),
        },
      });
      started.push({
        name: `gateway ${agent.name}`,
        url,
        agent: agent.agent,
        endpoint: `${url}/v1`,
        model: agent.agent.toLowerCase(),
        stop: () => stopChild(child),
      });
    }
    // Started together, each loads and verifies its weights; the endpoint goes on chain once it serves.
    await Promise.all(
      started.map((gateway) =>
        waitUntil(`${gateway.name} to load its model`, async () => (await fetch(`${gateway.url}/ready`)).ok, 120_000),
      ),
    );
    for (const [i, gateway] of started.entries()) await asOwner(options.agents[i]!, "setEndpoint", gateway.endpoint);
    return started;
  } catch (error) {
    await Promise.all(started.map((gateway) => gateway.stop()));
    throw error;
  }
}
