// `repo/gc`, as Kubo's: removes every block no pin reaches, keeps each pinned DAG whole. Blocks
// are found by walking blockstore-fs's folders (a block file is named by its multihash, base32),
// so nothing is read but the pinned DAGs' own nodes.
import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Blockstore } from "interface-blockstore";
import { base32upper } from "multiformats/bases/base32";
import { CID } from "multiformats/cid";
import * as Digest from "multiformats/hashes/digest";
import { fileOf, readBlock } from "./blockFiles.ts";
import type { PinStore } from "./pins.ts";
import { RAW, linksOf } from "./verifyBlock.ts";

const BLOCK_FILE = /^([A-Z2-7]+)\.data$/;

/** The block files every pinned DAG is made of (a pin whose DAG is not whole is kept as far as it goes). */
async function pinnedFiles(blockstore: Blockstore, pins: PinStore): Promise<Set<string>> {
  const keep = new Set<string>();
  const stack: CID[] = [];
  for await (const root of pins.list()) stack.push(root);
  while (stack.length > 0) {
    const cid = stack.pop()!;
    const file = fileOf(blockstore, cid)!.path;
    if (keep.has(file)) continue;
    keep.add(file);
    if (cid.code === RAW) continue;
    const bytes = await readBlock(blockstore, cid).catch(() => undefined);
    if (bytes) stack.push(...linksOf(cid, bytes));
  }
  return keep;
}

/**
 * Removes the blocks no pin reaches, yielding each one's CID as Kubo names it (CIDv1, raw: the
 * store knows blocks by multihash only). Hold the repo lock alone while it runs (repoLock.ts).
 */
export async function* collectGarbage(blockstore: Blockstore, pins: PinStore, root: string): AsyncGenerator<CID> {
  const keep = await pinnedFiles(blockstore, pins);
  for (const shard of await readdir(root, { withFileTypes: true })) {
    if (!shard.isDirectory()) continue;
    const dir = join(root, shard.name);
    for (const name of await readdir(dir)) {
      const match = BLOCK_FILE.exec(name);
      const path = join(dir, name);
      if (!match || keep.has(path)) continue;
      await rm(path, { force: true });
      yield CID.createV1(RAW, Digest.decode(base32upper.decode(match[1]!)));
    }
  }
}
