import { describe, expect, it } from "vitest";
import {
  ChainMismatchError,
  ContractFunctionExecutionError,
  ContractFunctionZeroDataError,
  EstimateGasExecutionError,
  InsufficientFundsError,
  TimeoutError,
  type BaseError,
} from "viem";
import { hardhat } from "viem/chains";
import { agentAbi } from "../contracts/abis.ts";
import { RPC_ERROR_RULES, rpcErrorSentence } from "./rpcErrors.ts";
import { describeError } from "./walletErrors.ts";

/** One instance of a listed class; the few that need arguments get what their constructors read. */
function sample(type: (typeof RPC_ERROR_RULES)[number]["type"]): Error {
  if (type === ChainMismatchError) return new ChainMismatchError({ chain: hardhat, currentChainId: 1 });
  const Type = type as unknown as new (args: unknown) => Error;
  return new Type({ address: "0x0", connector: { name: "Test Wallet" }, connectionChainId: 1, connectorChainId: 2 });
}

describe("wallet and RPC errors", () => {
  it("have a sentence for every listed class, without the library's jargon", () => {
    for (const { type } of RPC_ERROR_RULES) {
      const error = sample(type);
      const sentence = rpcErrorSentence(error);
      expect(sentence, type.name).toMatch(/^[A-Z].*[.]$/);
      expect(sentence, type.name).not.toMatch(/viem|wagmi|undefined|Version:|Details:/);
      // However the libraries wrap it, the same sentence comes out.
      expect(rpcErrorSentence(new Error("outer", { cause: error })), type.name).toBe(sentence);
    }
  });

  it("names both chains on a chain mismatch", () => {
    expect(describeError(new ChainMismatchError({ chain: hardhat, currentChainId: 1 }))).toBe(
      "Your wallet is on chain 1, but this app uses chain 31337, Hardhat: switch it from the banner or in your wallet, then try again.",
    );
  });

  it("says an address holds no agent instead of 'returned no data (0x)'", () => {
    const error = new ContractFunctionExecutionError(new ContractFunctionZeroDataError({ functionName: "summary" }), {
      abi: agentAbi,
      functionName: "summary",
      contractAddress: "0x000000000000000000000000000000000000dEaD",
    });
    expect(describeError(error)).toBe(
      "No contract answered at 0x000000000000000000000000000000000000dEaD on this chain: it is not a HEXS agent here, or the RPC in Settings points at another chain.",
    );
  });

  it("picks the most specific cause: no funds inside a failed gas estimate", () => {
    const error = new EstimateGasExecutionError(new InsufficientFundsError() as BaseError, {});
    expect(describeError(error)).toBe(
      "Your account does not hold enough ETH for this transaction and its gas. Add funds and try again.",
    );
    expect(describeError(new TimeoutError({ body: {}, url: "http://127.0.0.1:9" }))).toBe(
      "The RPC endpoint http://127.0.0.1:9 did not answer in time. Check it in Settings.",
    );
  });
});
