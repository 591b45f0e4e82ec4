import { getContractEvents, readContract, type Config } from "@wagmi/core";
import type { Address } from "viem";
import { agentAbi, agentLedgerAbi, hexsFactoryAbi } from "../../contracts/abis.ts";
import { factoryDeployment } from "../factory.ts";

/** What one account holds in one agent: every kind of money and power it can have there. */
export interface AgentPosition {
  agent: Address;
  name: string;
  /** 0 free, 1 paid: what the agent charges now (credits bought earlier stay whatever the mode). */
  mode: number;
  credits: bigint;
  /** What the unspent credits were paid: what a refund gives back. */
  creditsValue: bigint;
  /** Unix seconds from which a requested refund can be withdrawn; 0 when none is pending. */
  refundAvailableAt: number;
  /** Revenue share, sale proceeds and royalties, ready to withdraw. */
  withdrawable: bigint;
  shares: bigint;
  totalShares: bigint;
  votes: bigint;
  owner: boolean;
  member: boolean;
  /** The account sold this agent (its proceeds are in `withdrawable` until taken). */
  sold: boolean;
}

/** Sums over every position, in wei. */
export interface PositionTotals {
  creditsValue: bigint;
  withdrawable: bigint;
}

/**
 * Every agent `user` has a stake in — bought credits, joined, owns, sold, or contributed a
 * version to — with its credits and their value, pending refund, earnings (sale proceeds
 * included), shares and votes. Candidates come from the agents' events across the chain; only
 * those the factory registered count, since any contract could emit an event of the same shape.
 */
export async function readPositions(config: Config, chainId: number, user: Address): Promise<AgentPosition[]> {
  const { address: factory, fromBlock } = factoryDeployment(chainId);
  const events = { chainId, abi: agentAbi, fromBlock } as const;
  const [bought, joined, sold, contributed, owned] = await Promise.all([
    getContractEvents(config, { ...events, eventName: "CreditsBought", args: { buyer: user } }),
    getContractEvents(config, { ...events, eventName: "Joined", args: { account: user } }),
    getContractEvents(config, { ...events, eventName: "AgentSold", args: { seller: user } }),
    getContractEvents(config, { ...events, eventName: "VersionPublished", args: { contributor: user } }),
    readContract(config, { chainId, address: factory, abi: hexsFactoryAbi, functionName: "agentsOf", args: [user] }),
  ]);
  const lower = (address: Address) => address.toLowerCase() as Address;
  const soldSet = new Set(sold.map((log) => lower(log.address)));
  const candidates = [...new Set([...bought, ...joined, ...sold, ...contributed].map((log) => lower(log.address)))];
  const registered = await Promise.all(
    candidates.map((agent) =>
      readContract(config, { chainId, address: factory, abi: hexsFactoryAbi, functionName: "isAgent", args: [agent] }),
    ),
  );
  const ownedSet = new Set(owned.map(lower));
  const agents = [...new Set([...candidates.filter((_, i) => registered[i]), ...ownedSet])];
  if (agents.length === 0) return [];
  const summaries = await readContract(config, {
    chainId,
    address: factory,
    abi: hexsFactoryAbi,
    functionName: "summariesOf",
    args: [agents],
  });
  const holdings = await Promise.all(
    summaries.map((summary) => {
      const ledger = { chainId, address: summary.ledger, abi: agentLedgerAbi } as const;
      const agent = { chainId, address: summary.agent, abi: agentAbi } as const;
      return Promise.all([
        readContract(config, { ...agent, functionName: "account", args: [user] }),
        readContract(config, { ...agent, functionName: "withdrawable", args: [user] }),
        readContract(config, { ...ledger, functionName: "sharesOf", args: [user] }),
        readContract(config, { ...ledger, functionName: "totalShares" }),
        readContract(config, { ...ledger, functionName: "getVotes", args: [user] }),
        readContract(config, { ...ledger, functionName: "isMember", args: [user] }),
      ]);
    }),
  );
  return summaries.map((summary, i) => {
    const [account, withdrawable, shares, totalShares, votes, member] = holdings[i]!;
    return {
      agent: summary.agent,
      name: summary.name,
      mode: summary.mode,
      credits: BigInt(account.credits),
      creditsValue: BigInt(account.deposit),
      refundAvailableAt: Number(account.refundAvailableAt),
      withdrawable,
      shares,
      totalShares,
      votes,
      owner: ownedSet.has(lower(summary.agent)),
      member,
      sold: soldSet.has(lower(summary.agent)) && !ownedSet.has(lower(summary.agent)),
    };
  });
}

export function positionTotals(positions: readonly AgentPosition[]): PositionTotals {
  return positions.reduce(
    (sum, p) => ({ creditsValue: sum.creditsValue + p.creditsValue, withdrawable: sum.withdrawable + p.withdrawable }),
    { creditsValue: 0n, withdrawable: 0n },
  );
}
