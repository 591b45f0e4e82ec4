import { getBlockNumber, getClient, readContract, type Config } from "@wagmi/core";
import { toHex, type Address } from "viem";
import { hexsFactoryAbi } from "../contracts/abis.ts";
import { HexsError } from "../errors.ts";
import { averageRating } from "../format.ts";
import { AGENT_CREATED_TOPIC, decodeAgentCreated, type RawLog } from "./agentCreatedLog.ts";
import { factoryAddress, factoryDeployment, FactoryNotDeployedError } from "./factory.ts";
import { decodeListing } from "./listing.ts";
import { readLogsInRanges } from "./logRanges.ts";

/**
 * Listing words per `listings(offset, limit)` call: 5 000 storage reads, about 12 M gas, within
 * the eth_call limits nodes set (geth's default is 50 M).
 */
const LISTING_CHUNK = 5_000;

type Summary = Awaited<ReturnType<typeof readSummaries>>[number];

/** What a marketplace card shows and what search and sort read, from a summary or a listing word. */
export interface AgentCard {
  /** Position in the factory's registry: higher is newer. */
  index: number;
  agent: Address;
  name: string;
  baseModel: string;
  modelCardCid: string;
  mode: number;
  pricePerCredit: bigint;
  salePrice: bigint;
  score: bigint;
  engagement: bigint;
  popularity: bigint;
  rating: bigint;
  members: bigint;
  calls: bigint;
  raters: bigint;
  /** Weighted by what each rater spent; undefined with no rating. */
  averageRating: number | undefined;
  versionCount: bigint;
}

/** A full summary (exact figures, links, weights) with the card fields. */
export type AgentSummary = Summary & AgentCard;

/** The registry read an agent's `AgentCreated` event and listing word together wrongly. */
export class AgentListingError extends HexsError {
  override name = "AgentListingError";
  constructor(found: number, registered: number) {
    super(`The RPC returned ${found} of the ${registered} agents' creation events; try again or another RPC.`);
  }
}

/** A summary with the card fields derived from it. */
export function withCard(summary: Summary, index: number): AgentSummary {
  return { ...summary, index, averageRating: averageRating(summary.ratingWeightedStars, summary.ratingWeight) };
}

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
 * Every agent's card, one chunk at a time from the oldest, each handed to `onChunk` as it arrives
 * so a page can show results while a large registry is still being read. Names, base models and
 * card CIDs come from the factory's `AgentCreated` logs (read raw, in parts an RPC accepts), the
 * figures from its listing words (one storage read per agent). Stops early when `isCurrent` turns false (a newer
 * read replaced this one).
 */
export async function streamAgentCards(
  config: Config,
  chainId: number,
  handlers: {
    onTotal: (total: number) => void;
    onChunk: (agents: AgentCard[], read: number) => void;
    isCurrent: () => boolean;
  },
): Promise<void> {
  const { address, fromBlock } = factoryDeployment(chainId);
  // Count, events and words all at one block, so they describe the same registry. Uncached:
  // viem reuses a block number for a polling interval, and an agent created within it (the one
  // the user just published) would be missing.
  const latest = await getBlockNumber(config, { chainId, cacheTime: 0 });
  const total = Number(
    await readContract(config, {
      chainId,
      address,
      abi: hexsFactoryAbi,
      functionName: "agentCount",
      blockNumber: latest,
    }),
  );
  if (!handlers.isCurrent()) return;
  handlers.onTotal(total);
  // The names come from events, the figures from listing words: both are read at once, and
  // each chunk of words is handed on as soon as its names are in.
  const client = getClient(config, { chainId });
  if (!client) throw new FactoryNotDeployedError(chainId);
  const created = readLogsInRanges(
    (from, to) =>
      client.request({
        method: "eth_getLogs",
        params: [{ address, topics: [AGENT_CREATED_TOPIC], fromBlock: toHex(from), toBlock: toHex(to) }],
      }) as Promise<RawLog[]>,
    { fromBlock, toBlock: latest, expected: total },
  ).then((logs) => {
    if (logs.length < total) throw new AgentListingError(logs.length, total);
    return logs.map(decodeAgentCreated);
  });
  created.catch(() => undefined); // awaited below; a failure surfaces there
  for (let offset = 0; offset < total; offset += LISTING_CHUNK) {
    // One request at a time: a node answers eth_calls in turn, so later chunks would only
    // queue, and the first results would arrive no sooner.
    const words = await readContract(config, {
      chainId,
      address,
      abi: hexsFactoryAbi,
      functionName: "listings",
      args: [BigInt(offset), BigInt(LISTING_CHUNK)],
      blockNumber: latest,
    });
    const logs = await created;
    if (!handlers.isCurrent()) return;
    handlers.onChunk(
      words.map((word, i) => {
        const { agent, name, baseModel, modelCardCid } = logs[offset + i]!;
        return { ...decodeListing(word), index: offset + i, agent, name, baseModel, modelCardCid };
      }),
      Math.min(total, offset + words.length),
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
  const agents: AgentSummary[] = summaries.map((summary, i) => withCard(summary, start + i)).reverse();
  return { total, agents };
}
