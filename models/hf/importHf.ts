// Reads a HEXS character model back from its Hugging Face folder (what writeFolder.ts writes, or
// a fine-tune of it by any trainer that keeps the layout): config.json → the model's shape,
// tokenizer.json → the character vocabulary and its rewrites, model.safetensors → the
// parameters under HEXS's names. Anything else is refused with what differs, because the
// TypeScript trainer trains this one architecture; trainer/gpu fine-tunes the rest.
import { HexsError } from "../../src/lib/errors.ts";
import { decodeFloat32Safetensors } from "../../src/lib/hf/safetensors.ts";
import { TOKENIZER_FORMAT, type ModelConfig, type TokenizerDescription } from "../../src/lib/onnx/tokenizer.ts";
import { parameterShapes, type Parameters } from "../train/model.ts";
import { tensor } from "../train/tensor.ts";
import { gpt2Name } from "./gpt2Layout.ts";

export class NotAHexsCharModelError extends HexsError {
  override name = "NotAHexsCharModelError";
  constructor(reason: string) {
    super(
      `this trainer fine-tunes HEXS's character-level GPT-2 models, and ${reason}; trainer/gpu fine-tunes other Hugging Face models`,
    );
  }
}

export interface HexsCharModel {
  config: ModelConfig;
  tokenizerJson: TokenizerDescription;
  params: Parameters;
}

/** The model in `files` (path → bytes of a Hugging Face folder), named `name` in its description. */
export function readHexsCharModel(files: ReadonlyMap<string, Uint8Array>, name: string): HexsCharModel {
  const json = (path: string): Record<string, unknown> => {
    const bytes = files.get(path);
    if (!bytes) throw new NotAHexsCharModelError(`the folder has no ${path}`);
    try {
      return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
    } catch {
      throw new NotAHexsCharModelError(`its ${path} is not JSON`);
    }
  };
  const hf = json("config.json");
  if (hf.model_type !== "gpt2") throw new NotAHexsCharModelError(`its model_type is ${String(hf.model_type)}`);
  const config: ModelConfig = {
    vocabSize: Number(hf.vocab_size),
    contextLength: Number(hf.n_positions),
    dModel: Number(hf.n_embd),
    nLayers: Number(hf.n_layer),
    nHeads: Number(hf.n_head),
    dFf: Number(hf.n_inner ?? 4 * Number(hf.n_embd)),
  };
  if (!Object.values(config).every((n) => Number.isInteger(n) && n > 0))
    throw new NotAHexsCharModelError(`its config.json lacks a shape field (${JSON.stringify(config)})`);
  if (hf.activation_function !== "gelu_new" || hf.tie_word_embeddings !== false)
    throw new NotAHexsCharModelError("its config.json is not GPT-2 with gelu_new and an untied output projection");

  const tokenizer = json("tokenizer.json") as {
    model?: { type?: string; vocab?: Record<string, number>; merges?: unknown[]; unk_token?: string };
    normalizer?: {
      type?: string;
      normalizers?: { type?: string; pattern?: { String?: string }; content?: string }[];
    } | null;
  };
  const model = tokenizer.model;
  if (model?.type !== "BPE" || !model.vocab || (model.merges?.length ?? 0) > 0 || !model.unk_token)
    throw new NotAHexsCharModelError("its tokenizer.json is not a character vocabulary (BPE without merges)");
  const vocab: string[] = [];
  for (const [token, id] of Object.entries(model.vocab)) vocab[id] = token;
  if (vocab.length !== config.vocabSize || vocab.some((token) => token === undefined))
    throw new NotAHexsCharModelError(`its vocabulary does not number ${config.vocabSize} tokens from 0`);
  const normalization: [string, string][] = (tokenizer.normalizer?.normalizers ?? []).map((n) => {
    if (n.type !== "Replace" || n.pattern?.String === undefined || n.content === undefined)
      throw new NotAHexsCharModelError(`its normalizer ${n.type} is not a plain replacement`);
    return [n.pattern.String, n.content];
  });

  const weights = files.get("model.safetensors");
  if (!weights) throw new NotAHexsCharModelError("the folder has no model.safetensors");
  const tensors = decodeFloat32Safetensors(weights);
  const params: Parameters = new Map();
  for (const [ours, shape] of parameterShapes(config)) {
    const theirs = ours === "lm_head.weight" ? "lm_head.weight" : gpt2Name(ours);
    const entry = tensors.get(theirs);
    const expected = ours === "lm_head.weight" ? [shape[1]!, shape[0]!] : shape;
    if (!entry || entry.shape.join() !== expected.join())
      throw new NotAHexsCharModelError(`its model.safetensors has no ${theirs} of shape [${expected.join(", ")}]`);
    if (ours !== "lm_head.weight") {
      params.set(ours, tensor(shape, Float32Array.from(entry.data)));
      continue;
    }
    const [d, v] = shape as [number, number];
    const back = new Float32Array(d * v);
    for (let j = 0; j < v; j++) for (let i = 0; i < d; i++) back[i * v + j] = entry.data[j * d + i]!;
    params.set(ours, tensor(shape, back));
  }
  return {
    config,
    params,
    tokenizerJson: {
      format: TOKENIZER_FORMAT,
      name,
      vocab,
      specialTokens: { unk: model.unk_token },
      normalization,
      model: config,
    },
  };
}
