// SHA-256 for block CIDs: WebCrypto where it exists (browsers in a secure context, Node), and
// @noble/hashes where it does not (a site opened from a plain-http LAN gateway has no
// `crypto.subtle`). Blocks that arrive in pieces are hashed with Node's own incremental hash
// where it exists (`sha256OfPieces`).
import { CID } from "multiformats/cid";
import * as Digest from "multiformats/hashes/digest";
import { concat } from "./pieces.ts";

/** Multicodec codes used by the blocks HEXS writes. */
export const RAW_CODE = 0x55;
export const DAG_PB_CODE = 0x70;
export const SHA2_256_CODE = 0x12;

let fallback: ((bytes: Uint8Array) => Uint8Array) | undefined;

interface IncrementalHash {
  update(bytes: Uint8Array): unknown;
  digest(): Uint8Array;
}

/**
 * Node's own SHA-256 where it exists (Node scripts, the local tools, the benchmarks). WebCrypto
 * copies its input before hashing, and a 1 MiB copy into fresh memory costs about as much as
 * the hash; Node's hash reads the bytes where they are and takes them in pieces. Reached
 * through `process.getBuiltinModule` so browser bundles never import `node:crypto`.
 */
const nodeCrypto = (
  globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
).process?.getBuiltinModule?.("node:crypto") as { createHash(algorithm: "sha256"): IncrementalHash } | undefined;

export async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  const subtle = globalThis.crypto?.subtle;
  if (subtle) return new Uint8Array(await subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  fallback ??= (await import("@noble/hashes/sha2.js")).sha256;
  return fallback(bytes);
}

/**
 * SHA-256 of bytes held in pieces (a block as it arrived from the network): hashed in place
 * where the platform hashes incrementally, else joined once for WebCrypto.
 */
export async function sha256OfPieces(pieces: readonly Uint8Array[]): Promise<Uint8Array> {
  if (nodeCrypto === undefined) return sha256(concat(pieces));
  const hash = nodeCrypto.createHash("sha256");
  for (const piece of pieces) hash.update(piece);
  return hash.digest();
}

/** The CIDv1 (sha2-256) of `bytes` under codec `code`. */
export async function cidOf(code: number, bytes: Uint8Array): Promise<CID> {
  return CID.createV1(code, Digest.create(SHA2_256_CODE, await sha256(bytes)));
}
