import { simulateContract, writeContract, type Config } from "@wagmi/core";
import type { Address, ContractFunctionArgs, ContractFunctionName, Hash } from "viem";
import { agentDAOAbi } from "../../contracts/abis.ts";

type Mutability = "nonpayable" | "payable";
export type DaoWriteName = ContractFunctionName<typeof agentDAOAbi, Mutability>;

export interface DaoTarget {
  chainId: number;
  dao: Address;
  /** The connected account, which the simulation runs as. */
  account: Address;
}

/**
 * Sends one governor transaction (propose, castVote, execute, cancel) from the connected wallet.
 * It is simulated first, so a call the governor would refuse (a second vote, a proposal that is
 * not yet executable) fails before the wallet prompt, with the Governor's custom error decoded.
 */
export async function writeDao<const name extends DaoWriteName>(
  config: Config,
  target: DaoTarget,
  functionName: name,
  args: ContractFunctionArgs<typeof agentDAOAbi, Mutability, name>,
): Promise<Hash> {
  // The generic parameters carry the checking; wagmi's overloads cannot follow a generic name.
  const { request } = await simulateContract(config, {
    chainId: target.chainId,
    address: target.dao,
    abi: agentDAOAbi,
    functionName,
    args,
    account: target.account,
  } as Parameters<typeof simulateContract>[1]);
  return writeContract(config, request as Parameters<typeof writeContract>[1]);
}
