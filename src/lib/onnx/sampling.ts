import { HexsError } from "../errors.ts";
import { createPrng, type Prng } from "./prng.ts";

/**
 * Choosing the next token from a model's logits. Browser-safe and runtime-agnostic: the same
 * code drives onnxruntime-web, onnxruntime-node and the TypeScript training framework.
 */
export interface SamplingParameters {
  /** 0 means greedy (argmax, lowest id on ties); otherwise logits are divided by it. */
  temperature: number;
  /** Keep only the k most likely tokens; absent means no limit. */
  topK?: number | undefined;
  /** Keep the smallest set of most likely tokens whose probability reaches p, in (0, 1]. */
  topP?: number | undefined;
}

/** Thrown when a sampling parameter is out of range; carries the name and the value. */
export class SamplingParameterError extends HexsError {
  override name = "SamplingParameterError";
  readonly parameter: string;
  readonly value: unknown;

  constructor(parameter: string, value: unknown, expected: string) {
    super(`Invalid sampling parameter ${parameter}`, { details: `got ${String(value)}, expected ${expected}` });
    this.parameter = parameter;
    this.value = value;
  }
}

/** Thrown when logits cannot be sampled from (empty, NaN, +Infinity, or all -Infinity). */
export class SamplingLogitsError extends HexsError {
  override name = "SamplingLogitsError";
}

/** Throws {SamplingParameterError} unless every parameter is in range. */
export function validateSamplingParameters(params: SamplingParameters): void {
  const { temperature, topK, topP } = params;
  if (typeof temperature !== "number" || !Number.isFinite(temperature) || temperature < 0)
    throw new SamplingParameterError("temperature", temperature, "a finite number >= 0");
  if (topK !== undefined && (!Number.isInteger(topK) || topK < 1))
    throw new SamplingParameterError("topK", topK, "an integer >= 1");
  if (topP !== undefined && (typeof topP !== "number" || !(topP > 0 && topP <= 1)))
    throw new SamplingParameterError("topP", topP, "a number in (0, 1]");
}

/**
 * The probability of each token after temperature, top-k and top-p, as sampling would use it.
 * Tokens that were filtered out have probability 0. Requires temperature > 0.
 */
export function samplingDistribution(logits: ArrayLike<number>, params: SamplingParameters): Float64Array {
  validateSamplingParameters(params);
  if (params.temperature === 0) throw new SamplingParameterError("temperature", 0, "> 0 for a distribution");
  checkLogits(logits);
  const n = logits.length;
  // Rank tokens by logit, highest first; ties keep the lower id first so results never depend
  // on the sort's stability.
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (logits[b] as number) - (logits[a] as number) || a - b,
  );
  const keep = Math.min(params.topK ?? n, n);
  const top = logits[order[0] as number] as number;
  const weights = new Float64Array(n);
  let total = 0;
  for (let r = 0; r < keep; r++) {
    const id = order[r] as number;
    // Subtracting the maximum keeps exp() finite at tiny temperatures.
    const w = Math.exp(((logits[id] as number) - top) / params.temperature);
    weights[id] = w;
    total += w;
  }
  // Top-p: keep the most likely tokens until their mass reaches topP; always keep the first.
  const mass = (params.topP ?? 1) * total;
  let kept = 0;
  for (let r = 0; r < keep; r++) {
    const id = order[r] as number;
    if (r > 0 && kept >= mass) weights[id] = 0;
    else kept += weights[id] as number;
  }
  for (let i = 0; i < n; i++) weights[i] = (weights[i] as number) / kept;
  return weights;
}

/**
 * Picks the next token id. Greedy (temperature 0) consumes no randomness; otherwise exactly one
 * `rng.nextFloat()` per call, so a seeded generator reproduces the same tokens.
 */
export function sampleToken(logits: ArrayLike<number>, params: SamplingParameters, rng: Prng): number {
  validateSamplingParameters(params);
  if (params.temperature === 0) return argmax(logits);
  const probabilities = samplingDistribution(logits, params);
  const u = rng.nextFloat();
  let cumulative = 0;
  let last = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i] as number;
    if (p === 0) continue;
    cumulative += p;
    last = i;
    if (u < cumulative) return i;
  }
  return last; // rounding left the cumulative sum just under 1
}

/** Index of the largest logit, the lowest index on ties. */
export function argmax(logits: ArrayLike<number>): number {
  checkLogits(logits);
  let best = 0;
  for (let i = 1; i < logits.length; i++) if ((logits[i] as number) > (logits[best] as number)) best = i;
  return best;
}

function checkLogits(logits: ArrayLike<number>): void {
  if (logits.length === 0) throw new SamplingLogitsError("Cannot sample from empty logits");
  let finite = false;
  for (let i = 0; i < logits.length; i++) {
    const x = logits[i] as number;
    if (Number.isNaN(x) || x === Infinity)
      throw new SamplingLogitsError("Cannot sample from non-finite logits", { details: `logit ${i} is ${x}` });
    if (x !== -Infinity) finite = true;
  }
  if (!finite) throw new SamplingLogitsError("Cannot sample when every logit is -Infinity");
}

/**
 * A model's forward pass: token ids in, logits out, row-major `[ids.length, vocabSize]`.
 * onnxruntime-web, onnxruntime-node and the training framework each provide one.
 */
export type ForwardFunction = (ids: readonly number[]) => ArrayLike<number> | Promise<ArrayLike<number>>;

/**
 * The logits of the token after `ids`, `[vocabSize]`: what generation needs from a model. A
 * model with a KV cache computes it from the new ids alone; `lastRowOf` makes one from a
 * whole-window forward pass.
 */
export type NextLogits = (ids: readonly number[]) => ArrayLike<number> | Promise<ArrayLike<number>>;

/**
 * The last row of `forward` run on the ids, cropped to the last `contextLength` of them (a
 * model without a cache sees a sliding window).
 */
export function lastRowOf(forward: ForwardFunction, contextLength?: number): NextLogits {
  if (contextLength !== undefined && (!Number.isInteger(contextLength) || contextLength < 1))
    throw new SamplingParameterError("contextLength", contextLength, "an integer >= 1");
  return async (ids) => {
    const context = contextLength === undefined ? ids : ids.slice(-contextLength);
    const logits = await forward(context);
    const vocabSize = logits.length / context.length;
    if (!Number.isInteger(vocabSize) || vocabSize === 0)
      throw new SamplingLogitsError("Forward pass returned logits of the wrong size", {
        details: `${logits.length} values for ${context.length} tokens`,
      });
    return Array.prototype.slice.call(logits, logits.length - vocabSize) as number[];
  };
}

export interface GenerateParameters extends SamplingParameters {
  /** How many tokens to produce at most. */
  maxNewTokens: number;
  /** Seed of the generator; the same seed and inputs give the same tokens. */
  seed: number;
  /** Generation ends after emitting one of these ids. */
  stopIds?: readonly number[] | undefined;
  /** Aborting stops generation before the next forward pass. */
  signal?: AbortSignal | undefined;
}

/** One generation step: the logits after `ids`, then a token sampled from them. */
export async function nextToken(
  next: NextLogits,
  ids: readonly number[],
  params: SamplingParameters,
  rng: Prng,
): Promise<number> {
  if (ids.length === 0) throw new SamplingParameterError("ids", "[]", "at least one token of context");
  return sampleToken(await next(ids), params, rng);
}

/** Streams up to `maxNewTokens` new ids after `promptIds` (the prompt is not repeated). */
export async function* generate(
  next: NextLogits,
  promptIds: readonly number[],
  params: GenerateParameters,
): AsyncGenerator<number, void, undefined> {
  validateSamplingParameters(params);
  const { maxNewTokens } = params;
  if (!Number.isInteger(maxNewTokens) || maxNewTokens < 0)
    throw new SamplingParameterError("maxNewTokens", maxNewTokens, "an integer >= 0");
  if (!Number.isFinite(params.seed)) throw new SamplingParameterError("seed", params.seed, "a finite number");
  const rng = createPrng(params.seed);
  const ids = [...promptIds];
  for (let i = 0; i < maxNewTokens; i++) {
    params.signal?.throwIfAborted();
    const id = await nextToken(next, ids, params, rng);
    ids.push(id);
    yield id;
    if (params.stopIds?.includes(id)) return;
  }
}
