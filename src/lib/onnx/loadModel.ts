// Loads an agent's weights by CID — a UnixFS folder holding `model.onnx` and `tokenizer.json` —
// through the verified reader (or the browser cache), and opens an onnxruntime session on them.
import { createTokenizer } from "./tokenizer.ts";
import { createModelSession, type ModelSessionOptions, type OrtRuntime } from "./session.ts";
import type { LoadedModel } from "./host.ts";
import { ModelError } from "./modelErrors.ts";
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
  now?: () => number;
}

export async function loadModel(weightsCid: string, options: LoadModelOptions): Promise<LoadedModel> {
  const now = options.now ?? (() => performance.now());
  const fetchStart = now();
  const readFile = (path: string) =>
    options.useCache === false
      ? options.read(weightsCid, path).then((bytes) => ({ bytes, cached: false }))
      : readThroughCache(weightsCid, path, () => options.read(weightsCid, path));
  const [tokenizerFile, modelFile] = await Promise.all([readFile(TOKENIZER_FILE), readFile(MODEL_FILE)]);
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
