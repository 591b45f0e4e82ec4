import { getBlock, getContractEvents, type Config } from "@wagmi/core";
import type { Address, Hex } from "viem";
import { agentAbi } from "../../contracts/abis.ts";
import { factoryDeployment } from "../factory.ts";
import { cumulativeUsage, ratingHistory, type ActivityPoint } from "./activity.ts";

/**
 * An agent's usage and rating history, rebuilt from its `UsageSettled` and `Rated` events.
 * The blocks' timestamps are read together, so the whole history costs one batch of requests.
 */
export async function readActivity(config: Config, chainId: number, agent: Address) {
  const query = { chainId, address: agent, abi: agentAbi, fromBlock: factoryDeployment(chainId).fromBlock } as const;
  const [settled, rated] = await Promise.all([
    getContractEvents(config, { ...query, eventName: "UsageSettled" }),
    getContractEvents(config, { ...query, eventName: "Rated" }),
  ]);
  const time = await blockTimes(config, chainId, [...settled, ...rated]);
  return {
    usage: cumulativeUsage(settled.map((log) => ({ time: time(log.blockNumber), charged: log.args.charged ?? 0n }))),
    ratings: ratingHistory(
      rated.map((log) => ({
        time: time(log.blockNumber),
        account: log.args.account ?? "",
        stars: log.args.stars ?? 0,
      })),
    ),
  };
}

/** Credits settled on each of `user`'s keys over time, by key id (lower case), from `UsageSettled`. */
export async function readKeyUsage(
  config: Config,
  chainId: number,
  agent: Address,
  user: Address,
): Promise<Map<string, ActivityPoint[]>> {
  const settled = await getContractEvents(config, {
    chainId,
    address: agent,
    abi: agentAbi,
    eventName: "UsageSettled",
    args: { user },
    fromBlock: factoryDeployment(chainId).fromBlock,
  });
  const time = await blockTimes(config, chainId, settled);
  const byKey = new Map<string, { time: number; charged: bigint }[]>();
  for (const log of settled) {
    const keyId = (log.args.keyId ?? "0x").toLowerCase() as Hex;
    const events = byKey.get(keyId) ?? [];
    events.push({ time: time(log.blockNumber), charged: log.args.charged ?? 0n });
    byKey.set(keyId, events);
  }
  return new Map([...byKey].map(([keyId, events]) => [keyId, cumulativeUsage(events)]));
}

/** The timestamp of each log's block, read in one batch; 0 for a block it did not read. */
async function blockTimes(config: Config, chainId: number, logs: readonly { blockNumber: bigint }[]) {
  const blockNumbers = [...new Set(logs.map((log) => log.blockNumber))];
  const blocks = await Promise.all(blockNumbers.map((blockNumber) => getBlock(config, { chainId, blockNumber })));
  const timeOf = new Map(blocks.map((block) => [block.number, Number(block.timestamp)]));
  return (blockNumber: bigint) => timeOf.get(blockNumber) ?? 0;
}
