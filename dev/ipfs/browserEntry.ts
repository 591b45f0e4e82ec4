// Browser side of browser.test.ts: the src/lib/ipfs modules as the dApp will call them, bundled
// by Vite for Chromium.
import { packFile, packJson } from "../../src/lib/ipfs/car.ts";
import { verifiedFileStream } from "../../src/lib/ipfs/carRead.ts";
import { createVerifiedReader } from "../../src/lib/ipfs/fetch.ts";
import { kuboAdapter } from "../../src/lib/ipfs/kubo.ts";
import { uploadCar, type UploadProgress } from "../../src/lib/ipfs/upload.ts";

async function uploadJson(api: string, value: unknown): Promise<{ cid: string; progress: UploadProgress[] }> {
  const progress: UploadProgress[] = [];
  const { cid } = await uploadCar(kuboAdapter({ url: api }), await packJson(value), {
    onProgress: (p) => progress.push(p),
  });
  return { cid: cid.toString(), progress };
}

async function uploadFile(api: string, size: number): Promise<{ cid: string; sum: number }> {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 7) & 0xff;
  const file = new File([bytes], "weights.onnx");
  const { cid } = await uploadCar(kuboAdapter({ url: api }), await packFile(file));
  return { cid: cid.toString(), sum: bytes.reduce((a, b) => a + b, 0) };
}

/** Uploads `size` bytes of a pattern `tries` times; what each try ended with (a CID, or the error's words). */
async function uploadRepeatedly(api: string, size: number, tries: number): Promise<string[]> {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 13) & 0xff;
  const car = await packFile(new File([bytes], "big.bin"));
  const outcomes: string[] = [];
  for (let i = 0; i < tries; i++) {
    try {
      outcomes.push((await uploadCar(kuboAdapter({ url: api }), car)).cid.toString());
    } catch (error) {
      const { shortMessage, details } = error as { shortMessage?: string; details?: string };
      outcomes.push(`${shortMessage ?? (error as Error).message} — ${details ?? ""}`);
    }
  }
  return outcomes;
}

async function readJson(gateways: string[], cid: string): Promise<unknown> {
  const reader = await createVerifiedReader({ gateways, timeoutMs: 5_000 });
  try {
    return await reader.json(cid);
  } catch (error) {
    return { error: (error as Error).name };
  } finally {
    await reader.stop();
  }
}

async function readFileSum(gateways: string[], cid: string): Promise<number | { error: string }> {
  try {
    let sum = 0;
    for await (const chunk of await verifiedFileStream(cid, { gateways })) for (const byte of chunk) sum += byte;
    return sum;
  } catch (error) {
    return { error: (error as Error).name };
  }
}

(globalThis as unknown as { hexsIpfs: unknown }).hexsIpfs = {
  uploadJson,
  uploadFile,
  uploadRepeatedly,
  readJson,
  readFileSum,
};
