import { CarBlockIterator } from "@ipld/car";
import { importer, type ImportCandidate } from "ipfs-unixfs-importer";
import { fixedSize, type Chunker } from "ipfs-unixfs-importer/chunker";
import { MemoryBlockstore } from "blockstore-core/memory";
import { CID } from "multiformats/cid";
import { sha256 } from "multiformats/hashes/sha2";
import { describe, expect, it } from "vitest";
import { packFile, packFiles, packJson, type PackedCar } from "./car.ts";
import { buildFile } from "./dag.ts";
import { IpfsPackError } from "./errors.ts";
import { RAW_CODE, cidOf } from "./hash.ts";

const MiB = 1024 * 1024;

function pseudoRandom(size: number, seed = 1): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

async function referenceCid(candidates: ImportCandidate[], wrap = false, chunker?: Chunker): Promise<CID> {
  let last: CID | undefined;
  for await (const entry of importer(candidates, new MemoryBlockstore(), {
    profile: "unixfs-v1-2025",
    wrapWithDirectory: wrap,
    ...(chunker ? { chunker } : {}),
  })) {
    last = entry.cid;
  }
  return last!;
}

async function readCar(car: PackedCar, via: "blob" | "stream" = "stream") {
  const bytes = new Uint8Array(await new Response(via === "blob" ? car.blob() : car.stream()).arrayBuffer());
  const iterator = await CarBlockIterator.fromBytes(bytes);
  const blocks: { cid: CID; bytes: Uint8Array }[] = [];
  for await (const block of iterator) blocks.push(block);
  return { length: bytes.length, roots: await iterator.getRoots(), blocks };
}

describe("packFile", () => {
  it.each([
    ["empty", 0],
    ["small", 1000],
    ["exactly one chunk", MiB],
    ["a chunk and a byte", MiB + 1],
    ["several chunks", 5 * MiB + 123],
  ])("gives the unixfs-v1-2025 CID of Kubo's importer for a %s file", async (_name, size) => {
    const bytes = pseudoRandom(size, size + 7);
    const car = await packFile(bytes);
    expect(car.root.toString()).toBe((await referenceCid([{ content: bytes }])).toString());
  });

  it("builds a second DAG level past 1 024 leaves, as the importer does", async () => {
    // 1 025 one-byte leaves stand in for a 1 GiB+ file: the layout only depends on the count.
    const bytes = pseudoRandom(2 * 1024 + 3);
    const leaves = await Promise.all(
      [...bytes].map(async (byte) => {
        const data = new Uint8Array([byte]);
        return { cid: await cidOf(RAW_CODE, data), bytes: data, size: 1, fileSize: 1, children: [] };
      }),
    );
    const root = await buildFile(leaves);
    expect(root.children).toHaveLength(3);
    const reference = await referenceCid([{ content: bytes }], false, fixedSize({ chunkSize: 1 }));
    expect(root.cid.toString()).toBe(reference.toString());
  });

  it("writes a valid CARv1 whose size, root and blocks all check out", async () => {
    const bytes = pseudoRandom(3 * MiB + 5);
    const car = await packFile(new Blob([bytes as Uint8Array<ArrayBuffer>]));
    for (const via of ["blob", "stream"] as const) {
      const read = await readCar(car, via);
      expect(read.length).toBe(car.size);
      expect(read.roots.map(String)).toEqual([car.root.toString()]);
      expect(read.blocks[0]!.cid.toString()).toBe(car.root.toString());
      expect(read.blocks).toHaveLength(5);
      for (const block of read.blocks) {
        expect((await sha256.digest(block.bytes)).digest).toEqual(block.cid.multihash.digest);
      }
    }
  });

  it("gives the same CID for a Blob, bytes and a one-shot stream", async () => {
    const bytes = pseudoRandom(2 * MiB + 99);
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream();
    const cids = await Promise.all([
      packFile(bytes),
      packFile(new Blob([bytes as Uint8Array<ArrayBuffer>])),
      packFile(stream),
    ]);
    expect(new Set(cids.map((car) => car.root.toString())).size).toBe(1);
  });

  it("reports hashing progress up to the total", async () => {
    const seen: number[] = [];
    await packFile(new Blob([pseudoRandom(3 * MiB) as Uint8Array<ArrayBuffer>]), {
      onProgress: ({ bytes, total }) => seen.push(bytes / total!),
    });
    expect(seen).toEqual([1 / 3, 2 / 3, 1]);
  });

  it("stops when aborted", async () => {
    await expect(packFile(pseudoRandom(3 * MiB), { signal: AbortSignal.abort() })).rejects.toThrow();
  });
});

describe("packJson", () => {
  it("packs the JSON text as a UnixFS file", async () => {
    const value = { name: "tiny", tags: ["a", "b"] };
    const car = await packJson(value);
    const text = new TextEncoder().encode(JSON.stringify(value));
    expect(car.root.toString()).toBe((await referenceCid([{ content: text }])).toString());
    const { blocks } = await readCar(car);
    expect(JSON.parse(new TextDecoder().decode(blocks[0]!.bytes))).toEqual(value);
  });
});

describe("packFiles", () => {
  it("gives the importer's directory CID for a nested folder", async () => {
    const files = [
      { path: "index.html", content: "<!doctype html><title>x</title>" },
      { path: "_app/immutable/a.js", content: pseudoRandom(2 * MiB + 1) },
      { path: "_app/immutable/b.css", content: "body{}" },
      { path: "robots.txt", content: new Blob(["User-agent: *"]) },
    ];
    const car = await packFiles(files);
    const reference = await referenceCid(
      files.map(({ path, content }) => ({
        path,
        content:
          typeof content === "string"
            ? new TextEncoder().encode(content)
            : content instanceof Blob
              ? new TextEncoder().encode("User-agent: *")
              : content,
      })),
      true,
    );
    expect(car.root.toString()).toBe(reference.toString());
    const { blocks, roots } = await readCar(car);
    expect(roots[0]!.toString()).toBe(car.root.toString());
    expect(blocks[0]!.cid.toString()).toBe(car.root.toString());
  });

  it("stores a repeated file once", async () => {
    const car = await packFiles([
      { path: "a.txt", content: "same" },
      { path: "b.txt", content: "same" },
    ]);
    expect((await readCar(car)).blocks).toHaveLength(2);
  });

  it.each([["../up"], ["a//b"], ["/abs"], ["./x"], [""]])("rejects the path %j", async (path) => {
    await expect(packFiles([{ path, content: "x" }])).rejects.toBeInstanceOf(IpfsPackError);
  });

  it("rejects duplicate paths and file/folder clashes", async () => {
    await expect(
      packFiles([
        { path: "a", content: "1" },
        { path: "a", content: "2" },
      ]),
    ).rejects.toThrow(/duplicate/);
    await expect(
      packFiles([
        { path: "a", content: "1" },
        { path: "a/b", content: "2" },
      ]),
    ).rejects.toThrow(/both/);
  });
});
