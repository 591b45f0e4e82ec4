// The built-in runtime: a worker thread holding the agent's model (builtinWorker.ts). Loading a
// new version starts a second worker and switches over once it is ready, so requests in flight
// finish on the version they started on and none is dropped.
import { Worker } from "node:worker_threads";
import type { ModelInfo, WorkerRequest, WorkerResponse } from "../../../src/lib/onnx/protocol.ts";
import type { GenerateInput, GenerateOutcome, Runtime, RuntimeInfo } from "./runtime.ts";

const WORKER = new URL("./builtinWorker.ts", import.meta.url);

/** A worker's failure, with the model error's kind (bad-onnx, wrong-inputs, cid-mismatch…). */
export class RuntimeError extends Error {
  override name = "RuntimeError";
  readonly kind: string;
  constructor(kind: string, message: string) {
    super(message);
    this.kind = kind;
  }
}

interface Pending {
  onToken?: (text: string) => void;
  resolve: (response: WorkerResponse) => void;
  reject: (error: Error) => void;
}

class ModelWorker {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #loaded: ((response: WorkerResponse) => void) | undefined;
  #nextId = 1;
  /** Requests running on this worker; a retired worker ends once none is left. */
  active = 0;

  constructor(threads: number) {
    this.#worker = new Worker(WORKER, { workerData: { threads } });
    this.#worker.on("message", (message: WorkerResponse) => this.#receive(message));
    this.#worker.on("error", (error) => {
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
    });
  }

  load(weightsCid: string, gateways: string[]): Promise<ModelInfo> {
    return new Promise((resolve, reject) => {
      this.#loaded = (response) => {
        if (response.type === "loaded") resolve(response.info);
        else if (response.type === "load-failed")
          reject(new RuntimeError(response.error.kind, response.error.shortMessage));
      };
      this.#post({ type: "load", weightsCid, gateways });
    });
  }

  request(message: (requestId: number) => WorkerRequest, onToken?: (text: string) => void): Promise<WorkerResponse> {
    const requestId = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(requestId, { onToken, resolve, reject });
      this.#post(message(requestId));
    });
  }

  stop(requestId: number): void {
    this.#post({ type: "stop", requestId });
  }

  get nextId(): number {
    return this.#nextId;
  }

  terminate(): Promise<number> {
    return this.#worker.terminate();
  }

  #post(message: WorkerRequest): void {
    this.#worker.postMessage(message);
  }

  #receive(message: WorkerResponse): void {
    if (message.type === "loaded" || message.type === "load-failed") return this.#loaded?.(message);
    const pending = this.#pending.get(message.requestId);
    if (!pending) return;
    if (message.type === "token") return pending.onToken?.(message.text);
    this.#pending.delete(message.requestId);
    if (message.type === "failed") pending.reject(new RuntimeError(message.error.kind, message.error.shortMessage));
    else pending.resolve(message);
  }
}

export class BuiltinRuntime implements Runtime {
  readonly #gateways: string[];
  readonly #threads: number;
  #current: { worker: ModelWorker; info: RuntimeInfo } | undefined;

  constructor(options: { gateways: string[]; threads: number }) {
    this.#gateways = options.gateways;
    this.#threads = options.threads;
  }

  get ready(): boolean {
    return this.#current !== undefined;
  }

  get info(): RuntimeInfo | undefined {
    return this.#current?.info;
  }

  async load(weightsCid: string): Promise<RuntimeInfo> {
    const worker = new ModelWorker(this.#threads);
    let model: ModelInfo;
    try {
      model = await worker.load(weightsCid, this.#gateways);
    } catch (error) {
      await worker.terminate();
      throw error;
    }
    const previous = this.#current;
    const info = {
      weightsCid,
      contextLength: model.contextLength,
      runtime: model.runtime,
      ...(model.chatTemplate ? { chatTemplate: model.chatTemplate } : {}),
    };
    this.#current = { worker, info };
    if (previous) void this.#retire(previous.worker);
    return info;
  }

  async countPromptTokens(input: Pick<GenerateInput, "prompt">): Promise<number> {
    const response = await this.#worker().request((requestId) => ({ type: "count", requestId, text: input.prompt }));
    if (response.type !== "counted") throw new Error(`unexpected ${response.type} from the model worker`);
    return response.tokens;
  }

  async generate(input: GenerateInput, onToken: (text: string) => void): Promise<GenerateOutcome> {
    const worker = this.#worker();
    worker.active++;
    const requestId = worker.nextId;
    const stop = () => worker.stop(requestId);
    input.signal.addEventListener("abort", stop, { once: true });
    try {
      const response = await worker.request(
        (id) => ({
          type: "generate",
          requestId: id,
          prompt: input.prompt,
          settings: {
            temperature: input.temperature,
            topP: input.topP,
            maxNewTokens: input.maxTokens,
            seed: input.seed,
          },
        }),
        onToken,
      );
      if (response.type !== "done") throw new Error(`unexpected ${response.type} from the model worker`);
      return {
        completionTokens: response.stats.tokens,
        promptTokens: response.stats.promptTokens,
        finish: response.stats.tokens >= input.maxTokens ? "length" : "stop",
      };
    } finally {
      input.signal.removeEventListener("abort", stop);
      worker.active--;
    }
  }

  async close(): Promise<void> {
    await this.#current?.worker.terminate();
    this.#current = undefined;
  }

  #worker(): ModelWorker {
    if (!this.#current) throw new RuntimeError("not-loaded", "The model is still loading.");
    return this.#current.worker;
  }

  /** Lets a replaced worker finish the requests it is running, then ends it. */
  async #retire(worker: ModelWorker): Promise<void> {
    while (worker.active > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    await worker.terminate();
  }
}
