// Test and bench helper: bundles a browser entry with Vite, publishes it with an index.html
// through a node's Kubo RPC, and opens it in Chromium from that node's gateway.
import { chromium, type Browser, type Page } from "@playwright/test";
import { build } from "vite";
import { packFiles } from "../../src/lib/ipfs/car.ts";
import { kuboAdapter } from "../../src/lib/ipfs/kubo.ts";
import { uploadCar } from "../../src/lib/ipfs/upload.ts";
import { CHROMIUM_ARGS, chromiumExecutablePath } from "../chromium.ts";

/** Bundles `entry` (a module that sets globals) and serves it as a site; returns the site's CID. */
export async function publishBrowserEntry(entry: URL, nodeUrl: string): Promise<string> {
  const output = await build({
    configFile: false,
    logLevel: "silent",
    build: { write: false, minify: true, lib: { entry: entry.pathname, formats: ["es"], fileName: "entry" } },
  });
  const chunks = (Array.isArray(output) ? output : [output]).flatMap((one) => ("output" in one ? one.output : []));
  const main = chunks.find((chunk) => chunk.type === "chunk" && chunk.isEntry)!;
  const site = await packFiles([
    {
      path: "index.html",
      content: `<!doctype html><meta charset="utf-8"><title>hexs</title><script type="module" src="./${main.fileName}"></script>`,
    },
    ...chunks.map((chunk) => ({ path: chunk.fileName, content: chunk.type === "chunk" ? chunk.code : chunk.source })),
  ]);
  await uploadCar(kuboAdapter({ url: nodeUrl }), site);
  return site.root.toString();
}

/** Opens `url` in Chromium and waits until `globalName` exists; page errors fail the wait. */
export async function openPage(url: string, globalName: string): Promise<{ browser: Browser; page: Page }> {
  const browser = await chromium.launch({ executablePath: chromiumExecutablePath(), args: CHROMIUM_ARGS });
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(url);
  await page
    .waitForFunction((name) => name in globalThis, globalName, { timeout: 15_000 })
    .catch(async (cause: unknown) => {
      await browser.close();
      throw new Error(`page did not start: ${errors.join("; ") || String(cause)}`);
    });
  return { browser, page };
}
