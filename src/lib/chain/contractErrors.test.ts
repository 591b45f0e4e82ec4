import { describe, expect, it } from "vitest";
import { encodeErrorResult, BaseError, ContractFunctionRevertedError, ContractFunctionExecutionError } from "viem";
import { agentAbi, agentDAOAbi, agentLedgerAbi, hexsFactoryAbi } from "../contracts/abis.ts";
import {
  CONTRACT_ERROR_SENTENCES,
  CONTRACT_ERRORS_ABI,
  contractErrorSentence,
  decodeContractError,
} from "./contractErrors.ts";
import { describeError } from "./walletErrors.ts";

/** Arguments of the right types for an error, so every sentence can be rendered. */
function sampleArgs(inputs: readonly { type: string }[]): unknown[] {
  return inputs.map((input) => {
    if (input.type === "address") return "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    if (input.type === "bool") return true;
    if (input.type.startsWith("bytes")) return `0x${"ab".repeat(32)}`;
    if (input.type === "tuple")
      return { engagementK: 0n, popularityK: 0, ratingPrior: 0, contributionBps: 0, fullUserSpend: 0n };
    return input.type === "uint8" || input.type === "uint48" ? 1 : 1000n;
  });
}

describe("contract errors", () => {
  it("has a sentence for every error of every contract's ABI, and none for errors that do not exist", () => {
    const names = [hexsFactoryAbi, agentAbi, agentLedgerAbi, agentDAOAbi].flatMap((abi) =>
      abi.filter((item) => item.type === "error").map((item) => (item as { name: string }).name),
    );
    const missing = [...new Set(names)].filter((name) => !(name in CONTRACT_ERROR_SENTENCES));
    expect(missing).toEqual([]);
    const stale = Object.keys(CONTRACT_ERROR_SENTENCES).filter((name) => !names.includes(name));
    expect(stale).toEqual([]);
  });

  it("renders every sentence with arguments of the error's types, as a sentence", () => {
    for (const error of CONTRACT_ERRORS_ABI) {
      const sentence = contractErrorSentence(error.name, sampleArgs(error.inputs));
      expect(sentence, error.name).toMatch(/^[A-Z0-9].*[.]$/);
      expect(sentence, error.name).not.toContain("undefined");
    }
  });

  it("decodes an Agent error bubbled up through the DAO, which viem cannot decode with the DAO's ABI", () => {
    const data = encodeErrorResult({ abi: agentAbi, errorName: "AgentRoyaltyBelowFloor", args: [0n, 1500n] });
    expect(decodeContractError(data)).toEqual({ errorName: "AgentRoyaltyBelowFloor", args: [0n, 1500n] });
    const reverted = new ContractFunctionRevertedError({ abi: agentDAOAbi, data, functionName: "execute" });
    const error = new ContractFunctionExecutionError(reverted as BaseError, {
      abi: agentDAOAbi,
      args: [[], [], [], `0x${"00".repeat(32)}`],
      functionName: "execute",
      contractAddress: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    });
    expect(describeError(error)).toBe(
      "The parent asks at least 15 % of agents derived from it; 0 % is below that. (AgentRoyaltyBelowFloor(0, 1500))",
    );
    expect(decodeContractError("0xdeadbeef")).toBeUndefined();
  });

  it("turns the overflow of a 10^24-credit order and an empty name into sentences", () => {
    expect(contractErrorSentence("AgentInvalidCreditAmount", [10n ** 24n, 1208925n])).toBe(
      "1000000000000000000000000 credits is more than one balance can hold here: at most 1208925 more at this price.",
    );
    expect(contractErrorSentence("HexsFactoryMissingMetadata", [])).toBe(
      "An agent needs a name, a model card, a base model and weights.",
    );
  });
});
