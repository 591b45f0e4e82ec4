// The local node's gateway against the IPFS HTTP gateway specs, each case naming the section it
// checks: https://specs.ipfs.tech/http-gateways/path-gateway/ (PG) and
// https://specs.ipfs.tech/http-gateways/trustless-gateway/ (TG). Where the node deliberately does
// not support something, the answer is the spec's own status for it (dev/ipfs/README.md).
import { join } from "node:path";
import { CarBlockIterator } from "@ipld/car";
import { CID } from "multiformats/cid";
import { identity } from "multiformats/hashes/identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packFiles } from "../../src/lib/ipfs/car.ts";
import { startIpfsNode, type IpfsNode } from "./node.ts";
import { tempDir } from "./testing.ts";

let dir: Awaited<ReturnType<typeof tempDir>>;
let node: IpfsNode;
let site: CID;
let readme: CID;

beforeAll(async () => {
  dir = await tempDir();
  node = await startIpfsNode({ dataDir: join(dir.path, "node"), port: 0, host: "127.0.0.1" });
  const car = await packFiles([
    { path: "index.html", content: "<!doctype html><title>hexs</title>" },
    { path: "docs/readme.md", content: "# Readme" },
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
