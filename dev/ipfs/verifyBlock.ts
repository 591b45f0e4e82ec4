// Block checks applied to every block a client sends, before it is stored: a supported codec
// and hash, a sane size, the bytes hash to the CID, and structured blocks decode.
import { createHash } from "node:crypto";
import * as dagCbor from "@ipld/dag-cbor";
import * as dagPb from "@ipld/dag-pb";
import type { CID } from "multiformats/cid";
import { equals } from "multiformats/bytes";
import { concat } from "../../src/lib/ipfs/pieces.ts";
import { HttpError } from "./http.ts";

export const RAW = 0x55;
export const DAG_PB = 0x70;
export const DAG_CBOR = 0x71;
const SHA2_256 = 0x12;
/** Kubo accepts blocks up to 2 MiB (the bitswap limit); larger ones could not be shared. */
export const MAX_BLOCK_SIZE = 2 * 1024 * 1024;

/**
 * Checks one block, given in the pieces it arrived in. The hash reads the pieces in place:
 * WebCrypto on the thread pool would first copy each block, which measured as costly as the
 * hash itself, on the main thread. (The node's own uploads hash on blockWriter.ts's thread.)
 */
export function verifyBlock(cid: CID, pieces: readonly Uint8Array[]): void {
  checkBlock(cid, pieces);
  const hash = createHash("sha256");
  for (const piece of pieces) hash.update(piece);
  if (!equals(hash.digest(), cid.multihash.digest)) throw mismatch(cid);
}

export function mismatch(cid: CID): HttpError {
  return new HttpError(400, `block ${cid}: bytes do not match the CID (corrupt CAR)`);
}

/** Everything `verifyBlock` checks except the hash: codec, hash function, size, structure. */
export function checkBlock(cid: CID, pieces: readonly Uint8Array[]): void {
  if (![RAW, DAG_PB, DAG_CBOR].includes(cid.code)) {
    throw new HttpError(
      400,
      `block ${cid}: unsupported codec 0x${cid.code.toString(16)} (raw, dag-pb, dag-cbor accepted)`,
    );
  }
  if (cid.multihash.code !== SHA2_256) {
    throw new HttpError(400, `block ${cid}: unsupported hash 0x${cid.multihash.code.toString(16)} (sha2-256 accepted)`);
  }
  const length = pieces.reduce((sum, piece) => sum + piece.length, 0);
  if (length > MAX_BLOCK_SIZE) {
    throw new HttpError(413, `block ${cid}: ${length} bytes is over the ${MAX_BLOCK_SIZE}-byte block limit`);
  }
  try {
    if (cid.code === DAG_PB) dagPb.decode(concat(pieces));
    if (cid.code === DAG_CBOR) dagCbor.decode(concat(pieces));
  } catch (cause) {
    throw new HttpError(400, `block ${cid}: not valid ${cid.code === DAG_PB ? "dag-pb" : "dag-cbor"}`, { cause });
  }
}

/** The CIDs a block links to. */
export function linksOf(cid: CID, bytes: Uint8Array): CID[] {
  if (cid.code === DAG_PB) return dagPb.decode(bytes).Links.map((link) => link.Hash);
  if (cid.code === DAG_CBOR) return [...cborLinks(dagCbor.decode(bytes))];
  return [];
}

function* cborLinks(value: unknown): Generator<CID> {
  if (value === null || typeof value !== "object") return;
  const cid = (value as { asCID?: CID }).asCID;
  if (cid !== undefined && cid === value) return void (yield cid);
  if (value instanceof Uint8Array) return;
  for (const child of Array.isArray(value) ? value : Object.values(value)) yield* cborLinks(child);
}
