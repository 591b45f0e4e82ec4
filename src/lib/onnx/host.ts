// The worker side of the protocol, apart from the worker itself so it can be tested in Node
// with onnxruntime-node: it holds one model, streams generated tokens, scores benchmarks and
// honours stop requests.
import { scoreBenchmark, parseBenchmarkSet } from "./benchmark.ts";
import { generate, type ForwardFunction, type NextLogits } from "./sampling.ts";
import type { TextTokenizer } from "./tokenizer.ts";
import { ModelError, serializeModelError, toModelError } from "./modelErrors.ts";
import type { InferenceDevice, ModelInfo, WorkerRequest, WorkerResponse } from "./protocol.ts";

export interface LoadedModel {
  /** Logits of every position of a window of at most `info.contextLength` ids (benchmarks). */
  forward: ForwardFunction;
  /** Logits of the token after the ids (generation), from the KV cache where the model has one. */
  next: NextLogits;
  tokenizer: TextTokenizer;
  info: ModelInfo;
  release(): Promise<void>;
}

export interface HostDependencies {
  loadModel(weightsCid: string, gateways: string[], device: InferenceDevice): Promise<LoadedModel>;
  post(message: WorkerResponse): void;
  now?: () => number;
}

/**
 * Lets queued messages (a stop request) in between forward passes. onnxruntime resolves its
 * promises as microtasks, so without this a generation would run to its end before `stop`
 * is even read. A MessageChannel round trip is a task without setTimeout's 4 ms clamp.
 */
export function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/**
 * Tokens per second after the first, as generation speeds are quoted: the first token's wait
 * (prompt, warm-up) is `firstTokenMs`, said apart.
 */
export function decodeSpeed(tokens: number, firstTokenMs: number, totalMs: number): number {
  const decodeMs = totalMs - firstTokenMs;
  return tokens > 1 && decodeMs > 0 ? ((tokens - 1) * 1000) / decodeMs : 0;
}

/** Returns the message handler of one worker. */
export function createGenerationHost(deps: HostDependencies): (request: WorkerRequest) => Promise<void> {
  const now = deps.now ?? (() => performance.now());
  let model: Promise<LoadedModel> | undefined;
  const running = new Map<number, AbortController>();

  const loaded = async (): Promise<LoadedModel> => {
    if (!model) throw new ModelError("not-loaded", "No model is loaded in this column");
    return model;
  };

  const run = async (requestId: number, work: (signal: AbortSignal) => Promise<void>): Promise<void> => {
    const controller = new AbortController();
    running.set(requestId, controller);
    try {
      await work(controller.signal);
    } catch (error) {
      const failure = controller.signal.aborted
        ? new ModelError("stopped", "Stopped before it finished")
        : toModelError(error, "run");
      deps.post({ type: "failed", requestId, error: serializeModelError(failure) });
    } finally {
      running.delete(requestId);
    }
  };

  return async (request) => {
    switch (request.type) {
      case "load": {
        const previous = model;
        model = deps.loadModel(request.weightsCid, request.gateways, request.device ?? "auto");
        previous?.then((m) => m.release()).catch(() => undefined);
        try {
          deps.post({ type: "loaded", info: (await model).info });
        } catch (error) {
          model = undefined;
          deps.post({ type: "load-failed", error: serializeModelError(toModelError(error, "load")) });
        }
        return;
      }
      case "stop":
        running.get(request.requestId)?.abort();
        return;
      case "generate":
        return run(request.requestId, async (signal) => {
          const start = now();
          const { next, tokenizer } = await loaded();
          const promptIds = tokenizer.encode(request.prompt);
          if (promptIds.length === 0) throw new ModelError("bad-request", "The prompt is empty");
          let tokens = 0;
          let firstTokenMs = 0;
          let stopped = false;
          try {
            for await (const id of generate(next, promptIds, { ...request.settings, signal })) {
              if (tokens === 0) firstTokenMs = now() - start;
              deps.post({ type: "token", requestId: request.requestId, text: tokenizer.decode([id]), index: tokens++ });
              await yieldToEvents();
            }
          } catch (error) {
            if (!signal.aborted) throw error;
            stopped = true;
          }
          const totalMs = now() - start;
          deps.post({
            type: "done",
            requestId: request.requestId,
            stopped,
            stats: {
              promptTokens: promptIds.length,
              tokens,
              firstTokenMs,
              totalMs,
              tokensPerSecond: decodeSpeed(tokens, firstTokenMs, totalMs),
            },
          });
        });
      case "count":
        return run(request.requestId, async () => {
          const { tokenizer } = await loaded();
          deps.post({ type: "counted", requestId: request.requestId, tokens: tokenizer.encode(request.text).length });
        });
      case "benchmark":
        return run(request.requestId, async (signal) => {
          const { forward, tokenizer, info } = await loaded();
          const set = parseBenchmarkSet(request.set);
          const scores = await scoreBenchmark(forward, tokenizer, set, {
            contextLength: info.contextLength,
            signal,
            between: yieldToEvents,
            onProgress: (done, total) => deps.post({ type: "progress", requestId: request.requestId, done, total }),
          });
          deps.post({ type: "scores", requestId: request.requestId, scores, runtime: info.runtime });
        });
    }
  };
}
