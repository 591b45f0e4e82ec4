// Browser side of the IPFS benchmark (bundled by dev/bench/ipfs.ts, run in Chromium): a
// verified CAR read of a file from the local node, and plain SHA-256 of as many bytes.
import { packFile } from "../../src/lib/ipfs/car.ts";
import { verifiedFileStream } from "../../src/lib/ipfs/carRead.ts";
import { hashLeaves } from "../../src/lib/ipfs/leaves.ts";

async function verifiedRead(cid: string, gateway: string): Promise<{ bytes: number; ms: number }> {
  const start = performance.now();
  const reader = (await verifiedFileStream(cid, { gateways: [gateway] })).getReader();
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.length;
  }
  return { bytes, ms: performance.now() - start };
}

function randomData(size: number): Uint8Array<ArrayBuffer> {
  const data = new Uint8Array(size);
  for (let at = 0; at < size; at += 65536) crypto.getRandomValues(data.subarray(at, at + 65536));
  return data;
}

/**
 * Packs a File of `size` random bytes and drains its CAR, as the create page will; and, as the
 * reference, the packer's hash pass alone over the same File.
 */
async function pack(size: number): Promise<{ ms: number; bytes: number; hashMs: number }> {
  const file = new File([randomData(size)], "weights.onnx");
  const hashStart = performance.now();
  await hashLeaves(file);
  const hashMs = performance.now() - hashStart;
  const start = performance.now();
  const reader = (await packFile(file)).stream().getReader();
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.length;
  }
  return { ms: performance.now() - start, bytes, hashMs };
}

async function sha256(size: number): Promise<{ ms: number }> {
  const data = randomData(size);
  const start = performance.now();
  await crypto.subtle.digest("SHA-256", data);
  return { ms: performance.now() - start };
}

(globalThis as unknown as { hexsBench: unknown }).hexsBench = { verifiedRead, sha256, pack };
