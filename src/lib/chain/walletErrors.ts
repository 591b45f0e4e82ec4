import { BaseError, ContractFunctionRevertedError, UserRejectedRequestError } from "viem";
import { HexsError } from "../errors.ts";
import { contractErrorSentence, decodeContractError } from "./contractErrors.ts";
import { rpcErrorSentence } from "./rpcErrors.ts";

/**
 * Turns anything a wallet, the RPC or a contract threw into one sentence for the UI. Rejections
 * and unreachable endpoints are ordinary events, so they get plain words, not stack traces.
 */
export function describeError(error: unknown): string {
  if (isUserRejection(error)) return "You rejected the request in your wallet. Nothing was changed.";
  if (error instanceof BaseError) {
    const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (reverted instanceof ContractFunctionRevertedError) {
      // Decoded against the called contract's ABI, or else against every HEXS contract's errors
      // (a proposal that fails inside the Agent reverts with the Agent's error).
      const decoded = reverted.data?.errorName
        ? { errorName: reverted.data.errorName, args: reverted.data.args ?? [] }
        : reverted.raw
          ? decodeContractError(reverted.raw)
          : undefined;
      if (decoded) {
        const sentence = contractErrorSentence(decoded.errorName, decoded.args);
        const evidence = `${decoded.errorName}(${decoded.args.map(String).join(", ")})`;
        return sentence ? `${sentence} (${evidence})` : `The contract refused: ${evidence}`;
      }
      return `The contract refused: ${reverted.reason ?? reverted.shortMessage}`;
    }
  }
  if (error instanceof HexsError) return asSentence(error.shortMessage);
  const sentence = rpcErrorSentence(error);
  if (sentence) return sentence;
  if (error instanceof BaseError) return error.shortMessage;
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * A library's short message as a sentence: capitalized, with a full stop. Domain errors are
 * phrased to be composed ("no gateway has bafy…"); shown on their own, they read as sentences.
 */
export function asSentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return trimmed;
  const capitalized = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?…]$/.test(capitalized) ? capitalized : `${capitalized}.`;
}

/** EIP-1193 code 4001, however deeply a library wrapped it. */
export function isUserRejection(error: unknown): boolean {
  let current: unknown = error;
  while (current && typeof current === "object") {
    if (current instanceof UserRejectedRequestError) return true;
    if ((current as { code?: unknown }).code === 4001) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
