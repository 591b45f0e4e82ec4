// The node's repository over time: garbage collection as Kubo's `repo/gc`, and what is left
// after the node is killed mid-import.
import { createHash, randomBytes } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CarBlockIterator } from "@ipld/car";
import { base32upper } from "multiformats/bases/base32";
import { CID } from "multiformats/cid";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packFile } from "../../src/lib/ipfs/car.ts";
import { kuboAdapter } from "../../src/lib/ipfs/kubo.ts";
import { uploadCar } from "../../src/lib/ipfs/upload.ts";
import { startIpfsNode, type IpfsNode } from "./node.ts";
import { spawnNode, tempDir } from "./testing.ts";

const MiB = 1024 * 1024;
let dir: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  dir = await tempDir();
});
afterAll(async () => {
  await dir?.remove();
});

async function carBytes(car: { stream(): ReadableStream<Uint8Array> }): Promise<Uint8Array> {
  return new Uint8Array(await new Response(car.stream()).arrayBuffer());
}

/** The multihashes (base32, as the block files are named) of every block of a CAR. */
async function blockKeys(bytes: Uint8Array): Promise<string[]> {
  const keys: string[] = [];
  for await (const { cid } of await CarBlockIterator.fromBytes(bytes))
    keys.push(base32upper.encode(cid.multihash.bytes));
  return keys;
}

/** Every block file of the store, by multihash, with whether its bytes hash to its name. */
async function blockFiles(dataDir: string): Promise<Map<string, boolean>> {
  const files = new Map<string, boolean>();
  const root = join(dataDir, "blocks");
  for (const shard of await readdir(root)) {
    for (const name of await readdir(join(root, shard))) {
      if (!name.endsWith(".data")) continue;
      const key = name.slice(0, -".data".length);
      const digest = createHash("sha256")
        .update(await readFile(join(root, shard, name)))
        .digest();
      const multihash = base32upper.decode(key);
      files.set(key, Buffer.from(multihash.subarray(2)).equals(digest));
    }
  }
  return files;
}

async function allFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

async function postCar(url: string, bytes: Uint8Array, pin = true): Promise<Response> {
  const form = new FormData();
  form.append("file", new Blob([bytes as Uint8Array<ArrayBuffer>]), "x.car");
  return fetch(`${url}/api/v0/dag/import?pin-roots=${pin}`, { method: "POST", body: form });
}

async function gc(url: string): Promise<string[]> {
  const response = await fetch(`${url}/api/v0/repo/gc`, { method: "POST" });
  expect(response.status).toBe(200);
  const lines = (await response.text()).split("\n").filter(Boolean);
  return lines.map((line) => {
    const parsed = JSON.parse(line) as { Key?: { "/": string }; Error?: string };
    if (!parsed.Key) throw new Error(`repo/gc failed: ${parsed.Error}`);
    return base32upper.encode(CID.parse(parsed.Key["/"]).multihash.bytes);
  });
}

async function sha256Of(url: string): Promise<string> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return createHash("sha256")
    .update(new Uint8Array(await response.arrayBuffer()))
    .digest("hex");
}

describe("repo/gc, as Kubo's", () => {
  let node: IpfsNode;
  const dataDir = () => join(dir.path, "gc");
  beforeAll(async () => {
    node = await startIpfsNode({ dataDir: dataDir(), port: 0, host: "127.0.0.1" });
  });
  afterAll(() => node?.stop());

  it("removes the blocks of unpinned imports and of rejected uploads, and keeps every pinned DAG whole", async () => {
    const keptData = randomBytes(3 * MiB + 5);
    const kept = await packFile(keptData);
    const keptBytes = await carBytes(kept);
    expect((await postCar(node.url, keptBytes)).status).toBe(200);
    const unpinned = await carBytes(await packFile(randomBytes(2 * MiB + 7)));
    expect((await postCar(node.url, unpinned, false)).status).toBe(200);
    // Its first blocks are valid and stored; its last is tampered, so the upload is refused.
    const rejected = await carBytes(await packFile(randomBytes(3 * MiB)));
    const rejectedKeys = await blockKeys(rejected);
    rejected[rejected.length - 10]! ^= 0xff;
    expect((await postCar(node.url, rejected)).status).toBe(400);

    const before = await blockFiles(dataDir());
    const leftByRejection = rejectedKeys.filter((key) => before.has(key));
    expect(leftByRejection.length).toBeGreaterThan(0);

    const removed = await gc(node.url);
    expect(new Set(removed)).toEqual(new Set([...(await blockKeys(unpinned)), ...leftByRejection]));
    const after = await blockFiles(dataDir());
    expect([...after.keys()].sort()).toEqual((await blockKeys(keptBytes)).sort());
    expect([...after.values()].every(Boolean)).toBe(true);
    expect(await sha256Of(`${node.gatewayUrl}/ipfs/${kept.root}`)).toBe(
      createHash("sha256").update(keptData).digest("hex"),
    );
    // Nothing left to collect.
    expect(await gc(node.url)).toEqual([]);
  });

  it("waits for an import in flight, so it never removes the blocks of a DAG about to be pinned", async () => {
    const data = randomBytes(4 * MiB);
    const car = await packFile(data);
    const bytes = await carBytes(car);
    // The upload trickles in: the collection asked for meanwhile must not take its blocks.
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent >= bytes.length) return controller.close();
        const end = Math.min(sent + 256 * 1024, bytes.length);
        controller.enqueue(bytes.slice(sent, end));
        sent = end;
        await new Promise((resolve) => setTimeout(resolve, 40));
      },
    });
    const boundary = "hexsboundary";
    const head = new TextEncoder().encode(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.car"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    );
    const tail = new TextEncoder().encode(`\r\n--${boundary}--\r\n`);
    const multipart = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(head);
        for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) controller.enqueue(chunk);
        controller.enqueue(tail);
        controller.close();
      },
    });
    const upload = fetch(`${node.url}/api/v0/dag/import?pin-roots=true`, {
      method: "POST",
      body: multipart,
      headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
      duplex: "half",
    } as RequestInit);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sent).toBeLessThan(bytes.length);
    const collected = gc(node.url);
    expect((await upload).status).toBe(200);
    const removed = await collected;
    const keys = new Set(await blockKeys(bytes));
    expect(removed.filter((key) => keys.has(key))).toEqual([]);
    expect(await sha256Of(`${node.gatewayUrl}/ipfs/${car.root}`)).toBe(createHash("sha256").update(data).digest("hex"));
  });
});

describe("a node killed mid-import", () => {
  it("starts again with no temporary file, no block that fails its hash, and every earlier pin whole", async () => {
    const dataDir = join(dir.path, "killed");
    const pinnedData = randomBytes(3 * MiB + 11);
    const pinned = await packFile(pinnedData);
    let node = await spawnNode(dataDir);
    await uploadCar(kuboAdapter({ url: node.url }), pinned);
    const pinnedHash = createHash("sha256").update(pinnedData).digest("hex");

    for (const killAfter of [3 * MiB, 9 * MiB, 17 * MiB]) {
      const big = await carBytes(await packFile(randomBytes(24 * MiB)));
      const form = new FormData();
      form.append("file", new Blob([big as Uint8Array<ArrayBuffer>]), "big.car");
      // Killed once the node has taken about `killAfter` bytes of the upload.
      let taken = 0;
      const killed = new Promise<void>((resolve) => {
        const body = new Response(form).body!.pipeThrough(
          new TransformStream<Uint8Array, Uint8Array>({
            transform(chunk, controller) {
              controller.enqueue(chunk);
              taken += chunk.length;
              if (taken >= killAfter) {
                process.kill(node.pid, "SIGKILL");
                resolve();
              }
            },
          }),
        );
        void fetch(`${node.url}/api/v0/dag/import`, {
          method: "POST",
          body,
          headers: { "content-type": new Response(form).headers.get("content-type")! },
          duplex: "half",
        } as RequestInit).catch(() => undefined);
      });
      await killed;
      // As a kill can leave it: a block's temporary file, torn.
      await writeFile(join(dataDir, "blocks", `torn-${killAfter}.data.1-1.tmp`), randomBytes(1000));
      node = await spawnNode(dataDir);

      expect((await allFiles(dataDir)).filter((path) => path.endsWith(".tmp"))).toEqual([]);
      const files = await blockFiles(dataDir);
      expect([...files].filter(([, ok]) => !ok)).toEqual([]);
      const pins = (await (await fetch(`${node.url}/api/v0/pin/ls`, { method: "POST" })).json()) as {
        Keys: Record<string, unknown>;
      };
      expect(Object.keys(pins.Keys)).toEqual([pinned.root.toString()]);
      expect(await sha256Of(`${node.url}/ipfs/${pinned.root}`)).toBe(pinnedHash);
    }
    await node.stop();
  });
});
