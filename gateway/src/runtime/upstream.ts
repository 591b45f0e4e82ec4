// Upstream mode: the gateway meters and settles in front of any OpenAI-compatible server (vLLM,
// llama.cpp's server, TGI) that runs a model too large for a CPU. The client's request goes on
// as it came (the upstream's model name put in), always streamed with usage, so the gateway
// sees each token as it leaves and the upstream's own token counts at the end.
import { CID } from "multiformats/cid";
import { modelLoading } from "../openai/errors.ts";
import type { GenerateInput, GenerateOutcome, Runtime, RuntimeInfo } from "./runtime.ts";

export class UpstreamError extends Error {
  override name = "UpstreamError";
}

export class UpstreamRuntime implements Runtime {
  readonly #url: string;
  readonly #apiKey: string | undefined;
  #model: string | undefined;
  #info: RuntimeInfo | undefined;

  constructor(options: { url: string; model: string | undefined; apiKey: string | undefined }) {
    this.#url = options.url;
    this.#model = options.model;
    this.#apiKey = options.apiKey;
  }

  get ready(): boolean {
    return this.#info !== undefined;
  }

  get info(): RuntimeInfo | undefined {
    return this.#info;
  }

  /** Checks the upstream answers and picks its model; the weights are the upstream's. */
  async load(): Promise<RuntimeInfo> {
    const response = await fetch(`${this.#url}/models`, {
      headers: this.#headers(),
      signal: AbortSignal.timeout(10_000),
    }).catch((error: unknown) => {
      throw new UpstreamError(
        `the upstream ${this.#url} cannot be reached: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
    if (!response.ok) throw new UpstreamError(`the upstream ${this.#url} answered /models with ${response.status}`);
    // vLLM names its context `max_model_len` (vllm/entrypoints/openai/protocol.py, ModelCard);
    // OpenRouter-style servers and another HEXS gateway, `context_length`.
    const { data } = (await response.json()) as {
      data: {
        id: string;
        context_length?: number;
        max_model_len?: number;
        hexs?: { weightsCid?: string; runtime?: string | null };
      }[];
    };
    const model = this.#model ? data.find((m) => m.id === this.#model) : data[0];
    if (!model) throw new UpstreamError(`the upstream ${this.#url} has no model ${this.#model ?? ""}`.trim());
    // vLLM and TGI answer only once their model is loaded; another HEXS gateway answers at once and
    // names no runtime until its weights are loaded and checked.
    if (model.hexs && !model.hexs.runtime)
      throw new UpstreamError(`the upstream ${this.#url} is still loading its model`);
    this.#model = model.id;
    this.#info = {
      // HEXS's vLLM service names its model by the CID of the weights it checked (gateway/vllm/).
      weightsCid: model.hexs?.weightsCid ?? (isCid(model.id) ? model.id : `upstream:${model.id}`),
      contextLength: model.context_length ?? model.max_model_len,
      runtime: `upstream ${this.#url} (${model.id})`,
    };
    return this.#info;
  }

  /**
   * An upper bound of the prompt's tokens without asking the upstream: its UTF-8 bytes (every
   * token of a byte-level or character vocabulary covers at least one byte of text).
   */
  async countPromptTokens(input: Pick<GenerateInput, "kind" | "body">): Promise<number> {
    const text = input.kind === "chat" ? JSON.stringify(input.body.messages ?? "") : String(input.body.prompt ?? "");
    return Buffer.byteLength(text, "utf8");
  }

  async generate(input: GenerateInput, onToken: (text: string) => void): Promise<GenerateOutcome> {
    const path = input.kind === "chat" ? "chat/completions" : "completions";
    const { stop: _stop, ...body } = input.body;
    const response = await fetch(`${this.#url}/${path}`, {
      method: "POST",
      headers: { ...this.#headers(), "content-type": "application/json" },
      // Stop sequences are the gateway's to apply, so that what is billed is what was delivered.
      body: JSON.stringify({
        ...body,
        model: this.#model,
        stream: true,
        stream_options: { include_usage: true },
        max_tokens: input.maxTokens,
      }),
      signal: input.signal,
    }).catch((error: unknown) => {
      if (input.signal.aborted) throw error;
      throw new UpstreamError(
        `the upstream ${this.#url} cannot be reached: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
    // Loading (llama.cpp's server, a HEXS gateway) or over capacity: the client may try again.
    if (response.status === 503)
      throw modelLoading(
        `The upstream cannot take requests now (${await response.text().catch(() => "503")}); try again in a few seconds.`,
      );
    if (!response.ok || !response.body)
      throw new UpstreamError(`the upstream answered ${response.status}: ${await response.text().catch(() => "")}`);
    let promptTokens = 0;
    let completionTokens = 0;
    let finish: "length" | "stop" = "stop";
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = event
            .split("\n")
            .find((line) => line.startsWith("data: "))
            ?.slice(6);
          if (!data || data === "[DONE]") continue;
          const parsed = JSON.parse(data) as {
            choices?: { text?: string; delta?: { content?: string }; finish_reason?: string | null }[];
            usage?: { prompt_tokens: number; completion_tokens: number } | null;
            error?: { message: string };
          };
          if (parsed.error) throw new UpstreamError(`the upstream failed: ${parsed.error.message}`);
          const choice = parsed.choices?.[0];
          const text = choice?.delta?.content ?? choice?.text;
          if (text) onToken(text);
          if (choice?.finish_reason === "length") finish = "length";
          if (parsed.usage) ({ prompt_tokens: promptTokens, completion_tokens: completionTokens } = parsed.usage);
        }
      }
    } catch (error) {
      if (!input.signal.aborted) throw error;
    }
    return { promptTokens, completionTokens, finish };
  }

  async close(): Promise<void> {
    this.#info = undefined;
  }

  #headers(): Record<string, string> {
    return this.#apiKey ? { authorization: `Bearer ${this.#apiKey}` } : {};
  }
}

function isCid(text: string): boolean {
  try {
    CID.parse(text);
    return true;
  } catch {
    return false;
  }
}
