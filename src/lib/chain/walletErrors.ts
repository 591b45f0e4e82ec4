import { BaseError, ContractFunctionRevertedError, HttpRequestError, UserRejectedRequestError } from "viem";
import { HexsError } from "../errors.ts";

/**
 * Turns anything a wallet, the RPC or a contract threw into one sentence for the UI. Rejections
 * and unreachable endpoints are ordinary events, so they get plain words, not stack traces.
 */
export function describeError(error: unknown): string {
  if (isUserRejection(error)) return "You rejected the request in your wallet. Nothing was changed.";
  if (error instanceof BaseError) {
    const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (reverted instanceof ContractFunctionRevertedError) {
      const { errorName, args } = reverted.data ?? {};
      if (errorName) return `The contract reverted: ${errorName}(${(args ?? []).map(String).join(", ")})`;
      return `The contract reverted: ${reverted.reason ?? reverted.shortMessage}`;
    }
    const http = error.walk((e) => e instanceof HttpRequestError);
    if (http instanceof HttpRequestError) return `Cannot reach the RPC endpoint ${http.url}. Check it in Settings.`;
    return error.shortMessage;
  }
  if (error instanceof HexsError) return error.shortMessage;
  if (error instanceof Error) return error.message;
  return String(error);
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
