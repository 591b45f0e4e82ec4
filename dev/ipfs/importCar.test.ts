// What an import keeps of an upload while its blocks are on their way to the disk: nothing of
// the network chunks once a block is copied into the writer's slot. A chunk kept longer outlives
// the node's young collections (gc.ts), and a 100 MB upload then piles up tens of MB of dead
// buffers until a full collection of the whole heap.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { FsBlockstore } from "blockstore-fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packFile } from "../../src/lib/ipfs/car.ts";
import { startBlockWriter, type BlockWriter } from "./blockWriter.ts";
import { gc } from "./gc.ts";
import { importCar } from "./importCar.ts";
import { tempDir } from "./testing.ts";

const CHUNK = 64 * 1024;
const MiB = 1024 * 1024;
/** Six 1 MiB leaves and their root: fewer than the writer's eight slots, so all are in flight at once. */
const LEAVES = 6;
const BLOCKS = LEAVES + 1;
let dir: Awaited<ReturnType<typeof tempDir>>;
let writer: BlockWriter;

beforeAll(async () => {
  dir = await tempDir();
  writer = await startBlockWriter();
});
afterAll(async () => {
  await writer?.stop();
  await dir?.remove();
});

/** Yields `car` as fresh 64 KiB chunks, as a socket does, and remembers each weakly. */
async function* networkChunks(car: Uint8Array, chunks: WeakRef<ArrayBuffer>[]): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < car.length; at += CHUNK) {
    const chunk = car.slice(at, at + CHUNK);
    chunks.push(new WeakRef(chunk.buffer));
    yield chunk;
  }
}

/** The writer, but each write is reported done only once `release` is called. */
function heldWriter(inner: BlockWriter): { writer: BlockWriter; copied: Promise<void>; release(): void } {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let signalCopied!: () => void;
  const copied = new Promise<void>((resolve) => (signalCopied = resolve));
  let writes = 0;
  return {
    writer: {
      write(cid, pieces, file) {
        const stored = inner.write(cid, pieces, file);
        if (++writes === BLOCKS) signalCopied();
        return stored.then(() => released);
      },
      stop: () => inner.stop(),
    },
    copied,
    release,
  };
}

describe("importCar", () => {
  it("lets go of a block's network chunks once the block is copied for writing, before it is on disk", async () => {
    const car = await packFile(randomBytes(LEAVES * MiB));
    const carBytes = new Uint8Array(await car.blob().arrayBuffer());
    const blockstore = new FsBlockstore(join(dir.path, "blocks"));
    await blockstore.open();
    const chunks: WeakRef<ArrayBuffer>[] = [];
    const held = heldWriter(writer);

    const imported = importCar(blockstore, networkChunks(carBytes, chunks), held.writer);
    // Every block is copied into a slot; none of their writes has finished.
    await held.copied;
    await new Promise((resolve) => setImmediate(resolve));
    gc({ type: "major", execution: "sync" });
    await new Promise((resolve) => setImmediate(resolve));
    gc({ type: "major", execution: "sync" });
    const alive = chunks.filter((chunk) => chunk.deref() !== undefined).length;
    held.release();
    const result = await imported;

    expect(result.blockCount).toBe(BLOCKS);
    expect(chunks.length).toBeGreaterThan((LEAVES * MiB) / CHUNK);
    // The parser's frames still hold the last block it handed over (at most 17 chunks of a
    // 1 MiB block) until they read on; the writes in flight hold none (kept, all 97 were alive).
    expect(alive).toBeLessThanOrEqual(MiB / CHUNK + 1);
  });
});
