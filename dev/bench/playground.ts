// Playground benchmark section: generation speed of each demo model, in both weight layouts —
// HEXS's first format (onnxruntime directly, the whole window re-run per token) and the Hugging
// Face layout (transformers.js, KV cache) — in headless Chromium (the production worker of the
// built site, WASM) and in onnxruntime-node on the same machine, prompt and settings, with their
// ratios; and time to first token including loading the weights from a local IPFS node, with a
// cold and a warm browser cache.
import { readdir, readFile } from "node:fs/promises";
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import * as ortNode from "onnxruntime-node";
import { chromium, type Page } from "@playwright/test";
import { startIpfsNode } from "../ipfs/node.ts";
import { ROOT, runToCompletion } from "../stack/processes.ts";
import { packFiles } from "../../src/lib/ipfs/car.ts";
import { kuboAdapter } from "../../src/lib/ipfs/kubo.ts";
import { uploadCar } from "../../src/lib/ipfs/upload.ts";
import { HF_FOLDER_FILES } from "../../models/hf/writeFolder.ts";
import { folderReader } from "../../src/lib/onnx/folderReader.ts";
import { loadModel } from "../../src/lib/onnx/loadModel.ts";
import { generate } from "../../src/lib/onnx/sampling.ts";
import type { OrtRuntime } from "../../src/lib/onnx/session.ts";
import type { GenerationSettings, WorkerRequest, WorkerResponse } from "../../src/lib/onnx/protocol.ts";
import { serveUnderSubpath } from "../stack/subpathServer.ts";
import type { BenchMetric, BenchSection } from "./report.ts";
import { CHROMIUM_ARGS, chromiumExecutablePath } from "../chromium.ts";

const MODELS = ["tiny-stories-char", "tiny-verse-char"] as const;
const PROMPT = "Once upon a time";
/** Greedy, so every runtime does exactly the same work; 200 tokens keep the 64-token window full. */
const SETTINGS: GenerationSettings = { temperature: 0, maxNewTokens: 200, seed: 1 };
/** New tokens within the 64-token context (the 16-character prompt included), and past it. */
const LENGTHS = [40, 200] as const;

/** A demo model's weights folder in each layout, path → bytes. */
const LAYOUTS = {
  "first format": async (name: string) => ({
    "model.onnx": await readFile(join(ROOT, `models/out/${name}/model.onnx`)),
    "tokenizer.json": await readFile(join(ROOT, `models/out/${name}/tokenizer.json`)),
  }),
  "Hugging Face layout": async (name: string): Promise<Record<string, Buffer>> =>
    Object.fromEntries(
      await Promise.all(HF_FOLDER_FILES.map(async (path) => [path, await readFile(join(ROOT, `models/out-hf/${name}/${path}`))])),
    ),
} satisfies Record<string, (name: string) => Promise<Record<string, Buffer>>>;
const RUNS = 5;
const PREFIX = "/ipfs/bafybeibenchplaygroundsite/";

export async function run(): Promise<BenchSection> {
  await runToCompletion("npm", ["run", "build"]);
  const workerFile = (await readdir(join(ROOT, "build/_app/immutable/workers"))).find((f) => f.startsWith("generation.worker"));
  if (!workerFile) throw new Error("the build has no generation worker");
  const dataDir = await mkdtemp(join(tmpdir(), "hexs-bench-ipfs-"));
  const ipfs = await startIpfsNode({ dataDir });
  const site = await serveUnderSubpath(join(ROOT, "build"), PREFIX);
  const browser = await chromium.launch({ executablePath: chromiumExecutablePath(), args: CHROMIUM_ARGS });
  const metrics: BenchMetric[] = [];
  try {
    const page = await browser.newPage();
    await page.goto(`${site.url}`);
    const workerUrl = new URL(`_app/immutable/workers/${workerFile}`, page.url()).href;
    for (const name of MODELS) {
      const texts = new Set<string>();
      const speed: Record<string, { browser: number; node: Record<number, number> }> = {};
      for (const [layout, filesOf] of Object.entries(LAYOUTS)) {
        const files = await filesOf(name);
        const car = await packFiles(Object.entries(files).map(([path, bytes]) => ({ path, content: new Uint8Array(bytes) })));
        const cid = (await uploadCar(kuboAdapter({ url: ipfs.url }), car)).cid.toString();
        const node: Record<number, number> = {};
        for (const length of LENGTHS) node[length] = await nodeTokensPerSecond(layout === "first format" ? "out" : "out-hf", name, length);
        const cold: BrowserRun[] = [];
        const warm: BrowserRun[] = [];
        for (let i = 0; i < RUNS; i++) {
          await page.evaluate(() => caches.delete("hexs-weights-v1"));
          cold.push(await browserRun(page, workerUrl, cid, ipfs.url));
          warm.push(await browserRun(page, workerUrl, cid, ipfs.url));
        }
        if (cold.some((r) => r.cached) || warm.some((r) => !r.cached)) throw new Error("cache state is not what the run expects");
        for (const r of [...cold, ...warm]) texts.add(r.text);
        const browserTps = median(warm.map((r) => r.tokensPerSecond));
        speed[layout] = { browser: browserTps, node };
        metrics.push(
          { name: `${name}, ${layout}: tokens/s, Chromium WASM (1 thread)`, value: round(browserTps), unit: "tokens/s" },
          ...LENGTHS.map((length) => ({
            name: `${name}, ${layout}: tokens/s, onnxruntime-node, ${length} new tokens`,
            value: round(node[length]!),
            unit: "tokens/s",
          })),
          { name: `${name}, ${layout}: Chromium / Node (200 tokens)`, value: round(browserTps / node[200]!, 3), unit: "ratio" },
          { name: `${name}, ${layout}: first token incl. load, cold cache`, value: round(median(cold.map((r) => r.firstTokenMs))), unit: "ms" },
          { name: `${name}, ${layout}: first token incl. load, warm cache`, value: round(median(warm.map((r) => r.firstTokenMs))), unit: "ms" },
          { name: `${name}, ${layout}: of which weights read, cold (IPFS, verified)`, value: round(median(cold.map((r) => r.fetchMs))), unit: "ms" },
          { name: `${name}, ${layout}: of which weights read, warm (Cache Storage)`, value: round(median(warm.map((r) => r.fetchMs))), unit: "ms" },
        );
      }
      // Same weights, same greedy decoding: both layouts, every run, must write the same text.
      if (texts.size !== 1) throw new Error(`${name}: the runs produced different greedy text`);
      const [first, hf] = [speed["first format"]!, speed["Hugging Face layout"]!];
      metrics.push(
        { name: `${name}: Hugging Face layout / first format, Chromium`, value: round(hf.browser / first.browser, 3), unit: "ratio" },
        ...LENGTHS.map((length) => ({
          name: `${name}: Hugging Face layout / first format, Node, ${length} new tokens`,
          value: round(hf.node[length]! / first.node[length]!, 3),
          unit: "ratio",
        })),
      );
    }
  } finally {
    await browser.close();
    await site.stop();
    await ipfs.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  return {
    title: "Playground: in-browser inference",
    method:
      `Prompt "${PROMPT}", greedy, ${SETTINGS.maxNewTokens} new tokens in Chromium, ${LENGTHS.join(" and ")} in Node. ` +
      `Each model in both layouts: HEXS's first format (the 64-token window re-run per token, no cache) and the ` +
      `Hugging Face layout (transformers.js; each token run once on the KV cache while the 64-position context ` +
      `lasts, then the last 64 tokens re-run per token, as the first format does). ` +
      `Chromium: the built site's generation worker (onnxruntime-web WASM served by the site under a sub-path without ` +
      `COOP/COEP, so one thread), headless /usr/bin/chromium, weights from a local IPFS node (dev/ipfs) read through the ` +
      `verified reader; each run is a fresh worker, "first token incl. load" is from the load request to the first ` +
      `streamed token (WASM compile, weights read, session, first forward pass); cold = Cache Storage emptied first. ` +
      `Node: onnxruntime-node (default threads) on the same prompt and settings. Median of ${RUNS} runs; ` +
      `${cpus().length} cores (${cpus()[0]?.model ?? "unknown CPU"}), Node ${process.version}, shared with other work.`,
    metrics,
  };
}

async function nodeTokensPerSecond(folder: "out" | "out-hf", name: string, newTokens: number): Promise<number> {
  const model = await loadModel(name, {
    ort: ortNode as unknown as OrtRuntime,
    hf: () => import("@huggingface/transformers"),
    useCache: false,
    runtime: "onnxruntime-node",
    read: folderReader(pathToFileURL(join(ROOT, `models/${folder}/`))),
  });
  const speeds: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    let tokens = 0;
    const ids = model.tokenizer.encode(PROMPT);
    for await (const _ of generate(model.next, ids, { ...SETTINGS, maxNewTokens: newTokens })) tokens++;
    speeds.push((tokens * 1000) / (performance.now() - start));
  }
  await model.release();
  return median(speeds);
}

interface BrowserRun {
  cached: boolean;
  fetchMs: number;
  firstTokenMs: number;
  tokensPerSecond: number;
  text: string;
}

/** Loads the model in a fresh production worker and generates once; all timing in the page. */
function browserRun(page: Page, workerUrl: string, cid: string, gateway: string): Promise<BrowserRun> {
  return page.evaluate(
    ({ workerUrl, cid, gateway, prompt, settings }) =>
      new Promise<BrowserRun>((resolve, reject) => {
        const worker = new Worker(workerUrl, { type: "module" });
        const start = performance.now();
        let firstTokenMs = 0;
        let text = "";
        let info: { cached: boolean; fetchMs: number } | undefined;
        const send = (message: WorkerRequest) => worker.postMessage(message);
        worker.onerror = (event) => reject(new Error(event.message));
        worker.onmessage = ({ data }: MessageEvent<WorkerResponse>) => {
          if (data.type === "loaded") {
            info = data.info;
            send({ type: "generate", requestId: 1, prompt, settings });
          } else if (data.type === "token") {
            if (data.index === 0) firstTokenMs = performance.now() - start;
            text += data.text;
          } else if (data.type === "done") {
            worker.terminate();
            resolve({ cached: info!.cached, fetchMs: info!.fetchMs, firstTokenMs, tokensPerSecond: data.stats.tokensPerSecond, text });
          } else if (data.type === "load-failed" || data.type === "failed") {
            worker.terminate();
            reject(new Error(data.error.shortMessage + (data.error.details ? `: ${data.error.details}` : "")));
          }
        };
        send({ type: "load", weightsCid: cid, gateways: [gateway] });
      }),
    { workerUrl, cid, gateway, prompt: PROMPT, settings: SETTINGS },
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
