// Browser side of the IPFS benchmark (bundled by dev/bench/ipfs.ts, run in Chromium): a
// verified CAR read of a file from the local node, and plain SHA-256 of as many bytes.
import { verifiedFileStream } from "../../src/lib/ipfs/carRead.ts";

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

async function sha256(size: number): Promise<{ ms: number }> {
  const data = new Uint8Array(size);
  for (let at = 0; at < size; at += 65536) crypto.getRandomValues(data.subarray(at, at + 65536));
  const start = performance.now();
  await crypto.subtle.digest("SHA-256", data);
  return { ms: performance.now() - start };
}

(globalThis as unknown as { hexsBench: unknown }).hexsBench = { verifiedRead, sha256 };
