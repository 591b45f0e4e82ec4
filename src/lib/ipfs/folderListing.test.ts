import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startIpfsNode, type IpfsNode } from "../../../dev/ipfs/node.ts";
import { startTamperingGateway, type TamperingGateway } from "../../../dev/ipfs/tamperingGateway.ts";
import { tempDir } from "../../../dev/ipfs/testing.ts";
import { packFile, packFiles } from "./car.ts";
import { IpfsNotFoundError, IpfsReadError, IpfsVerificationError } from "./errors.ts";
import { listFolder } from "./folderListing.ts";
import { kuboAdapter } from "./kubo.ts";
import { uploadCar } from "./upload.ts";

let dir: Awaited<ReturnType<typeof tempDir>>;
let node: IpfsNode;
let liar: TamperingGateway;

beforeAll(async () => {
  dir = await tempDir();
  node = await startIpfsNode({ dataDir: join(dir.path, "node"), port: 0, host: "127.0.0.1" });
  liar = await startTamperingGateway(node.gatewayUrl);
});
afterAll(async () => {
  await liar?.stop();
  await node?.stop();
  await dir?.remove();
});

const publish = async (car: Parameters<typeof uploadCar>[1]) =>
  (await uploadCar(kuboAdapter({ url: node.url }), car)).cid.toString();

describe("a verified folder listing", () => {
  it("lists every file with its exact size, subfolders included, a multi-block file too", async () => {
    const big = new Uint8Array(3 * 1024 * 1024 + 5).fill(7);
    const folder = await publish(
      await packFiles([
        { path: "config.json", content: "{}" },
        { path: "onnx/model.onnx", content: big },
        { path: "tokenizer.json", content: '{"model":{}}' },
      ]),
    );
    const entries = await listFolder(folder, { gateways: [node.gatewayUrl] });
    expect(entries.map(({ path, size }) => ({ path, size }))).toEqual([
      { path: "config.json", size: 2 },
      { path: "onnx/model.onnx", size: big.length },
      { path: "tokenizer.json", size: 12 },
    ]);
    expect(entries.every((e) => e.cid.startsWith("baf"))).toBe(true);
  });

  it("believes no gateway that lies, takes the next honest one, and says which failure it was", async () => {
    const folder = await publish(await packFiles([{ path: "a.txt", content: "a" }]));
    await expect(listFolder(folder, { gateways: [liar.url] })).rejects.toBeInstanceOf(IpfsVerificationError);
    expect(await listFolder(folder, { gateways: [liar.url, node.gatewayUrl] })).toHaveLength(1);
    const file = await publish(await packFile(new TextEncoder().encode("just a file")));
    await expect(listFolder(file, { gateways: [node.gatewayUrl] })).rejects.toThrow("is a file, not a folder");
    const absent = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";
    await expect(listFolder(absent, { gateways: [node.gatewayUrl] })).rejects.toBeInstanceOf(IpfsNotFoundError);
    await expect(listFolder(folder, { gateways: ["http://127.0.0.1:9"] })).rejects.toBeInstanceOf(IpfsReadError);
  });
});
