// Messages between the page and a generation worker. One worker holds one model (one playground
// column), so a model that runs out of memory or crashes takes down only its own column.
import type { BenchmarkSet, TaskScore } from "./benchmark.ts";
import type { ChatTemplateSpec } from "./chatTemplate.ts";
import type { SerializedModelError } from "./modelErrors.ts";

export interface GenerationSettings {
  /** 0 = greedy. */
  temperature: number;
  topK?: number | undefined;
  topP?: number | undefined;
  maxNewTokens: number;
  /** Same seed, prompt, settings and weights → same output. */
  seed: number;
}

export interface ModelInfo {
  weightsCid: string;
  /** The model's own name, from tokenizer.json. */
  name: string;
  /** Bytes of model.onnx. */
  sizeBytes: number;
  parameterCount: number | undefined;
  contextLength: number;
  vocabSize: number;
  /** Whether the weights came from the browser cache rather than IPFS. */
  cached: boolean;
  /** Reading (and verifying, unless cached) the weights. */
  fetchMs: number;
  /** Creating the onnxruntime session (WASM compile included on the first model). */
  sessionMs: number;
  /** "onnxruntime-web 1.30.0 wasm, 1 thread". */
  runtime: string;
  /** The chat template of its tokenizer_config.json, which chat requests are rendered with. */
  chatTemplate?: ChatTemplateSpec | undefined;
}

/** Where a model in the Hugging Face layout runs (Settings → Playground). */
export type InferenceDevice = "auto" | "webgpu" | "wasm";

export interface GenerationStats {
  /** Tokens of the prompt as the model saw them. */
  promptTokens: number;
  tokens: number;
  /** From the request reaching the worker to the first token. */
  firstTokenMs: number;
  totalMs: number;
  /** Generated tokens per second after the first (see firstTokenMs for the wait before it). */
  tokensPerSecond: number;
}

export type WorkerRequest =
  | { type: "load"; weightsCid: string; gateways: string[]; device?: InferenceDevice }
  | { type: "generate"; requestId: number; prompt: string; settings: GenerationSettings }
  | { type: "benchmark"; requestId: number; set: BenchmarkSet }
  | { type: "count"; requestId: number; text: string }
  | { type: "stop"; requestId: number };

export type WorkerResponse =
  | { type: "loaded"; info: ModelInfo }
  | { type: "load-failed"; error: SerializedModelError }
  | { type: "token"; requestId: number; text: string; index: number }
  | { type: "done"; requestId: number; stats: GenerationStats; stopped: boolean }
  | { type: "progress"; requestId: number; done: number; total: number }
  | { type: "scores"; requestId: number; scores: TaskScore[]; runtime: string }
  | { type: "counted"; requestId: number; tokens: number }
  | { type: "failed"; requestId: number; error: SerializedModelError };
