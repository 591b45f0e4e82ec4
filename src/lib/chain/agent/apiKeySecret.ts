import { bytesToHex, keccak256, type Hex } from "viem";

/** An API key: a random secret shown once in the browser, and the hash the chain stores. */
export interface ApiKeySecret {
  secret: Hex;
  keyHash: Hex;
}

/** 32 bytes from the browser's CSPRNG; only `keyHash` ever leaves the page. */
export function newApiKeySecret(): ApiKeySecret {
  const secret = bytesToHex(crypto.getRandomValues(new Uint8Array(32)));
  return { secret, keyHash: apiKeyHash(secret) };
}

/** The hash the Agent contract and the inference gateway compare API keys by. */
export function apiKeyHash(secret: Hex): Hex {
  return keccak256(secret);
}
