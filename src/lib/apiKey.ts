// API keys. A key names its holder and carries a random secret, so the gateway can find it on
// chain from the key alone: the Agent files keys under `keccak256(abi.encode(holder,
// keccak256(secret)))`, an id no one else can claim (a copied hash files under the copier).
// The checksum lets a gateway refuse a mistyped or truncated key without asking the chain.
import {
  bytesToHex,
  concat,
  encodeAbiParameters,
  getAddress,
  hexToBytes,
  keccak256,
  toHex,
  type Address,
  type Hex,
} from "viem";
import { HexsError } from "./errors.ts";

/** What every key starts with (as OpenAI's start with `sk-`). */
export const API_KEY_PREFIX = "sk-hexs-";
const BODY = /^[0-9a-f]{112}$/;
const DOMAIN = toHex("hexs-api-key");

export interface ApiKey {
  holder: Address;
  /** 32 random bytes; only its hash ever reaches the chain. */
  secret: Hex;
  /** What `createApiKey` takes: keccak256 of the secret's bytes. */
  secretHash: Hex;
  /** What the Agent files the key under and `settle` names it by. */
  keyId: Hex;
  /** The key as an application sends it: `Authorization: Bearer <text>`. */
  text: string;
}

/** A string that is not a HEXS API key: wrong prefix or length, not hex, or a checksum that fails. */
export class ApiKeyFormatError extends HexsError {
  override name = "ApiKeyFormatError";
  constructor(reason: string) {
    super(`This is not a HEXS API key: ${reason}.`);
  }
}

/** A new key for `holder`, its secret from the platform's CSPRNG. */
export function newApiKey(holder: Address): ApiKey {
  return apiKeyFrom(holder, bytesToHex(crypto.getRandomValues(new Uint8Array(32))));
}

/** The key of `holder` with `secret`. */
export function apiKeyFrom(holder: Address, secret: Hex): ApiKey {
  if (hexToBytes(secret).length !== 32) throw new ApiKeyFormatError("the secret must be 32 bytes");
  const address = getAddress(holder);
  const secretHash = keccak256(secret);
  const body = concat([address, secret]);
  const text = `${API_KEY_PREFIX}${body.slice(2).toLowerCase()}${checksum(body).slice(2)}`;
  return { holder: address, secret, secretHash, keyId: apiKeyId(address, secretHash), text };
}

/** Reads a key as an application sent it; throws {@link ApiKeyFormatError} before anything reaches the chain. */
export function parseApiKey(text: string): ApiKey {
  if (!text.startsWith(API_KEY_PREFIX)) throw new ApiKeyFormatError(`it does not start with ${API_KEY_PREFIX}`);
  const body = text.slice(API_KEY_PREFIX.length);
  if (!BODY.test(body)) throw new ApiKeyFormatError(`${API_KEY_PREFIX} must be followed by 112 lowercase hex digits`);
  const payload = `0x${body.slice(0, 104)}` as Hex;
  if (checksum(payload).slice(2) !== body.slice(104)) throw new ApiKeyFormatError("its checksum does not match");
  return apiKeyFrom(`0x${body.slice(0, 40)}`, `0x${body.slice(40, 104)}`);
}

/** `keccak256(abi.encode(holder, secretHash))`, as `Agent.apiKeyId` computes it. */
export function apiKeyId(holder: Address, secretHash: Hex): Hex {
  return keccak256(encodeAbiParameters([{ type: "address" }, { type: "bytes32" }], [holder, secretHash]));
}

function checksum(payload: Hex): Hex {
  return keccak256(concat([DOMAIN, payload.toLowerCase() as Hex])).slice(0, 10) as Hex;
}
