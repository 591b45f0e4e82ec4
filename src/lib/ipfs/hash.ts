// SHA-256 for block CIDs: WebCrypto where it exists (browsers in a secure context, Node), and
// @noble/hashes where it does not (a site opened from a plain-http LAN gateway has no
// `crypto.subtle`).
import { CID } from "multiformats/cid";
import * as Digest from "multiformats/hashes/digest";

/** Multicodec codes used by the blocks HEXS writes. */
export const RAW_CODE = 0x55;
export const DAG_PB_CODE = 0x70;
export const SHA2_256_CODE = 0x12;

let fallback: ((bytes: Uint8Array) => Uint8Array) | undefined;

export async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  const subtle = globalThis.crypto?.subtle;
  if (subtle) return new Uint8Array(await subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  fallback ??= (await import("@noble/hashes/sha2.js")).sha256;
  return fallback(bytes);
}

/** The CIDv1 (sha2-256) of `bytes` under codec `code`. */
export async function cidOf(code: number, bytes: Uint8Array): Promise<CID> {
  return CID.createV1(code, Digest.create(SHA2_256_CODE, await sha256(bytes)));
}
