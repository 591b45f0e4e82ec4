import onnxProto from "onnx-proto";

/**
 * A tiny ONNX graph builder over onnx-proto's generated protobuf classes: named nodes, float
 * and int64 initializers, and deterministic serialisation (same graph → same bytes).
 */
export const { onnx } = onnxProto;

type Attribute = { name: string } & ({ i: number } | { f: number } | { ints: number[] });

export interface GraphBuilder {
  /** Adds a node and returns the name of its (first) output. */
  node(op: string, inputs: string[], attributes?: Attribute[], outputName?: string): string;
  floatInitializer(name: string, dims: readonly number[], values: Float32Array): string;
  int64Constant(values: number[], scalar?: boolean): string;
  floatConstant(value: number): string;
  readonly nodes: InstanceType<typeof onnx.NodeProto>[];
  readonly initializers: InstanceType<typeof onnx.TensorProto>[];
}

export function createGraphBuilder(): GraphBuilder {
  const nodes: InstanceType<typeof onnx.NodeProto>[] = [];
  const initializers: InstanceType<typeof onnx.TensorProto>[] = [];
  const constants = new Map<string, string>();
  let counter = 0;

  const node: GraphBuilder["node"] = (op, inputs, attributes = [], outputName) => {
    const output = outputName ?? `${op.toLowerCase()}_${counter++}`;
    nodes.push(
      onnx.NodeProto.create({
        opType: op,
        name: `${op}_${nodes.length}`,
        input: inputs,
        output: [output],
        attribute: attributes.map(toAttributeProto),
      }),
    );
    return output;
  };

  const floatInitializer: GraphBuilder["floatInitializer"] = (name, dims, values) => {
    const bytes = new Uint8Array(values.length * 4);
    const view = new DataView(bytes.buffer);
    values.forEach((v, i) => view.setFloat32(i * 4, v, true));
    initializers.push(
      onnx.TensorProto.create({ name, dims: [...dims], dataType: onnx.TensorProto.DataType.FLOAT, rawData: bytes }),
    );
    return name;
  };

  const int64Constant: GraphBuilder["int64Constant"] = (values, scalar = false) => {
    const key = `int64:${scalar ? "scalar" : "vector"}:${values.join(",")}`;
    const existing = constants.get(key);
    if (existing) return existing;
    const name = `const.i64.${constants.size}`;
    initializers.push(
      onnx.TensorProto.create({
        name,
        dims: scalar ? [] : [values.length],
        dataType: onnx.TensorProto.DataType.INT64,
        int64Data: values,
      }),
    );
    constants.set(key, name);
    return name;
  };

  const floatConstant: GraphBuilder["floatConstant"] = (value) => {
    const key = `float:${value}`;
    const existing = constants.get(key);
    if (existing) return existing;
    const name = `const.f32.${constants.size}`;
    floatInitializer(name, [], Float32Array.of(value));
    constants.set(key, name);
    return name;
  };

  return { node, floatInitializer, int64Constant, floatConstant, nodes, initializers };
}

/** LayerNormalization over the last axis. */
export function onnxLayerNorm(g: GraphBuilder, input: string, weight: string, bias: string, epsilon: number): string {
  return g.node(
    "LayerNormalization",
    [input, weight, bias],
    [
      { name: "axis", i: -1 },
      { name: "epsilon", f: epsilon },
    ],
  );
}

/** `input · weight + bias`, the weight stored `[in, out]`. */
export function onnxLinear(g: GraphBuilder, input: string, weight: string, bias: string): string {
  return g.node("Add", [g.node("MatMul", [input, weight]), bias]);
}

/** GELU, tanh form: 0.5·f·(1 + tanh(√(2/π)·(f + 0.044715·f³))). */
export function onnxGeluTanh(g: GraphBuilder, f: string): string {
  const cube = g.node("Mul", [g.node("Mul", [f, f]), f]);
  const inner = g.node("Mul", [
    g.node("Add", [f, g.node("Mul", [cube, g.floatConstant(0.044715)])]),
    g.floatConstant(Math.sqrt(2 / Math.PI)),
  ]);
  const onePlusTanh = g.node("Add", [g.node("Tanh", [inner]), g.floatConstant(1)]);
  return g.node("Mul", [g.node("Mul", [f, g.floatConstant(0.5)]), onePlusTanh]);
}

/**
 * Multi-head attention from a fused `[batch, seq, 3·d]` QKV projection, with an additive mask
 * broadcast to `[batch, heads, seq, keys]`. With `past`, the keys and values of earlier tokens
 * (`[batch, heads, past, headDim]`) come first, and the keys and values of all tokens are the
 * graph outputs `past.presentKey`/`past.presentValue`. Returns the heads merged to `[batch, seq, d]`.
 */
export function onnxAttention(
  g: GraphBuilder,
  qkv: string,
  shape: { heads: number; headDim: number },
  maskBias: string,
  past?: { key: string; value: string; presentKey: string; presentValue: string },
): string {
  const { heads, headDim } = shape;
  const split = g.node(
    "Transpose",
    [g.node("Reshape", [qkv, g.int64Constant([0, 0, 3, heads, headDim])])],
    [{ name: "perm", ints: [2, 0, 3, 1, 4] }], // [3, batch, heads, seq, headDim]
  );
  const pick = (i: number): string => g.node("Gather", [split, g.int64Constant([i], true)], [{ name: "axis", i: 0 }]);
  const q = pick(0);
  let [k, v] = [pick(1), pick(2)];
  if (past) {
    k = g.node("Concat", [past.key, k], [{ name: "axis", i: 2 }], past.presentKey);
    v = g.node("Concat", [past.value, v], [{ name: "axis", i: 2 }], past.presentValue);
  }
  const kT = g.node("Transpose", [k], [{ name: "perm", ints: [0, 1, 3, 2] }]);
  const scores = g.node("Mul", [g.node("MatMul", [q, kT]), g.floatConstant(1 / Math.sqrt(headDim))]);
  const probs = g.node("Softmax", [g.node("Add", [scores, maskBias])], [{ name: "axis", i: -1 }]);
  const merged = g.node("Transpose", [g.node("MatMul", [probs, v])], [{ name: "perm", ints: [0, 2, 1, 3] }]);
  return g.node("Reshape", [merged, g.int64Constant([0, 0, heads * headDim])]);
}

/** A graph input or output: its name, element type and dimensions (a string names a dynamic one). */
export function onnxValueInfo(name: string, elemType: number, dims: readonly (string | number)[]) {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === "string" ? { dimParam: d } : { dimValue: d })) },
      },
    },
  });
}

/** The ONNX opset every HEXS export targets (default domain only). */
export const OPSET = 17;

/** Added to the score of a position attention may not see: exp() of it underflows to 0. */
export const MASKED = -1e9;

/**
 * The model file of a built graph: opset 17, `metadata` as the model's metadata props (its
 * `name`, when there is one, also names the graph), the given inputs and outputs.
 */
export function encodeOnnxModel(
  g: GraphBuilder,
  io: { defaultName: string; metadata: Record<string, string>; inputs: ValueInfo[]; outputs: ValueInfo[] },
): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: "", version: OPSET }],
    producerName: "hexs-models",
    producerVersion: "1",
    metadataProps: Object.entries(io.metadata).map(([key, value]) => ({ key, value })),
    graph: {
      name: io.metadata.name ?? io.defaultName,
      node: g.nodes,
      initializer: g.initializers,
      input: io.inputs,
      output: io.outputs,
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

type ValueInfo = ReturnType<typeof onnxValueInfo>;

function toAttributeProto(a: Attribute): InstanceType<typeof onnx.AttributeProto> {
  const { AttributeType } = onnx.AttributeProto;
  if ("i" in a) return onnx.AttributeProto.create({ name: a.name, type: AttributeType.INT, i: a.i });
  if ("f" in a) return onnx.AttributeProto.create({ name: a.name, type: AttributeType.FLOAT, f: a.f });
  return onnx.AttributeProto.create({ name: a.name, type: AttributeType.INTS, ints: a.ints });
}

/** Float32 values of a FLOAT initializer, whether stored as raw bytes or as `floatData`. */
export function readFloatTensor(t: InstanceType<typeof onnx.TensorProto>): Float32Array {
  if (t.dataType !== onnx.TensorProto.DataType.FLOAT) throw new Error(`${t.name} is not a float tensor`);
  if (t.rawData && t.rawData.length > 0) {
    const view = new DataView(t.rawData.buffer, t.rawData.byteOffset, t.rawData.byteLength);
    return Float32Array.from({ length: t.rawData.length / 4 }, (_, i) => view.getFloat32(i * 4, true));
  }
  return Float32Array.from(t.floatData);
}
