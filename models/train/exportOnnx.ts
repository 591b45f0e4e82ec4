import type { ModelConfig } from "../../src/lib/onnx/tokenizer.ts";
import { LAYER_NORM_EPSILON, parameterShapes, type Parameters } from "./model.ts";
import { createGraphBuilder, onnx, readFloatTensor } from "./onnxGraph.ts";
import { tensor } from "./tensor.ts";

/**
 * The ONNX form of `model.ts`'s forward pass, with standard opset-17 operators only.
 * Input `input_ids` int64 `[batch, seq]` (seq ≤ contextLength), output `logits` float32
 * `[batch, seq, vocab]`. Every parameter becomes an initializer under its own name.
 */
export const OPSET = 17;
const MASKED = -1e9; // added to scores a position may not see; exp() of it underflows to 0

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
    g.node(
      "LayerNormalization",
      [input, `${prefix}.weight`, `${prefix}.bias`],
      [
        { name: "axis", i: -1 },
        { name: "epsilon", f: LAYER_NORM_EPSILON },
      ],
    );
  const linear = (input: string, prefix: string): string =>
    g.node("Add", [g.node("MatMul", [input, `${prefix}.weight`]), `${prefix}.bias`]);

  for (let l = 0; l < nLayers; l++) {
    const b = `blocks.${l}`;
    const qkv = linear(layerNorm(x, `${b}.ln1`), `${b}.attn.qkv`);
    const split = g.node(
      "Transpose",
      [g.node("Reshape", [qkv, g.int64Constant([0, 0, 3, h, hd])])],
      [
        { name: "perm", ints: [2, 0, 3, 1, 4] }, // [3, batch, heads, seq, headDim]
      ],
    );
    const pick = (i: number): string => g.node("Gather", [split, g.int64Constant([i], true)], [{ name: "axis", i: 0 }]);
    const [q, k, v] = [pick(0), pick(1), pick(2)];
    const kT = g.node("Transpose", [k], [{ name: "perm", ints: [0, 1, 3, 2] }]);
    const scores = g.node("Mul", [g.node("MatMul", [q, kT]), g.floatConstant(1 / Math.sqrt(hd))]);
    const probs = g.node("Softmax", [g.node("Add", [scores, causal])], [{ name: "axis", i: -1 }]);
    const heads = g.node("Transpose", [g.node("MatMul", [probs, v])], [{ name: "perm", ints: [0, 2, 1, 3] }]);
    const merged = g.node("Reshape", [heads, g.int64Constant([0, 0, d])]);
    x = g.node("Add", [x, linear(merged, `${b}.attn.proj`)]);

    const f = linear(layerNorm(x, `${b}.ln2`), `${b}.mlp.fc`);
    // GELU, tanh form: 0.5·f·(1 + tanh(√(2/π)·(f + 0.044715·f³)))
    const cube = g.node("Mul", [g.node("Mul", [f, f]), f]);
    const inner = g.node("Mul", [
      g.node("Add", [f, g.node("Mul", [cube, g.floatConstant(0.044715)])]),
      g.floatConstant(Math.sqrt(2 / Math.PI)),
    ]);
    const onePlusTanh = g.node("Add", [g.node("Tanh", [inner]), g.floatConstant(1)]);
    const activated = g.node("Mul", [g.node("Mul", [f, g.floatConstant(0.5)]), onePlusTanh]);
    x = g.node("Add", [x, linear(activated, `${b}.mlp.proj`)]);
  }
  const final = layerNorm(x, "ln_f");
  g.node("Add", [g.node("MatMul", [final, "lm_head.weight"]), "lm_head.bias"], [], "logits");

  const dim = (p: string | number) => (typeof p === "string" ? { dimParam: p } : { dimValue: p });
  const valueInfo = (name: string, elemType: number, dims: (string | number)[]) =>
    onnx.ValueInfoProto.create({
      name,
      type: { tensorType: { elemType, shape: { dim: dims.map(dim) } } },
    });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: "", version: OPSET }],
    producerName: "hexs-models",
    producerVersion: "1",
    metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
    graph: {
      name: metadata.name ?? "hexs-char-transformer",
      node: g.nodes,
      initializer: g.initializers,
      input: [valueInfo("input_ids", onnx.TensorProto.DataType.INT64, ["batch", "seq"])],
      output: [valueInfo("logits", onnx.TensorProto.DataType.FLOAT, ["batch", "seq", vocabSize])],
    },
  });
  return onnx.ModelProto.encode(model).finish();
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
