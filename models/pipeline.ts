import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { createTokenizer, type Tokenizer } from "../src/lib/onnx/tokenizer.ts";
import type { Recipe } from "./recipes.ts";
import { writeHfModelFolder } from "./hf/writeFolder.ts";
import { exportOnnx } from "./train/exportOnnx.ts";
import { countParameters, initParameters } from "./train/model.ts";
import { train, type LossPoint } from "./train/train.ts";
import { tokenizerDescription } from "./vocab.ts";

export const MODELS_DIR = new URL(".", import.meta.url).pathname;
export const CORPUS_DIR = join(MODELS_DIR, "corpus");
export const OUT_DIR = join(MODELS_DIR, "out");
/** The same models in the Hugging Face layout (models/hf/). */
export const HF_OUT_DIR = join(MODELS_DIR, "out-hf");

export function sha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Token ids of `text`, split into a training part and a held-out tail. */
export function encodeSplit(
  tokenizer: Tokenizer,
  text: string,
  validationFraction: number,
): { trainIds: Int32Array; validationIds: Int32Array } {
  const ids = Int32Array.from(tokenizer.encode(text));
  const cut = Math.floor(ids.length * (1 - validationFraction));
  return { trainIds: ids.subarray(0, cut), validationIds: ids.subarray(cut) };
}

/** Where and how the run happened; goes to metrics.json only, so model files stay byte-stable. */
export function machine(): { node: string; cpu: string } {
  return { node: process.version, cpu: cpus()[0]?.model ?? "unknown" };
}

export interface RecipeSummary {
  name: string;
  parameterCount: number;
  onnxBytes: number;
  finalTrainLoss: number;
  finalValidationLoss: number;
  trainingSeconds: number;
}

export interface RunRecipeOptions {
  /** Where `<name>/` is written; models/out by default. */
  outDir?: string;
  /** Where `<name>/` in the Hugging Face layout is written; models/out-hf by default. */
  hfOutDir?: string;
  /** Where the regenerated corpus is written; models/corpus by default. */
  corpusDir?: string;
  log?: (line: string) => void;
}

/** Regenerates the corpus, trains the recipe's model and writes `<outDir>/<name>/`. */
export function runRecipe(recipe: Recipe, options: RunRecipeOptions = {}): RecipeSummary {
  const { outDir = OUT_DIR, hfOutDir = HF_OUT_DIR, corpusDir = CORPUS_DIR, log = console.log } = options;
  const corpus = recipe.generateCorpus();
  mkdirSync(corpusDir, { recursive: true });
  writeFileSync(join(corpusDir, recipe.corpusFile), corpus);
  const bare = createTokenizer(tokenizerDescription(recipe.name, recipe.config, undefined));
  const { trainIds, validationIds } = encodeSplit(bare, corpus, recipe.validationFraction);
  const params = initParameters(recipe.config, recipe.seed);
  const parameterCount = countParameters(params);
  log(`${recipe.name}: ${parameterCount} parameters, ${trainIds.length} training tokens`);

  const started = performance.now();
  const result = train({
    ...recipe,
    params,
    trainIds,
    validationIds,
    onProgress: (p) => {
      if (p.validationLoss !== undefined) log(`  step ${p.step} train ${p.trainLoss} validation ${p.validationLoss}`);
    },
  });
  const trainingSeconds = (performance.now() - started) / 1000;

  const training = {
    corpus: `models/corpus/${recipe.corpusFile}`,
    corpusSha256: sha256(corpus),
    seed: recipe.seed,
    steps: recipe.steps,
    batchSize: recipe.batchSize,
    learningRate: recipe.learningRate,
    validationFraction: recipe.validationFraction,
    finalTrainLoss: round(result.finalTrainLoss),
    finalValidationLoss: round(result.finalValidationLoss),
    parameterCount,
  };
  const description = tokenizerDescription(recipe.name, recipe.config, training);
  const onnx = exportOnnx(recipe.config, params, { name: recipe.name, description: recipe.description });
  writeArtifacts(join(outDir, recipe.name), onnx, description, {
    name: recipe.name,
    ...training,
    onnxBytes: onnx.length,
    onnxSha256: sha256(onnx),
    initialValidationLoss: round(result.initialValidationLoss),
    trainingSeconds: Math.round(trainingSeconds * 10) / 10,
    machine: machine(),
    curve: result.curve,
  });
  writeHfModelFolder(join(hfOutDir, recipe.name), {
    name: recipe.name,
    description: recipe.description,
    config: recipe.config,
    params,
  });
  log(`${recipe.name}: done in ${trainingSeconds.toFixed(1)} s, validation loss ${training.finalValidationLoss}`);
  return { name: recipe.name, onnxBytes: onnx.length, ...training, trainingSeconds };
}

export function writeArtifacts(dir: string, onnx: Uint8Array, description: object, metrics: object): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "model.onnx"), onnx);
  writeFileSync(join(dir, "tokenizer.json"), JSON.stringify(description, null, 2) + "\n");
  writeFileSync(join(dir, "metrics.json"), JSON.stringify(metrics, null, 1) + "\n");
}

export function readModelDir(dir: string): { onnx: Uint8Array; tokenizerJson: unknown } {
  return {
    onnx: new Uint8Array(readFileSync(join(dir, "model.onnx"))),
    tokenizerJson: JSON.parse(readFileSync(join(dir, "tokenizer.json"), "utf8")) as unknown,
  };
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

export type { LossPoint };
