import { readContract, type Config } from "@wagmi/core";
import { hexsFactoryAbi } from "../contracts/abis.ts";
import { factoryAddress } from "./factory.ts";

/** Summaries per `summaries(offset, limit)` call: small enough for any node's eth_call limits. */
const CHUNK = 250;

type Summary = Awaited<ReturnType<typeof readSummaries>>[number];
export type AgentSummary = Summary & { index: number };

function readSummaries(config: Config, chainId: number, offset: number, limit: number) {
  return readContract(config, {
    chainId,
    address: factoryAddress(chainId),
    abi: hexsFactoryAbi,
    functionName: "summaries",
    args: [BigInt(offset), BigInt(limit)],
  });
}

export async function readAgentCount(config: Config, chainId: number): Promise<number> {
  return Number(
    await readContract(config, {
      chainId,
      address: factoryAddress(chainId),
      abi: hexsFactoryAbi,
      functionName: "agentCount",
    }),
  );
}

/**
 * Every agent's summary, one chunk at a time from the oldest, each handed to `onChunk` as it
 * arrives so a page can show results while a large registry is still being read. Stops early
 * when `isCurrent` turns false (a newer read replaced this one).
 */
export async function streamAgentSummaries(
  config: Config,
  chainId: number,
  handlers: {
    onTotal: (total: number) => void;
    onChunk: (agents: AgentSummary[], read: number) => void;
    isCurrent: () => boolean;
  },
): Promise<void> {
  const total = await readAgentCount(config, chainId);
  if (!handlers.isCurrent()) return;
  handlers.onTotal(total);
  for (let offset = 0; offset < total; offset += CHUNK) {
    // One request at a time: a node answers eth_calls in turn, so later chunks would only
    // queue, and the first results would arrive no sooner.
    const chunk = await readSummaries(config, chainId, offset, CHUNK);
    if (!handlers.isCurrent()) return;
    handlers.onChunk(
      chunk.map((summary, i) => ({ ...summary, index: offset + i })),
      Math.min(total, offset + chunk.length),
    );
  }
}

/**
 * One page of the newest agents (page 1 is the newest `pageSize`), whatever the registry's
 * size: the count, then one summaries call.
 */
export async function readNewestAgents(config: Config, chainId: number, page: number, pageSize: number) {
  const total = await readAgentCount(config, chainId);
  const end = Math.max(0, total - (page - 1) * pageSize);
  const start = Math.max(0, end - pageSize);
  const summaries = end > start ? await readSummaries(config, chainId, start, end - start) : [];
  const agents: AgentSummary[] = summaries.map((summary, i) => ({ ...summary, index: start + i })).reverse();
  return { total, agents };
}
