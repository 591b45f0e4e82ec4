import { createTestClient, http, publicActions } from "viem";
import { hardhat } from "viem/chains";
import { isLocalChain } from "../targetChain.ts";
import { DaoDevControlError } from "./errors.ts";

export interface AdvanceTimeParameters {
  chainId: number;
  rpcUrl: string;
  /** Seconds to move the chain's clock forward; 0 only mines a block. */
  seconds: number;
}

/**
 * Local chain only: moves the chain's clock forward and mines a block (`evm_increaseTime` +
 * `evm_mine`), so that a vote lasting days ends now. Returns the new block's timestamp.
 */
export async function advanceTime({ chainId, rpcUrl, seconds }: AdvanceTimeParameters): Promise<bigint> {
  if (!isLocalChain(chainId)) {
    throw new DaoDevControlError(`Time can be advanced only on the local chain, not on chain ${chainId}.`);
  }
  if (!Number.isSafeInteger(seconds) || seconds < 0) {
    throw new DaoDevControlError("Seconds to advance must be a whole number, 0 or more.");
  }
  const client = createTestClient({ chain: hardhat, mode: "hardhat", transport: http(rpcUrl) }).extend(publicActions);
  if (seconds > 0) await client.increaseTime({ seconds });
  await client.mine({ blocks: 1 });
  return (await client.getBlock()).timestamp;
}
