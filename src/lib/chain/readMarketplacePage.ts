import { readContract, type Config } from "@wagmi/core";
import { hexsFactoryAbi } from "../contracts/abis.ts";
import { factoryAddress } from "./factory.ts";

export interface ReadMarketplacePageParameters {
  chainId: number;
  offset: number;
  limit: number;
}

/**
 * The agent count and one page of agent summaries from the factory's registry views. The two
 * calls leave in one JSON-RPC batch (the transport batches), so a page costs one request.
 */
export async function readMarketplacePage(config: Config, { chainId, offset, limit }: ReadMarketplacePageParameters) {
  const address = factoryAddress(chainId);
  const [total, agents] = await Promise.all([
    readContract(config, { chainId, address, abi: hexsFactoryAbi, functionName: "agentCount" }),
    readContract(config, {
      chainId,
      address,
      abi: hexsFactoryAbi,
      functionName: "summaries",
      args: [BigInt(offset), BigInt(limit)],
    }),
  ]);
  return { total, agents };
}

export type MarketplacePage = Awaited<ReturnType<typeof readMarketplacePage>>;
