import type { ModelConfig } from "../../src/lib/onnx/tokenizer.ts";
import { createPrng, randomNormal } from "../../src/lib/onnx/prng.ts";
import { causalSelfAttention } from "./attention.ts";
import { add, gatherRows, gelu, layerNorm, linear } from "./ops.ts";
import { tensor, type Tape, type Tensor } from "./tensor.ts";

/**
 * A GPT-style decoder-only transformer: token + learned position embeddings, `nLayers`
 * pre-norm blocks (causal self-attention, then a GELU MLP), a final norm and an untied output
 * projection without bias. Weight matrices are stored `[in, out]` so the ONNX graph multiplies directly.
 *
 * WARNING: parameter names are the ONNX initializer names. Fine-tuning reads weights back by
 * these names, so renaming one breaks every published model.
 */
export type Parameters = Map<string, Tensor>;

export const LAYER_NORM_EPSILON = 1e-5;

/** Name → shape of every parameter, in a fixed order (the export and the optimizer use it). */
export function parameterShapes(config: ModelConfig): [string, number[]][] {
  const { vocabSize: v, contextLength: t, dModel: d, nLayers, dFf: f } = config;
  const shapes: [string, number[]][] = [
    ["tok_emb.weight", [v, d]],
    ["pos_emb.weight", [t, d]],
  ];
  for (let l = 0; l < nLayers; l++) {
    const p = `blocks.${l}`;
    shapes.push(
      [`${p}.ln1.weight`, [d]],
      [`${p}.ln1.bias`, [d]],
      [`${p}.attn.qkv.weight`, [d, 3 * d]],
      [`${p}.attn.qkv.bias`, [3 * d]],
      [`${p}.attn.proj.weight`, [d, d]],
      [`${p}.attn.proj.bias`, [d]],
      [`${p}.ln2.weight`, [d]],
      [`${p}.ln2.bias`, [d]],
      [`${p}.mlp.fc.weight`, [d, f]],
      [`${p}.mlp.fc.bias`, [f]],
      [`${p}.mlp.proj.weight`, [f, d]],
      [`${p}.mlp.proj.bias`, [d]],
    );
  }
  // No output bias: the layout of GPT-2 (GPT2LMHeadModel), which the Hugging Face export maps onto.
  shapes.push(["ln_f.weight", [d]], ["ln_f.bias", [d]], ["lm_head.weight", [d, v]]);
  return shapes;
}

/** GPT-2 initialisation: N(0, 0.02), residual projections scaled by 1/√(2·layers), norms at 1. */
export function initParameters(config: ModelConfig, seed: number): Parameters {
  if (config.dModel % config.nHeads !== 0) throw new Error("dModel must be divisible by nHeads");
  const rng = createPrng(seed);
  const params: Parameters = new Map();
  for (const [name, shape] of parameterShapes(config)) {
    const t = tensor(shape);
    if (/ln.*\.weight$/.test(name)) t.data.fill(1);
    else if (name.endsWith(".weight")) {
      const std = name.endsWith("proj.weight") ? 0.02 / Math.sqrt(2 * config.nLayers) : 0.02;
      for (let i = 0; i < t.data.length; i++) t.data[i] = std * randomNormal(rng);
    }
    params.set(name, t);
  }
  return params;
}

export function countParameters(params: Parameters): number {
  let n = 0;
  for (const t of params.values()) n += t.data.length;
  return n;
}

function param(params: Parameters, name: string): Tensor {
  const t = params.get(name);
  if (!t) throw new Error(`missing parameter ${name}`);
  return t;
}

/**
 * Logits `[batch·seq, vocab]` for `ids` (`batch` rows of `seq` tokens, row-major).
 * With a tape it records the backward pass; without one it is plain inference.
 */
export function forward(
  tape: Tape | undefined,
  config: ModelConfig,
  params: Parameters,
  ids: Int32Array,
  batch: number,
): Tensor {
  const seq = ids.length / batch;
  if (!Number.isInteger(seq) || seq < 1 || seq > config.contextLength)
    throw new Error(`sequence length ${seq} outside 1..${config.contextLength}`);
  const positions = Int32Array.from({ length: ids.length }, (_, i) => i % seq);
  const p = (name: string): Tensor => param(params, name);
  let x = add(tape, gatherRows(tape, p("tok_emb.weight"), ids), gatherRows(tape, p("pos_emb.weight"), positions));
  for (let l = 0; l < config.nLayers; l++) {
    const b = `blocks.${l}`;
    const h1 = layerNorm(tape, x, p(`${b}.ln1.weight`), p(`${b}.ln1.bias`), LAYER_NORM_EPSILON);
    const qkv = linear(tape, h1, p(`${b}.attn.qkv.weight`), p(`${b}.attn.qkv.bias`));
    const attended = causalSelfAttention(tape, qkv, batch, seq, config.nHeads);
    x = add(tape, x, linear(tape, attended, p(`${b}.attn.proj.weight`), p(`${b}.attn.proj.bias`)));
    const h2 = layerNorm(tape, x, p(`${b}.ln2.weight`), p(`${b}.ln2.bias`), LAYER_NORM_EPSILON);
    const hidden = gelu(tape, linear(tape, h2, p(`${b}.mlp.fc.weight`), p(`${b}.mlp.fc.bias`)));
    x = add(tape, x, linear(tape, hidden, p(`${b}.mlp.proj.weight`), p(`${b}.mlp.proj.bias`)));
  }
  const final = layerNorm(tape, x, p("ln_f.weight"), p("ln_f.bias"), LAYER_NORM_EPSILON);
  return linear(tape, final, p("lm_head.weight"));
}
