import { describe, expect, it } from "vitest";
import { IpfsNotFoundError, IpfsReadError, IpfsUnreachableError, IpfsVerificationError } from "../ipfs/errors.ts";
import { deserializeModelError, serializeModelError, toModelError } from "./modelErrors.ts";
import { TokenizerDescriptionError } from "./tokenizer.ts";

describe("toModelError", () => {
  it.each([
    [new IpfsVerificationError("bafyweights", { details: "block bafk… hash mismatch" }), "load", "cid-mismatch"],
    [new IpfsReadError("bafyweights", "no gateway returned bafyweights in time"), "load", "unreachable"],
    [new IpfsUnreachableError("bafyweights", "no gateway answered"), "load", "unreachable"],
    [new IpfsNotFoundError("bafyweights", "no gateway has bafyweights"), "load", "unreachable"],
    [new RangeError("WebAssembly.Memory.grow(): Maximum memory size exceeded"), "load", "out-of-memory"],
    [new Error("Aborted(OOM)"), "run", "out-of-memory"],
    [new Error("std::bad_alloc"), "load", "out-of-memory"],
    [new TokenizerDescriptionError("Invalid tokenizer description"), "load", "bad-tokenizer"],
    [new Error("Can't create a session. ERROR_CODE: 7, protobuf parsing failed."), "load", "bad-onnx"],
    [new Error("something odd"), "run", "runtime"],
  ] as const)("classifies %s as %s → %s", (error, stage, kind) => {
    expect(toModelError(error, stage).kind).toBe(kind);
  });

  it("keeps the evidence across the worker boundary", () => {
    const error = toModelError(
      new IpfsVerificationError("bafyweights", { details: "block bafkx did not match" }),
      "load",
    );
    const back = deserializeModelError(structuredClone(serializeModelError(error)));
    expect(back).toMatchObject({
      kind: "cid-mismatch",
      shortMessage: "The weights do not match their CID: a gateway sent other bytes",
      details: "block bafkx did not match",
    });
  });
});
