import { writeContract, type Config } from "@wagmi/core";
import type { Address, ContractFunctionArgs, ContractFunctionName, Hash } from "viem";
import { agentAbi } from "../../contracts/abis.ts";

type Mutability = "nonpayable" | "payable";
export type AgentWriteName = ContractFunctionName<typeof agentAbi, Mutability>;

/**
 * Sends one Agent transaction from the connected wallet. Names and arguments are checked
 * against the generated ABI; a revert comes back decoded into the contract's custom error.
 */
export function writeAgent<const name extends AgentWriteName>(
  config: Config,
  target: { chainId: number; agent: Address },
  functionName: name,
  args: ContractFunctionArgs<typeof agentAbi, Mutability, name>,
  value?: bigint,
): Promise<Hash> {
  // The generic parameters above carry the checking; wagmi's own overloads cannot follow a
  // generic function name, hence the cast.
  return writeContract(config, {
    chainId: target.chainId,
    address: target.agent,
    abi: agentAbi,
    functionName,
    args,
    value,
  } as Parameters<typeof writeContract>[1]);
}
