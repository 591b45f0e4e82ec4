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
import { fileOf, putBlock, readBlock } from "./blockFiles.ts";
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
 * Block writes in flight without a writer thread: the hash runs here, in place, and only the
 * file writes overlap, each holding its block's pieces (socket chunks) until written. More
 * than four kept enough chunks alive across GCs to set off full collections.
 */
const WRITES_IN_FLIGHT = 4;

/**
 * Imports one CAR stream; throws `HttpError` (4xx) on a malformed or corrupt CAR. With a
 * `writer` (blockWriter.ts) and a FsBlockstore, blocks are hashed and written on its thread.
 */
export async function importCar(
  blockstore: Blockstore,
  source: AsyncIterable<Uint8Array>,
  writer?: BlockWriter,
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
  const inFlight = writer === undefined ? WRITES_IN_FLIGHT : BLOCK_WRITER_SLOTS;
  try {
    for await (const { cid, pieces, length } of car.blocks) {
      const key = cid.toString();
      const write: Promise<void> = store(blockstore, writer, cid, pieces)
        .then(() => void stored.add(key))
        .catch((error: unknown) => void (failure ??= error))
        .finally(() => writes.delete(write));
      writes.add(write);
      if (writes.size >= inFlight) await Promise.race(writes);
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

/** Verifies a block, then writes it; nothing is written for a block that fails a check. */
async function store(
  blockstore: Blockstore,
  writer: BlockWriter | undefined,
  cid: CID,
  pieces: readonly Uint8Array[],
): Promise<void> {
  const file = writer === undefined ? undefined : fileOf(blockstore, cid);
  if (writer === undefined || file === undefined) {
    verifyBlock(cid, pieces);
    return putBlock(blockstore, cid, pieces);
  }
  checkBlock(cid, pieces);
  // The writer hashes the block and writes it only when the digest matches.
  await writer.write(cid, pieces, file).catch((error: unknown) => {
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
