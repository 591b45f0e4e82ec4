// The safetensors format (https://github.com/huggingface/safetensors, "Format" in its README):
// an 8-byte little-endian header length, a JSON header naming each tensor's dtype, shape and
// byte range in the buffer that follows, then that buffer. Ranges are relative to the end of
// the header, must cover the buffer exactly, without holes or overlaps, and the header is padded
// with spaces to a multiple of 8 bytes so every tensor can be read in place.
import { HexsError } from "../errors.ts";

/** The safetensors reference refuses headers above 100 MB; so does this reader. */
const MAX_HEADER_BYTES = 100_000_000;

export interface Float32Entry {
  name: string;
  shape: readonly number[];
  data: Float32Array;
}

export interface TensorInfo {
  dtype: string;
  shape: number[];
  /** Byte offsets in the data buffer: [begin, end). */
  dataOffsets: [number, number];
}

export interface SafetensorsHeader {
  tensors: Map<string, TensorInfo>;
  metadata: Record<string, string>;
  /** Where the data buffer begins in the file. */
  dataStart: number;
}

export class SafetensorsFormatError extends HexsError {
  override name = "SafetensorsFormatError";
}

/** A safetensors file of float32 tensors, in the order given, with string metadata. */
export function encodeSafetensors(entries: readonly Float32Entry[], metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const { name, shape, data } of entries) {
    if (name === "__metadata__" || name in header) throw new SafetensorsFormatError(`duplicate tensor name ${name}`);
    if (shape.reduce((a, b) => a * b, 1) !== data.length)
      throw new SafetensorsFormatError(`${name}: shape [${shape.join(", ")}] does not hold ${data.length} values`);
    header[name] = { dtype: "F32", shape, data_offsets: [offset, offset + data.byteLength] };
    offset += data.byteLength;
  }
  let json = JSON.stringify(header);
  json += " ".repeat((8 - (new TextEncoder().encode(json).length % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const { data } of entries) {
    // Safetensors is little-endian, as every platform this runs on.
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at);
    at += data.byteLength;
  }
  return out;
}

const DTYPE_BYTES: Record<string, number> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  I64: 8,
  U64: 8,
  F64: 8,
};

/**
 * The header of a safetensors file, checked as the reference implementation checks it: a
 * length within the file, JSON, known dtypes, each range the size its shape needs, and the
 * ranges covering the data buffer exactly. `fileSize` is the whole file's size, so a header
 * read from the first bytes alone can be checked too.
 */
export function decodeSafetensorsHeader(head: Uint8Array, fileSize = head.length): SafetensorsHeader {
  if (head.length < 8) throw new SafetensorsFormatError("the file is shorter than the 8-byte header length");
  const length = Number(new DataView(head.buffer, head.byteOffset, 8).getBigUint64(0, true));
  if (length > MAX_HEADER_BYTES) throw new SafetensorsFormatError(`a header of ${length} bytes is too large`);
  if (8 + length > fileSize) throw new SafetensorsFormatError("the header runs past the end of the file");
  if (8 + length > head.length) throw new SafetensorsFormatError("the header was not read whole");
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(head.subarray(8, 8 + length)));
  } catch {
    throw new SafetensorsFormatError("the header is not UTF-8 JSON");
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new SafetensorsFormatError("the header is not a JSON object");
  const tensors = new Map<string, TensorInfo>();
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (name === "__metadata__") {
      metadata = checkMetadata(value);
      continue;
    }
    tensors.set(name, checkTensorInfo(name, value));
  }
  const dataSize = fileSize - 8 - length;
  const ranges = [...tensors.entries()].sort(([, a], [, b]) => a.dataOffsets[0] - b.dataOffsets[0]);
  let end = 0;
  for (const [name, { dataOffsets }] of ranges) {
    if (dataOffsets[0] !== end)
      throw new SafetensorsFormatError(`${name} does not start where the previous tensor ends`);
    end = dataOffsets[1];
  }
  if (end !== dataSize)
    throw new SafetensorsFormatError(`the tensors cover ${end} bytes of a ${dataSize}-byte data buffer`);
  return { tensors, metadata, dataStart: 8 + length };
}

/** Every F32 tensor of a whole safetensors file, by name; other dtypes are refused by name. */
export function decodeFloat32Safetensors(bytes: Uint8Array): Map<string, Float32Entry> {
  const { tensors, dataStart } = decodeSafetensorsHeader(bytes);
  const out = new Map<string, Float32Entry>();
  for (const [name, { dtype, shape, dataOffsets }] of tensors) {
    if (dtype !== "F32") throw new SafetensorsFormatError(`${name} is ${dtype}; only F32 tensors are read here`);
    // Copied out: the tensor's bytes need not be 4-byte aligned within the caller's buffer.
    // (`new Uint8Array(view)` copies; a Node Buffer's `slice` would not.)
    const copy = new Uint8Array(bytes.subarray(dataStart + dataOffsets[0], dataStart + dataOffsets[1]));
    out.set(name, { name, shape, data: new Float32Array(copy.buffer) });
  }
  return out;
}

function checkMetadata(value: unknown): Record<string, string> {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new SafetensorsFormatError("__metadata__ is not an object");
  for (const [key, entry] of Object.entries(value))
    if (typeof entry !== "string") throw new SafetensorsFormatError(`__metadata__.${key} is not a string`);
  return value as Record<string, string>;
}

function checkTensorInfo(name: string, value: unknown): TensorInfo {
  const info = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
  const bytesPer = typeof info?.dtype === "string" ? DTYPE_BYTES[info.dtype] : undefined;
  if (bytesPer === undefined) throw new SafetensorsFormatError(`${name} has an unknown dtype`);
  const { shape, data_offsets: offsets } = info;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0))
    throw new SafetensorsFormatError(`${name} has no valid shape`);
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) ||
    offsets[1] < offsets[0]
  )
    throw new SafetensorsFormatError(`${name} has no valid data_offsets`);
  const size = (shape as number[]).reduce((a, b) => a * b, 1) * bytesPer;
  if (offsets[1] - offsets[0] !== size)
    throw new SafetensorsFormatError(
      `${name}: its range holds ${offsets[1] - offsets[0]} bytes, its shape needs ${size}`,
    );
  return { dtype: info.dtype as string, shape: shape as number[], dataOffsets: [offsets[0], offsets[1]] };
}
