import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startIpfsNode, type IpfsNode } from "../../../dev/ipfs/node.ts";
import { startTamperingGateway } from "../../../dev/ipfs/tamperingGateway.ts";
import { packJson } from "../ipfs/car.ts";
import { IpfsVerificationError } from "../ipfs/errors.ts";
import { kuboAdapter } from "../ipfs/kubo.ts";
import { uploadCar } from "../ipfs/upload.ts";
import { readModelCardLight } from "./readModelCardLight.ts";

const card = { schema: "hexs.model-card/1", metadata: { license: "mit", tags: ["stories"] }, readme: "# A card" };

describe("readModelCardLight", () => {
  let dir: string;
  let node: IpfsNode;
  let cid: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "hexs-card-"));
    node = await startIpfsNode({ dataDir: dir });
    cid = (await uploadCar(kuboAdapter({ url: node.url }), await packJson(card))).cid.toString();
  });
  afterAll(async () => {
    await node.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("reads a one-block card and checks it against its CID", async () => {
    expect(cid.startsWith("bafkrei")).toBe(true);
    expect((await readModelCardLight(cid, [node.gatewayUrl])).metadata.tags).toEqual(["stories"]);
  });

  it("rejects a gateway whose bytes do not hash to the CID", async () => {
    const tampering = await startTamperingGateway(node.gatewayUrl);
    try {
      await expect(readModelCardLight(cid, [tampering.url])).rejects.toBeInstanceOf(IpfsVerificationError);
    } finally {
      await tampering.stop();
    }
  });
});
