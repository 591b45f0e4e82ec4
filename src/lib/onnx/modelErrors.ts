// Why a model could not be loaded or run, in words a playground column can show. Errors cross
// the worker boundary as plain objects (`SerializedModelError`) and come back as `ModelError`.
import { HexsError } from "../errors.ts";

/** What went wrong, so the UI can say it plainly and tests can assert it. */
export type ModelErrorKind =
  | "cid-mismatch" // the gateway's bytes do not hash to the weights CID
  | "unreachable" // no gateway returned the weights in time
  | "bad-onnx" // the file is not a model onnxruntime can load
  | "wrong-inputs" // it loads, but does not take `input_ids` / give `logits` as HEXS models do
  | "bad-tokenizer" // tokenizer.json is missing or malformed
  | "bad-config" // config.json is missing, malformed, or names a model type the runtime does not run
  | "out-of-memory" // the model does not fit in the WASM heap
  | "crashed" // the worker itself died (a WASM abort); the column must reload
  | "not-loaded" // generate or benchmark before a model was loaded
  | "bad-request" // a parameter out of range, a malformed benchmark set
  | "stopped" // the user stopped a benchmark before it finished
  | "runtime"; // anything else while running

/** A model failure with its kind; `shortMessage` is what the column shows. */
export class ModelError extends HexsError {
  override name = "ModelError";
  readonly kind: ModelErrorKind;

  constructor(kind: ModelErrorKind, shortMessage: string, options: { details?: string; cause?: unknown } = {}) {
    super(shortMessage, options);
    this.kind = kind;
  }
}

/** Thrown when a model's inputs or outputs are not the ones HEXS models have. */
export class ModelInterfaceError extends ModelError {
  override name = "ModelInterfaceError";

  constructor(details: string) {
    super("wrong-inputs", "The model does not have the inputs and outputs of a HEXS language model", { details });
  }
}

export interface SerializedModelError {
  kind: ModelErrorKind;
  shortMessage: string;
  details?: string | undefined;
}

/** Error names the IPFS layer raises (matched by name: the classes live in another module). */
const IPFS_KINDS: Record<string, ModelErrorKind> = {
  IpfsVerificationError: "cid-mismatch",
  IpfsReadError: "unreachable",
  IpfsUnreachableError: "unreachable",
  IpfsNotFoundError: "unreachable",
  IpfsInvalidCidError: "unreachable",
};

const OOM =
  /out of memory|\bOOM\b|bad_alloc|memory\.grow|could not allocate|maximum memory size|Array buffer allocation failed/i;

/** Turns anything thrown while loading or running a model into a `ModelError`. */
export function toModelError(error: unknown, stage: "load" | "run"): ModelError {
  if (error instanceof ModelError) return error;
  const name = error instanceof Error ? error.name : "";
  const text = errorText(error);
  const details = (error instanceof HexsError ? error.details : undefined) ?? text;
  const ipfsKind = IPFS_KINDS[name];
  if (ipfsKind === "cid-mismatch")
    return new ModelError(ipfsKind, "The weights do not match their CID: a gateway sent other bytes", {
      details,
      cause: error,
    });
  if (ipfsKind === "unreachable")
    return new ModelError(ipfsKind, "No IPFS gateway returned the weights", { details, cause: error });
  if (OOM.test(text) || error instanceof RangeError)
    return new ModelError("out-of-memory", "The model does not fit in this browser's memory", {
      details: text,
      cause: error,
    });
  if (name === "TokenizerDescriptionError")
    return new ModelError("bad-tokenizer", "The model's tokenizer.json is invalid", { details, cause: error });
  if (name === "SamplingParameterError" || name === "BenchmarkSetError")
    return new ModelError("bad-request", error instanceof HexsError ? error.shortMessage : text, {
      details,
      cause: error,
    });
  if (stage === "load")
    return new ModelError("bad-onnx", "The weights are not an ONNX model onnxruntime can load", {
      details: text,
      cause: error,
    });
  return new ModelError("runtime", "The model failed while running", { details: text, cause: error });
}

export function serializeModelError(error: ModelError): SerializedModelError {
  return { kind: error.kind, shortMessage: error.shortMessage, details: error.details };
}

export function deserializeModelError(error: SerializedModelError): ModelError {
  return new ModelError(error.kind, error.shortMessage, error.details === undefined ? {} : { details: error.details });
}

function errorText(error: unknown): string {
  const parts: string[] = [];
  for (let e = error; e !== undefined && e !== null && parts.length < 5; e = e instanceof Error ? e.cause : undefined) {
    parts.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
    if (!(e instanceof Error)) break;
  }
  return parts.join(" <- ");
}
