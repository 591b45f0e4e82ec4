// IPFS benchmark (issue 4, item 10): 100 MB through the packer, the local node and the verified
// readers, each as a ratio to plain SHA-256 of the same bytes measured in the same run.
import { createHash, randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { openPage, publishBrowserEntry } from "../ipfs/browserSite.ts";
import { spawnNode, tempDir } from "../ipfs/testing.ts";
import { packFile } from "../../src/lib/ipfs/car.ts";
import { verifiedFileStream } from "../../src/lib/ipfs/carRead.ts";
import { createVerifiedReader } from "../../src/lib/ipfs/fetch.ts";
import { hashLeaves } from "../../src/lib/ipfs/leaves.ts";
import { kuboAdapter } from "../../src/lib/ipfs/kubo.ts";
import { uploadCar } from "../../src/lib/ipfs/upload.ts";
import type { BenchMetric, BenchSection } from "./report.ts";

const SIZE = 100_000_000;
const MB = 1_000_000;
const RUNS = 3;

/** Best of `RUNS` (the least disturbed by the other processes on a 2-core machine). */
async function bestMs(work: () => Promise<unknown>, runs = RUNS): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await work();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

const rate = (ms: number) => SIZE / MB / (ms / 1000);

async function drain(stream: ReadableStream<Uint8Array>): Promise<number> {
  let bytes = 0;
  for await (const chunk of stream) bytes += chunk.length;
  return bytes;
}

export async function run(): Promise<BenchSection> {
  const bytes = randomBytes(SIZE);
  const file = new Blob([bytes]);
  const dir = await tempDir("hexs-bench-ipfs-");
  // The node runs in its own process, as `npm run ipfs` runs it (`npm start` runs it beside the
  // local stand-ins): a client (a browser tab, a script) never shares the node's event loop.
  const node = await spawnNode(join(dir.path, "node"));
  try {
    const sha = rate(await bestMs(async () => createHash("sha256").update(bytes).digest()));
    // The packer's own hash pass (1 MiB chunks, 4 in flight, on every core): packing is that pass
    // and the CAR's layout, so packing over it is at most 1.
    const hashPass = rate(await bestMs(() => hashLeaves(bytes)));
    const hashPassBlob = rate(await bestMs(() => hashLeaves(file)));
    const pack = rate(await bestMs(async () => drain((await packFile(bytes)).stream())));
    const packBlob = rate(await bestMs(async () => drain((await packFile(file)).stream())));
    let packUploadMs = Infinity;
    for (let i = 0; i < RUNS; i++) {
      // A fresh node each run (started before the clock), so every run writes every block.
      const folder = join(dir.path, `upload-${i}`);
      const fresh = await spawnNode(folder);
      try {
        // A first small upload loads and compiles the node's import path, as any node that has
        // served one upload has it: the clock measures the transfer, not the process's start.
        await uploadCar(kuboAdapter({ url: fresh.url }), await packFile(randomBytes(64 * 1024)));
        const start = performance.now();
        await uploadCar(kuboAdapter({ url: fresh.url }), await packFile(bytes));
        packUploadMs = Math.min(packUploadMs, performance.now() - start);
      } finally {
        await fresh.stop();
        // Left in place, each run's 100 MB of new files made the next run's writes cost ~5x
        // the kernel time on this VM (measured 40 -> 270 ms per 100 MB): later runs measured the
        // benchmark's own leftovers.
        await rm(folder, { recursive: true, force: true });
      }
    }
    const packUpload = rate(packUploadMs);
    const car = await packFile(file);
    await uploadCar(kuboAdapter({ url: node.url }), car);
    const readCar = rate(await bestMs(async () => drain(await verifiedFileStream(car.root, { gateways: [node.url] }))));
    const reader = await createVerifiedReader({ gateways: [node.url], timeoutMs: 300_000 });
    const readVerifiedFetch = rate(await bestMs(async () => drain((await reader.fetch(car.root)).body!), 1));
    await reader.stop();
    const browser = await chromiumRead(node.url, car.root.toString());

    const ratio = (name: string, value: number, reference: number, min: number, unit = "× SHA-256"): BenchMetric => ({
      name,
      value: value / reference,
      unit,
      target: `≥ ${min}`,
      met: value / reference >= min,
    });
    const PASS = "× the packer's hash pass";
    return {
      title: "IPFS: pack, upload, verified read (100 MB)",
      method: [
        `${SIZE / MB} MB of random bytes in memory (a Uint8Array; also wrapped in a Blob, as a browser File is), 1 MiB raw leaves (unixfs-v1-2025), best of ${RUNS} runs except verified-fetch (1 run),`,
        `on this machine (${process.platform}, ${(await import("node:os")).cpus().length} cores, shared with other work), Node ${process.version}.`,
        "Pack = root CID + the whole CAR streamed out: one hash pass (WebCrypto, 4 chunks in flight, so both cores hash), then the CAR is laid out from references to the source (a Blob is read a second time, not hashed; Node reads Blobs at ~0.7-1 GB/s, which bounds the Blob figure).",
        "Packing is measured against that same hash pass run alone on the same source (src/lib/ipfs/leaves.ts hashLeaves: 1 MiB chunks, 4 in flight, every core), so its ratio is at most 1; uploads and reads, bound by one thread each, against single-threaded SHA-256 of the same bytes (node:crypto).",
        "The local node runs in its own process (as `npm run ipfs` runs it), never on the client's event loop. Pack + upload + verify = pack, POST dag/import to a fresh local node that re-hashes every block and writes it to disk (each block, its folders and the pin flushed before the pin is acknowledged), pin; the node has served one 64 KiB upload before the clock starts (its import path loaded and compiled, as on any node past its first upload); each run's node folder is deleted after its run, so every run starts from the same disk state.",
        "Verified read (CAR) = one depth-first CAR per file, every block hashed and checked against the DAG (src/lib/ipfs/carRead.ts).",
        "Verified read (verified-fetch) = @helia/verified-fetch light, one trustless request per block (src/lib/ipfs/fetch.ts).",
        "Chromium: the same modules bundled into a page served by the local node (packing a File of 100 MB, the CAR reader); references = the packer's hash pass over that File, and crypto.subtle SHA-256 of 100 MB in one call, in that page.",
      ].join(" "),
      metrics: [
        { name: "SHA-256 (Node, one thread, reference)", value: sha, unit: "MB/s" },
        { name: "the packer's hash pass (Node, every core, reference)", value: hashPass, unit: "MB/s" },
        { name: "pack (bytes in memory)", value: pack, unit: "MB/s" },
        ratio("pack / the packer's hash pass", pack, hashPass, 0.5, PASS),
        { name: "the packer's hash pass over a Blob (reference)", value: hashPassBlob, unit: "MB/s" },
        { name: "pack (Blob source, as a File)", value: packBlob, unit: "MB/s" },
        ratio("pack from Blob / its hash pass", packBlob, hashPassBlob, 0.5, PASS),
        { name: "pack + upload + node verification", value: packUpload, unit: "MB/s" },
        ratio("pack + upload + verify / SHA-256", packUpload, sha, 0.25),
        { name: "verified read, CAR (Node)", value: readCar, unit: "MB/s" },
        ratio("verified read CAR (Node) / SHA-256", readCar, sha, 0.25),
        { name: "verified read, verified-fetch (Node)", value: readVerifiedFetch, unit: "MB/s" },
        { name: "verified-fetch (Node) / SHA-256", value: readVerifiedFetch / sha, unit: "× SHA-256" },
        { name: "SHA-256 (Chromium, one call, reference)", value: browser.sha, unit: "MB/s" },
        { name: "the packer's hash pass over a File (Chromium, reference)", value: browser.hashPass, unit: "MB/s" },
        { name: "pack a File (Chromium)", value: browser.pack, unit: "MB/s" },
        ratio("pack a File (Chromium) / its hash pass", browser.pack, browser.hashPass, 0.5, PASS),
        { name: "verified read, CAR (Chromium)", value: browser.read, unit: "MB/s" },
        ratio("verified read (Chromium) / SHA-256 (Chromium)", browser.read, browser.sha, 0.25),
      ],
    };
  } finally {
    await node.stop();
    await dir.remove();
  }
}

/** Serves dev/bench/ipfsBrowser.ts from the node as a site and runs it in Chromium. */
async function chromiumRead(
  gateway: string,
  cid: string,
): Promise<{ read: number; sha: number; pack: number; hashPass: number }> {
  const site = await publishBrowserEntry(new URL("./ipfsBrowser.ts", import.meta.url), gateway);
  const { browser, page } = await openPage(`${gateway}/ipfs/${site}/`, "hexsBench");
  try {
    const result = await page.evaluate(
      async ({ cid, gateway, size, runs }) => {
        const bench = (globalThis as unknown as { hexsBench: Record<string, (...args: unknown[]) => Promise<{ ms: number; bytes?: number }>> }).hexsBench;
        let read = Infinity;
        let sha = Infinity;
        let pack = Infinity;
        let hashPass = Infinity;
        for (let i = 0; i < runs; i++) {
          const packed = await bench.pack!(size);
          pack = Math.min(pack, packed.ms);
          hashPass = Math.min(hashPass, (packed as unknown as { hashMs: number }).hashMs);
          const one = await bench.verifiedRead!(cid, gateway);
          if (one.bytes !== size) throw new Error(`read ${one.bytes} bytes, expected ${size}`);
          read = Math.min(read, one.ms);
          sha = Math.min(sha, (await bench.sha256!(size)).ms);
        }
        return { read, sha, pack, hashPass };
      },
      { cid, gateway, size: SIZE, runs: RUNS },
    );
    return {
      read: rate(result.read),
      sha: rate(result.sha),
      pack: rate(result.pack),
      hashPass: rate(result.hashPass),
    };
  } finally {
    await browser.close();
  }
}
