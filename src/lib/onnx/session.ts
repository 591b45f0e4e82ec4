// One ONNX language model behind a `ForwardFunction`. Runtime-agnostic: the playground passes
// onnxruntime-web (in a worker), tests and the bench pass onnxruntime-node; both expose the
// same `InferenceSession` and `Tensor` (from onnxruntime-common).
import type { InferenceSession, Tensor } from "onnxruntime-web";
import type { ForwardFunction } from "./sampling.ts";
import { ModelInterfaceError, toModelError } from "./modelErrors.ts";

/** The part of an onnxruntime package this module uses. */
export interface OrtRuntime {
  InferenceSession: { create(model: Uint8Array, options?: InferenceSession.SessionOptions): Promise<InferenceSession> };
  Tensor: new (type: "int64", data: BigInt64Array, dims: readonly number[]) => Tensor;
}

export interface ModelSession {
  /** Token ids (at most `contextLength`) → logits `[ids.length, vocabSize]`, row-major. */
  forward: ForwardFunction;
  vocabSize: number;
  contextLength: number;
  release(): Promise<void>;
}

export interface ModelSessionOptions {
  /** The vocabulary size the tokenizer expects; the model's output must match it. */
  vocabSize: number;
  contextLength: number;
  sessionOptions?: InferenceSession.SessionOptions;
}

export const INPUT_NAME = "input_ids";
export const OUTPUT_NAME = "logits";

/**
 * Creates a session for `model` and checks it is a HEXS language model: one int64 input
 * `input_ids`, a float32 output `logits` whose last dimension is the vocabulary size (checked
 * with a one-token probe, so a model that loads but computes the wrong shape fails here, in
 * its own column, rather than mid-generation).
 * @throws ModelError of kind bad-onnx, wrong-inputs or out-of-memory
 */
export async function createModelSession(
  ort: OrtRuntime,
  model: Uint8Array,
  options: ModelSessionOptions,
): Promise<ModelSession> {
  let session: InferenceSession;
  try {
    session = await ort.InferenceSession.create(model, options.sessionOptions);
  } catch (error) {
    throw toModelError(error, "load");
  }
  try {
    checkInterface(session);
    const forward = forwardOf(ort, session, options);
    await forward([0]);
    return {
      forward,
      vocabSize: options.vocabSize,
      contextLength: options.contextLength,
      release: () => session.release(),
    };
  } catch (error) {
    await session.release().catch(() => undefined);
    throw toModelError(error, "load");
  }
}

function checkInterface(session: InferenceSession): void {
  const inputs = session.inputNames;
  if (inputs.length !== 1 || inputs[0] !== INPUT_NAME)
    throw new ModelInterfaceError(`inputs are [${inputs.join(", ")}], expected [${INPUT_NAME}]`);
  if (!session.outputNames.includes(OUTPUT_NAME))
    throw new ModelInterfaceError(`outputs are [${session.outputNames.join(", ")}], expected ${OUTPUT_NAME}`);
  const input = session.inputMetadata?.[0];
  if (input?.isTensor && input.type !== "int64")
    throw new ModelInterfaceError(`${INPUT_NAME} is ${input.type}, expected int64 token ids`);
  const output = session.outputMetadata?.find((m) => m.name === OUTPUT_NAME);
  if (output?.isTensor && output.type !== "float32")
    throw new ModelInterfaceError(`${OUTPUT_NAME} is ${output.type}, expected float32`);
}

function forwardOf(ort: OrtRuntime, session: InferenceSession, options: ModelSessionOptions): ForwardFunction {
  const { vocabSize, contextLength } = options;
  return async (ids) => {
    if (ids.length === 0 || ids.length > contextLength)
      throw new ModelInterfaceError(`${ids.length} tokens given; the model takes 1 to ${contextLength}`);
    const input = new ort.Tensor(
      "int64",
      BigInt64Array.from(ids, (id) => BigInt(id)),
      [1, ids.length],
    );
    const outputs = await session.run({ [INPUT_NAME]: input });
    const logits = outputs[OUTPUT_NAME];
    if (!logits) throw new ModelInterfaceError(`the run returned no ${OUTPUT_NAME}`);
    const dims = logits.dims;
    if (!(logits.data instanceof Float32Array) || dims.length !== 3 || dims[1] !== ids.length || dims[2] !== vocabSize)
      throw new ModelInterfaceError(
        `${OUTPUT_NAME} has shape [${dims.join(", ")}] (${logits.type}), expected [1, ${ids.length}, ${vocabSize}] float32`,
      );
    return logits.data;
  };
}
