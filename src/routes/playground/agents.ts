// The agents the playground can pick from: the factory's marketplace summaries.
import { readContract, type Config } from "@wagmi/core";
import type { Address } from "viem";
import { hexsFactoryAbi } from "#lib/contracts/abis.ts";
import { factoryAddress } from "#lib/chain/factory.ts";
import { readNewestAgents, withCard, type AgentSummary } from "#lib/chain/readAgentSummaries.ts";

export type { AgentSummary };

/** How many agents the picker lists; a preselected agent outside them is read on its own. */
const PICKER_LIMIT = 200;

/**
 * The newest agents (one `summaries` call whatever the registry's size), plus `preselected`
 * (from `?agent=`) when they are not among them.
 */
export async function readPlaygroundAgents(
  config: Config,
  chainId: number,
  preselected: Address[],
): Promise<AgentSummary[]> {
  const { agents } = await readNewestAgents(config, chainId, 1, PICKER_LIMIT);
  const known = new Set(agents.map((a) => a.agent.toLowerCase()));
  const missing = preselected.filter((address) => !known.has(address.toLowerCase()));
  if (missing.length === 0) return [...agents];
  const extra = await readContract(config, {
    chainId,
    address: factoryAddress(chainId),
    abi: hexsFactoryAbi,
    functionName: "summariesOf",
    args: [missing],
  });
  return [...agents, ...extra.map((summary, i) => withCard(summary, agents.length + i))];
}

/** `#/playground?agent=0xA&agent=0xB` (or `agent=0xA,0xB`) → the addresses, at most four. */
export function preselectedAgents(search: URLSearchParams): Address[] {
  return search
    .getAll("agent")
    .flatMap((value) => value.split(","))
    .filter((value): value is Address => /^0x[0-9a-fA-F]{40}$/.test(value))
    .slice(0, 4);
}
