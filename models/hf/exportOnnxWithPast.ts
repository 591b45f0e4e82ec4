// `onnx/model.onnx` of the Hugging Face layout: the decoder with a KV cache, with the inputs and
// outputs Optimum gives a `GPT2LMHeadModel` exported for "text-generation-with-past" and
// transformers.js feeds (`input_ids`, `attention_mask`, `position_ids`,
// `past_key_values.{layer}.key|value` → `logits`, `present.{layer}.key|value`). The first step
// passes a past of length 0; every later step passes the presents of the one before.
import type { ModelConfig } from "../../src/lib/onnx/tokenizer.ts";
import { LAYER_NORM_EPSILON, type Parameters } from "../train/model.ts";
import {
  createGraphBuilder,
  encodeOnnxModel,
  MASKED,
  onnx,
  onnxAttention,
  onnxGeluTanh,
  onnxLayerNorm,
  onnxLinear,
  onnxValueInfo,
} from "../train/onnxGraph.ts";
import { gpt2StateDict } from "./gpt2Layout.ts";

export function exportOnnxWithPast(
  config: ModelConfig,
  params: Parameters,
  metadata: Record<string, string>,
): Uint8Array {
  const g = createGraphBuilder();
  const { dModel: d, nHeads: heads, nLayers, vocabSize } = config;
  const headDim = d / heads;
  for (const { name, shape, data } of gpt2StateDict(params)) g.floatInitializer(name, shape, data);
  const axis = (i: number) => [{ name: "axis", i }];
  const { INT64, FLOAT, BOOL } = onnx.TensorProto.DataType;

  const positions = g.node("Gather", ["transformer.wpe.weight", "position_ids"], axis(0));
  let x = g.node("Add", [g.node("Gather", ["transformer.wte.weight", "input_ids"], axis(0)), positions]);

  // Query i (absolute position past + i) sees key j when j ≤ past + i and the attention mask
  // keeps j: one additive mask [batch, 1, seq, past + seq] for every layer.
  const scalar = (vector: string) => g.node("Squeeze", [vector]);
  const total = g.node("Shape", ["attention_mask"], [{ name: "start", i: 1 }]);
  const seq = g.node("Shape", ["input_ids"], [{ name: "start", i: 1 }]);
  const pastLength = g.node("Sub", [total, seq]);
  const one = g.int64Constant([1], true);
  const queryPositions = g.node("Range", [scalar(pastLength), scalar(total), one]);
  const keyPositions = g.node("Range", [g.int64Constant([0], true), scalar(total), one]);
  const causal = g.node("LessOrEqual", [
    g.node("Unsqueeze", [keyPositions, g.int64Constant([0])]),
    g.node("Unsqueeze", [queryPositions, g.int64Constant([1])]),
  ]);
  const kept = g.node("Unsqueeze", [
    g.node("Cast", ["attention_mask"], [{ name: "to", i: BOOL }]),
    g.int64Constant([1, 2]),
  ]);
  const maskBias = g.node("Where", [g.node("And", [causal, kept]), g.floatConstant(0), g.floatConstant(MASKED)]);

  const layerNorm = (input: string, prefix: string) =>
    onnxLayerNorm(g, input, `${prefix}.weight`, `${prefix}.bias`, LAYER_NORM_EPSILON);
  const linear = (input: string, prefix: string) => onnxLinear(g, input, `${prefix}.weight`, `${prefix}.bias`);
  const pastInputs = [];
  const presentOutputs = [];
  for (let l = 0; l < nLayers; l++) {
    const b = `transformer.h.${l}`;
    const past = {
      key: `past_key_values.${l}.key`,
      value: `past_key_values.${l}.value`,
      presentKey: `present.${l}.key`,
      presentValue: `present.${l}.value`,
    };
    pastInputs.push(past.key, past.value);
    presentOutputs.push(past.presentKey, past.presentValue);
    const qkv = linear(layerNorm(x, `${b}.ln_1`), `${b}.attn.c_attn`);
    const attended = onnxAttention(g, qkv, { heads, headDim }, maskBias, past);
    x = g.node("Add", [x, linear(attended, `${b}.attn.c_proj`)]);
    const hidden = onnxGeluTanh(g, linear(layerNorm(x, `${b}.ln_2`), `${b}.mlp.c_fc`));
    x = g.node("Add", [x, linear(hidden, `${b}.mlp.c_proj`)]);
  }
  const final = layerNorm(x, "transformer.ln_f");
  const outputProjection = g.node("Transpose", ["lm_head.weight"], [{ name: "perm", ints: [1, 0] }]);
  g.node("MatMul", [final, outputProjection], [], "logits");

  const cacheDims = (length: string) => ["batch_size", heads, length, headDim];
  return encodeOnnxModel(g, {
    defaultName: "hexs-gpt2",
    metadata,
    inputs: [
      onnxValueInfo("input_ids", INT64, ["batch_size", "sequence_length"]),
      onnxValueInfo("attention_mask", INT64, ["batch_size", "past_sequence_length + sequence_length"]),
      onnxValueInfo("position_ids", INT64, ["batch_size", "sequence_length"]),
      ...pastInputs.map((name) => onnxValueInfo(name, FLOAT, cacheDims("past_sequence_length"))),
    ],
    outputs: [
      onnxValueInfo("logits", FLOAT, ["batch_size", "sequence_length", vocabSize]),
      ...presentOutputs.map((name) => onnxValueInfo(name, FLOAT, cacheDims("past_sequence_length + sequence_length"))),
    ],
  });
}
