import { createHash } from "node:crypto";
import { HexsError } from "../src/lib/errors.ts";
import { createTokenizer, type ModelConfig, type TokenizerDescription } from "../src/lib/onnx/tokenizer.ts";
import { exportOnnx, importOnnxParameters } from "./train/exportOnnx.ts";
import { countParameters, type Parameters } from "./train/model.ts";
import { tensor } from "./train/tensor.ts";
import { train, type LossPoint } from "./train/train.ts";

/**
 * Continues training an exported model on new text: the entry point of the fine-tuning job
 * (the Akash trainer runs it). Bytes in, bytes out — no file system — so a caller decides where
 * the base comes from and where the result goes. Deterministic for a given seed and inputs.
 */
export interface FineTuneParameters {
  /**
   * The base model: its parsed `hexs-char-tokenizer/1` description, and its weights as the
   * `model.onnx` of HEXS's first format or as parameters read from a Hugging Face folder
   * (`weightsBytes`: that folder's model.safetensors, hashed into the record).
   */
  base:
    | { tokenizerJson: unknown; onnxBytes: Uint8Array }
    | { tokenizerJson: unknown; params: Parameters; weightsBytes: Uint8Array };
  datasetText: string;
  /** Label of the dataset in the training record, e.g. its CID. */
  datasetName?: string;
  /** Name of the new model; defaults to `<base name>-ft`. */
  name?: string;
  steps: number;
  learningRate: number;
  seed: number;
  batchSize?: number;
  /** Fraction of the dataset, from its end, held out to measure loss before and after. */
  validationFraction?: number;
  onProgress?: (point: LossPoint) => void;
}

export interface FineTuneMetrics {
  name: string;
  baseName: string;
  /** SHA-256 of the base's weights file: model.onnx, or model.safetensors in the Hugging Face layout. */
  baseWeightsSha256: string;
  datasetName: string;
  datasetSha256: string;
  seed: number;
  steps: number;
  batchSize: number;
  learningRate: number;
  trainTokens: number;
  validationTokens: number;
  /** Share of dataset characters outside the vocabulary (encoded as `<unk>`). */
  unknownFraction: number;
  /** Loss (nats per token) of the base model on the held-out part of the dataset. */
  validationLossBefore: number;
  /** The same measure for the fine-tuned model: lower means it learned the dataset. */
  validationLossAfter: number;
  finalTrainLoss: number;
  parameterCount: number;
  trainingSeconds: number;
  curve: LossPoint[];
}

export interface FineTuneResult {
  onnxBytes: Uint8Array;
  tokenizerJson: TokenizerDescription;
  metrics: FineTuneMetrics;
  /** The fine-tuned weights and their shape, for the Hugging Face layout. */
  config: ModelConfig;
  params: Parameters;
}

/** Thrown when the dataset cannot fill one training window and one validation window. */
export class FineTuneDatasetTooSmallError extends HexsError {
  override name = "FineTuneDatasetTooSmallError";
  readonly tokens: number;
  readonly needed: number;

  constructor(tokens: number, needed: number) {
    super("Fine-tuning dataset is too small", { details: `${tokens} tokens, at least ${needed} needed` });
    this.tokens = tokens;
    this.needed = needed;
  }
}

export function fineTune(p: FineTuneParameters): FineTuneResult {
  const tokenizer = createTokenizer(p.base.tokenizerJson);
  const base = tokenizer.description;
  const config = base.model;
  const batchSize = p.batchSize ?? 8;
  const window = config.contextLength + 1;
  const ids = Int32Array.from(tokenizer.encode(p.datasetText));
  const validationLength = Math.max(window, Math.floor(ids.length * (p.validationFraction ?? 0.1)));
  if (ids.length < validationLength + window + 1)
    throw new FineTuneDatasetTooSmallError(ids.length, validationLength + window + 1);
  const trainIds = ids.subarray(0, ids.length - validationLength);
  const validationIds = ids.subarray(ids.length - validationLength);

  // Trained in place: a copy, so the caller's base parameters stay as they were.
  const params =
    "params" in p.base
      ? new Map([...p.base.params].map(([name, t]) => [name, tensor(t.shape, Float32Array.from(t.data))]))
      : importOnnxParameters(config, p.base.onnxBytes);
  const started = performance.now();
  const result = train({
    config,
    params,
    trainIds,
    validationIds,
    seed: p.seed,
    steps: p.steps,
    batchSize,
    learningRate: p.learningRate,
    warmupSteps: Math.min(20, Math.ceil(p.steps / 10)),
    weightDecay: 0.01,
    evalEvery: Math.max(1, Math.ceil(p.steps / 20)),
    ...(p.onProgress ? { onProgress: p.onProgress } : {}),
  });
  const trainingSeconds = Math.round((performance.now() - started) / 100) / 10;

  const name = p.name ?? `${base.name}-ft`;
  const datasetName = p.datasetName ?? "dataset";
  const sha = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex");
  const unknown = ids.reduce((n, id) => n + (id === tokenizer.unkId ? 1 : 0), 0);
  const metrics: FineTuneMetrics = {
    name,
    baseName: base.name,
    baseWeightsSha256: sha("params" in p.base ? p.base.weightsBytes : p.base.onnxBytes),
    datasetName,
    datasetSha256: sha(p.datasetText),
    seed: p.seed,
    steps: p.steps,
    batchSize,
    learningRate: p.learningRate,
    trainTokens: trainIds.length,
    validationTokens: validationIds.length,
    unknownFraction: unknown / Math.max(1, ids.length),
    validationLossBefore: round(result.initialValidationLoss),
    validationLossAfter: round(result.finalValidationLoss),
    finalTrainLoss: round(result.finalTrainLoss),
    parameterCount: countParameters(params),
    trainingSeconds,
    curve: result.curve,
  };
  const tokenizerJson: TokenizerDescription = {
    ...base,
    name,
    training: {
      corpus: datasetName,
      corpusSha256: metrics.datasetSha256,
      seed: p.seed,
      steps: p.steps,
      batchSize,
      learningRate: p.learningRate,
      validationFraction: validationIds.length / ids.length,
      finalTrainLoss: metrics.finalTrainLoss,
      finalValidationLoss: metrics.validationLossAfter,
      parameterCount: metrics.parameterCount,
      baseModel: base.name,
      baseWeightsSha256: metrics.baseWeightsSha256,
      baseValidationLoss: metrics.validationLossBefore,
    },
  };
  const onnxBytes = exportOnnx(config, params, { name, description: `${base.name} fine-tuned on ${datasetName}` });
  return { onnxBytes, tokenizerJson, metrics, config, params };
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
