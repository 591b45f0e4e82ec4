import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FineTuneDatasetTooSmallError, fineTune } from "./fineTune.ts";
import { CORPUS_DIR, OUT_DIR, readModelDir, sha256 } from "./pipeline.ts";
import { createTokenizer } from "../src/lib/onnx/tokenizer.ts";

const base = readModelDir(join(OUT_DIR, "tiny-stories-char"));
const verse = readFileSync(join(CORPUS_DIR, "verse.txt"), "utf8").slice(0, 12_000);

describe("fineTune", () => {
  // A few steps only: enough to show the loss on the new text falls, fast enough for a unit test.
  const run = () =>
    fineTune({
      base: { onnxBytes: base.onnx, tokenizerJson: base.tokenizerJson },
      datasetText: verse,
      datasetName: "verse-excerpt",
      steps: 6,
      learningRate: 2e-3,
      seed: 9,
      batchSize: 4,
    });
  const result = run();

  it("lowers the held-out loss on the new dataset", () => {
    const { validationLossBefore, validationLossAfter } = result.metrics;
    expect(validationLossAfter).toBeLessThan(validationLossBefore);
  });

  it("writes a new model that differs from its base and records its lineage", () => {
    expect(sha256(result.onnxBytes)).not.toBe(sha256(base.onnx));
    const tokenizer = createTokenizer(result.tokenizerJson);
    expect(tokenizer.description.name).toBe("tiny-stories-char-ft");
    expect(tokenizer.description.training).toMatchObject({
      baseModel: "tiny-stories-char",
      baseWeightsSha256: sha256(base.onnx),
      corpus: "verse-excerpt",
      corpusSha256: sha256(verse),
      steps: 6,
      seed: 9,
    });
  });

  it("is deterministic for a seed", () => {
    expect(sha256(run().onnxBytes)).toBe(sha256(result.onnxBytes));
  });

  it("refuses a dataset shorter than two context windows", () => {
    const call = () =>
      fineTune({
        base: { onnxBytes: base.onnx, tokenizerJson: base.tokenizerJson },
        datasetText: "too short",
        steps: 1,
        learningRate: 1e-3,
        seed: 1,
      });
    expect(call).toThrow(FineTuneDatasetTooSmallError);
  });
});
