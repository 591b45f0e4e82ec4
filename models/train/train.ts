import type { ModelConfig } from "../../src/lib/onnx/tokenizer.ts";
import { createPrng, randomInt } from "../../src/lib/onnx/prng.ts";
import { createAdamW } from "./adamw.ts";
import { forward, type Parameters } from "./model.ts";
import { crossEntropy } from "./ops.ts";
import { backward, createTape } from "./tensor.ts";

/** Hyper-parameters of one training (or fine-tuning) run. */
export interface TrainOptions {
  config: ModelConfig;
  params: Parameters;
  trainIds: Int32Array;
  validationIds: Int32Array;
  seed: number;
  steps: number;
  batchSize: number;
  /** Peak learning rate, reached after `warmupSteps` and decayed by a cosine to 10 % of it. */
  learningRate: number;
  warmupSteps: number;
  weightDecay: number;
  /** Validation loss is measured every this many steps (and at the start and the end). */
  evalEvery: number;
  onProgress?: (point: LossPoint) => void;
}

export interface LossPoint {
  step: number;
  trainLoss: number;
  validationLoss?: number;
}

export interface TrainResult {
  curve: LossPoint[];
  initialValidationLoss: number;
  finalValidationLoss: number;
  finalTrainLoss: number;
}

/** Trains `options.params` in place; deterministic for a given seed and inputs. */
export function train(options: TrainOptions): TrainResult {
  const { config, params, trainIds, validationIds, steps, batchSize, evalEvery } = options;
  const seq = config.contextLength;
  if (trainIds.length <= seq + 1) throw new Error(`training text too short: ${trainIds.length} tokens`);
  const rng = createPrng(options.seed);
  const optimizer = createAdamW(params, { weightDecay: options.weightDecay });
  const curve: LossPoint[] = [];
  const initialValidationLoss = evaluate(config, params, validationIds);
  let lastTrain = NaN;
  let lastValidation = initialValidationLoss;

  for (let step = 1; step <= steps; step++) {
    const inputs = new Int32Array(batchSize * seq);
    const targets = new Int32Array(batchSize * seq);
    for (let b = 0; b < batchSize; b++) {
      const start = randomInt(rng, trainIds.length - seq - 1);
      inputs.set(trainIds.subarray(start, start + seq), b * seq);
      targets.set(trainIds.subarray(start + 1, start + seq + 1), b * seq);
    }
    const tape = createTape();
    const loss = crossEntropy(tape, forward(tape, config, params, inputs, batchSize), targets);
    backward(tape, loss);
    optimizer.step(learningRateAt(step, options));
    lastTrain = loss.data[0]!;
    const point: LossPoint = { step, trainLoss: round(lastTrain) };
    if (step % evalEvery === 0 || step === steps) {
      lastValidation = evaluate(config, params, validationIds);
      point.validationLoss = round(lastValidation);
    }
    curve.push(point);
    options.onProgress?.(point);
  }
  return { curve, initialValidationLoss, finalValidationLoss: lastValidation, finalTrainLoss: lastTrain };
}

/** Linear warm-up, then cosine decay to a tenth of the peak. */
export function learningRateAt(step: number, o: Pick<TrainOptions, "learningRate" | "warmupSteps" | "steps">): number {
  if (step <= o.warmupSteps) return (o.learningRate * step) / o.warmupSteps;
  const progress = (step - o.warmupSteps) / Math.max(1, o.steps - o.warmupSteps);
  return o.learningRate * (0.1 + 0.45 * (1 + Math.cos(Math.PI * progress)));
}

/**
 * Mean next-token loss (nats) over `ids` cut into consecutive windows of the context length,
 * at most `maxWindows` of them, evenly spread so the estimate covers the whole text.
 */
export function evaluate(config: ModelConfig, params: Parameters, ids: Int32Array, maxWindows = 16): number {
  const seq = config.contextLength;
  const available = Math.floor((ids.length - 1) / seq);
  if (available < 1) throw new Error(`evaluation text too short: ${ids.length} tokens`);
  const windows = Math.min(available, maxWindows);
  const inputs = new Int32Array(windows * seq);
  const targets = new Int32Array(windows * seq);
  for (let w = 0; w < windows; w++) {
    const start = Math.floor((w * available) / windows) * seq;
    inputs.set(ids.subarray(start, start + seq), w * seq);
    targets.set(ids.subarray(start + 1, start + seq + 1), w * seq);
  }
  return crossEntropy(undefined, forward(undefined, config, params, inputs, windows), targets).data[0]!;
}

function round(x: number): number {
  return Math.round(x * 1e5) / 1e5;
}
