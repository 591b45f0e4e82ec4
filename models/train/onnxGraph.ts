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
