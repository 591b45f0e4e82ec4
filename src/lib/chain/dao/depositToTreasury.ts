import { sendTransaction, type Config } from "@wagmi/core";
import type { Address, Hash } from "viem";

/**
 * Sends ETH from the connected wallet to the DAO's treasury (the governor accepts plain
 * transfers because it is its own executor). Only an executed proposal can move it out again.
 */
export function depositToTreasury(config: Config, chainId: number, dao: Address, amount: bigint): Promise<Hash> {
  return sendTransaction(config, { chainId, to: dao, value: amount });
}
