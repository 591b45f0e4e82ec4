// One playground column: an agent, the worker that runs its model, and what it produced.
import { ModelWorker, type GenerationRun } from "#lib/onnx/client.ts";
import { ModelError } from "#lib/onnx/modelErrors.ts";
import type { BenchmarkSet, TaskScore } from "#lib/onnx/benchmark.ts";
import type { ChatTurn } from "#lib/onnx/chatTemplate.ts";
import type { GenerationSettings, GenerationStats, InferenceDevice, ModelInfo } from "#lib/onnx/protocol.ts";
import type { AgentSummary } from "./agents.ts";

export const DEFAULT_SETTINGS: GenerationSettings = {
  temperature: 0.8,
  topK: 40,
  topP: 0.95,
  maxNewTokens: 120,
  seed: 1,
};

export type ColumnStatus = "loading" | "ready" | "generating" | "benchmarking" | "failed";

let nextId = 1;

export class Column {
  readonly id = nextId++;
  readonly agent: AgentSummary;
  status = $state<ColumnStatus>("loading");
  info = $state.raw<ModelInfo>();
  /** The last failure (loading, generating or benchmarking), shown in the column. */
  error = $state.raw<ModelError>();
  output = $state("");
  stats = $state.raw<GenerationStats>();
  stopped = $state(false);
  /** This column's own parameters, used when the page's are not shared. */
  settings = $state<GenerationSettings>({ ...DEFAULT_SETTINGS });
  benchmarkProgress = $state(0);
  /** Chat mode: this column's conversation (each model answers in its own). */
  chat = $state.raw<ChatTurn[]>([]);
  /** The text the model was given for the last chat turn: its chat template, rendered. */
  chatPrompt = $state<string>();
  readonly #worker = new ModelWorker();
  #stop: (() => void) | undefined;

  constructor(agent: AgentSummary) {
    this.agent = agent;
  }

  async load(gateways: string[], device: InferenceDevice): Promise<void> {
    this.status = "loading";
    this.error = undefined;
    try {
      this.info = await this.#worker.load(this.agent.weightsCid, gateways, device);
      this.status = "ready";
    } catch (error) {
      this.#fail(error);
    }
  }

  async generate(prompt: string, settings: GenerationSettings): Promise<void> {
    if (this.status !== "ready") return;
    this.status = "generating";
    this.output = "";
    this.stats = undefined;
    this.error = undefined;
    this.stopped = false;
    let run: GenerationRun | undefined;
    try {
      run = this.#worker.generate(prompt, settings, (text) => (this.output += text));
      this.#stop = run.stop;
      const { stats, stopped } = await run.done;
      this.stats = stats;
      this.stopped = stopped;
      this.status = "ready";
    } catch (error) {
      this.#fail(error, "ready");
    } finally {
      this.#stop = undefined;
    }
  }

  /**
   * Chat mode: adds `message` to the conversation, renders it with the model's chat template (as
   * transformers does, with the generation prompt) and streams the answer into the conversation.
   */
  async send(message: string, settings: GenerationSettings): Promise<void> {
    if (this.status !== "ready") return;
    const template = this.info?.chatTemplate;
    if (!template) {
      this.error = new ModelError("bad-config", "This model has no chat template", {
        details: "Its tokenizer_config.json names no chat_template; use completion mode to give it a prompt as text.",
      });
      return;
    }
    const turns = [...this.chat, { role: "user", content: message }];
    const { renderChatTemplate } = await import("#lib/onnx/chatTemplate.ts");
    let prompt: string;
    try {
      prompt = renderChatTemplate(template, turns);
    } catch (error) {
      this.error = new ModelError("bad-config", "The model's chat template could not be rendered", {
        details: error instanceof Error ? ((error as { details?: string }).details ?? error.message) : String(error),
      });
      return;
    }
    this.chat = turns;
    this.chatPrompt = prompt;
    await this.generate(prompt, settings);
    this.chat = [...turns, { role: "assistant", content: this.output }];
  }

  /** Starts the conversation over. */
  newChat(): void {
    this.chat = [];
    this.chatPrompt = undefined;
    this.output = "";
    this.stats = undefined;
  }

  /** Scores `set`; resolves with undefined when it failed (the column shows why). */
  async benchmark(set: BenchmarkSet): Promise<{ scores: TaskScore[]; runtime: string } | undefined> {
    if (this.status !== "ready") return undefined;
    this.status = "benchmarking";
    this.benchmarkProgress = 0;
    this.error = undefined;
    try {
      const run = this.#worker.benchmark(set, (done, total) => (this.benchmarkProgress = done / total));
      this.#stop = run.stop;
      const result = await run.done;
      this.status = "ready";
      return result;
    } catch (error) {
      this.#fail(error, "ready");
      return undefined;
    } finally {
      this.#stop = undefined;
    }
  }

  stop(): void {
    this.#stop?.();
  }

  dispose(): void {
    this.#worker.terminate();
  }

  #fail(error: unknown, after: ColumnStatus = "failed"): void {
    this.error =
      error instanceof ModelError
        ? error
        : new ModelError("runtime", "Something went wrong", { details: String(error) });
    // A crash or an exhausted heap leaves nothing to run; other failures keep the loaded model.
    this.status = this.error.kind === "crashed" || this.error.kind === "out-of-memory" ? "failed" : after;
  }
}
