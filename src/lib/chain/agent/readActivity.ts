import { getBlock, getContractEvents, type Config } from "@wagmi/core";
import type { Address } from "viem";
import { agentAbi } from "../../contracts/abis.ts";
import { factoryDeployment } from "../factory.ts";
import { cumulativeUsage, ratingHistory } from "./activity.ts";

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
  const blockNumbers = [...new Set([...settled, ...rated].map((log) => log.blockNumber))];
  const blocks = await Promise.all(blockNumbers.map((blockNumber) => getBlock(config, { chainId, blockNumber })));
  const timeOf = new Map(blocks.map((block) => [block.number, Number(block.timestamp)]));
  const time = (blockNumber: bigint) => timeOf.get(blockNumber) ?? 0;
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
