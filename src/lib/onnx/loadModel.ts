// Loads an agent's weights by CID through the verified reader (or the browser cache). A folder
// in the Hugging Face layout (a `config.json`) runs on transformers.js (hfModel.ts); one holding
// `model.onnx` and a `hexs-char-tokenizer/1` `tokenizer.json`, the format HEXS published first,
// on an onnxruntime session of its own.
import { createTokenizer } from "./tokenizer.ts";
import { createModelSession, type ModelSessionOptions, type OrtRuntime } from "./session.ts";
import type { LoadedModel } from "./host.ts";
import { loadHfModel, parseHfConfig, type HfLoadOptions, type TransformersModule } from "./hfModel.ts";
import { ModelError, toModelError } from "./modelErrors.ts";
import { lastRowOf } from "./sampling.ts";
import { readThroughCache } from "./weightsCache.ts";

export const MODEL_FILE = "model.onnx";
export const TOKENIZER_FILE = "tokenizer.json";

/** WASM32 addresses 4 GiB; weights plus activations must fit, so refuse early above this. */
export const MAX_MODEL_BYTES = 2 * 1024 ** 3;

export interface LoadModelOptions {
  ort: OrtRuntime;
  /** Reads `path` under `cid`, verified against the CID. */
  read: (cid: string, path: string) => Promise<Uint8Array>;
  /** Read through the browser cache (default true where Cache Storage exists). */
  useCache?: boolean;
  /** Shown in the model info, e.g. "onnxruntime-web 1.30.0 wasm, 1 thread". */
  runtime: string;
  /** Passed to onnxruntime (threads, execution providers). */
  sessionOptions?: ModelSessionOptions["sessionOptions"];
  /**
   * transformers.js, imported on first use, for folders in the Hugging Face layout, and where it
   * runs the model: onnxruntime-node's CPU (the default), WASM or WebGPU in a browser.
   */
  hf?: () => Promise<{ transformers: TransformersModule; device?: HfLoadOptions["device"] }>;
  now?: () => number;
}

/** The Hugging Face layout's file that tells it from HEXS's first format. */
export const CONFIG_FILE = "config.json";

export async function loadModel(weightsCid: string, options: LoadModelOptions): Promise<LoadedModel> {
  const now = options.now ?? (() => performance.now());
  const fetchStart = now();
  const readFile = (path: string) =>
    options.useCache === false
      ? options.read(weightsCid, path).then((bytes) => ({ bytes, cached: false }))
      : readThroughCache(weightsCid, path, () => options.read(weightsCid, path));
  const readIfPresent = (path: string) =>
    readFile(path).then(
      (file) => file,
      (error: unknown) => {
        if (error instanceof Error && error.name === "IpfsNotFoundError") return undefined;
        throw toModelError(error, "load");
      },
    );

  const configFile = await readIfPresent(CONFIG_FILE);
  if (configFile) {
    const config = parseHfConfig(configFile.bytes);
    if (!options.hf)
      throw new ModelError("bad-config", "This runtime cannot run models in the Hugging Face layout", {
        details: weightsCid,
      });
    // Cached when every file the model needed came from the browser cache, config.json included.
    let cached = configFile.cached;
    const { transformers, device } = await options.hf();
    const model = await loadHfModel(weightsCid, config, {
      hf: transformers,
      readFile: async (path) => {
        const file = await readIfPresent(path);
        if (file && !file.cached) cached = false;
        return file?.bytes;
      },
      ...(device ? { device } : {}),
      ...(options.sessionOptions ? { sessionOptions: options.sessionOptions as Record<string, unknown> } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
    return { ...model, info: { ...model.info, cached } };
  }
  const modelFile = await readIfPresent(MODEL_FILE);
  if (!modelFile)
    throw new ModelError(
      "bad-config",
      "The weights folder has no config.json (the Hugging Face layout) and no model.onnx (HEXS's first format)",
      { details: weightsCid },
    );
  const tokenizerFile = await readFile(TOKENIZER_FILE);
  const fetchMs = now() - fetchStart;

  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(tokenizerFile.bytes));
  } catch (cause) {
    throw new ModelError("bad-tokenizer", "The model's tokenizer.json is not JSON", { details: weightsCid, cause });
  }
  const tokenizer = createTokenizer(json);
  const { contextLength } = tokenizer.description.model;
  if (modelFile.bytes.length > MAX_MODEL_BYTES)
    throw new ModelError("out-of-memory", "The model is too large to run in the browser", {
      details: `${modelFile.bytes.length} bytes; WASM runs models up to ${MAX_MODEL_BYTES} bytes`,
    });

  const sessionStart = now();
  const session = await createModelSession(options.ort, modelFile.bytes, {
    vocabSize: tokenizer.vocabSize,
    contextLength,
    sessionOptions: options.sessionOptions,
  });
  return {
    forward: session.forward,
    next: lastRowOf(session.forward, contextLength),
    tokenizer,
    release: session.release,
    info: {
      weightsCid,
      name: tokenizer.description.name,
      sizeBytes: modelFile.bytes.length,
      parameterCount: tokenizer.description.training?.parameterCount,
      contextLength,
      vocabSize: tokenizer.vocabSize,
      cached: tokenizerFile.cached && modelFile.cached,
      fetchMs,
      sessionMs: now() - sessionStart,
      runtime: options.runtime,
    },
  };
}
