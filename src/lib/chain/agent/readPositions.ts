import { getContractEvents, readContract, type Config } from "@wagmi/core";
import type { Address } from "viem";
import { agentAbi, hexsFactoryAbi } from "../../contracts/abis.ts";
import { factoryDeployment } from "../factory.ts";

/** What one account holds in one agent. */
export interface AgentPosition {
  agent: Address;
  name: string;
  mode: number;
  credits: bigint;
  withdrawable: bigint;
  owner: boolean;
}

/**
 * Every agent `user` has a stake in — bought credits, joined, or owns — with their credits and
 * withdrawable earnings. Candidates come from the agents' events across the chain; only those
 * the factory registered count, since any contract could emit an event of the same shape.
 */
export async function readPositions(config: Config, chainId: number, user: Address): Promise<AgentPosition[]> {
  const { address: factory, fromBlock } = factoryDeployment(chainId);
  const [bought, joined, owned] = await Promise.all([
    getContractEvents(config, { chainId, abi: agentAbi, eventName: "CreditsBought", args: { buyer: user }, fromBlock }),
    getContractEvents(config, { chainId, abi: agentAbi, eventName: "Joined", args: { account: user }, fromBlock }),
    readContract(config, { chainId, address: factory, abi: hexsFactoryAbi, functionName: "agentsOf", args: [user] }),
  ]);
  const candidates = [...new Set([...bought, ...joined].map((log) => log.address.toLowerCase() as Address))];
  const registered = await Promise.all(
    candidates.map((agent) =>
      readContract(config, { chainId, address: factory, abi: hexsFactoryAbi, functionName: "isAgent", args: [agent] }),
    ),
  );
  const ownedSet = new Set(owned.map((a) => a.toLowerCase()));
  const agents = [...new Set([...candidates.filter((_, i) => registered[i]), ...ownedSet])] as Address[];
  if (agents.length === 0) return [];
  const summaries = await readContract(config, {
    chainId,
    address: factory,
    abi: hexsFactoryAbi,
    functionName: "summariesOf",
    args: [agents],
  });
  const holdings = await Promise.all(
    agents.map((agent) =>
      Promise.all([
        readContract(config, { chainId, address: agent, abi: agentAbi, functionName: "account", args: [user] }),
        readContract(config, { chainId, address: agent, abi: agentAbi, functionName: "withdrawable", args: [user] }),
      ]),
    ),
  );
  return summaries.map((summary, i) => ({
    agent: summary.agent,
    name: summary.name,
    mode: summary.mode,
    credits: BigInt(holdings[i]![0].credits),
    withdrawable: holdings[i]![1],
    owner: ownedSet.has(summary.agent.toLowerCase()),
  }));
}
