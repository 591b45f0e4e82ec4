// `dag/import`: stream CAR files into the blockstore, checking every block before it is written,
// then pin the roots once their whole DAG is present.
//
// Why the store stays sound when a CAR is bad: only blocks whose bytes hash to their CID are
// ever written (each write is atomic: blockFiles.ts), and roots are pinned only after the
// whole upload parsed and every root's DAG is complete. A rejected upload can leave valid,
// unpinned blocks behind — as Kubo does — but never a wrong one.
import type { Blockstore } from "interface-blockstore";
import type { CID } from "multiformats/cid";
import { readCar, type CarStream } from "../../src/lib/ipfs/carStream.ts";
import { IpfsBlockTooLargeError } from "../../src/lib/ipfs/errors.ts";
import { concat } from "../../src/lib/ipfs/pieces.ts";
import { fileOf, readBlock } from "./blockFiles.ts";
import { BLOCK_WRITER_SLOTS, BlockMismatchError, type BlockWriter } from "./blockWriter.ts";
import { passed } from "./gc.ts";
import { HttpError } from "./http.ts";
import { MAX_BLOCK_SIZE, RAW, checkBlock, linksOf, mismatch, verifyBlock } from "./verifyBlock.ts";

export interface CarImport {
  roots: CID[];
  blockCount: number;
  blockBytes: number;
  /** The blocks this import wrote (CID strings), so the completeness check need not ask the disk. */
  stored: Set<string>;
}

/**
 * Imports one CAR stream; throws `HttpError` (4xx) on a malformed or corrupt CAR. Blocks of a
 * FsBlockstore are hashed and written on `writer`'s thread (blockWriter.ts).
 */
export async function importCar(
  blockstore: Blockstore,
  source: AsyncIterable<Uint8Array>,
  writer: BlockWriter,
): Promise<CarImport> {
  let car: CarStream;
  try {
    car = await readCar(source, { maxBlockSize: MAX_BLOCK_SIZE });
  } catch (cause) {
    throw new HttpError(400, `malformed CAR header: ${(cause as Error).message}`, { cause });
  }
  const writes = new Set<Promise<void>>();
  const stored = new Set<string>();
  let failure: unknown;
  let blockCount = 0;
  let blockBytes = 0;
  try {
    for await (const { cid, pieces, length } of car.blocks) {
      const key = cid.toString();
      const write: Promise<void> = store(blockstore, writer, cid, pieces)
        .then(() => void stored.add(key))
        .catch((error: unknown) => void (failure ??= error))
        .finally(() => writes.delete(write));
      writes.add(write);
      // One write per writer slot: each block's pieces are copied into its slot at once.
      if (writes.size >= BLOCK_WRITER_SLOTS) await Promise.race(writes);
      if (failure !== undefined) break;
      blockCount++;
      blockBytes += length;
      passed(length);
    }
  } catch (cause) {
    failure ??= cause;
  }
  await Promise.all(writes);
  if (failure === undefined) return { roots: car.roots, blockCount, blockBytes, stored };
  if (failure instanceof HttpError) throw failure;
  if (failure instanceof IpfsBlockTooLargeError) throw new HttpError(413, failure.message, { cause: failure });
  throw new HttpError(400, `malformed CAR: ${(failure as Error).message}`, { cause: failure });
}

/**
 * Verifies a block, then writes it; nothing is written for a block that fails a check. Not an
 * async function, so the block's network chunks are not kept until the write is on disk
 * (blockWriter.ts says why).
 */
function store(blockstore: Blockstore, writer: BlockWriter, cid: CID, pieces: readonly Uint8Array[]): Promise<void> {
  const file = fileOf(blockstore, cid);
  if (file === undefined) {
    // Another kind of store (none in this node today): check here, then put.
    verifyBlock(cid, pieces);
    return Promise.resolve(blockstore.put(cid, concat(pieces))).then(() => undefined);
  }
  checkBlock(cid, pieces);
  // The writer hashes the block and writes it only when the digest matches.
  return writer.write(cid, pieces, file).catch((error: unknown) => {
    throw error instanceof BlockMismatchError ? mismatch(cid) : error;
  });
}

/**
 * Throws a 400 naming the first block of `root`'s DAG that is not in the store. `stored`: blocks
 * known to be there (just written), checked without a trip to the disk.
 */
export async function assertComplete(blockstore: Blockstore, root: CID, stored: ReadonlySet<string>): Promise<void> {
  const seen = new Set<string>();
  const stack = [root];
  while (stack.length > 0) {
    const cid = stack.pop()!;
    const key = cid.toString();
    if (seen.has(key)) continue;
    seen.add(key);
    if (!stored.has(key) && !(await blockstore.has(cid))) {
      throw new HttpError(
        400,
        `DAG of root ${root} is incomplete: block ${cid} is neither in the CAR nor in the store`,
      );
    }
    if (cid.code !== RAW) stack.push(...linksOf(cid, await readBlock(blockstore, cid)));
  }
}
