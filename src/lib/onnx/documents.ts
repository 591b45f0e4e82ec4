// JSON documents named by their CID: benchmark sets and benchmark results. The CID is computed
// locally (packJson), the upload must store that same root, and reads are verified.
import { packJson } from "../ipfs/car.ts";
import { uploadCar, type UploadAdapter } from "../ipfs/upload.ts";

/** The CID `value` has as a UnixFS JSON file, without uploading anything. */
export async function documentCid(value: unknown): Promise<string> {
  return (await packJson(value)).root.toString();
}

/**
 * Pins `value` through an upload adapter and returns its CID (checked against the local one).
 * @example const cid = await pinDocument(benchmarkSet, kuboAdapter({ url: "http://127.0.0.1:5001" }))
 */
export async function pinDocument(value: unknown, adapter: UploadAdapter, signal?: AbortSignal): Promise<string> {
  const car = await packJson(value);
  const { cid } = await uploadCar(adapter, car, signal ? { signal } : {});
  return cid.toString();
}

/** Reads a JSON document by CID through the verified reader (every block checked). */
export async function readDocument(cid: string, gateways: readonly string[], timeoutMs = 20_000): Promise<unknown> {
  const { verifiedRead } = await import("../ipfs/fetch.ts");
  const bytes = await verifiedRead(cid, { gateways, signal: AbortSignal.timeout(timeoutMs) });
  return JSON.parse(new TextDecoder().decode(bytes));
}
