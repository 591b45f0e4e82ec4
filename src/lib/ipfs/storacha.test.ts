import { create } from "@storacha/client";
import { StoreMemory } from "@storacha/client/stores/memory";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStorachaStandIn, type StorachaStandIn } from "../../../dev/standins/storacha/server.ts";
import { standInClient, standInService } from "../../../dev/standins/storacha/testing.ts";
import { packFile, packJson, type PackedCar } from "./car.ts";
import { IpfsCidMismatchError, IpfsUploadError } from "./errors.ts";
import {
  connectStoracha,
  selectSpace,
  storachaAdapter,
  StorachaUnknownSpaceError,
  type StorachaUploader,
} from "./storacha.ts";
import { uploadCar, type UploadProgress } from "./upload.ts";

// The adapter against the Storacha stand-in (dev/standins/storacha): Storacha's own service
// code on 127.0.0.1, reached by the real client through its URL and DID only. The real network
// is out of reach here; the stand-in confirms the emailed login link itself.

let standIn: StorachaStandIn;

beforeAll(async () => {
  standIn = await startStorachaStandIn({ log: () => {} });
});
afterAll(async () => {
  await standIn?.stop();
});

describe("storacha adapter against the Storacha stand-in", () => {
  it("logs in by email, creates a space, and uploads a packed CAR whose root the service registers", async () => {
    const statuses: string[] = [];
    const { client, space } = await connectStoracha({
      email: "ada@example.com",
      service: standInService(standIn),
      client: await standInClient(standIn),
      onStatus: (status) => statuses.push(status),
    });
    expect(statuses).toEqual(["login-email-sent", "waiting-for-plan", "space-ready"]);
    expect(client.spaces().map((one) => one.name)).toEqual(["hexs"]);

    const car = await packFile(new Uint8Array(5 * 1024 * 1024).map((_, i) => (i * 7) % 256));
    const progress: UploadProgress[] = [];
    const result = await uploadCar(storachaAdapter(client), car, { onProgress: (p) => progress.push(p) });

    expect(result).toEqual({ cid: car.root, adapter: "storacha" });
    expect(await standIn.service.context.uploadTable.exists(space as `did:key:${string}`, car.root)).toEqual({
      ok: true,
    });
    expect(progress.at(-1)).toEqual({ loaded: car.size, total: car.size });
  });

  it("reports a failure when the root the service registered is not the one computed locally", async () => {
    const { client, space } = await connectStoracha({
      email: "grace@example.com",
      service: standInService(standIn),
      client: await standInClient(standIn),
    });
    // The CAR sent names its own root; the local computation said another one.
    const sent = await packJson({ sent: true });
    const computed = (await packJson({ computed: true })).root;
    const mislabelled: PackedCar = { ...sent, root: computed, blob: () => sent.blob(), stream: () => sent.stream() };

    const error = await uploadCar(storachaAdapter(client), mislabelled).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(IpfsCidMismatchError);
    expect(error).toMatchObject({ expected: computed.toString(), actual: sent.root.toString() });
    const { uploadTable } = standIn.service.context;
    expect(await uploadTable.exists(space as `did:key:${string}`, sent.root)).toEqual({ ok: true });
  });

  it("refuses a space DID the account does not have, naming the ones it has", async () => {
    const client = await standInClient(standIn);
    const { space } = await connectStoracha({ email: "linus@example.com", service: standInService(standIn), client });
    const error = await selectSpace(client, "did:key:z6MkunknownSpace").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorachaUnknownSpaceError);
    expect(error).toMatchObject({ space: "did:key:z6MkunknownSpace", available: [space] });
  });

  it("wraps the service's refusal of an unprovisioned space in IpfsUploadError", async () => {
    const client = await standInClient(standIn);
    await selectSpace(client, "unpaid", { skipGatewayAuthorization: true });
    const error = await uploadCar(storachaAdapter(client), await packJson({ x: 1 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpfsUploadError);
    expect(error).toMatchObject({ shortMessage: "storacha: upload failed" });
    expect((error as IpfsUploadError).details).toMatch(/has no storage provider/);
  });
});

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

describe("storacha adapter, against the client interface", () => {
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
