// The Akash node, reached through its REST (gRPC-gateway) endpoint with the SDK's web client:
// queries, and the broadcast/lookup of signed transactions. One URL is all the browser needs.
import { createChainNodeWebSDK } from "@akashnetwork/chain-sdk/web";
import { AkashNodeError } from "./errors.ts";

export type AkashSdk = ReturnType<typeof createChainNodeWebSDK>;

export function akashNode(restUrl: string): AkashSdk {
  return createChainNodeWebSDK({ query: { baseUrl: restUrl.replace(/\/+$/, "") } });
}

/** Runs a node query; a network failure becomes an AkashNodeError naming the URL. */
export async function query<T>(restUrl: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isNetworkFailure(error)) throw new AkashNodeError(restUrl, error);
    throw error;
  }
}

/**
 * fetch() rejects with a TypeError when nothing answers; the SDK's transport wraps that in its
 * own TransportError, with the TypeError as the cause.
 */
function isNetworkFailure(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause) if (e instanceof TypeError) return true;
  return false;
}
