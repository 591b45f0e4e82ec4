import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { encodeSafetensors } from "../../src/lib/hf/safetensors.ts";
import type { ModelConfig } from "../../src/lib/onnx/tokenizer.ts";
import type { Parameters } from "../train/model.ts";
import { exportOnnxWithPast } from "./exportOnnxWithPast.ts";
import {
  generationConfig,
  gpt2Config,
  gpt2StateDict,
  specialTokensMap,
  tokenizerConfig,
  tokenizerJson,
} from "./gpt2Layout.ts";

export interface HfFolderModel {
  name: string;
  description: string;
  config: ModelConfig;
  params: Parameters;
  /** The Hub id of the model it was fine-tuned from, for the card's `base_model`. */
  baseModel?: string;
}

/** Every file a HEXS model's Hugging Face folder holds. */
export const HF_FOLDER_FILES = [
  "README.md",
  "config.json",
  "generation_config.json",
  "tokenizer.json",
  "tokenizer_config.json",
  "special_tokens_map.json",
  "model.safetensors",
  "onnx/model.onnx",
] as const;

/** The files of a Hugging Face model repo, relative path → bytes (in HF_FOLDER_FILES' order). */
export function hfModelFiles(model: HfFolderModel): Map<string, Uint8Array> {
  const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value, null, 2) + "\n");
  const { name, description, config, params } = model;
  return new Map([
    ["README.md", new TextEncoder().encode(modelCard(model))],
    ["config.json", json(gpt2Config(config))],
    ["generation_config.json", json(generationConfig(config))],
    ["tokenizer.json", json(tokenizerJson())],
    ["tokenizer_config.json", json(tokenizerConfig(config))],
    ["special_tokens_map.json", json(specialTokensMap())],
    // transformers loads a PyTorch checkpoint from safetensors only with format "pt".
    ["model.safetensors", encodeSafetensors(gpt2StateDict(params), { format: "pt" })],
    ["onnx/model.onnx", exportOnnxWithPast(config, params, { name, description })],
  ]);
}

export function writeHfModelFolder(dir: string, model: HfFolderModel): void {
  for (const [path, bytes] of hfModelFiles(model)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), bytes);
  }
}

/** The README a Hub repo opens with: YAML card data, then what the model is. */
function modelCard({ name, description, baseModel }: HfFolderModel): string {
  return [
    "---",
    "license: mit",
    "library_name: transformers.js",
    "pipeline_tag: text-generation",
    "language:",
    "  - en",
    "tags:",
    "  - gpt2",
    "  - onnx",
    "  - hexs",
    ...(baseModel ? [`base_model: ${baseModel}`] : []),
    "---",
    "",
    `# ${name}`,
    "",
    description,
    "",
    "A `GPT2LMHeadModel` over characters: `model.safetensors` for transformers,",
    "`onnx/model.onnx` (with a KV cache) for transformers.js and onnxruntime.",
    "",
  ].join("\n");
}
