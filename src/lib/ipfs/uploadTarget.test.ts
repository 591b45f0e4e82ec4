import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startIpfsNode, type IpfsNode } from "../../../dev/ipfs/node.ts";
import { tempDir } from "../../../dev/ipfs/testing.ts";
import { startStorachaStandIn, type StorachaStandIn } from "../../../dev/standins/storacha/server.ts";
import { standInClient } from "../../../dev/standins/storacha/testing.ts";
import { packJson } from "./car.ts";
import * as storacha from "./storacha.ts";
import { STORACHA_NETWORK } from "./storachaNetwork.ts";
import { uploadCar } from "./upload.ts";
import {
  describeUploadTarget,
  StorachaConnectError,
  uploadAdapterFor,
  UploadTargetSettingError,
  type UploadTargetSettings,
} from "./uploadTarget.ts";

// The Storacha path runs against the Storacha stand-in (dev/standins/storacha), which
// confirms the emailed login link itself. The one substitution: the client keeps its agent in
// memory, as Node has no IndexedDB.

let dir: Awaited<ReturnType<typeof tempDir>>;
let node: IpfsNode;
let standIn: StorachaStandIn;

beforeAll(async () => {
  dir = await tempDir();
  node = await startIpfsNode({ dataDir: join(dir.path, "node"), port: 0, host: "127.0.0.1" });
  standIn = await startStorachaStandIn({ blockedEmails: ["grace@example.com"], log: () => {} });
});
afterAll(async () => {
  await standIn?.stop();
  await node?.stop();
  await dir?.remove();
});

const storachaSettings = (email: string, space = ""): UploadTargetSettings => ({
  ipfsUploadTarget: "storacha",
  ipfsApiUrl: "http://127.0.0.1:1",
  ipfsApiToken: "",
  storachaEmail: email,
  storachaSpace: space,
  storachaServiceUrl: standIn.url,
  storachaServiceDid: standIn.did,
  storachaGatewayUrl: standIn.url,
  storachaGatewayDid: standIn.did,
});

/** The real Storacha module, its client's agent kept in memory; records each connection made. */
function inMemoryStoracha() {
  const calls: storacha.StorachaConnectOptions[] = [];
  const module: typeof storacha = {
    ...storacha,
    async connectStoracha(options) {
      calls.push(options);
      return storacha.connectStoracha({ ...options, client: await standInClient(standIn) });
    },
  };
  return { calls, load: async () => module };
}

describe("uploadAdapterFor", () => {
  it("uploads through the Kubo node the settings name", async () => {
    const adapter = await uploadAdapterFor({ ...storachaSettings(""), ipfsUploadTarget: "kubo", ipfsApiUrl: node.url });
    const car = await packJson({ target: "kubo" });
    const result = await uploadCar(adapter, car);
    expect(result).toEqual({ cid: car.root, adapter: "kubo" });
    const pins = await fetch(`${node.url}/api/v0/pin/ls?arg=${car.root}`, { method: "POST" });
    expect(pins.status).toBe(200);
    expect(await pins.text()).toContain(car.root.toString());
  });

  it("sends the settings' token to a node guarded by API.Authorizations", async () => {
    const guarded = await startIpfsNode({
      dataDir: join(dir.path, "guarded"),
      port: 0,
      host: "127.0.0.1",
      rpcAuthorizations: [{ authSecret: "bearer:site-token", allowedPaths: ["/api/v0/dag/import"] }],
    });
    try {
      const settings = { ...storachaSettings(""), ipfsUploadTarget: "kubo" as const, ipfsApiUrl: guarded.url };
      const car = await packJson({ target: "guarded kubo" });
      await expect(uploadCar(await uploadAdapterFor(settings), car)).rejects.toThrow(/HTTP 403/);
      const result = await uploadCar(await uploadAdapterFor({ ...settings, ipfsApiToken: "site-token" }), car);
      expect(result.cid).toEqual(car.root);
    } finally {
      await guarded.stop();
    }
  });

  it("refuses Storacha without an account email, before loading the client", async () => {
    let loaded = false;
    const error = await uploadAdapterFor(storachaSettings(""), {
      loadStoracha: async () => ((loaded = true), storacha),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UploadTargetSettingError);
    expect(error).toMatchObject({ setting: "storachaEmail", value: "", adapter: "storacha" });
    expect(loaded).toBe(false);
  });

  it("refuses a malformed Storacha email", async () => {
    const error = await uploadAdapterFor(storachaSettings("not-an-email")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UploadTargetSettingError);
    expect((error as UploadTargetSettingError).value).toBe("not-an-email");
  });

  it("logs in to Storacha with the email, selects the space, reports each step, uploads, and reuses the client", async () => {
    const { calls, load } = inMemoryStoracha();
    const statuses: string[] = [];
    const settings = storachaSettings("ada@example.com", "weights");
    const adapter = await uploadAdapterFor(settings, { loadStoracha: load, onStatus: (m) => statuses.push(m) });
    expect(adapter.name).toBe("storacha");
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      email: "ada@example.com",
      space: "weights",
      service: { url: standIn.url, did: standIn.did, gatewayUrl: standIn.url, gatewayDid: standIn.did },
    });
    expect(statuses).toEqual([
      "Storacha: connecting…",
      "Storacha: check your email (ada@example.com) and click the link to log in.",
      "Storacha: logged in; waiting for the account's plan.",
      "Storacha: space ready.",
    ]);
    const car = await packJson({ target: "storacha" });
    expect(await uploadCar(adapter, car)).toEqual({ cid: car.root, adapter: "storacha" });

    const again = await uploadAdapterFor(settings, { loadStoracha: load });
    expect(again.name).toBe("storacha");
    expect(calls).toHaveLength(1);
  });

  it("wraps a refused login in StorachaConnectError and tries again on the next upload", async () => {
    const settings = storachaSettings("grace@example.com");
    const first = inMemoryStoracha();
    const error = await uploadAdapterFor(settings, { loadStoracha: first.load }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorachaConnectError);
    expect(error).toMatchObject({ email: "grace@example.com" });
    expect((error as StorachaConnectError).details).toBe(
      "Account identified by did:mailto:example.com:grace is blocked",
    );
    expect(first.calls[0]).not.toHaveProperty("space");

    // The block lifted, the next upload logs in afresh instead of reusing the failure.
    const { rateLimitsStorage } = standIn.service.context;
    const limits = await rateLimitsStorage.list("grace@example.com");
    for (const limit of limits.ok ?? []) await rateLimitsStorage.remove(limit.id);
    const second = inMemoryStoracha();
    expect((await uploadAdapterFor(settings, { loadStoracha: second.load })).name).toBe("storacha");
    expect(second.calls).toHaveLength(1);
  });

  it("describes where uploads go, naming any Storacha service but the real network", () => {
    expect(describeUploadTarget({ ...storachaSettings(""), ipfsUploadTarget: "kubo" })).toBe(
      "the Kubo node at http://127.0.0.1:1",
    );
    expect(describeUploadTarget(storachaSettings("ada@example.com", "weights"))).toBe(
      `Storacha at ${standIn.url} (ada@example.com, space weights)`,
    );
    const real = { ...storachaSettings("ada@example.com"), storachaServiceUrl: STORACHA_NETWORK.url };
    expect(describeUploadTarget(real)).toBe("Storacha (ada@example.com)");
  });
});
