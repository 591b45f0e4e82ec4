import { describe, expect, it } from "vitest";
import {
  decodeFloat32Safetensors,
  decodeSafetensorsHeader,
  encodeSafetensors,
  SafetensorsFormatError,
} from "./safetensors.ts";

const entries = [
  { name: "a.weight", shape: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, 6) },
  { name: "b.bias", shape: [3], data: Float32Array.of(-1, 0.5, 1e-7) },
];

/** A file whose header is `header`, followed by `dataBytes` zero bytes. */
function withHeader(header: unknown, dataBytes: number): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  return out;
}

describe("safetensors", () => {
  it("round-trips float32 tensors and metadata, the data buffer starting 8-byte aligned", () => {
    const bytes = encodeSafetensors(entries, { format: "pt" });
    const header = decodeSafetensorsHeader(bytes);
    expect(header.dataStart % 8).toBe(0);
    expect(header.metadata).toEqual({ format: "pt" });
    expect(header.tensors.get("a.weight")).toEqual({ dtype: "F32", shape: [2, 3], dataOffsets: [0, 24] });
    expect(header.tensors.get("b.bias")).toEqual({ dtype: "F32", shape: [3], dataOffsets: [24, 36] });
    const decoded = decodeFloat32Safetensors(bytes);
    expect([...decoded.get("a.weight")!.data]).toEqual([1, 2, 3, 4, 5, 6]);
    expect([...decoded.get("b.bias")!.data]).toEqual([...entries[1]!.data]);
    expect(bytes.length).toBe(header.dataStart + 36);
  });

  it("reads tensors out of a Node Buffer that shares its memory with others", () => {
    const file = encodeSafetensors(entries);
    const pooled = Buffer.concat([Buffer.from("prefix"), Buffer.from(file)]).subarray(6);
    expect([...decodeFloat32Safetensors(pooled).get("a.weight")!.data]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("checks a header read from the first bytes against the whole file's size", () => {
    const bytes = encodeSafetensors(entries);
    const { dataStart } = decodeSafetensorsHeader(bytes);
    expect(decodeSafetensorsHeader(bytes.subarray(0, dataStart), bytes.length).tensors.size).toBe(2);
    expect(() => decodeSafetensorsHeader(bytes.subarray(0, dataStart), bytes.length - 4)).toThrow(
      "the tensors cover 36 bytes of a 32-byte data buffer",
    );
  });

  it.each([
    ["a file shorter than the length field", new Uint8Array(5), "shorter than the 8-byte header length"],
    ["a header past the end", withHeader({}, 0).subarray(0, 9), "runs past the end of the file"],
    [
      "a header that is not JSON",
      (() => {
        const b = withHeader({}, 0);
        b[8] = 0x7b + 1;
        return b;
      })(),
      "not UTF-8 JSON",
    ],
    ["a header that is an array", withHeader([], 0), "not a JSON object"],
    [
      "an unknown dtype",
      withHeader({ x: { dtype: "F31", shape: [1], data_offsets: [0, 4] } }, 4),
      "x has an unknown dtype",
    ],
    [
      "a range the wrong size for its shape",
      withHeader({ x: { dtype: "F32", shape: [2], data_offsets: [0, 4] } }, 4),
      "its shape needs 8",
    ],
    [
      "a hole between tensors",
      withHeader(
        {
          x: { dtype: "F32", shape: [1], data_offsets: [0, 4] },
          y: { dtype: "F32", shape: [1], data_offsets: [8, 12] },
        },
        12,
      ),
      "y does not start where the previous tensor ends",
    ],
    [
      "bytes no tensor covers",
      withHeader({ x: { dtype: "F32", shape: [1], data_offsets: [0, 4] } }, 8),
      "cover 4 bytes of a 8-byte",
    ],
    [
      "metadata that is not strings",
      withHeader({ __metadata__: { format: 1 } }, 0),
      "__metadata__.format is not a string",
    ],
  ])("refuses %s", (_what, bytes, message) => {
    expect(() => decodeSafetensorsHeader(bytes)).toThrow(SafetensorsFormatError);
    expect(() => decodeSafetensorsHeader(bytes)).toThrow(message);
  });

  it("reads only F32 tensors as floats, naming the one it cannot", () => {
    const bytes = withHeader({ h: { dtype: "F16", shape: [2], data_offsets: [0, 4] } }, 4);
    expect(() => decodeFloat32Safetensors(bytes)).toThrow("h is F16; only F32 tensors are read here");
  });

  it("refuses a shape that does not hold its values when writing", () => {
    expect(() => encodeSafetensors([{ name: "x", shape: [2, 2], data: new Float32Array(3) }])).toThrow(
      "x: shape [2, 2] does not hold 3 values",
    );
  });
});
