import { join } from "node:path";
import type { Browser, Page } from "@playwright/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPage, publishBrowserEntry } from "./browserSite.ts";
import { startIpfsNode, type IpfsNode } from "./node.ts";
import { startTamperingGateway, type TamperingGateway } from "./tamperingGateway.ts";
import { tempDir, withSmallNode } from "./testing.ts";

// The browser modules in Chromium, loaded as a site from the node's gateway: packing, the kubo
// adapter's XHR upload with progress, verified-fetch and the CAR reader, a tampering gateway.
let dir: Awaited<ReturnType<typeof tempDir>>;
let node: IpfsNode;
let liar: TamperingGateway;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  dir = await tempDir();
  node = await startIpfsNode({ dataDir: join(dir.path, "node"), port: 0, host: "127.0.0.1" });
  liar = await startTamperingGateway(node.gatewayUrl);
  const site = await publishBrowserEntry(new URL("./browserEntry.ts", import.meta.url), node.url);
  ({ browser, page } = await openPage(`${node.gatewayUrl}/ipfs/${site}/`, "hexsIpfs"));
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await liar?.stop();
  await node?.stop();
  await dir?.remove();
});

type Api = Record<string, (...args: unknown[]) => Promise<unknown>>;
const call = (name: string, ...args: unknown[]) =>
  page.evaluate(({ name, args }) => (globalThis as unknown as { hexsIpfs: Api }).hexsIpfs[name]!(...args), {
    name,
    args,
  });

describe("IPFS modules in Chromium", () => {
  it("hears the node's 413 for an oversized upload from the dApp's uploader, every time (30 of 30)", async () => {
    await withSmallNode(join(dir.path, "small"), async (small) => {
      const outcomes = (await call("uploadRepeatedly", small.url, 48 * 1024 * 1024, 30)) as string[];
      const heard = outcomes.filter((o) => /HTTP 413/.test(o) && /over this node's 1048576-byte limit/.test(o));
      expect(heard, outcomes.filter((o) => !heard.includes(o)).join("\n")).toHaveLength(30);
    });
  }, 120_000);

  it("packs JSON, uploads it with progress, and reads it back verified", async () => {
    const { cid, progress } = (await call("uploadJson", node.url, { card: "tiny" })) as {
      cid: string;
      progress: { loaded: number; total: number }[];
    };
    expect(progress.at(-1)!.loaded).toBe(progress.at(-1)!.total);
    expect(await call("readJson", [node.gatewayUrl], cid)).toEqual({ card: "tiny" });
    expect(await call("readJson", [liar.url], cid)).toEqual({ error: "IpfsVerificationError" });
  });

  it("packs a File, uploads it, and streams it back verified", async () => {
    const { cid, sum } = (await call("uploadFile", node.url, 3 * 1024 * 1024 + 11)) as { cid: string; sum: number };
    expect(await call("readFileSum", [node.gatewayUrl], cid)).toBe(sum);
    expect(await call("readFileSum", [liar.url], cid)).toEqual({ error: "IpfsVerificationError" });
  });
});
