// Benchmark sets and their scoring. A set is a JSON document on IPFS (its CID names it) with
// held-out texts (scored by perplexity) and prompt/answer pairs (scored by greedy exact-match
// accuracy), plus the tolerance a re-run must meet to count as reproducing a published result.
import { HexsError } from "../errors.ts";
import { argmax, type ForwardFunction } from "./sampling.ts";
import type { TextTokenizer } from "./tokenizer.ts";

export const BENCHMARK_SET_FORMAT = "hexs-benchmark-set/1";
export const BENCHMARK_RESULT_FORMAT = "hexs-benchmark-result/1";

/** Perplexity, exp(mean negative log-likelihood per token), over texts the model never saw. */
export interface PerplexityTask {
  kind: "perplexity";
  name: string;
  texts: string[];
  /** A re-run reproduces when |rerun − published| ≤ relative × published. */
  tolerance: { relative: number };
}

/** Accuracy: an item is right when the greedy continuation of `prompt` starts with `expected`. */
export interface CompletionTask {
  kind: "completion";
  name: string;
  items: { prompt: string; expected: string }[];
  /** A re-run reproduces when |rerun − published| ≤ absolute (accuracy is in [0, 1]). */
  tolerance: { absolute: number };
}

export type BenchmarkTask = PerplexityTask | CompletionTask;

export interface BenchmarkSet {
  format: typeof BENCHMARK_SET_FORMAT;
  name: string;
  description: string;
  /** The tokenizer format the texts are meant for, e.g. "hexs-char-tokenizer/1". */
  tokenizer: string;
  tasks: BenchmarkTask[];
}

export interface TaskScore {
  task: string;
  metric: "perplexity" | "accuracy";
  value: number;
  /** Tokens scored (perplexity) or items answered (accuracy). */
  count: number;
}

/** What "publish" pins to IPFS; the ledger record names its CID. */
export interface BenchmarkResult {
  format: typeof BENCHMARK_RESULT_FORMAT;
  benchmarkSetCid: string;
  weightsCid: string;
  /** Agent contract address (0x…), when run for a marketplace agent. */
  agent?: string | undefined;
  scores: TaskScore[];
  /** Where it ran, for the curious: "onnxruntime-web 1.30.0 wasm, 1 thread". */
  runtime: string;
  createdAt: string;
}

export class BenchmarkSetError extends HexsError {
  override name = "BenchmarkSetError";
}

/** Validates a parsed benchmark set document. */
export function parseBenchmarkSet(json: unknown): BenchmarkSet {
  const fail = (details: string): never => {
    throw new BenchmarkSetError("Invalid benchmark set", { details });
  };
  if (typeof json !== "object" || json === null) return fail("not a JSON object");
  const set = json as Partial<BenchmarkSet>;
  if (set.format !== BENCHMARK_SET_FORMAT) fail(`format is ${String(set.format)}, expected ${BENCHMARK_SET_FORMAT}`);
  if (typeof set.name !== "string" || set.name === "") fail("name must be a non-empty string");
  if (!Array.isArray(set.tasks) || set.tasks.length === 0) return fail("tasks must be a non-empty array");
  for (const task of set.tasks) {
    if (task.kind === "perplexity") {
      if (
        !Array.isArray(task.texts) ||
        task.texts.length === 0 ||
        !task.texts.every((t) => typeof t === "string" && t.length >= 2)
      )
        fail(`${task.name}: texts must be strings of at least 2 characters`);
      if (!(task.tolerance?.relative >= 0)) fail(`${task.name}: tolerance.relative must be >= 0`);
    } else if (task.kind === "completion") {
      const ok = Array.isArray(task.items) && task.items.length > 0;
      if (
        !ok ||
        !task.items.every(
          (i) => typeof i.prompt === "string" && i.prompt !== "" && typeof i.expected === "string" && i.expected !== "",
        )
      )
        fail(`${task.name}: items must have a non-empty prompt and expected text`);
      if (!(task.tolerance?.absolute >= 0)) fail(`${task.name}: tolerance.absolute must be >= 0`);
    } else fail(`unknown task kind ${String((task as { kind?: unknown }).kind)}`);
  }
  return set as BenchmarkSet;
}

export interface ScoreOptions {
  /** The model's context window; longer texts are scored in windows of this many tokens. */
  contextLength: number;
  signal?: AbortSignal | undefined;
  /** Called after every forward pass with the passes done and the total. */
  onProgress?: ((done: number, total: number) => void) | undefined;
  /** Awaited between forward passes (a worker yields here so a stop request gets through). */
  between?: (() => Promise<void>) | undefined;
}

/** Runs every task of `set` against one model. Deterministic: no sampling, greedy only. */
export async function scoreBenchmark(
  forward: ForwardFunction,
  tokenizer: TextTokenizer,
  set: BenchmarkSet,
  options: ScoreOptions,
): Promise<TaskScore[]> {
  const { contextLength } = options;
  if (!(contextLength >= 2)) throw new BenchmarkSetError("A context of at least 2 tokens is needed to score");
  const total = set.tasks.reduce((sum, task) => sum + passesOf(task, tokenizer, contextLength), 0);
  let done = 0;
  const step = async <T>(ids: number[], use: (logits: ArrayLike<number>) => T): Promise<T> => {
    options.signal?.throwIfAborted();
    const value = use(await forward(ids));
    options.onProgress?.(++done, total);
    await options.between?.();
    return value;
  };
  const scores: TaskScore[] = [];
  for (const task of set.tasks) {
    if (task.kind === "perplexity") {
      let nll = 0;
      let count = 0;
      for (const text of task.texts) {
        for (const window of windowsOf(tokenizer.encode(text), contextLength)) {
          const vocab = tokenizer.vocabSize;
          nll += await step(window, (logits) => windowNll(logits, window, vocab));
          count += window.length - 1;
        }
      }
      scores.push({ task: task.name, metric: "perplexity", value: Math.exp(nll / count), count });
    } else {
      let correct = 0;
      for (const item of task.items) {
        const ids = tokenizer.encode(item.prompt);
        const expected = tokenizer.encode(item.expected);
        let right = true;
        for (let j = 0; j < expected.length; j++) {
          const vocab = tokenizer.vocabSize;
          const got = await step(ids.slice(-contextLength), (logits) =>
            argmax(Array.prototype.slice.call(logits, logits.length - vocab) as number[]),
          );
          if (got !== expected[j]) {
            right = false;
            // Count the passes this item will not make, so progress still reaches the total.
            done += expected.length - j - 1;
            options.onProgress?.(done, total);
            break;
          }
          ids.push(got);
        }
        if (right) correct++;
      }
      scores.push({
        task: task.name,
        metric: "accuracy",
        value: correct / task.items.length,
        count: task.items.length,
      });
    }
  }
  return scores;
}

/** Windows of at most `size` tokens overlapping by one, so every token after the first is predicted once. */
export function windowsOf(ids: readonly number[], size: number): number[][] {
  const windows: number[][] = [];
  for (let start = 0; start < ids.length - 1; start += size - 1) windows.push(ids.slice(start, start + size));
  return windows;
}

/** Sum over positions of −log softmax(logits[i])[window[i+1]], in float64. */
export function windowNll(logits: ArrayLike<number>, window: readonly number[], vocab: number): number {
  let nll = 0;
  for (let i = 0; i + 1 < window.length; i++) {
    const row = i * vocab;
    let max = -Infinity;
    for (let v = 0; v < vocab; v++) max = Math.max(max, logits[row + v] as number);
    let sum = 0;
    for (let v = 0; v < vocab; v++) sum += Math.exp((logits[row + v] as number) - max);
    nll += max + Math.log(sum) - (logits[row + (window[i + 1] as number)] as number);
  }
  return nll;
}

function passesOf(task: BenchmarkTask, tokenizer: TextTokenizer, contextLength: number): number {
  if (task.kind === "perplexity")
    return task.texts.reduce((sum, text) => sum + windowsOf(tokenizer.encode(text), contextLength).length, 0);
  return task.items.reduce((sum, item) => sum + tokenizer.encode(item.expected).length, 0);
}

export interface ScoreComparison {
  task: string;
  metric: TaskScore["metric"];
  published: number;
  rerun: number | undefined;
  /** The largest difference allowed, in the metric's unit. */
  allowed: number;
  within: boolean;
}

export interface ReproductionReport {
  reproduces: boolean;
  rows: ScoreComparison[];
}

/** Compares a re-run with a published result under the set's tolerances. */
export function compareResults(
  set: BenchmarkSet,
  published: readonly TaskScore[],
  rerun: readonly TaskScore[],
): ReproductionReport {
  const rows = published.map((p): ScoreComparison => {
    const task = set.tasks.find((t) => t.name === p.task);
    const again = rerun.find((r) => r.task === p.task && r.metric === p.metric);
    const allowed =
      task === undefined
        ? 0
        : task.kind === "perplexity"
          ? task.tolerance.relative * Math.abs(p.value)
          : task.tolerance.absolute;
    const within = task !== undefined && again !== undefined && Math.abs(again.value - p.value) <= allowed;
    return { task: p.task, metric: p.metric, published: p.value, rerun: again?.value, allowed, within };
  });
  return { reproduces: rows.length > 0 && rows.every((row) => row.within), rows };
}
