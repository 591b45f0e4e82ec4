// One interface for every upload target (a Kubo RPC node, Storacha), and the one rule they
// all obey: the CID the service reports must be the CID computed locally.
import type { CID } from "multiformats/cid";
import type { PackedCar } from "./car.ts";
import { IpfsCidMismatchError } from "./errors.ts";

export interface UploadProgress {
  /** CAR bytes sent so far. */
  loaded: number;
  /** CAR bytes in all. */
  total: number;
}

export interface UploadOptions {
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
}

export interface UploadAdapter {
  /** Short name for messages: "kubo", "storacha". */
  readonly name: string;
  /** Sends the CAR and resolves with the root CID the service says it stored. */
  upload(car: PackedCar, options?: UploadOptions): Promise<CID>;
}

export interface UploadResult {
  cid: CID;
  adapter: string;
}

/**
 * Uploads a packed CAR through `adapter` and checks the service stored the same root.
 * @throws IpfsCidMismatchError when the service reports another CID; IpfsUploadError on failure.
 * @example const { cid } = await uploadCar(kuboAdapter({ url }), await packJson(card), { onProgress })
 */
export async function uploadCar(
  adapter: UploadAdapter,
  car: PackedCar,
  options: UploadOptions = {},
): Promise<UploadResult> {
  const reported = (await adapter.upload(car, options)).toString();
  const expected = car.root.toString();
  if (reported !== expected) throw new IpfsCidMismatchError(adapter.name, expected, reported);
  return { cid: car.root, adapter: adapter.name };
}
