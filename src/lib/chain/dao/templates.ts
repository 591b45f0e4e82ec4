import {
  encodeFunctionData,
  formatEther,
  isAddress,
  isHex,
  maxUint96,
  zeroAddress,
  type Address,
  type ContractFunctionArgs,
  type Hex,
} from "viem";
import { agentAbi } from "../../contracts/abis.ts";
import { DaoProposalInputError } from "./errors.ts";

export type TrainingRecord = ContractFunctionArgs<typeof agentAbi, "nonpayable", "publishVersion">[1];

/** Bits of `Agent.daoPowers()` (the POWER_ constants of IAgent.sol), in display order. */
export const DAO_POWERS = [
  { bit: 1, name: "price" },
  { bit: 2, name: "access mode" },
  { bit: 4, name: "endpoint" },
  { bit: 8, name: "operator" },
  { bit: 16, name: "royalty" },
  { bit: 32, name: "royalty floor" },
] as const;

/** Every power bit the Agent knows; `setDaoPowers` with anything else would set bits no setter reads. */
export const ALL_DAO_POWERS = DAO_POWERS.reduce((mask, power) => mask | power.bit, 0);

/** What a member can ask the DAO to do. Each becomes one call the governor makes on execution. */
export type ProposalTemplate =
  | { kind: "price"; pricePerCredit: bigint }
  | { kind: "mode"; mode: "free" | "paid" }
  | { kind: "endpoint"; endpoint: string }
  | { kind: "royalty"; royaltyBps: number }
  | { kind: "royaltyFloor"; floorBps: number }
  | { kind: "daoPowers"; powers: number }
  | { kind: "version"; weightsCid: string; record: TrainingRecord }
  | { kind: "transfer"; to: Address; amount: bigint }
  | { kind: "raw"; target: Address; value: bigint; calldata: Hex };

/** The arguments of `Governor.propose`. */
export interface ProposalCall {
  targets: Address[];
  values: bigint[];
  calldatas: Hex[];
  description: string;
}

export interface ProposalContext {
  agent: Address;
  agentName: string;
}

/**
 * Turns a template into `propose` arguments. A blank description is replaced by one that says
 * what the proposal does, so every proposal reads as a sentence in the list.
 */
export function buildProposal(context: ProposalContext, template: ProposalTemplate, description = ""): ProposalCall {
  const { target, value, calldata } = encodeTemplate(context.agent, template);
  const text = description.trim() || defaultDescription(context, template);
  return { targets: [target], values: [value], calldatas: [calldata], description: text };
}

function encodeTemplate(agent: Address, t: ProposalTemplate): { target: Address; value: bigint; calldata: Hex } {
  const call = (calldata: Hex) => ({ target: agent, value: 0n, calldata });
  switch (t.kind) {
    case "price":
      if (t.pricePerCredit < 0n || t.pricePerCredit > maxUint96) {
        throw new DaoProposalInputError("price", "The price must be between 0 and 2^96 − 1 wei.");
      }
      return call(encodeFunctionData({ abi: agentAbi, functionName: "setPrice", args: [t.pricePerCredit] }));
    case "mode":
      return call(encodeFunctionData({ abi: agentAbi, functionName: "setMode", args: [t.mode === "paid" ? 1 : 0] }));
    case "endpoint":
      return call(encodeFunctionData({ abi: agentAbi, functionName: "setEndpoint", args: [t.endpoint.trim()] }));
    case "royalty":
      if (!Number.isInteger(t.royaltyBps) || t.royaltyBps < 0 || t.royaltyBps > 10_000) {
        throw new DaoProposalInputError("royalty", "The royalty must be a whole number of basis points, 0–10 000.");
      }
      return call(encodeFunctionData({ abi: agentAbi, functionName: "setRoyalty", args: [BigInt(t.royaltyBps)] }));
    case "royaltyFloor":
      if (!Number.isInteger(t.floorBps) || t.floorBps < 0 || t.floorBps > 5_000) {
        throw new DaoProposalInputError("royaltyFloor", "The floor must be a whole number of basis points, 0–5 000.");
      }
      return call(encodeFunctionData({ abi: agentAbi, functionName: "setRoyaltyFloor", args: [BigInt(t.floorBps)] }));
    case "daoPowers":
      return call(
        encodeFunctionData({ abi: agentAbi, functionName: "setDaoPowers", args: [t.powers & ALL_DAO_POWERS] }),
      );
    case "version":
      if (!t.weightsCid.trim()) throw new DaoProposalInputError("weightsCid", "The version needs a weights CID.");
      if (t.record.contributor === zeroAddress || !isAddress(t.record.contributor)) {
        throw new DaoProposalInputError("contributor", "The contributor must be an address.");
      }
      return call(
        encodeFunctionData({ abi: agentAbi, functionName: "publishVersion", args: [t.weightsCid.trim(), t.record] }),
      );
    case "transfer":
      if (!isAddress(t.to)) throw new DaoProposalInputError("to", "The recipient must be an address.");
      if (t.amount <= 0n) throw new DaoProposalInputError("amount", "The amount must be more than 0.");
      return { target: t.to, value: t.amount, calldata: "0x" };
    case "raw":
      if (!isAddress(t.target)) throw new DaoProposalInputError("target", "The target must be an address.");
      if (t.value < 0n) throw new DaoProposalInputError("value", "The value cannot be negative.");
      if (!isHex(t.calldata) || t.calldata.length % 2 !== 0) {
        throw new DaoProposalInputError("calldata", "The calldata must be 0x-prefixed hex with whole bytes.");
      }
      return { target: t.target, value: t.value, calldata: t.calldata };
  }
}

/** A one-line description for a template, used when the proposer leaves the description blank. */
export function defaultDescription({ agentName }: ProposalContext, t: ProposalTemplate): string {
  switch (t.kind) {
    case "price":
      return `Set the price of ${agentName} to ${formatEther(t.pricePerCredit)} ETH per credit`;
    case "mode":
      return `Make ${agentName} ${t.mode === "paid" ? "paid" : "free"}`;
    case "endpoint":
      return t.endpoint.trim()
        ? `Set the endpoint of ${agentName} to ${t.endpoint.trim()}`
        : `Clear the endpoint of ${agentName}`;
    case "royalty":
      return `Set the parent royalty of ${agentName} to ${t.royaltyBps / 100}%`;
    case "royaltyFloor":
      return `Ask agents fine-tuned from ${agentName} for at least ${t.floorBps / 100}% royalty`;
    case "daoPowers":
      return `Let the DAO alone set: ${powerNames(t.powers) || "nothing (owner and DAO both may)"}`;
    case "version":
      return `Accept version ${t.weightsCid.trim()} of ${agentName} contributed by ${t.record.contributor}`;
    case "transfer":
      return `Send ${formatEther(t.amount)} ETH from the ${agentName} treasury to ${t.to}`;
    case "raw":
      return `Call ${t.target} with ${formatEther(t.value)} ETH and data ${t.calldata.slice(0, 10)}`;
  }
}

/** "price, endpoint" for a DAO powers bit set. */
export function powerNames(powers: number): string {
  return DAO_POWERS.filter((p) => (powers & p.bit) !== 0)
    .map((p) => p.name)
    .join(", ");
}
