import { readContract, type Config } from "@wagmi/core";
import type { Address } from "viem";
import { agentAbi, agentLedgerAbi } from "../../contracts/abis.ts";

/** Everything the agent page shows that is the same for every visitor, in one JSON-RPC batch. */
export async function readAgent(config: Config, chainId: number, agent: Address) {
  const at = { chainId, address: agent, abi: agentAbi } as const;
  const [summary, metadata, endpoint, operator, royaltyBps] = await Promise.all([
    readContract(config, { ...at, functionName: "summary" }),
    readContract(config, { ...at, functionName: "metadata" }),
    readContract(config, { ...at, functionName: "endpoint" }),
    readContract(config, { ...at, functionName: "operator" }),
    readContract(config, { ...at, functionName: "royaltyBps" }),
  ]);
  const versions = await Promise.all(
    Array.from({ length: Number(summary.versionCount) }, (_, version) =>
      readContract(config, {
        chainId,
        address: summary.ledger,
        abi: agentLedgerAbi,
        functionName: "versionHeader",
        args: [BigInt(version)],
      }),
    ),
  );
  return { summary, metadata, endpoint, operator, royaltyBps, versions };
}

export type AgentDetails = Awaited<ReturnType<typeof readAgent>>;
