import { create } from "@storacha/client";
import { StoreMemory } from "@storacha/client/stores/memory";
import { describe, expect, it } from "vitest";
import { packFile, packJson } from "./car.ts";
import { IpfsCidMismatchError, IpfsUploadError } from "./errors.ts";
import { selectSpace, storachaAdapter, type StorachaUploader } from "./storacha.ts";
import { uploadCar, type UploadProgress } from "./upload.ts";

// What cannot be tested here (no route to Storacha): the email login, the plan check, and a
// real `uploadCAR` reaching the service. The adapter is tested against the client's interface,
// and the space selection and the failure path with the client's real classes.

/** Stands in for the service only: records the CAR and answers like `Client.uploadCAR`. */
function recordingUploader(answer: (root: string) => string): StorachaUploader & { received: Blob[] } {
  const received: Blob[] = [];
  return {
    received,
    async uploadCAR(car, options) {
      received.push(car);
      options?.onUploadProgress?.({ loaded: car.size / 2, total: car.size });
      const { CarReader } = await import("@ipld/car");
      const reader = await CarReader.fromBytes(new Uint8Array(await car.arrayBuffer()));
      const [root] = await reader.getRoots();
      return { toString: () => answer(String(root)) };
    },
  };
}

describe("storacha adapter", () => {
  it("uploads the packed CAR and accepts the service's root when it matches", async () => {
    const car = await packFile(new Uint8Array(3 * 1024 * 1024).fill(9));
    const uploader = recordingUploader((root) => root);
    const progress: UploadProgress[] = [];
    const result = await uploadCar(storachaAdapter(uploader), car, { onProgress: (p) => progress.push(p) });
    expect(result.cid.toString()).toBe(car.root.toString());
    expect(uploader.received[0]!.size).toBe(car.size);
    expect(progress.at(-1)).toEqual({ loaded: car.size, total: car.size });
  });

  it("reports a failure when the service registers another root", async () => {
    const other = (await packJson({ other: true })).root.toString();
    const error = await uploadCar(
      storachaAdapter(recordingUploader(() => other)),
      await packJson({ mine: true }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpfsCidMismatchError);
    expect((error as IpfsCidMismatchError).actual).toBe(other);
  });

  it("wraps a failing real client in IpfsUploadError", async () => {
    // A real Client with no space selected: uploadCAR fails before any network call.
    const client = await create({ store: new StoreMemory() });
    const error = await uploadCar(storachaAdapter(client), await packJson({ x: 1 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpfsUploadError);
    expect((error as IpfsUploadError).shortMessage).toBe("storacha: upload failed");
  });

  it("picks a space by name or DID with the real client, creating one when there is none", async () => {
    const client = await create({ store: new StoreMemory() });
    const first = await selectSpace(client, undefined, { skipGatewayAuthorization: true });
    expect(client.currentSpace()?.did()).toBe(first);
    expect(client.spaces().map((space) => space.name)).toEqual(["hexs"]);
    const second = await selectSpace(client, "weights", { skipGatewayAuthorization: true });
    expect(second).not.toBe(first);
    expect(await selectSpace(client, first)).toBe(first);
    expect(client.currentSpace()?.did()).toBe(first);
    expect(await selectSpace(client, "weights")).toBe(second);
    await expect(selectSpace(client, "did:key:z6MkunknownSpace")).rejects.toBeInstanceOf(IpfsUploadError);
  });
});
