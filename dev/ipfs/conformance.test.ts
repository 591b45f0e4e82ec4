// The local node's gateway against the IPFS HTTP gateway specs, each case naming the section it
// checks: https://specs.ipfs.tech/http-gateways/path-gateway/ (PG) and
// https://specs.ipfs.tech/http-gateways/trustless-gateway/ (TG). Where the node deliberately does
// not support something, the answer is the spec's own status for it (dev/ipfs/README.md).
import { join } from "node:path";
import { CarBlockIterator } from "@ipld/car";
import * as dagPb from "@ipld/dag-pb";
import { UnixFS } from "ipfs-unixfs";
import { equals } from "multiformats/bytes";
import { CID } from "multiformats/cid";
import { identity } from "multiformats/hashes/identity";
import { sha256 } from "multiformats/hashes/sha2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packFiles } from "../../src/lib/ipfs/car.ts";
import { startIpfsNode, type IpfsNode } from "./node.ts";
import { tempDir } from "./testing.ts";

let dir: Awaited<ReturnType<typeof tempDir>>;
let node: IpfsNode;
let site: CID;
let readme: CID;
/** 5 MiB and 17 bytes, each 1 MiB chunk different: several leaves under one root. */
const big = (() => {
  const bytes = new Uint8Array(5 * 1024 * 1024 + 17);
  let state = 0x2545f491;
  for (let i = 0; i < bytes.length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
})();

beforeAll(async () => {
  dir = await tempDir();
  node = await startIpfsNode({ dataDir: join(dir.path, "node"), port: 0, host: "127.0.0.1" });
  const car = await packFiles([
    { path: "index.html", content: "<!doctype html><title>hexs</title>" },
    { path: "docs/readme.md", content: "# Readme" },
    { path: "docs/big.bin", content: big },
  ]);
  const form = new FormData();
  form.append("file", car.blob(), "site.car");
  const imported = await fetch(`${node.url}/api/v0/dag/import?pin-roots=true`, { method: "POST", body: form });
  expect(imported.status).toBe(200);
  site = car.root;
  readme = CID.parse(
    (await fetch(`${node.gatewayUrl}/ipfs/${site}/docs/readme.md?format=raw`, { method: "HEAD" })).headers.get(
      "x-ipfs-roots",
    )!,
  );
});
afterAll(async () => {
  await node?.stop();
  await dir?.remove();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${node.gatewayUrl}${path}`, { headers });

describe("caching headers", () => {
  it("PG If-None-Match: an Etag the client holds is 304 for files, raw blocks and CARs", async () => {
    for (const [path, accept] of [
      [`/ipfs/${site}/docs/readme.md`, undefined],
      [`/ipfs/${readme}?format=raw`, undefined],
      [`/ipfs/${site}?format=car`, undefined],
      [`/ipfs/${readme}`, "application/vnd.ipld.raw"],
    ] as const) {
      const first = await get(path, accept ? { accept } : {});
      expect(first.status, path).toBe(200);
      const etag = first.headers.get("etag")!;
      await first.arrayBuffer();
      const again = await get(path, { ...(accept ? { accept } : {}), "if-none-match": etag });
      expect([again.status, again.headers.get("etag"), await again.text()], path).toEqual([304, etag, ""]);
    }
  });

  it("PG 412 Precondition Failed: only-if-cached for content this node lacks, the content when it has it", async () => {
    const missing = "bafkreigh2akiscaildcw4535x7k5vfhq56bqddhziq3p4mwfmlz4vfu2ta";
    const lacking = await get(`/ipfs/${missing}`, { "cache-control": "only-if-cached" });
    expect([lacking.status, await lacking.text()]).toEqual([
      412,
      `${missing} is not in this node's store (only-if-cached)\n`,
    ]);
    expect((await get(`/ipfs/${missing}`)).status).toBe(404);
    const held = await fetch(`${node.gatewayUrl}/ipfs/${site}/docs/readme.md`, {
      method: "HEAD",
      headers: { "cache-control": "only-if-cached" },
    });
    expect(held.status).toBe(200);
  });
});

describe("formats", () => {
  it("PG Accept: q=0 makes a format not acceptable (RFC 9110 §12.5.1), the highest q wins", async () => {
    const refused = await get(`/ipfs/${site}/docs/readme.md`, { accept: "application/vnd.ipld.raw;q=0, text/html" });
    expect([refused.status, await refused.text()]).toEqual([200, "# Readme"]);
    const ranked = await get(`/ipfs/${site}`, {
      accept: "application/vnd.ipld.raw;q=0.5, application/vnd.ipld.car;q=0.9",
    });
    expect(ranked.headers.get("content-type")).toMatch(/^application\/vnd\.ipld\.car/);
    await ranked.arrayBuffer();
  });

  it("PG Content-Location: a format negotiated by Accept alone is named in the URL; ?format= needs none", async () => {
    const byAccept = await get(`/ipfs/${readme}`, { accept: "application/vnd.ipld.raw" });
    expect(byAccept.headers.get("content-location")).toBe(`/ipfs/${readme}?format=raw`);
    const byQuery = await get(`/ipfs/${readme}?format=raw`);
    expect(byQuery.headers.get("content-location")).toBeNull();
    const deserialized = await get(`/ipfs/${site}/docs/readme.md`);
    expect(deserialized.headers.get("content-location")).toBeNull();
  });

  it("PG download and filename: attachment for download=true, inline for a filename alone, UTF-8 names as RFC 8187", async () => {
    const path = `/ipfs/${site}/docs/readme.md`;
    expect((await get(path)).headers.get("content-disposition")).toBeNull();
    expect((await get(`${path}?download=true`)).headers.get("content-disposition")).toBe(
      'attachment; filename="readme.md"',
    );
    expect((await get(`${path}?filename=notes.txt`)).headers.get("content-disposition")).toBe(
      'inline; filename="notes.txt"',
    );
    const named = await get(`${path}?filename=${encodeURIComponent("testтест.md")}&download=true`);
    expect(named.headers.get("content-disposition")).toBe(
      `attachment; filename="test____.md"; filename*=UTF-8''test%D1%82%D0%B5%D1%81%D1%82.md`,
    );
    expect((await get(`/ipfs/${readme}?format=raw`)).headers.get("content-disposition")).toBe(
      `attachment; filename="${readme}.bin"`,
    );
  });
});

describe("identity CIDs", () => {
  it("TG Dedicated Probe Paths: /ipfs/bafkqaaa answers 200 with no content, as a file and as a raw block", async () => {
    const probe = await get("/ipfs/bafkqaaa");
    expect([probe.status, (await probe.arrayBuffer()).byteLength]).toEqual([200, 0]);
    const raw = await get("/ipfs/bafkqaaa?format=raw");
    expect([raw.status, raw.headers.get("content-type"), (await raw.arrayBuffer()).byteLength]).toEqual([
      200,
      "application/vnd.ipld.raw",
      0,
    ]);
  });

  it("serves an identity CID's data from the CID itself, as a raw block and a CAR holding that one block", async () => {
    const data = new TextEncoder().encode("hello from inside the CID");
    const cid = CID.createV1(0x55, identity.digest(data));
    expect(new Uint8Array(await (await get(`/ipfs/${cid}?format=raw`)).arrayBuffer())).toEqual(data);
    const car = await get(`/ipfs/${cid}?format=car`);
    const blocks = [];
    for await (const block of await CarBlockIterator.fromBytes(new Uint8Array(await car.arrayBuffer())))
      blocks.push(block);
    expect(blocks.map((b) => [b.cid.toString(), b.bytes])).toEqual([[cid.toString(), data]]);
    expect((await get(`/ipfs/${cid}/a/path`)).status).toBe(404);
  });
});

describe("pin/ls (Kubo RPC)", () => {
  it("filters by type as Kubo does: every pin here is recursive, none direct; an unknown type is refused", async () => {
    const ls = async (query: string) => {
      const response = await fetch(`${node.url}/api/v0/pin/ls?${query}`, { method: "POST" });
      return [response.status, await response.json()] as const;
    };
    expect(await ls("type=recursive")).toEqual([200, { Keys: { [site.toString()]: { Type: "recursive", Name: "" } } }]);
    expect(await ls("type=all")).toEqual([200, { Keys: { [site.toString()]: { Type: "recursive", Name: "" } } }]);
    expect(await ls("type=direct")).toEqual([200, { Keys: {} }]);
    expect((await ls(`type=direct&arg=${site}`))[0]).toBe(404);
    expect(await ls("type=sideways")).toMatchObject([
      400,
      { Message: "invalid type 'sideways', must be one of {direct, indirect, recursive, all}" },
    ]);
  });
});

/** The blocks of a CAR answer, in order, each checked against its CID. */
async function carBlocks(response: Response): Promise<{ cid: CID; bytes: Uint8Array }[]> {
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("application/vnd.ipld.car; version=1; order=dfs; dups=n");
  const blocks: { cid: CID; bytes: Uint8Array }[] = [];
  for await (const { cid, bytes } of await CarBlockIterator.fromBytes(new Uint8Array(await response.arrayBuffer()))) {
    expect(equals((await sha256.digest(bytes)).digest, cid.multihash.digest), `${cid} hashes to its CID`).toBe(true);
    blocks.push({ cid: CID.asCID(cid)!, bytes });
  }
  return blocks;
}

/** Walks `path` from `root` through the CAR's own blocks, as a client that trusts only `root` would. */
function walk(blocks: { cid: CID; bytes: Uint8Array }[], root: CID, path: string): CID {
  const byCid = new Map(blocks.map((b) => [b.cid.toString(), b.bytes]));
  let current = root;
  for (const segment of path.split("/")) {
    const bytes = byCid.get(current.toString());
    expect(bytes, `the CAR holds ${current}, on the way to ${segment}`).toBeDefined();
    const link = dagPb.decode(bytes!).Links.find((l) => l.Name === segment);
    expect(link, `${current} links "${segment}"`).toBeDefined();
    current = link!.Hash;
  }
  return current;
}

/** The file bytes the CAR's blocks under `file` hold, leaf by leaf in order (missing leaves skipped). */
function fileBytes(blocks: { cid: CID; bytes: Uint8Array }[], file: CID): { data: Uint8Array[]; leaves: number } {
  const byCid = new Map(blocks.map((b) => [b.cid.toString(), b.bytes]));
  const data: Uint8Array[] = [];
  let leaves = 0;
  const visit = (cid: CID) => {
    const bytes = byCid.get(cid.toString());
    if (!bytes) return;
    if (cid.code === 0x55) return void (leaves++, data.push(bytes));
    const node = dagPb.decode(bytes);
    const unixfs = UnixFS.unmarshal(node.Data!);
    if (unixfs.data?.length) data.push(unixfs.data);
    for (const link of node.Links) visit(link.Hash);
  };
  visit(file);
  return { data, leaves };
}

const joined = (parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));
/** A block as the store gives it back: whole, or streamed in pieces. */
async function wholeBlock(block: Uint8Array | AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<Uint8Array> {
  if (block instanceof Uint8Array) return block;
  const parts: Uint8Array[] = [];
  for await (const part of block) parts.push(part);
  return joined(parts);
}

describe("CAR responses", () => {
  it("TG dag-scope: a path's CAR holds the blocks verifying each segment from the root, then the file", async () => {
    const blocks = await carBlocks(await get(`/ipfs/${site}/docs/big.bin?format=car`));
    const file = walk(blocks, site, "docs/big.bin");
    expect(blocks[0]!.cid).toEqual(site);
    expect(joined(fileBytes(blocks, file).data)).toEqual(big);
    // A depth-first client reads the same blocks through the path: root, docs, the file.
    const small = await carBlocks(await get(`/ipfs/${site}/docs/readme.md?format=car`));
    expect(new TextDecoder().decode(joined(fileBytes(small, walk(small, site, "docs/readme.md")).data))).toBe(
      "# Readme",
    );
  });

  it("TG dag-scope=block: the path's blocks and the terminal block alone", async () => {
    const blocks = await carBlocks(await get(`/ipfs/${site}/docs/big.bin?format=car&dag-scope=block`));
    const file = walk(blocks, site, "docs/big.bin");
    expect(blocks.map((b) => b.cid.toString())).toEqual([site.toString(), blocks[1]!.cid.toString(), file.toString()]);
  });

  it("TG dag-scope=entity: a whole file, but a directory's own block without its entries", async () => {
    const file = await carBlocks(await get(`/ipfs/${site}/docs/big.bin?format=car&dag-scope=entity`));
    expect(joined(fileBytes(file, walk(file, site, "docs/big.bin")).data)).toEqual(big);
    const directory = await carBlocks(await get(`/ipfs/${site}/docs?format=car&dag-scope=entity`));
    const docs = walk(directory, site, "docs");
    expect(directory.map((b) => b.cid.toString())).toEqual([site.toString(), docs.toString()]);
    const all = await carBlocks(await get(`/ipfs/${site}/docs?format=car`));
    expect(all.length).toBeGreaterThan(directory.length + 2);
  });

  it("TG entity-bytes: only the blocks a byte range needs, from either end; past the end is 400", async () => {
    const path = `/ipfs/${site}/docs/big.bin?format=car`;
    const whole = await carBlocks(await get(path));
    const file = walk(whole, site, "docs/big.bin");
    const leaves = fileBytes(whole, file).leaves;
    expect(leaves).toBeGreaterThan(4);
    const leafSize = 1024 * 1024;

    // Bytes 1 MiB + 10 … 2 MiB + 10 fall in the second and third leaves.
    const middle = await carBlocks(await get(`${path}&entity-bytes=${leafSize + 10}:${2 * leafSize + 10}`));
    const part = fileBytes(middle, walk(middle, site, "docs/big.bin"));
    expect(part.leaves).toBe(2);
    expect(joined(part.data)).toEqual(big.subarray(leafSize, 3 * leafSize));

    // The last 10 bytes are in the last leaf (17 bytes); the last 1024 reach into the one before.
    const tail = await carBlocks(await get(`${path}&entity-bytes=-10:*`));
    const last = fileBytes(tail, walk(tail, site, "docs/big.bin"));
    expect(last.leaves).toBe(1);
    expect(joined(last.data)).toEqual(big.subarray(5 * leafSize));
    const longer = fileBytes(await carBlocks(await get(`${path}&entity-bytes=-1024:*`)), file);
    expect(longer.leaves).toBe(2);
    expect(joined(longer.data)).toEqual(big.subarray(4 * leafSize));

    // 0:* is the whole file; a range from beyond the end is refused before any block is sent.
    expect(joined(fileBytes(await carBlocks(await get(`${path}&entity-bytes=0:*`)), file).data)).toEqual(big);
    const past = await get(`${path}&entity-bytes=${big.length}:*`);
    expect(past.status).toBe(400);
    expect(await past.text()).toContain("starts past the end");
    expect((await get(`${path}&entity-bytes=ten:20`)).status).toBe(400);
  });

  it("TG dag-scope: a path through a HAMT-sharded directory brings the shards on the way, not the other entries", async () => {
    // A directory of 300 files, sharded as Kubo shards big directories (another producer than HEXS's packer).
    const { importer } = await import("ipfs-unixfs-importer");
    const { MemoryBlockstore } = await import("blockstore-core/memory");
    const { CarWriter } = await import("@ipld/car");
    const store = new MemoryBlockstore();
    const files = Array.from({ length: 300 }, (_, i) => ({
      path: `shard/file-${i}.txt`,
      content: new TextEncoder().encode(`file number ${i}\n`),
    }));
    let root: CID | undefined;
    for await (const entry of importer(files, store, { shardSplitThresholdBytes: 1, wrapWithDirectory: false }))
      if (entry.path === "shard") root = entry.cid;
    const { writer, out } = CarWriter.create([root!]);
    const collected = (async () => {
      const parts: Uint8Array[] = [];
      for await (const part of out) parts.push(part);
      return new Blob(parts as Uint8Array<ArrayBuffer>[]);
    })();
    for await (const { cid, bytes } of store.getAll()) await writer.put({ cid, bytes: await wholeBlock(bytes) });
    await writer.close();
    const form = new FormData();
    form.append("file", await collected, "hamt.car");
    expect((await fetch(`${node.url}/api/v0/dag/import`, { method: "POST", body: form })).status).toBe(200);

    const blocks = await carBlocks(await get(`/ipfs/${root}/file-137.txt?format=car`));
    const byCid = new Map(blocks.map((b) => [b.cid.toString(), b.bytes]));
    // Through the shards: a link named by its bucket alone leads to a sub-shard, one named by the
    // bucket and the entry's name to the entry.
    const find = (shard: CID): CID | undefined => {
      const node = dagPb.decode(byCid.get(shard.toString()) ?? new Uint8Array(0));
      const entry = node.Links.find((l) => l.Name!.length > 2 && l.Name!.slice(2) === "file-137.txt");
      if (entry) return entry.Hash;
      for (const link of node.Links.filter((l) => l.Name!.length === 2 && byCid.has(l.Hash.toString()))) {
        const found = find(link.Hash);
        if (found) return found;
      }
      return undefined;
    };
    expect(UnixFS.unmarshal(dagPb.decode(byCid.get(root!.toString())!).Data!).type).toBe("hamt-sharded-directory");
    const file = find(root!)!;
    expect(new TextDecoder().decode(joined(fileBytes(blocks, file).data))).toBe("file number 137\n");
    // Only the shards on the way and the file: none of the 299 other files.
    expect(blocks.length).toBeLessThan(6);
  });

  it("TG Etag: a CAR's Etag names its dag-scope and entity-bytes", async () => {
    const etags = new Set<string>();
    for (const query of ["", "&dag-scope=block", "&dag-scope=entity", "&entity-bytes=0:99", "&entity-bytes=100:199"]) {
      const response = await get(`/ipfs/${site}/docs/big.bin?format=car${query}`);
      await response.arrayBuffer();
      etags.add(response.headers.get("etag")!);
    }
    expect(etags.size).toBe(5);
  });
});
