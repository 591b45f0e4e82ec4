// Weights in the Hugging Face layout (config.json, tokenizer.json, onnx/model.onnx with a KV
// cache, as Optimum writes and transformers.js reads) run on transformers.js. Every file it asks
// for is answered from `readFile` — the verified IPFS reader behind the CID-keyed cache — through
// `env.fetch` on a reserved host, so nothing is ever fetched from a hub. Sampling stays HEXS's own
// (seeded, src/lib/onnx/sampling.ts); transformers.js runs the tokenizer and the decoder.
import type * as Transformers from "@huggingface/transformers";
import { chatTemplateOf } from "./chatTemplate.ts";
import type { LoadedModel } from "./host.ts";
import { ModelError, ModelInterfaceError, toModelError } from "./modelErrors.ts";
import type { ForwardFunction, NextLogits } from "./sampling.ts";
import type { TextTokenizer } from "./tokenizer.ts";

export type TransformersModule = typeof Transformers;

/** Where transformers.js believes the files are; `env.fetch` answers for it, nothing is fetched. */
const HOST = "https://weights.hexs.invalid/";

/** The folder reader of each weights CID being loaded or run, for `env.fetch`. */
const folders = new Map<string, (path: string) => Promise<Uint8Array | undefined>>();

export interface HfLoadOptions {
  hf: TransformersModule;
  /** The bytes of `path` in the weights folder, or undefined where the folder has no such file. */
  readFile: (path: string) => Promise<Uint8Array | undefined>;
  device?: "cpu" | "wasm" | "webgpu";
  sessionOptions?: Record<string, unknown>;
  now?: () => number;
}

/** A config.json as far as HEXS reads it. */
interface HfConfig {
  model_type: string;
  vocab_size?: number;
  n_positions?: number;
  max_position_embeddings?: number;
  n_ctx?: number;
  _name_or_path?: string;
}

export function parseHfConfig(bytes: Uint8Array): HfConfig {
  let config: unknown;
  try {
    config = JSON.parse(new TextDecoder().decode(bytes));
  } catch (cause) {
    throw new ModelError("bad-config", "The model's config.json is not JSON", { cause });
  }
  const modelType = (config as { model_type?: unknown } | null)?.model_type;
  if (typeof config !== "object" || config === null || typeof modelType !== "string")
    throw new ModelError("bad-config", "The model's config.json names no model_type");
  return config as HfConfig;
}

function configureOnce(hf: TransformersModule): void {
  const { env } = hf;
  if (env.remoteHost === HOST) return;
  env.allowLocalModels = false;
  env.allowRemoteModels = true;
  env.remoteHost = HOST;
  env.remotePathTemplate = "{model}/";
  // Weights are cached by CID in front of `readFile` (weightsCache.ts), not by URL here.
  env.useBrowserCache = false;
  env.useFSCache = false;
  // A cache hit is how transformers.js takes bytes it did not download (in Node it would
  // otherwise want a file path): the folder readers are that cache.
  env.useCustomCache = true;
  env.customCache = {
    match: async (key: string | Request) => {
      const bytes = await readFolderFile(typeof key === "string" ? key : key.url);
      return (
        bytes && new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { "content-length": String(bytes.length) } })
      );
    },
    put: async () => undefined,
  };
  env.fetch = async () => new Response(null, { status: 404 });
}

/** The bytes behind a URL on the reserved host, or undefined where the folder lacks the file. */
async function readFolderFile(address: string): Promise<Uint8Array | undefined> {
  const url = new URL(address);
  if (url.origin + "/" !== HOST) return undefined;
  const path = url.pathname.split("/").map(decodeURIComponent).join("/");
  const folder = [...folders.keys()].find((cid) => path.startsWith(`/${cid}/`));
  return folder === undefined ? undefined : folders.get(folder)!(path.slice(folder.length + 2));
}

export async function loadHfModel(weightsCid: string, config: HfConfig, options: HfLoadOptions): Promise<LoadedModel> {
  const { hf } = options;
  const now = options.now ?? (() => performance.now());
  configureOnce(hf);
  const sizes = new Map<string, number>();
  // The first read that failed for a reason other than absence: transformers.js would only say
  // the file could not be had, and the column should say why (a CID mismatch, no gateway).
  let readFailure: unknown;
  // transformers.js asks for a file more than once while it loads; each is read once.
  const reads = new Map<string, Promise<Uint8Array | undefined>>();
  folders.set(weightsCid, (path) => {
    let read = reads.get(path);
    if (!read) {
      read = options.readFile(path).then(
        (bytes) => {
          if (bytes) sizes.set(path, bytes.length);
          return bytes;
        },
        (error: unknown) => {
          readFailure ??= error;
          throw error;
        },
      );
      reads.set(path, read);
    }
    return read;
  });
  const fetchStart = now();
  let tokenizer: Transformers.PreTrainedTokenizer;
  try {
    tokenizer = await hf.AutoTokenizer.from_pretrained(weightsCid);
  } catch (error) {
    folders.delete(weightsCid);
    if (readFailure) throw toModelError(readFailure, "load");
    throw new ModelError("bad-tokenizer", "The model's tokenizer.json is missing or invalid", {
      details: errorMessage(error),
      cause: error,
    });
  }
  let model: Transformers.PreTrainedModel;
  const sessionStart = now();
  try {
    model = await hf.AutoModelForCausalLM.from_pretrained(weightsCid, {
      dtype: "fp32",
      device: options.device ?? "cpu",
      ...(options.sessionOptions ? { session_options: options.sessionOptions } : {}),
    });
  } catch (error) {
    folders.delete(weightsCid);
    if (readFailure) throw toModelError(readFailure, "load");
    if (/unsupported model type|unknown model class|not supported/i.test(errorMessage(error)))
      throw new ModelError("bad-config", `transformers.js does not run models of type "${config.model_type}"`, {
        details: errorMessage(error),
        cause: error,
      });
    throw toModelError(error, "load");
  }
  const fetchMs = sessionStart - fetchStart;
  const tokenizerConfig = await reads.get("tokenizer_config.json")?.catch(() => undefined);
  reads.clear();
  const chatTemplate = tokenizerConfig && chatTemplateOf(parseJsonOrUndefined(tokenizerConfig));
  try {
    checkDecoderInterface(model);
  } catch (error) {
    folders.delete(weightsCid);
    await model.dispose().catch(() => undefined);
    throw error;
  }
  const vocabSize = config.vocab_size;
  if (vocabSize === undefined) {
    folders.delete(weightsCid);
    await model.dispose().catch(() => undefined);
    throw new ModelError("bad-config", "The model's config.json has no vocab_size");
  }
  const contextLength =
    config.n_positions ?? config.max_position_embeddings ?? config.n_ctx ?? tokenizer.model_max_length;
  const decoder = cachedDecoder(hf, model, vocabSize, contextLength);
  return {
    forward: decoder.forward,
    next: decoder.next,
    tokenizer: tokenizerOf(tokenizer, vocabSize),
    release: async () => {
      folders.delete(weightsCid);
      await model.dispose();
    },
    info: {
      weightsCid,
      name: config._name_or_path || config.model_type,
      sizeBytes: sizes.get("onnx/model.onnx") ?? 0,
      parameterCount: undefined,
      contextLength,
      vocabSize,
      cached: false, // loadModel, which reads through the browser cache, says when it was
      fetchMs,
      sessionMs: now() - sessionStart,
      runtime: runtimeLabel(hf, options.device ?? "cpu"),
      ...(chatTemplate ? { chatTemplate } : {}),
    },
  };
}

/** "transformers.js 4.3.2 (onnxruntime 1.31.0 wasm, 1 thread)", for the column and /v1/models. */
function runtimeLabel(hf: TransformersModule, device: string): string {
  const ort = hf.env.backends.onnx as { versions?: Record<string, string>; wasm?: { numThreads?: number } };
  const version = ort.versions?.web ?? ort.versions?.node ?? ort.versions?.common ?? "";
  const threads = ort.wasm?.numThreads ?? 1;
  const detail = device === "wasm" ? `, ${threads} thread${threads === 1 ? "" : "s"}` : "";
  return `transformers.js ${hf.env.version} (onnxruntime ${version} ${device}${detail})`.replace("  ", " ");
}

/** The decoder must take a KV cache as Optimum exports one, or every token re-reads the prompt. */
function checkDecoderInterface(model: Transformers.PreTrainedModel): void {
  const session = (model as unknown as { sessions?: Record<string, { inputNames: string[]; outputNames: string[] }> })
    .sessions?.model;
  const inputs = session?.inputNames ?? [];
  const outputs = session?.outputNames ?? [];
  if (!inputs.includes("input_ids") || !outputs.includes("logits"))
    throw new ModelInterfaceError(`inputs [${inputs.join(", ")}], outputs [${outputs.join(", ")}]`);
  if (!inputs.some((name) => name.startsWith("past_key_values.")))
    throw new ModelInterfaceError(
      `onnx/model.onnx has no past_key_values inputs (inputs: ${inputs.join(", ")}): export it with a KV cache (Optimum's text-generation-with-past)`,
    );
}

/**
 * A whole-window forward pass for scoring, and next-token logits that reuse the KV cache while
 * the ids only grow: a generation runs each new token once. Past the context (learned
 * positions end there), the last `contextLength` ids are run afresh, as a model without a
 * cache would see them.
 */
function cachedDecoder(
  hf: TransformersModule,
  model: Transformers.PreTrainedModel,
  vocabSize: number,
  contextLength: number,
) {
  const ids64 = (ids: readonly number[]) => new hf.Tensor("int64", BigInt64Array.from(ids, BigInt), [1, ids.length]);
  const run = async (ids: readonly number[], attended: number, past: Record<string, unknown> | undefined) => {
    const out = (await model.forward({
      input_ids: ids64(ids),
      attention_mask: new hf.Tensor("int64", new BigInt64Array(attended).fill(1n), [1, attended]),
      ...(past ? { past_key_values: past } : {}),
    })) as Record<string, Transformers.Tensor>;
    const logits = out.logits!.data as Float32Array;
    if (out.logits!.dims.at(-1) !== vocabSize || logits.length !== ids.length * vocabSize)
      throw new ModelInterfaceError(
        `logits have shape [${out.logits!.dims.join(", ")}], expected [1, ${ids.length}, ${vocabSize}]`,
      );
    return { logits, past: pastOf(out) };
  };
  const forward: ForwardFunction = async (ids) => {
    if (ids.length === 0 || ids.length > contextLength)
      throw new ModelInterfaceError(`${ids.length} tokens given; the model takes 1 to ${contextLength}`);
    return (await run(ids, ids.length, undefined)).logits;
  };
  let cached: { ids: number[]; past: Record<string, unknown> } | undefined;
  const next: NextLogits = async (ids) => {
    const extends_ = cached && cached.ids.length < ids.length && cached.ids.every((id, i) => ids[i] === id);
    const window = ids.length > contextLength ? ids.slice(-contextLength) : ids;
    const step =
      extends_ && ids.length <= contextLength
        ? await run(ids.slice(cached!.ids.length), ids.length, cached!.past)
        : await run(window, window.length, undefined);
    cached = ids.length <= contextLength ? { ids: [...ids], past: step.past } : undefined;
    return step.logits.subarray(step.logits.length - vocabSize);
  };
  return { forward, next };
}

/**
 * The next step's cache inputs from this step's outputs, named as transformers.js names them
 * (`present.0.key` → `past_key_values.0.key`, `present_conv.0` → `past_conv.0`, …).
 */
function pastOf(outputs: Record<string, unknown>): Record<string, unknown> {
  const past: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(outputs)) {
    if (name.startsWith("present.")) past[`past_key_values.${name.slice("present.".length)}`] = value;
    else if (name.startsWith("present_")) past[`past_${name.slice("present_".length)}`] = value;
  }
  return past;
}

/** transformers.js's tokenizer as HEXS's: the ids of the text alone, no special tokens added. */
function tokenizerOf(tokenizer: Transformers.PreTrainedTokenizer, vocabSize: number): TextTokenizer {
  return {
    vocabSize,
    unkId: tokenizer.unk_token_id ?? -1,
    encode: (text) => tokenizer.encode(text, { add_special_tokens: false }),
    decode: (ids) => tokenizer.decode(Array.from(ids)),
  };
}

function parseJsonOrUndefined(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
