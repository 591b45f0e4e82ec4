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
import { putBlock, readBlock } from "./blockFiles.ts";
import { passed } from "./gc.ts";
import { HttpError } from "./http.ts";
import { MAX_BLOCK_SIZE, RAW, linksOf, verifyBlock } from "./verifyBlock.ts";

export interface CarImport {
  roots: CID[];
  blockCount: number;
  blockBytes: number;
  /** The blocks this import wrote (CID strings), so the completeness check need not ask the disk. */
  stored: Set<string>;
}

/**
 * Block writes in flight. Checking is synchronous (the hash reads each block in place), so
 * only the file writes overlap; each holds its block's pieces until written.
 */
const WRITES_IN_FLIGHT = 4;

/** Imports one CAR stream; throws `HttpError` (4xx) on a malformed or corrupt CAR. */
export async function importCar(blockstore: Blockstore, source: AsyncIterable<Uint8Array>): Promise<CarImport> {
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
      verifyBlock(cid, pieces);
      const key = cid.toString();
      const write: Promise<void> = putBlock(blockstore, cid, pieces)
        .then(() => void stored.add(key))
        .catch((error: unknown) => void (failure ??= error))
        .finally(() => writes.delete(write));
      writes.add(write);
      if (writes.size >= WRITES_IN_FLIGHT) await Promise.race(writes);
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
