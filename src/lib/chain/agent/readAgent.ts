import { getContractEvents, readContract, type Config } from "@wagmi/core";
import type { Address } from "viem";
import { agentAbi, agentLedgerAbi, hexsFactoryAbi } from "../../contracts/abis.ts";
import { factoryDeployment } from "../factory.ts";

/** Everything the agent page shows that is the same for every visitor, in one JSON-RPC batch. */
export async function readAgent(config: Config, chainId: number, agent: Address) {
  const at = { chainId, address: agent, abi: agentAbi } as const;
  const [summary, metadata, endpoint, operator, receiptSigner, royaltyBps, royaltyFloorBps, daoPowers] =
    await Promise.all([
      readContract(config, { ...at, functionName: "summary" }),
      readContract(config, { ...at, functionName: "metadata" }),
      readContract(config, { ...at, functionName: "endpoint" }),
      readContract(config, { ...at, functionName: "operator" }),
      readContract(config, { ...at, functionName: "receiptSigner" }),
      readContract(config, { ...at, functionName: "royaltyBps" }),
      readContract(config, { ...at, functionName: "royaltyFloorBps" }),
      readContract(config, { ...at, functionName: "daoPowers" }),
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
  return {
    summary,
    metadata,
    endpoint,
    operator,
    receiptSigner,
    royaltyBps,
    royaltyFloorBps,
    /** Bits of the settings only the DAO may change now (Agent's POWER_ constants). */
    daoPowers,
    versions,
    children: await readChildren(config, chainId, agent),
  };
}

/** The agents fine-tuned from `agent` (its lineage downwards), from the factory's events. */
async function readChildren(config: Config, chainId: number, agent: Address) {
  const { address: factory, fromBlock } = factoryDeployment(chainId);
  const created = await getContractEvents(config, {
    chainId,
    address: factory,
    abi: hexsFactoryAbi,
    eventName: "AgentCreated",
    args: { parent: agent },
    fromBlock,
  });
  const children = created.map((log) => log.args.agent).filter((child): child is Address => child !== undefined);
  if (children.length === 0) return [];
  const summaries = await readContract(config, {
    chainId,
    address: factory,
    abi: hexsFactoryAbi,
    functionName: "summariesOf",
    args: [children],
  });
  return summaries.map(({ agent: address, name }) => ({ address, name }));
}

export type AgentDetails = Awaited<ReturnType<typeof readAgent>>;
