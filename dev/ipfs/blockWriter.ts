// Checks and stores uploaded blocks on a worker thread, so the node's event loop only parses.
// A block is written to a temporary file there, then flushed to the disk and renamed into
// blockstore-fs's layout on the thread pool while the worker goes on with the next block: a
// block file is whole or absent, after a crash or a power loss alike.
//
// Why: on the 2-core machine, a 100 MB dag/import kept the main thread busy hashing (~60-90 ms)
// while every block's file write waited on four thread-pool round trips, each needing the busy
// main thread to go on; the upload ran at the pace of one core. Each block is copied once into
// a slot of shared memory that is reused (warm memory: ~10 ms per 100 MB, against ~40 ms for the
// fresh copy WebCrypto would make), then the worker hashes it and, only when the digest matches
// the CID, writes it to a temporary file and renames it into blockstore-fs's layout, so a block
// file is whole or absent. The slots bound the memory: SLOTS blocks in flight.
import { open, rename, rm } from "node:fs/promises";
import { Worker } from "node:worker_threads";
import type { CID } from "multiformats/cid";
import { MAX_BLOCK_SIZE } from "./verifyBlock.ts";

export interface WriteJob {
  id: number;
  offset: number;
  length: number;
  digest: Uint8Array;
  dir: string;
  path: string;
  temp: string;
}

export interface WriteResult {
  id: number;
  /** The bytes do not hash to the CID; nothing was written. */
  mismatch?: true;
  /** A filesystem error, as its message. */
  error?: string;
}

/** Blocks in flight, each in its own 2 MiB slot (16 MiB shared in all). */
export const BLOCK_WRITER_SLOTS = 8;
const SLOTS = BLOCK_WRITER_SLOTS;

export interface BlockWriter {
  /**
   * Verifies `pieces` against `cid` and stores them at `file`. Resolves when the block is on
   * disk; rejects with BlockMismatchError when the bytes do not match, or the filesystem error.
   * Waits for a free slot first, which is the upload's backpressure.
   */
  write(cid: CID, pieces: readonly Uint8Array[], file: { dir: string; path: string }): Promise<void>;
  stop(): Promise<void>;
}

/** The block's bytes do not hash to its CID. */
export class BlockMismatchError extends Error {
  override name = "BlockMismatchError";
}

let tempCounter = 0;

/** Flushes a written temporary file to the disk, then renames it into place (or removes it on failure). */
async function flushIntoPlace(temp: string, path: string): Promise<void> {
  try {
    const handle = await open(temp, "r+");
    try {
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Starts the writer thread; resolves once it has loaded. */
export async function startBlockWriter(): Promise<BlockWriter> {
  const memory = new SharedArrayBuffer(SLOTS * MAX_BLOCK_SIZE);
  const view = new Uint8Array(memory);
  const worker = new Worker(new URL("./blockWriterWorker.ts", import.meta.url), { workerData: { memory } });
  const free = Array.from({ length: SLOTS }, (_, slot) => slot);
  const waitingForSlot: (() => void)[] = [];
  const pending = new Map<number, { slot: number; resolve: () => void; reject: (error: Error) => void }>();
  let nextId = 0;
  /** Set when the thread died: later writes fail at once instead of waiting for it. */
  let dead: Error | undefined;

  await new Promise<void>((resolve, reject) => {
    worker.once("message", () => resolve());
    worker.once("error", reject);
  });
  // The HTTP server keeps a node running; an idle writer thread alone must not.
  worker.unref();
  worker.on("message", (result: WriteResult) => {
    const job = pending.get(result.id)!;
    pending.delete(result.id);
    free.push(job.slot);
    waitingForSlot.shift()?.();
    if (result.mismatch) job.reject(new BlockMismatchError("bytes do not match the CID"));
    else if (result.error !== undefined) job.reject(new Error(result.error));
    else job.resolve();
  });
  const fail = (error: Error) => {
    dead ??= error;
    for (const job of pending.values()) job.reject(error);
    pending.clear();
    // Writes waiting for a slot would wait forever: woken, they find the thread dead.
    for (const wake of waitingForSlot.splice(0)) wake();
  };
  worker.on("error", fail);
  worker.on("exit", (code) => fail(new Error(`the block writer thread exited (${code})`)));

  /** Copies a block into a free slot and hands it to the thread; resolves once it is on disk. */
  const send = (cid: CID, pieces: readonly Uint8Array[], file: { dir: string; path: string }): Promise<void> => {
    const slot = free.pop()!;
    const offset = slot * MAX_BLOCK_SIZE;
    let length = 0;
    for (const piece of pieces) {
      view.set(piece, offset + length);
      length += piece.length;
    }
    const id = nextId++;
    const temp = `${file.path}.${process.pid}-${tempCounter++}.tmp`;
    // A copy: posting a view clones the whole buffer under it, which for a CID decoded in place
    // is the network chunk it arrived in (64 KiB per block, and as much garbage on the thread).
    const job: WriteJob = { id, offset, length, digest: cid.multihash.digest.slice(), ...file, temp };
    worker.postMessage(job);
    return onDisk(id, slot, temp, file.path);
  };
  const onDisk = async (id: number, slot: number, temp: string, path: string): Promise<void> => {
    await new Promise<void>((resolve, reject) => pending.set(id, { slot, resolve, reject }));
    await flushIntoPlace(temp, path);
  };

  // Not an async function: a suspended one keeps its arguments, and the block's network chunks
  // held through the flush outlived two young collections and waited for a full one. Once
  // copied into its slot, nothing here refers to them.
  const write: BlockWriter["write"] = (cid, pieces, file) => {
    const size = pieces.reduce((sum, piece) => sum + piece.length, 0);
    if (size > MAX_BLOCK_SIZE)
      return Promise.reject(new RangeError(`block ${cid} of ${size} bytes does not fit a slot`));
    if (dead !== undefined) return Promise.reject(dead);
    if (free.length > 0) return send(cid, pieces, file);
    return new Promise<void>((resolve) => waitingForSlot.push(resolve)).then(() => write(cid, pieces, file));
  };

  return {
    write,
    async stop() {
      await worker.terminate();
    },
  };
}
