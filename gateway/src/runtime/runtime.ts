import type { ChatTemplateSpec } from "../../../src/lib/onnx/chatTemplate.ts";

// What the gateway needs of a model backend: the built-in one (onnxruntime-node in a worker
// thread) or an OpenAI-compatible upstream (vLLM, llama.cpp's server, TGI) it meters in front of.

export interface RuntimeInfo {
  /** The weights being served (the agent's latest version), or the upstream's model. */
  weightsCid: string;
  contextLength: number | undefined;
  /** "onnxruntime-node 1.30.0" or "upstream http://…". */
  runtime: string;
  /** The model's own chat template, which chat requests are rendered with (built-in runtime). */
  chatTemplate?: ChatTemplateSpec | undefined;
}

export interface GenerateInput {
  kind: "chat" | "completion";
  /** The rendered prompt (built-in) — an upstream receives the original request instead. */
  prompt: string;
  /** The request body as the client sent it, for an upstream. */
  body: Record<string, unknown>;
  maxTokens: number;
  temperature: number;
  topP: number | undefined;
  seed: number;
  signal: AbortSignal;
}

export interface GenerateOutcome {
  /** Tokens the backend produced (some may not have been delivered: a stop sequence, an abort). */
  completionTokens: number;
  /** The backend's count of the prompt's tokens. */
  promptTokens: number;
  finish: "length" | "stop";
}

export interface Runtime {
  /** Whether a model is loaded and its weights verified. */
  readonly ready: boolean;
  readonly info: RuntimeInfo | undefined;
  /** Loads (or switches to) `weightsCid`; requests in flight finish on the old one. */
  load(weightsCid: string): Promise<RuntimeInfo>;
  /** An upper bound of the prompt's tokens, for the reservation made before anything runs. */
  countPromptTokens(input: Pick<GenerateInput, "kind" | "prompt" | "body">): Promise<number>;
  /** Streams one token's text at a time to `onToken`. */
  generate(input: GenerateInput, onToken: (text: string) => void): Promise<GenerateOutcome>;
  close(): Promise<void>;
}
