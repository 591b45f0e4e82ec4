import { decodeFunctionData, formatEther, isAddressEqual, type Address, type Hex } from "viem";
import { agentAbi } from "../../contracts/abis.ts";
import { powerNames } from "./templates.ts";

export interface ProposalAction {
  target: Address;
  value: bigint;
  calldata: Hex;
}

/**
 * What one call of a proposal does, in words: calls to the agent are decoded with its ABI, a
 * call without data is an ETH transfer, anything else is shown as raw calldata. Members vote on
 * what the call does, not on what its description claims.
 */
export function describeAction(agent: Address, { target, value, calldata }: ProposalAction): string {
  const eth = value > 0n ? ` and send ${formatEther(value)} ETH` : "";
  if (calldata === "0x") return `Send ${formatEther(value)} ETH to ${target}`;
  if (isAddressEqual(target, agent)) {
    const decoded = decodeAgentCall(calldata);
    if (decoded) return `${decoded}${eth}`;
  }
  return `Call ${target} with data ${calldata}${eth}`;
}

function decodeAgentCall(calldata: Hex): string | undefined {
  let call;
  try {
    call = decodeFunctionData({ abi: agentAbi, data: calldata });
  } catch {
    return undefined;
  }
  switch (call.functionName) {
    case "setPrice":
      return `Set the price to ${formatEther(call.args[0])} ETH per credit`;
    case "setMode":
      return `Set access to ${call.args[0] === 1 ? "Paid" : "Free"}`;
    case "setEndpoint":
      return call.args[0] ? `Set the endpoint to ${call.args[0]}` : "Clear the endpoint";
    case "setRoyalty":
      return `Set the parent royalty to ${Number(call.args[0]) / 100}%`;
    case "setRoyaltyFloor":
      return `Set the royalty floor for derived agents to ${Number(call.args[0]) / 100}%`;
    case "setOperator":
      return `Set the operator to ${call.args[0]}`;
    case "setDaoPowers":
      return `Give the DAO sole power over: ${powerNames(call.args[0]) || "nothing"}`;
    case "publishVersion":
      return `Accept version ${call.args[0]} contributed by ${call.args[1].contributor}`;
    default:
      return `Agent.${call.functionName}(${(call.args ?? []).map(String).join(", ")})`;
  }
}
