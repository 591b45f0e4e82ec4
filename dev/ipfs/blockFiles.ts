// The node's block files, found through blockstore-fs's own layout (`fileOf`) and read with as
// few trips through libuv's thread pool as a file allows.
//
// Why not the store's get: it streams a block back in 64 KiB pieces glued together again here.
// Blocks are written by blockWriter.ts, on its own thread, into the same layout.
import { open, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { FsBlockstore } from "blockstore-fs";
import type { Blockstore } from "interface-blockstore";
import type { CID } from "multiformats/cid";
import { concat } from "../../src/lib/ipfs/pieces.ts";
import { HttpError } from "./http.ts";
import { giveBackSendBuffer, takeSendBuffer } from "./sendBuffers.ts";

export interface BlockFile {
  dir: string;
  path: string;
}

/** The file that holds `cid`, when `blockstore` is a FsBlockstore. */
export function fileOf(blockstore: Blockstore, cid: CID): BlockFile | undefined {
  // `shardingStrategy` is public at runtime but typed private; it maps a CID to its file.
  const sharding = (blockstore as unknown as { shardingStrategy?: { encode(cid: CID): { dir: string; file: string } } })
    .shardingStrategy;
  if (!(blockstore instanceof FsBlockstore) || sharding === undefined) return undefined;
  const { dir, file } = sharding.encode(cid);
  return { dir: join(blockstore.path, dir), path: join(blockstore.path, dir, file) };
}

/**
 * Flushes the folders holding `cids`' files, and the store's own folder, to the disk: a renamed
 * block file is durable only once its folder is.
 */
export async function syncBlockFolders(blockstore: Blockstore, cids: Iterable<CID>): Promise<void> {
  const folders = new Set<string>();
  for (const cid of cids) {
    const file = fileOf(blockstore, cid);
    if (file) folders.add(file.dir).add(dirname(file.dir));
  }
  await Promise.all([...folders].map(syncFolder));
}

export async function syncFolder(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function readBlock(blockstore: Blockstore, cid: CID): Promise<Uint8Array> {
  const file = fileOf(blockstore, cid);
  if (file !== undefined) {
    try {
      return await readFile(file.path);
    } catch (cause) {
      throw new HttpError(404, `block ${cid} not found on this node`, { cause });
    }
  }
  const parts: Uint8Array[] = [];
  for await (const part of blockstore.get(cid)) parts.push(part);
  return concat(parts);
}

/**
 * A block read into a reusable send buffer (sendBuffers.ts): pass the view to
 * `giveBackSendBuffer` once the socket has taken it, and never keep views into it (decode a
 * copy, not this). Falls back to `readBlock` for other stores and oversized files.
 */
export async function readBlockToSend(blockstore: Blockstore, cid: CID): Promise<Uint8Array> {
  const file = fileOf(blockstore, cid);
  if (file === undefined) return readBlock(blockstore, cid);
  const buffer = takeSendBuffer();
  let filled = 0;
  try {
    const handle = await open(file.path, "r");
    try {
      for (;;) {
        const want = buffer.length - filled;
        const { bytesRead } = await handle.read(buffer, filled, want, filled);
        filled += bytesRead;
        // A regular file reads short only at its end: one read takes a whole block.
        if (bytesRead < want || filled === buffer.length) break;
      }
    } finally {
      await handle.close();
    }
  } catch (cause) {
    giveBackSendBuffer(buffer);
    throw new HttpError(404, `block ${cid} not found on this node`, { cause });
  }
  if (filled < buffer.length) return buffer.subarray(0, filled);
  giveBackSendBuffer(buffer);
  return readBlock(blockstore, cid);
}
