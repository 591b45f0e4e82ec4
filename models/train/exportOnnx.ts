import type { ModelConfig } from "../../src/lib/onnx/tokenizer.ts";
import { LAYER_NORM_EPSILON, parameterShapes, type Parameters } from "./model.ts";
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
  readFloatTensor,
} from "./onnxGraph.ts";
import { tensor } from "./tensor.ts";

/**
 * The ONNX form of `model.ts`'s forward pass, with standard opset-17 operators only.
 * Input `input_ids` int64 `[batch, seq]` (seq ≤ contextLength), output `logits` float32
 * `[batch, seq, vocab]`. Every parameter becomes an initializer under its own name.
 */
export function exportOnnx(config: ModelConfig, params: Parameters, metadata: Record<string, string>): Uint8Array {
  const g = createGraphBuilder();
  const { contextLength: t, dModel: d, nHeads: h, nLayers, vocabSize } = config;
  const hd = d / h;
  for (const [name, shape] of parameterShapes(config)) {
    const p = params.get(name);
    if (!p) throw new Error(`missing parameter ${name}`);
    g.floatInitializer(name, shape, p.data);
  }
  const mask = new Float32Array(t * t);
  for (let i = 0; i < t; i++) for (let j = i + 1; j < t; j++) mask[i * t + j] = MASKED;
  g.floatInitializer("causal_mask", [t, t], mask);

  const seqLen = g.node(
    "Shape",
    ["input_ids"],
    [
      { name: "start", i: 1 },
      { name: "end", i: 2 },
    ],
  );
  const zero = g.int64Constant([0]);
  const positions = g.node("Slice", ["pos_emb.weight", zero, seqLen, zero]);
  let x = g.node("Add", [g.node("Gather", ["tok_emb.weight", "input_ids"], [{ name: "axis", i: 0 }]), positions]);
  const square = g.node("Concat", [seqLen, seqLen], [{ name: "axis", i: 0 }]);
  const causal = g.node("Slice", ["causal_mask", g.int64Constant([0, 0]), square, g.int64Constant([0, 1])]);

  const layerNorm = (input: string, prefix: string): string =>
    onnxLayerNorm(g, input, `${prefix}.weight`, `${prefix}.bias`, LAYER_NORM_EPSILON);
  const linear = (input: string, prefix: string): string => onnxLinear(g, input, `${prefix}.weight`, `${prefix}.bias`);

  for (let l = 0; l < nLayers; l++) {
    const b = `blocks.${l}`;
    const qkv = linear(layerNorm(x, `${b}.ln1`), `${b}.attn.qkv`);
    const merged = onnxAttention(g, qkv, { heads: h, headDim: hd }, causal);
    x = g.node("Add", [x, linear(merged, `${b}.attn.proj`)]);

    const f = linear(layerNorm(x, `${b}.ln2`), `${b}.mlp.fc`);
    const activated = onnxGeluTanh(g, f);
    x = g.node("Add", [x, linear(activated, `${b}.mlp.proj`)]);
  }
  const final = layerNorm(x, "ln_f");
  g.node("MatMul", [final, "lm_head.weight"], [], "logits");

  return encodeOnnxModel(g, {
    defaultName: "hexs-char-transformer",
    metadata,
    inputs: [onnxValueInfo("input_ids", onnx.TensorProto.DataType.INT64, ["batch", "seq"])],
    outputs: [onnxValueInfo("logits", onnx.TensorProto.DataType.FLOAT, ["batch", "seq", vocabSize])],
  });
}

/** Reads the parameters of `config` back from an exported model's initializers, by name. */
export function importOnnxParameters(config: ModelConfig, bytes: Uint8Array): Parameters {
  const model = onnx.ModelProto.decode(bytes);
  const byName = new Map((model.graph?.initializer ?? []).map((t) => [t.name, t]));
  const out: Parameters = new Map();
  for (const [name, shape] of parameterShapes(config)) {
    const t = byName.get(name);
    if (!t) throw new Error(`model has no initializer ${name}`);
    const values = readFloatTensor(t as InstanceType<typeof onnx.TensorProto>);
    const size = shape.reduce((a, b) => a * b, 1);
    if (values.length !== size) throw new Error(`${name} has ${values.length} values, expected ${size}`);
    out.set(name, tensor(shape, values));
  }
  return out;
}
