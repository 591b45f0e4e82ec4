import { readContract, type Config } from "@wagmi/core";
import { hexsFactoryAbi } from "../contracts/abis.ts";
import { factoryAddress } from "./factory.ts";

/** Summaries per `summaries(offset, limit)` call: small enough for any node's eth_call limits. */
const CHUNK = 250;

type Summary = Awaited<ReturnType<typeof readSummaryChunk>>[number];
export type AgentSummary = Summary & { index: number };

function readSummaryChunk(config: Config, chainId: number, offset: number) {
  return readContract(config, {
    chainId,
    address: factoryAddress(chainId),
    abi: hexsFactoryAbi,
    functionName: "summaries",
    args: [BigInt(offset), BigInt(CHUNK)],
  });
}

/**
 * Every agent's summary from the factory's registry. The count comes first; the chunks then
 * leave together in one JSON-RPC batch (the transport batches), so the whole marketplace costs
 * two HTTP requests whatever its size.
 */
export async function readAgentSummaries(config: Config, chainId: number): Promise<AgentSummary[]> {
  const total = Number(
    await readContract(config, {
      chainId,
      address: factoryAddress(chainId),
      abi: hexsFactoryAbi,
      functionName: "agentCount",
    }),
  );
  const offsets = Array.from({ length: Math.ceil(total / CHUNK) }, (_, i) => i * CHUNK);
  const chunks = await Promise.all(offsets.map((offset) => readSummaryChunk(config, chainId, offset)));
  return chunks.flat().map((summary, index) => ({ ...summary, index }));
}
