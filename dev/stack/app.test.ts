import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "@playwright/test";
import { expect, it } from "vitest";
import { CHROMIUM_ARGS, chromiumExecutablePath } from "../chromium.ts";
import { runGenerationWorker } from "../generationWorkerRun.ts";
import { readHfFolder } from "../../models/hf/readFolder.ts";
import { packFiles } from "../../src/lib/ipfs/car.ts";
import { kuboAdapter } from "../../src/lib/ipfs/kubo.ts";
import { uploadCar } from "../../src/lib/ipfs/upload.ts";
import { startIpfsNode } from "../ipfs/node.ts";
import { startApp } from "./app.ts";
import { freePort } from "./ports.ts";

// What `npm start` serves on a fresh clone: Vite's dev server with an empty dependency cache.
// A dependency it finds only when a page first needs it is optimized then and the page reloaded
// under the user, who loses what they had picked (the playground's onnxruntime-web did so).
it("serves every route, and the playground's model worker running a Hugging Face model, without reloading the page", async () => {
  const cacheDir = await mkdtemp(join(tmpdir(), "hexs-vite-cache-"));
  const ipfs = await startIpfsNode({ dataDir: join(cacheDir, "ipfs"), port: 0, host: "127.0.0.1" });
  const files = await readHfFolder("tiny-stories-char");
  const modelCid = (await uploadCar(kuboAdapter({ url: ipfs.url }), await packFiles(files))).cid.toString();
  const app = await startApp(await freePort(), {}, { cacheDir });
  const browser = await chromium.launch({ executablePath: chromiumExecutablePath(), args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    let loads = 0;
    page.on("load", () => loads++);
    await page.goto(app.url);
    await page.getByRole("navigation").waitFor();
    for (const name of ["Playground", "Train", "Publish", "Account", "Settings", "Marketplace"]) {
      await page.getByRole("navigation").getByRole("link", { name, exact: true }).click();
      await page.getByRole("heading", { level: 1 }).first().waitFor();
    }
    // The worker the playground starts for a model (src/lib/onnx/client.ts): asked to load weights
    // from a gateway that refuses, it imports onnxruntime-web first and then answers.
    const answer = await page
      .evaluate(
        () =>
          new Promise<string>((resolve) => {
            const worker = new Worker("/src/lib/onnx/generation.worker.ts", { type: "module" });
            worker.onmessage = (event: MessageEvent<{ type: string }>) => resolve(event.data.type);
            worker.postMessage({ type: "load", weightsCid: "bafkqaaa", gateways: ["http://127.0.0.1:9"] });
          }),
      )
      .catch((error: unknown) => `the page went away: ${String(error)}`);
    expect(answer).toBe("load-failed");
    // A model in the Hugging Face layout, as the demo agents publish: transformers.js and its
    // onnxruntime-web, as the dev server serves them, load it and generate.
    const generated = await runGenerationWorker(page, {
      workerUrl: "/src/lib/onnx/generation.worker.ts",
      cid: modelCid,
      gateway: ipfs.url,
      prompt: "Once upon a time",
      settings: { temperature: 0, maxNewTokens: 8, seed: 1 },
    });
    expect(generated.text).toMatch(/^.{8}$/s);
    // A late optimization reloads the page within moments of the import.
    await page.waitForTimeout(3_000);
    expect(loads).toBe(1);
  } finally {
    await browser.close();
    await app.stop();
    await ipfs.stop();
    await rm(cacheDir, { recursive: true, force: true });
  }
}, 120_000);
