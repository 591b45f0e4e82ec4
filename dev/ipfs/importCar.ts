// `dag/import`: stream CAR files into the blockstore, checking every block before it is written,
// then pin the roots once their whole DAG is present.
//
// Why the store stays sound when a CAR is bad: only blocks whose bytes hash to their CID are
// ever written (each write is atomic in blockstore-fs), and roots are pinned only after the
// whole upload parsed and every root's DAG is complete. A rejected upload can leave valid,
// unpinned blocks behind — as Kubo does — but never a wrong one.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { CarBlockIterator } from "@ipld/car";
import { FsBlockstore } from "blockstore-fs";
import type { Blockstore } from "interface-blockstore";
import type { CID } from "multiformats/cid";
import { passed } from "./gc.ts";
import { HttpError } from "./http.ts";
import { RAW, linksOf, verifyBlock } from "./verifyBlock.ts";

export interface CarImport {
  roots: CID[];
  blockCount: number;
  blockBytes: number;
}

const IN_FLIGHT = 4;

/** Imports one CAR stream; throws `HttpError` (4xx) on a malformed or corrupt CAR. */
export async function importCar(blockstore: Blockstore, source: AsyncIterable<Uint8Array>): Promise<CarImport> {
  let iterator: CarBlockIterator;
  try {
    iterator = await CarBlockIterator.fromIterable(source);
  } catch (cause) {
    throw new HttpError(400, `malformed CAR header: ${(cause as Error).message}`, { cause });
  }
  const roots = await iterator.getRoots();
  // A few blocks are checked and written at once; each is written only after its own check.
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  let blockCount = 0;
  let blockBytes = 0;
  try {
    for await (const { cid, bytes } of iterator) {
      const task: Promise<void> = (async () => {
        await verifyBlock(cid, bytes);
        await blockstore.put(cid, bytes);
      })()
        .catch((error: unknown) => void (failure ??= error))
        .finally(() => inFlight.delete(task));
      inFlight.add(task);
      if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
      if (failure !== undefined) break;
      blockCount++;
      blockBytes += bytes.length;
      passed(bytes.length);
    }
  } catch (cause) {
    failure ??= cause;
  }
  await Promise.all(inFlight);
  if (failure === undefined) return { roots, blockCount, blockBytes };
  if (failure instanceof HttpError) throw failure;
  throw new HttpError(400, `malformed CAR: ${(failure as Error).message}`, { cause: failure });
}

/** Throws a 400 naming the first block of `root`'s DAG that is not in the store. */
export async function assertComplete(blockstore: Blockstore, root: CID): Promise<void> {
  const seen = new Set<string>();
  const stack = [root];
  while (stack.length > 0) {
    const cid = stack.pop()!;
    const key = cid.toString();
    if (seen.has(key)) continue;
    seen.add(key);
    if (!(await blockstore.has(cid))) {
      throw new HttpError(
        400,
        `DAG of root ${root} is incomplete: block ${cid} is neither in the CAR nor in the store`,
      );
    }
    if (cid.code !== RAW) stack.push(...linksOf(cid, await readBlock(blockstore, cid)));
  }
}

export async function readBlock(blockstore: Blockstore, cid: CID): Promise<Uint8Array> {
  // One read of the whole file instead of FsBlockstore's 64 KiB stream pieces glued back.
  // `shardingStrategy` is public at runtime but typed private; it maps a CID to its file.
  const sharding = (blockstore as unknown as { shardingStrategy?: { encode(cid: CID): { dir: string; file: string } } })
    .shardingStrategy;
  if (blockstore instanceof FsBlockstore && sharding !== undefined) {
    const { dir, file } = sharding.encode(cid);
    try {
      return await readFile(join(blockstore.path, dir, file));
    } catch (cause) {
      throw new HttpError(404, `block ${cid} not found on this node`, { cause });
    }
  }
  const parts: Uint8Array[] = [];
  for await (const part of blockstore.get(cid)) parts.push(part);
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}
