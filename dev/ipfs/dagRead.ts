// Streaming reads from the blockstore with backpressure: file bytes for deserialized responses
// (CAR answers: carExport.ts). Both pull one block at a time, so a slow client holds the server
// to about one block of memory. Raw leaves come in reusable send
// buffers (sendBuffers.ts): the consumer hands each chunk to `giveBackSendBuffer` once sent.
//
// Why not `@helia/unixfs` cat / `@helia/car` export: the exporter reads child blocks into an
// unbounded queue, ahead of the consumer; serving a 100 MB file to a slow reader kept most of
// it in memory.
import * as dagPb from "@ipld/dag-pb";
import type { Blockstore } from "interface-blockstore";
import { UnixFS } from "ipfs-unixfs";
import type { CID } from "multiformats/cid";
import { HttpError } from "./http.ts";
import { readBlock, readBlockToSend } from "./blockFiles.ts";
import { giveBackSendBuffer } from "./sendBuffers.ts";
import { DAG_PB, RAW } from "./verifyBlock.ts";

/** Bytes `[offset, offset + length)` of the UnixFS file (or raw block) at `cid`. */
export async function* readFile(
  blockstore: Blockstore,
  cid: CID,
  offset = 0,
  length = Infinity,
): AsyncGenerator<Uint8Array> {
  const end = offset + length;
  yield* readRange(blockstore, cid, 0, offset, end);
}

async function* readRange(
  blockstore: Blockstore,
  cid: CID,
  at: number,
  start: number,
  end: number,
): AsyncGenerator<Uint8Array> {
  if (cid.code === RAW) {
    const leaf = await readBlockToSend(blockstore, cid);
    const part = clip(leaf, at, start, end);
    if (part === undefined) giveBackSendBuffer(leaf);
    else yield part;
    return;
  }
  const bytes = await readBlock(blockstore, cid);
  if (cid.code !== DAG_PB) throw new HttpError(406, `block ${cid} is not UnixFS`);
  const node = dagPb.decode(bytes);
  const unixfs = UnixFS.unmarshal(node.Data ?? new Uint8Array(0));
  if (unixfs.data !== undefined && unixfs.data.length > 0) {
    const part = clip(unixfs.data, at, start, end);
    if (part !== undefined) yield part;
    at += unixfs.data.length;
  }
  for (const [index, link] of node.Links.entries()) {
    const size = Number(unixfs.blockSizes[index] ?? 0n);
    if (at + size > start && at < end) yield* readRange(blockstore, link.Hash, at, start, end);
    at += size;
    if (at >= end) return;
  }
}

/** The part of `bytes` (found at file offset `at`) inside `[start, end)`, if any. */
function clip(bytes: Uint8Array, at: number, start: number, end: number): Uint8Array | undefined {
  const from = Math.max(0, start - at);
  const to = Math.min(bytes.length, end - at);
  return to > from ? bytes.subarray(from, to) : undefined;
}
