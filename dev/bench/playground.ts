// Playground benchmark section: generation speed in both weight layouts — HEXS's first format
// (onnxruntime directly, the whole window re-run per token) and the Hugging Face layout
// (transformers.js, KV cache) — in headless Chromium (the production worker of the built site,
// WASM, one thread) and in onnxruntime-node (one thread) on the same machine, prompt and settings,
// at 50, 200 and 500 new tokens, with their ratios. The speeds use models with a 1024-position
// context (untrained weights from a fixed seed: speed does not depend on what was learned), so
// 500 tokens fit; the demo models' own contexts are 64. Then each demo model's time to first
// token including loading its weights from a local IPFS node, with a cold and a warm browser cache.
import { readdir, readFile } from "node:fs/promises";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
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
import { readHfFolder } from "../../models/hf/readFolder.ts";
import { hfModelFiles } from "../../models/hf/writeFolder.ts";
import { exportOnnx } from "../../models/train/exportOnnx.ts";
import { countParameters, initParameters } from "../../models/train/model.ts";
import { tokenizerDescription, VOCAB } from "../../models/vocab.ts";
import { folderReader } from "../../src/lib/onnx/folderReader.ts";
import { loadModel } from "../../src/lib/onnx/loadModel.ts";
import { decodeSpeed } from "../../src/lib/onnx/host.ts";
import { generate } from "../../src/lib/onnx/sampling.ts";
import type { OrtRuntime } from "../../src/lib/onnx/session.ts";
import type { GenerationSettings } from "../../src/lib/onnx/protocol.ts";
import { serveUnderSubpath } from "../stack/subpathServer.ts";
import type { BenchMetric, BenchSection } from "./report.ts";
import { CHROMIUM_ARGS, chromiumExecutablePath } from "../chromium.ts";
import { runGenerationWorker, type GenerationWorkerRun } from "../generationWorkerRun.ts";

const MODELS = ["tiny-stories-char", "tiny-verse-char"] as const;
const PROMPT = "Once upon a time";
/** Greedy, so every runtime does exactly the same work. */
const SETTINGS: GenerationSettings = { temperature: 0, maxNewTokens: 40, seed: 1 };
/** New tokens for the speeds, all within the speed model's context (the 16-character prompt included). */
const LENGTHS = [50, 200, 500] as const;
/** With a KV cache each token costs about the same: 500 tokens at no less than this share of 50's speed. */
const FLAT_TARGET = 0.8;
const RATIO_TARGET = 0.5;

/**
 * The speed models, weights from a fixed seed: tiny-stories-char's shape with a 1024-position
 * context, and a wider, deeper one (3.4 M parameters) where the matrix products, not the
 * per-operator overhead, take most of each token's time, as in the models people publish.
 */
const SPEED_MODELS = [
  { name: "speed-tiny", shape: { dModel: 64, nLayers: 2, nHeads: 4, dFf: 256 }, layouts: ["first format", "Hugging Face layout"] },
  // The first format re-runs the whole sequence per token: minutes a run at this size, so not measured.
  { name: "speed-small", shape: { dModel: 256, nLayers: 4, nHeads: 8, dFf: 1024 }, layouts: ["Hugging Face layout"] },
].map(({ name, shape, layouts }) => {
  const config = { vocabSize: VOCAB.length, contextLength: 1024, ...shape };
  const params = initParameters(config, 7);
  const description = `A ${shape.nLayers}-layer, ${shape.dModel}-wide model with a 1024-position context and untrained weights, for speed measurements.`;
  return {
    name,
    config,
    layouts: layouts as Layout[],
    parameters: countParameters(params),
    "first format": (): Record<string, Uint8Array> => ({
      "model.onnx": exportOnnx(config, params, { name, description }),
      "tokenizer.json": new TextEncoder().encode(JSON.stringify(tokenizerDescription(name, config, undefined))),
    }),
    "Hugging Face layout": (): Record<string, Uint8Array> =>
      Object.fromEntries(hfModelFiles({ name, description, config, params })),
  };
});

/** A demo model's weights folder in each layout, path → bytes. */
const LAYOUTS = {
  "first format": async (name: string) => ({
    "model.onnx": await readFile(join(ROOT, `models/out/${name}/model.onnx`)),
    "tokenizer.json": await readFile(join(ROOT, `models/out/${name}/tokenizer.json`)),
  }),
  "Hugging Face layout": async (name: string): Promise<Record<string, Uint8Array>> =>
    Object.fromEntries((await readHfFolder(name)).map(({ path, content }) => [path, content])),
} satisfies Record<string, (name: string) => Promise<Record<string, Uint8Array>>>;
type Layout = keyof typeof LAYOUTS;
const RUNS = 5;
const SPEED_RUNS = 3;
const PREFIX = "/ipfs/bafybeibenchplaygroundsite/";

export async function run(): Promise<BenchSection> {
  await runToCompletion("npm", ["run", "build"]);
  const workerFile = (await readdir(join(ROOT, "build/_app/immutable/workers"))).find((f) => f.startsWith("generation.worker"));
  if (!workerFile) throw new Error("the build has no generation worker");
  const dataDir = await mkdtemp(join(tmpdir(), "hexs-bench-ipfs-"));
  const speedDir = await mkdtemp(join(tmpdir(), "hexs-bench-speed-model-"));
  const ipfs = await startIpfsNode({ dataDir });
  const site = await serveUnderSubpath(join(ROOT, "build"), PREFIX);
  const browser = await chromium.launch({ executablePath: chromiumExecutablePath(), args: CHROMIUM_ARGS });
  const metrics: BenchMetric[] = [];
  const pin = async (files: Record<string, Uint8Array>) => {
    const car = await packFiles(Object.entries(files).map(([path, bytes]) => ({ path, content: new Uint8Array(bytes) })));
    return (await uploadCar(kuboAdapter({ url: ipfs.url }), car)).cid.toString();
  };
  try {
    const page = await browser.newPage();
    await page.goto(`${site.url}`);
    const workerUrl = new URL(`_app/immutable/workers/${workerFile}`, page.url()).href;

    // Speeds: each 1024-context model, each layout, each length, Chromium and Node.
    for (const model of SPEED_MODELS) metrics.push(...(await speeds(model, page, workerUrl, pin, ipfs.url, speedDir)));

    // The demo models: time to first token, weights read from IPFS, cold and warm cache.
    for (const name of MODELS) {
      const texts = new Set<string>();
      for (const [layout, filesOf] of Object.entries(LAYOUTS)) {
        const cid = await pin(await filesOf(name));
        const cold: GenerationWorkerRun[] = [];
        const warm: GenerationWorkerRun[] = [];
        for (let i = 0; i < RUNS; i++) {
          await page.evaluate(() => caches.delete("hexs-weights-v1"));
          cold.push(await runGenerationWorker(page, { workerUrl, cid, gateway: ipfs.url, prompt: PROMPT, settings: SETTINGS }));
          warm.push(await runGenerationWorker(page, { workerUrl, cid, gateway: ipfs.url, prompt: PROMPT, settings: SETTINGS }));
        }
        if (cold.some((r) => r.cached) || warm.some((r) => !r.cached)) throw new Error("cache state is not what the run expects");
        for (const r of [...cold, ...warm]) texts.add(r.text);
        metrics.push(
          { name: `${name}, ${layout}: first token incl. load, cold cache`, value: round(median(cold.map((r) => r.firstTokenMs))), unit: "ms" },
          { name: `${name}, ${layout}: first token incl. load, warm cache`, value: round(median(warm.map((r) => r.firstTokenMs))), unit: "ms" },
          { name: `${name}, ${layout}: of which weights read, cold (IPFS, verified)`, value: round(median(cold.map((r) => r.fetchMs))), unit: "ms" },
          { name: `${name}, ${layout}: of which weights read, warm (Cache Storage)`, value: round(median(warm.map((r) => r.fetchMs))), unit: "ms" },
        );
      }
      // Same weights, same greedy decoding: both layouts, every run, must write the same text.
      if (texts.size !== 1) throw new Error(`${name}: the runs produced different greedy text`);
    }
  } finally {
    await browser.close();
    await site.stop();
    await ipfs.stop();
    await rm(dataDir, { recursive: true, force: true });
    await rm(speedDir, { recursive: true, force: true });
  }
  return {
    title: "Playground: in-browser inference",
    method:
      `Prompt "${PROMPT}", greedy. Speeds: ${SPEED_MODELS.map((m) => `${m.name} (${m.config.nLayers} layers, ${m.config.dModel} wide, ${m.parameters.toLocaleString("en")} parameters)`).join(" and ")}, ` +
      `each with a 1024-position context and untrained weights from a fixed seed, at ${LENGTHS.join(", ")} new tokens, in both layouts: HEXS's first format (the whole sequence re-run per token, no cache) ` +
      `and the Hugging Face layout (transformers.js, each token run once on the KV cache). Chromium: the built site's generation ` +
      `worker (onnxruntime-web WASM served by the site under a sub-path without COOP/COEP, so one thread), headless ` +
      `/usr/bin/chromium, weights from a local IPFS node (dev/ipfs) read through the verified reader, warm cache, a fresh ` +
      `worker per run, median of ${SPEED_RUNS}; tokens/s counts the tokens after the first over the time after it (the first token's wait is prompt and warm-up), in both runtimes. Node: onnxruntime-node with one intra-op and one inter-op thread, the same ` +
      `prompt and settings, median of ${SPEED_RUNS}; both runtimes must write the same text. First token: each demo model ` +
      `(64-position context, ${SETTINGS.maxNewTokens} new tokens), from the load request to the first streamed token (WASM ` +
      `compile, weights read, session, first forward pass); cold = Cache Storage emptied first; median of ${RUNS}. ` +
      `${cpus().length} cores (${cpus()[0]?.model ?? "unknown CPU"}), Node ${process.version}, shared with other work.`,
    metrics,
  };
}

/** Tokens/s of `model` in each layout at each length, in Chromium and in Node, with their ratios. */
async function speeds(
  model: (typeof SPEED_MODELS)[number],
  page: Page,
  workerUrl: string,
  pin: (files: Record<string, Uint8Array>) => Promise<string>,
  gateway: string,
  dir: string,
): Promise<BenchMetric[]> {
  const metrics: BenchMetric[] = [];
  const byLayout: Partial<Record<Layout, { browser: Record<number, number>; node: Record<number, number> }>> = {};
  for (const layout of model.layouts) {
    const files = model[layout]();
    const folder = join(dir, layout === "first format" ? "out" : "out-hf");
    await writeFolder(join(folder, model.name), files);
    const cid = await pin(files);
    const texts = new Set<string>();
    const browserTps: Record<number, number> = {};
    const nodeTps: Record<number, number> = {};
    for (const length of LENGTHS) {
      const settings = { ...SETTINGS, maxNewTokens: length };
      const node = await nodeRuns(folder, model.name, settings);
      const runs: GenerationWorkerRun[] = [];
      // The first run fills the cache; the timed ones read it.
      await runGenerationWorker(page, { workerUrl, cid, gateway, prompt: PROMPT, settings });
      for (let i = 0; i < SPEED_RUNS; i++) runs.push(await runGenerationWorker(page, { workerUrl, cid, gateway, prompt: PROMPT, settings }));
      for (const text of [...runs.map((r) => r.text), ...node.texts]) texts.add(`${length}:${text}`);
      browserTps[length] = median(runs.map((r) => r.tokensPerSecond));
      nodeTps[length] = node.tokensPerSecond;
    }
    // Same weights, same greedy decoding: Chromium and Node write the same text at each length.
    if (texts.size !== LENGTHS.length) throw new Error(`${model.name}, ${layout}: the runtimes wrote different greedy text`);
    byLayout[layout] = { browser: browserTps, node: nodeTps };
    const label = `${model.name}, ${layout}`;
    metrics.push(
      ...LENGTHS.flatMap((length) => [
        { name: `${label}: tokens/s, Chromium WASM (1 thread), ${length} new tokens`, value: round(browserTps[length]!), unit: "tokens/s" },
        { name: `${label}: tokens/s, onnxruntime-node (1 thread), ${length} new tokens`, value: round(nodeTps[length]!), unit: "tokens/s" },
      ]),
      ...LENGTHS.map((length) => {
        const ratio = browserTps[length]! / nodeTps[length]!;
        return {
          name: `${label}: Chromium / Node, ${length} new tokens`,
          value: round(ratio, 3),
          unit: "ratio",
          ...(layout === "Hugging Face layout" ? { target: `≥ ${RATIO_TARGET}`, met: ratio >= RATIO_TARGET } : {}),
        };
      }),
    );
    if (layout === "Hugging Face layout")
      for (const [runtime, tps] of [["Chromium", browserTps], ["Node", nodeTps]] as const) {
        const flat = tps[500]! / tps[50]!;
        metrics.push({ name: `${label}: ${runtime} tokens/s at 500 / at 50 (KV cache)`, value: round(flat, 3), unit: "ratio", target: `≥ ${FLAT_TARGET}`, met: flat >= FLAT_TARGET });
      }
  }
  const [first, hf] = [byLayout["first format"], byLayout["Hugging Face layout"]];
  if (!first || !hf) return metrics;
  metrics.push(
    ...LENGTHS.flatMap((length) => [
      { name: `${model.name}: Hugging Face layout / first format, Chromium, ${length} new tokens`, value: round(hf.browser[length]! / first.browser[length]!, 3), unit: "ratio" },
      { name: `${model.name}: Hugging Face layout / first format, Node, ${length} new tokens`, value: round(hf.node[length]! / first.node[length]!, 3), unit: "ratio" },
    ]),
  );
  return metrics;
}

async function writeFolder(dir: string, files: Record<string, Uint8Array>): Promise<void> {
  for (const [path, bytes] of Object.entries(files)) {
    await mkdir(join(dir, path, ".."), { recursive: true });
    await writeFile(join(dir, path), bytes);
  }
}

/** `name` from `folder` on onnxruntime-node with one thread: median tokens/s and the texts written. */
async function nodeRuns(
  folder: string,
  name: string,
  settings: GenerationSettings,
): Promise<{ tokensPerSecond: number; texts: string[] }> {
  const model = await loadModel(name, {
    ort: ortNode as unknown as OrtRuntime,
    hf: async () => ({ transformers: await import("@huggingface/transformers") }),
    useCache: false,
    runtime: "onnxruntime-node",
    read: folderReader(pathToFileURL(`${folder}/`)),
    sessionOptions: { intraOpNumThreads: 1, interOpNumThreads: 1 },
  });
  const speeds: number[] = [];
  const texts: string[] = [];
  try {
    for (let i = 0; i < SPEED_RUNS; i++) {
      const start = performance.now();
      let firstTokenMs = 0;
      let tokens = 0;
      let text = "";
      for await (const token of generate(model.next, model.tokenizer.encode(PROMPT), settings)) {
        if (tokens++ === 0) firstTokenMs = performance.now() - start;
        text += model.tokenizer.decode([token]);
      }
      speeds.push(decodeSpeed(tokens, firstTokenMs, performance.now() - start));
      texts.push(text);
    }
  } finally {
    await model.release();
  }
  return { tokensPerSecond: median(speeds), texts };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
