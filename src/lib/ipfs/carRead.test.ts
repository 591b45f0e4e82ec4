import { describe, expect, it } from "vitest";
import { packFile } from "./car.ts";
import { verifyFile } from "./carRead.ts";
import { readCar } from "./carStream.ts";
import { IpfsReadError, IpfsVerificationError } from "./errors.ts";

const MiB = 1024 * 1024;

/** The CAR's blocks as a reader gets them: each split into the odd-sized chunks it arrived in. */
async function blocksOf(bytes: Uint8Array) {
  const car = await packFile(bytes);
  const whole = new Uint8Array(await car.blob().arrayBuffer());
  const chunks = (async function* () {
    for (let at = 0; at < whole.length; at += 65_521) yield whole.subarray(at, at + 65_521);
  })();
  const out = [];
  for await (const block of (await readCar(chunks, { maxBlockSize: 2 * MiB })).blocks) out.push(block);
  return { root: car.root, blocks: out };
}

async function* from<T>(items: T[]) {
  yield* items;
}

async function collect(source: AsyncGenerator<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const part of source) parts.push(part);
  return new Uint8Array(await new Blob(parts as Uint8Array<ArrayBuffer>[]).arrayBuffer());
}

describe("verifyFile", () => {
  it("accepts a CAR that repeats a shared block (dups=y) when told so", async () => {
    const zeros = new Uint8Array(3 * MiB);
    const { root, blocks } = await blocksOf(zeros); // root + one distinct leaf
    const [node, leaf] = blocks as [(typeof blocks)[0], (typeof blocks)[0]];
    expect(await collect(verifyFile(root, from([node, leaf, leaf, leaf]), { duplicates: true }))).toEqual(zeros);
    expect(await collect(verifyFile(root, from([node, leaf])))).toEqual(zeros);
  });

  it("rejects blocks out of depth-first order, foreign blocks and a short CAR", async () => {
    const bytes = new Uint8Array(3 * MiB).map((_, i) => i % 251);
    const { root, blocks } = await blocksOf(bytes);
    const [node, a, b, c] = blocks as [(typeof blocks)[0], (typeof blocks)[0], (typeof blocks)[0], (typeof blocks)[0]];
    await expect(collect(verifyFile(root, from([node, b, a, c])))).rejects.toBeInstanceOf(IpfsVerificationError);
    const other = await blocksOf(new Uint8Array(10).fill(1));
    await expect(collect(verifyFile(root, from([node, other.blocks[0]!])))).rejects.toBeInstanceOf(
      IpfsVerificationError,
    );
    await expect(collect(verifyFile(root, from([node, a])))).rejects.toBeInstanceOf(IpfsReadError);
    await expect(collect(verifyFile(root, from([node, a, b, c, c])))).rejects.toThrow(/unexpected extra block/);
  });

  it("rejects a block whose bytes were changed", async () => {
    const { root, blocks } = await blocksOf(new Uint8Array(2 * MiB + 1).fill(5));
    const bad = blocks.map((block, index) =>
      index === 1 ? { ...block, pieces: block.pieces.map((piece) => piece.slice().fill(6)) } : block,
    );
    await expect(collect(verifyFile(root, from(bad)))).rejects.toThrow(/does not hash to its CID/);
  });
});
