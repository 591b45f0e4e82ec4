// The node's block files, read and written straight through blockstore-fs's own layout, with
// as few trips through libuv's thread pool as a file allows.
//
// Why not the store's get/put: get streams a block back in 64 KiB pieces, and put costs six
// pool trips per block (mkdir, then open, two 512 KiB writes, close and rename inside steno)
// and wants the block in one buffer. Here a write is open, one `writev` of the pieces the
// block arrived in, close, rename: the same write-then-rename, so a block file is either
// whole or absent, as before.
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
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

/** Shard folders known to exist, so each is created once per process, not once per block. */
const madeDirs = new Set<string>();
let tempCounter = 0;

/** The file that holds `cid`, when `blockstore` is a FsBlockstore. */
export function fileOf(blockstore: Blockstore, cid: CID): BlockFile | undefined {
  // `shardingStrategy` is public at runtime but typed private; it maps a CID to its file.
  const sharding = (blockstore as unknown as { shardingStrategy?: { encode(cid: CID): { dir: string; file: string } } })
    .shardingStrategy;
  if (!(blockstore instanceof FsBlockstore) || sharding === undefined) return undefined;
  const { dir, file } = sharding.encode(cid);
  return { dir: join(blockstore.path, dir), path: join(blockstore.path, dir, file) };
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

/** Stores a block given as pieces; call it only for a block already verified against `cid`. */
export async function putBlock(blockstore: Blockstore, cid: CID, pieces: readonly Uint8Array[]): Promise<void> {
  const file = fileOf(blockstore, cid);
  if (file === undefined) return void (await blockstore.put(cid, concat(pieces)));
  // A name of its own per write: two uploads of the same block never share a temporary file.
  const temp = `${file.path}.${process.pid}-${tempCounter++}.tmp`;
  try {
    if (!madeDirs.has(file.dir)) await makeDir(file.dir);
    await writeAll(temp, pieces).catch(async (error: NodeJS.ErrnoException) => {
      // The folder was removed under a running node: make it again, once.
      if (error.code !== "ENOENT") throw error;
      await makeDir(file.dir);
      await writeAll(temp, pieces);
    });
    await rename(temp, file.path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

async function makeDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  madeDirs.add(dir);
}

async function writeAll(path: string, pieces: readonly Uint8Array[]): Promise<void> {
  const handle = await open(path, "w");
  try {
    const total = pieces.reduce((sum, piece) => sum + piece.length, 0);
    const { bytesWritten } = await handle.writev(pieces as Uint8Array[]);
    // writev may stop short (a signal); writeFile goes on from there until all is written.
    if (bytesWritten < total) await handle.writeFile(concat(pieces).subarray(bytesWritten));
  } finally {
    await handle.close();
  }
}
