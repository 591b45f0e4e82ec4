// An in-memory block cache with a byte budget. Verified reads fetch blocks through Helia, which
// keeps every block it fetched; with an unbounded store, reading 1 GiB of weights would keep
// 1 GiB in the tab. Oldest blocks are dropped first.
import { BaseBlockstore } from "blockstore-core/base";
import type { Pair } from "interface-blockstore";
import { NotFoundError } from "interface-store";
import { base32 } from "multiformats/bases/base32";
import type { CID } from "multiformats/cid";

export class BoundedBlockstore extends BaseBlockstore {
  readonly #maxBytes: number;
  readonly #blocks = new Map<string, { cid: CID; parts: Uint8Array[]; size: number }>();
  #bytes = 0;

  constructor(maxBytes: number) {
    super();
    this.#maxBytes = maxBytes;
  }

  override async put(cid: CID, value: Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<CID> {
    const parts: Uint8Array[] = [];
    if (value instanceof Uint8Array) parts.push(value);
    else for await (const part of value) parts.push(part);
    const key = keyOf(cid);
    if (this.#blocks.has(key)) return cid;
    const size = parts.reduce((sum, part) => sum + part.length, 0);
    this.#blocks.set(key, { cid, parts, size });
    this.#bytes += size;
    for (const [oldest, entry] of this.#blocks) {
      if (this.#bytes <= this.#maxBytes || oldest === key) break;
      this.#blocks.delete(oldest);
      this.#bytes -= entry.size;
    }
    return cid;
  }

  override *get(cid: CID): Generator<Uint8Array> {
    const entry = this.#blocks.get(keyOf(cid));
    if (entry === undefined) throw new NotFoundError(`block ${cid} is not cached`);
    yield* entry.parts;
  }

  override has(cid: CID): boolean {
    return this.#blocks.has(keyOf(cid));
  }

  override delete(cid: CID): void {
    const key = keyOf(cid);
    const entry = this.#blocks.get(key);
    if (entry === undefined) return;
    this.#blocks.delete(key);
    this.#bytes -= entry.size;
  }

  override *getAll(): Generator<Pair> {
    for (const { cid, parts } of this.#blocks.values())
      yield { cid, bytes: parts.values() as unknown as Generator<Uint8Array> };
  }
}

/** Blocks are keyed by multihash, as Helia does: CIDv0 and v1 of the same bytes are one block. */
function keyOf(cid: CID): string {
  return base32.encode(cid.multihash.bytes);
}
