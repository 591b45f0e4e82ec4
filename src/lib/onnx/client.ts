// The page side of a generation worker: one `ModelWorker` per playground column. Requests
// become promises; tokens and benchmark progress arrive through callbacks.
import type { BenchmarkSet, TaskScore } from "./benchmark.ts";
import { deserializeModelError, ModelError } from "./modelErrors.ts";
import type {
  GenerationSettings,
  GenerationStats,
  InferenceDevice,
  ModelInfo,
  WorkerRequest,
  WorkerResponse,
} from "./protocol.ts";

export interface GenerationRun {
  /** Resolves when generation ends (stopped or not); rejects with a ModelError. */
  done: Promise<{ stats: GenerationStats; stopped: boolean }>;
  stop(): void;
}

export interface WorkerLike {
  postMessage(message: WorkerRequest): void;
  onmessage: ((event: MessageEvent<WorkerResponse>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  terminate(): void;
}

type Pending = {
  resolve: (value: never) => void;
  reject: (error: ModelError) => void;
  onResponse?: (response: WorkerResponse) => void;
};

export function createWorker(): WorkerLike {
  return new Worker(new URL("./generation.worker.ts", import.meta.url), { type: "module" }) as WorkerLike;
}

export class ModelWorker {
  readonly #worker: WorkerLike;
  #nextId = 1;
  #load: Pending | undefined;
  readonly #pending = new Map<number, Pending>();

  constructor(worker: WorkerLike = createWorker()) {
    this.#worker = worker;
    worker.onmessage = (event) => this.#receive(event.data);
    // A crash of the worker itself (WASM abort) fails everything it had in hand, in this column only.
    worker.onerror = (event) =>
      this.#failAll(new ModelError("crashed", "The model's worker crashed", { details: event.message }));
  }

  load(weightsCid: string, gateways: string[], device: InferenceDevice = "auto"): Promise<ModelInfo> {
    return new Promise<ModelInfo>((resolve, reject) => {
      this.#load?.reject(new ModelError("runtime", "Replaced by another model"));
      this.#load = { resolve: resolve as (value: never) => void, reject };
      this.#worker.postMessage({ type: "load", weightsCid, gateways, device });
    });
  }

  generate(
    prompt: string,
    settings: GenerationSettings,
    onToken: (text: string, index: number) => void,
  ): GenerationRun {
    const requestId = this.#nextId++;
    const done = new Promise<{ stats: GenerationStats; stopped: boolean }>((resolve, reject) => {
      this.#pending.set(requestId, {
        resolve: resolve as (value: never) => void,
        reject,
        onResponse: (response) => {
          if (response.type === "token") onToken(response.text, response.index);
        },
      });
    });
    this.#worker.postMessage({ type: "generate", requestId, prompt, settings: { ...settings } });
    return { done, stop: () => this.#worker.postMessage({ type: "stop", requestId }) };
  }

  benchmark(
    set: BenchmarkSet,
    onProgress: (done: number, total: number) => void,
  ): { done: Promise<{ scores: TaskScore[]; runtime: string }>; stop(): void } {
    const requestId = this.#nextId++;
    const done = new Promise<{ scores: TaskScore[]; runtime: string }>((resolve, reject) => {
      this.#pending.set(requestId, {
        resolve: resolve as (value: never) => void,
        reject,
        onResponse: (response) => {
          if (response.type === "progress") onProgress(response.done, response.total);
        },
      });
    });
    // A JSON round trip turns a reactive proxy (which postMessage cannot clone) into plain data.
    this.#worker.postMessage({ type: "benchmark", requestId, set: JSON.parse(JSON.stringify(set)) as BenchmarkSet });
    return { done, stop: () => this.#worker.postMessage({ type: "stop", requestId }) };
  }

  terminate(): void {
    this.#worker.terminate();
    this.#failAll(new ModelError("runtime", "The column was closed"));
  }

  #receive(response: WorkerResponse): void {
    if (response.type === "loaded" || response.type === "load-failed") {
      const load = this.#load;
      this.#load = undefined;
      if (response.type === "loaded") load?.resolve(response.info as never);
      else load?.reject(deserializeModelError(response.error));
      return;
    }
    const pending = this.#pending.get(response.requestId);
    if (!pending) return;
    pending.onResponse?.(response);
    if (response.type === "done") pending.resolve({ stats: response.stats, stopped: response.stopped } as never);
    else if (response.type === "scores")
      pending.resolve({ scores: response.scores, runtime: response.runtime } as never);
    else if (response.type === "failed") pending.reject(deserializeModelError(response.error));
    else return;
    this.#pending.delete(response.requestId);
  }

  #failAll(error: ModelError): void {
    this.#load?.reject(error);
    this.#load = undefined;
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }
}
