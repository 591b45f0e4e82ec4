import { join } from "node:path";
import { create } from "@storacha/client";
import { StoreMemory } from "@storacha/client/stores/memory";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startIpfsNode, type IpfsNode } from "../../../dev/ipfs/node.ts";
import { tempDir } from "../../../dev/ipfs/testing.ts";
import { packJson } from "./car.ts";
import * as storacha from "./storacha.ts";
import { uploadCar } from "./upload.ts";
import {
  describeUploadTarget,
  StorachaConnectError,
  uploadAdapterFor,
  UploadTargetSettingError,
  type UploadTargetSettings,
} from "./uploadTarget.ts";

// What cannot be tested here (no route to Storacha): the email login itself. The Storacha path
// is tested with the real module and a real client, except that `connectStoracha` is replaced
// by one that skips the login and selects the space offline.

let dir: Awaited<ReturnType<typeof tempDir>>;
let node: IpfsNode;

beforeAll(async () => {
  dir = await tempDir();
  node = await startIpfsNode({ dataDir: join(dir.path, "node"), port: 0, host: "127.0.0.1" });
});
afterAll(async () => {
  await node?.stop();
  await dir?.remove();
});

const storachaSettings = (email: string, space = ""): UploadTargetSettings => ({
  ipfsUploadTarget: "storacha",
  ipfsApiUrl: "http://127.0.0.1:1",
  storachaEmail: email,
  storachaSpace: space,
});

/** The real Storacha module whose `connectStoracha` skips the email login (no network here). */
function offlineStoracha(fail?: Error) {
  const calls: storacha.StorachaConnectOptions[] = [];
  const module: typeof storacha = {
    ...storacha,
    async connectStoracha(options) {
      calls.push(options);
      options.onStatus?.("login-email-sent");
      if (fail) throw fail;
      options.onStatus?.("waiting-for-plan");
      const client = await create({ store: new StoreMemory() });
      const space = await storacha.selectSpace(client, options.space, { skipGatewayAuthorization: true });
      options.onStatus?.("space-ready");
      return { client, space };
    },
  };
  return { calls, load: async () => module };
}

describe("uploadAdapterFor", () => {
  it("uploads through the Kubo node the settings name", async () => {
    const adapter = await uploadAdapterFor({
      ipfsUploadTarget: "kubo",
      ipfsApiUrl: node.url,
      storachaEmail: "",
      storachaSpace: "",
    });
    const car = await packJson({ target: "kubo" });
    const result = await uploadCar(adapter, car);
    expect(result).toEqual({ cid: car.root, adapter: "kubo" });
    const pins = await fetch(`${node.url}/api/v0/pin/ls?arg=${car.root}`, { method: "POST" });
    expect(pins.status).toBe(200);
    expect(await pins.text()).toContain(car.root.toString());
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

  it("connects to Storacha with the email and space, reports each step, and reuses the client", async () => {
    const { calls, load } = offlineStoracha();
    const statuses: string[] = [];
    const settings = storachaSettings("ada@example.com", "weights");
    const adapter = await uploadAdapterFor(settings, { loadStoracha: load, onStatus: (m) => statuses.push(m) });
    expect(adapter.name).toBe("storacha");
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ email: "ada@example.com", space: "weights" });
    expect(statuses).toEqual([
      "Storacha: connecting…",
      "Storacha: check your email (ada@example.com) and click the link to log in.",
      "Storacha: logged in; waiting for the account's plan.",
      "Storacha: space ready.",
    ]);
    const again = await uploadAdapterFor(settings, { loadStoracha: load });
    expect(again.name).toBe("storacha");
    expect(calls).toHaveLength(1);
  });

  it("wraps a failed login in StorachaConnectError and tries again on the next upload", async () => {
    const failing = offlineStoracha(new Error("fetch failed"));
    const settings = storachaSettings("grace@example.com");
    const error = await uploadAdapterFor(settings, { loadStoracha: failing.load }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorachaConnectError);
    expect(error).toMatchObject({ email: "grace@example.com", details: "fetch failed" });
    expect(failing.calls[0]).not.toHaveProperty("space");
    const working = offlineStoracha();
    expect((await uploadAdapterFor(settings, { loadStoracha: working.load })).name).toBe("storacha");
    expect(working.calls).toHaveLength(1);
  });

  it("describes where uploads go", () => {
    expect(describeUploadTarget({ ...storachaSettings(""), ipfsUploadTarget: "kubo" })).toBe(
      "the Kubo node at http://127.0.0.1:1",
    );
    expect(describeUploadTarget(storachaSettings("ada@example.com", "weights"))).toBe(
      "Storacha (ada@example.com, space weights)",
    );
  });
});
