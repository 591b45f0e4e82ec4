// What a Cosmos wallet's failures mean. Keplr's errors are plain `Error`s told apart only by
// their message (other wallets that copy its API, such as Leap, use the same words), so this is
// the one place that reads them.
import { HexsError } from "../errors.ts";
import { CosmosWalletError, CosmosWalletRejectedError } from "./errors.ts";

/** Keplr's answer to a request for a chain it has no description of: "There is no chain info for <id>". */
export function isUnknownChain(error: unknown): boolean {
  return /there is no (modular )?chain info for/i.test(messageOf(error));
}

/** The user declined in the wallet: Keplr says "Request rejected"; EIP-1193-style wallets use code 4001. */
export function isUserRejection(error: unknown): boolean {
  if ((error as { code?: unknown } | null)?.code === 4001) return true;
  return /request rejected|rejected the request|user rejected/i.test(messageOf(error));
}

/** The typed error for a wallet request that failed; `request` starts a sentence ("Adding the chain x"). */
export function walletFailure(walletName: string, request: string, error: unknown): CosmosWalletError {
  if (error instanceof CosmosWalletError) return error;
  if (isUserRejection(error)) return new CosmosWalletRejectedError(walletName, request, error);
  return new CosmosWalletError(`${request} failed in ${walletName}`, { details: messageOf(error), cause: error });
}

/** Runs one wallet request, turning its failure into a typed error that names the wallet and the request. */
export async function walletRequest<T>(walletName: string, request: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw walletFailure(walletName, request, error);
  }
}

function messageOf(error: unknown): string {
  if (error instanceof HexsError) return error.shortMessage;
  return error instanceof Error ? error.message : String(error);
}
