// Deploys HEXS through the real Ignition module and creates agents, for the contract tests.
import type { NetworkConnection } from "hardhat/types/network";
import { parseEventLogs, type Address } from "viem";
import HexsModule from "../../../ignition/modules/Hexs.ts";
import { agentParams, type CreateAgentInput } from "./params.ts";

export type Connection = NetworkConnection<"generic">;

export async function deployHexs(connection: Connection) {
  const { viem, ignition } = connection;
  const { factory } = await ignition.deploy(HexsModule);
  const [deployer, ...others] = await viem.getWalletClients();
  const publicClient = await viem.getPublicClient();
  return { factory, deployer, others, publicClient, viem, connection };
}

export type Hexs = Awaited<ReturnType<typeof deployHexs>>;

/** Creates an agent from `owner` and returns its three contracts (typed) and the receipt. */
export async function createAgent(
  hexs: Hexs,
  owner: Address,
  label: string,
  overrides: Partial<CreateAgentInput> = {},
) {
  const params = agentParams(owner, label, overrides);
  const hash = await hexs.factory.write.createAgent([params], { account: owner });
  const receipt = await hexs.publicClient.waitForTransactionReceipt({ hash });
  const [created] = parseEventLogs({ abi: hexs.factory.abi, logs: receipt.logs, eventName: "AgentCreated" });
  const { agent, ledger, dao } = created.args;
  return {
    params,
    receipt,
    agent: await hexs.viem.getContractAt("Agent", agent),
    ledger: await hexs.viem.getContractAt("AgentLedger", ledger),
    dao: await hexs.viem.getContractAt("AgentDAO", dao),
  };
}
