import { CarBlockIterator } from "@ipld/car";
import { encode as encodeCbor } from "@ipld/dag-cbor";
import { varint } from "multiformats";
import { describe, expect, it } from "vitest";
import { packFile, packFiles } from "./car.ts";
import { readCar } from "./carStream.ts";
import { IpfsBlockTooLargeError, IpfsCarFormatError } from "./errors.ts";
import { concat } from "./pieces.ts";

const MiB = 1024 * 1024;
const LIMIT = 2 * MiB;

async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function carBytes(car: { blob(): Blob }): Promise<Uint8Array> {
  return new Uint8Array(await car.blob().arrayBuffer());
}

async function parsed(source: AsyncIterable<Uint8Array>) {
  const { roots, blocks } = await readCar(source, { maxBlockSize: LIMIT });
  const out: { cid: string; bytes: Uint8Array; pieces: number }[] = [];
  for await (const block of blocks) {
    expect(block.length).toBe(block.pieces.reduce((sum, piece) => sum + piece.length, 0));
    out.push({ cid: block.cid.toString(), bytes: concat(block.pieces), pieces: block.pieces.length });
  }
  return { roots: roots.map(String), blocks: out };
}

async function reference(bytes: Uint8Array) {
  const iterator = await CarBlockIterator.fromBytes(bytes);
  const blocks = [];
  for await (const block of iterator) blocks.push({ cid: block.cid.toString(), bytes: block.bytes });
  return { roots: (await iterator.getRoots()).map(String), blocks };
}

/** Where the CAR header ends, i.e. where the first block's section starts. */
function headerEnd(car: Uint8Array): number {
  const [length, lengthBytes] = varint.decode(car);
  return lengthBytes + length;
}

function lengthPrefixed(bytes: Uint8Array): Uint8Array {
  return concat([varint.encodeTo(bytes.length, new Uint8Array(varint.encodingLength(bytes.length))), bytes]);
}

/** A CARv2 around `v1`: pragma, fixed header, some padding, the payload, then an ignored tail. */
function carV2(v1: Uint8Array): Uint8Array {
  const pragma = lengthPrefixed(encodeCbor({ version: 2 }));
  const fixed = new Uint8Array(40);
  const view = new DataView(fixed.buffer);
  const dataOffset = pragma.length + fixed.length + 7;
  view.setBigUint64(16, BigInt(dataOffset), true);
  view.setBigUint64(24, BigInt(v1.length), true);
  view.setBigUint64(32, BigInt(dataOffset + v1.length), true);
  return concat([pragma, fixed, new Uint8Array(7), v1, new Uint8Array(100).fill(9)]);
}

describe("readCar", () => {
  it("gives the same roots and blocks as @ipld/car, whatever the chunk sizes", async () => {
    const car = await packFiles([
      { path: "a.bin", content: new Uint8Array(3 * MiB + 5).map((_, i) => i % 253) },
      { path: "dir/b.txt", content: "hello" },
    ]);
    const bytes = await carBytes(car);
    const expected = await reference(bytes);
    for (const size of [7, 4099, 65_536, bytes.length]) {
      const { roots, blocks } = await parsed(chunked(bytes, size));
      expect(roots).toEqual(expected.roots);
      expect(blocks.map(({ cid, bytes }) => ({ cid, bytes }))).toEqual(expected.blocks);
    }
  });

  it("keeps a block in the pieces it arrived in, without joining them", async () => {
    const bytes = await carBytes(await packFile(new Uint8Array(MiB).fill(1)));
    const { blocks } = await parsed(chunked(bytes, 65_536));
    expect(blocks[0]!.pieces).toBeGreaterThan(15);
  });

  it("reads the CARv1 payload of a CARv2 and consumes the rest of the stream", async () => {
    const v1 = await carBytes(await packFile(new Uint8Array(2 * MiB + 1).fill(4)));
    let pulled = 0;
    const v2 = carV2(v1);
    const source = (async function* () {
      for await (const chunk of chunked(v2, 1000)) {
        pulled += chunk.length;
        yield chunk;
      }
    })();
    const { roots, blocks } = await parsed(source);
    expect({ roots, blocks: blocks.map(({ cid, bytes }) => ({ cid, bytes })) }).toEqual(await reference(v1));
    expect(pulled).toBe(v2.length);
  });

  it("rejects an empty stream, a garbage header and an unknown version", async () => {
    await expect(parsed(chunked(new Uint8Array(0), 1))).rejects.toThrow(/empty CAR/);
    await expect(parsed(chunked(new TextEncoder().encode("this is not a CAR file"), 4))).rejects.toBeInstanceOf(
      IpfsCarFormatError,
    );
    await expect(parsed(chunked(lengthPrefixed(encodeCbor({ version: 3, roots: [] })), 4))).rejects.toThrow(
      /unsupported CAR version 3/,
    );
  });

  it("rejects a CAR cut inside a block or inside a CID", async () => {
    const bytes = await carBytes(await packFile(new Uint8Array(MiB + 1).fill(2)));
    await expect(parsed(chunked(bytes.subarray(0, bytes.length - 100), 4096))).rejects.toThrow(/is truncated/);
    const section = headerEnd(bytes);
    const [, sectionLengthBytes] = varint.decode(bytes.subarray(section));
    const insideCid = bytes.subarray(0, section + sectionLengthBytes + 3);
    await expect(parsed(chunked(insideCid, 4096))).rejects.toThrow(/CID is truncated/);
  });

  it("rejects a block declared over the limit before reading its bytes", async () => {
    const car = await carBytes(await packFile("x"));
    const header = car.subarray(0, headerEnd(car));
    const huge = varint.encodeTo(1024 * MiB, new Uint8Array(varint.encodingLength(1024 * MiB)));
    let askedForMore = false;
    const source = (async function* () {
      yield concat([header, huge]);
      askedForMore = true;
      yield new Uint8Array(MiB);
    })();
    const error = await parsed(source).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpfsBlockTooLargeError);
    expect((error as IpfsBlockTooLargeError).limit).toBe(LIMIT);
    expect(askedForMore).toBe(false);
  });
});
