import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startIpfsNode, type IpfsNode } from "../ipfs/node.ts";
import { tempDir } from "../ipfs/testing.ts";
import { publishDirectory } from "./publish-ipfs.ts";

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

describe("publish:ipfs", () => {
  it("publishes a built site as a directory the gateway serves under /ipfs/<cid>/", async () => {
    const site = join(dir.path, "build");
    await mkdir(join(site, "_app", "immutable"), { recursive: true });
    await writeFile(
      join(site, "index.html"),
      '<!doctype html><script type="module" src="./_app/immutable/start.js"></script>',
    );
    await writeFile(join(site, "_app", "immutable", "start.js"), "export const ok = 1;");
    const published = await publishDirectory(site, { api: node.url });
    expect(published.files).toBe(2);
    expect(published.url).toBe(`${node.gatewayUrl}/ipfs/${published.cid}/`);
    const page = await fetch(published.url);
    expect(await page.text()).toContain("./_app/immutable/start.js");
    const script = await fetch(new URL("./_app/immutable/start.js", published.url));
    expect(script.headers.get("content-type")).toMatch(/javascript/);
  });

  it("refuses a folder without index.html", async () => {
    const empty = join(dir.path, "empty");
    await mkdir(empty, { recursive: true });
    await writeFile(join(empty, "a.txt"), "x");
    await expect(publishDirectory(empty, { api: node.url })).rejects.toThrow(/no index.html/);
  });
});
