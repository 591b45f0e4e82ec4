import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { generate, lastRowOf, type ForwardFunction } from "../src/lib/onnx/sampling.ts";
import { createTokenizer } from "../src/lib/onnx/tokenizer.ts";
import { CORPUS_DIR, encodeSplit, OUT_DIR, readModelDir } from "./pipeline.ts";
import { importOnnxParameters } from "./train/exportOnnx.ts";
import { forward } from "./train/model.ts";
import { onnx, OPSET } from "./train/onnxGraph.ts";
import { evaluate } from "./train/train.ts";

/**
 * The committed models, run by onnxruntime-node, must compute what the training framework
 * computes: same logits on fixed inputs, same greedy text, and the validation loss recorded
 * when they were trained.
 */
const STANDARD_OPS = new Set([
  "Add",
  "Concat",
  "Gather",
  "LayerNormalization",
  "MatMul",
  "Mul",
  "Reshape",
  "Shape",
  "Slice",
  "Softmax",
  "Tanh",
  "Transpose",
]);

const modelNames = readdirSync(OUT_DIR).sort();

async function load(name: string) {
  const dir = join(OUT_DIR, name);
  const { onnx: bytes, tokenizerJson } = readModelDir(dir);
  const tokenizer = createTokenizer(tokenizerJson);
  const config = tokenizer.description.model;
  const params = importOnnxParameters(config, bytes);
  const session = await ort.InferenceSession.create(bytes);
  const runOrt = async (ids: readonly number[][]): Promise<Float32Array> => {
    const flat = BigInt64Array.from(ids.flat(), (id) => BigInt(id));
    const out = await session.run({ input_ids: new ort.Tensor("int64", flat, [ids.length, ids[0]!.length]) });
    expect(out.logits!.dims).toEqual([ids.length, ids[0]!.length, config.vocabSize]);
    return out.logits!.data as Float32Array;
  };
  return { bytes, tokenizer, config, params, runOrt };
}

describe.each(modelNames)("exported model %s", (name) => {
  it("uses only standard opset-17 operators", async () => {
    const { bytes } = await load(name);
    const model = onnx.ModelProto.decode(bytes);
    expect(model.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([["", OPSET]]);
    const ops = new Set(model.graph!.node!.map((n) => n.opType ?? ""));
    expect([...ops].filter((op) => !STANDARD_OPS.has(op))).toEqual([]);
  });

  it("gives the training framework's logits within 1e-4 on fixed inputs", async () => {
    const { tokenizer, config, params, runOrt } = await load(name);
    const text = 'Once upon a time, the quiet river sang beneath the moon. "Look!" said Mia, 42~\n';
    const all = tokenizer.encode(text.repeat(3));
    for (const length of [1, 17, config.contextLength]) {
      const rows = [all.slice(0, length), all.slice(5, 5 + length)];
      const ortLogits = await runOrt(rows);
      const tsLogits = forward(undefined, config, params, Int32Array.from(rows.flat()), rows.length).data;
      let maxDiff = 0;
      for (let i = 0; i < tsLogits.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ortLogits[i]! - tsLogits[i]!));
      expect(maxDiff).toBeLessThan(1e-4);
    }
  });

  it("generates the same greedy text in onnxruntime and in the training framework", async () => {
    const { tokenizer, config, params, runOrt } = await load(name);
    const ortForward: ForwardFunction = (ids) => runOrt([[...ids]]);
    const tsForward: ForwardFunction = (ids) => forward(undefined, config, params, Int32Array.from(ids), 1).data;
    const run = async (f: ForwardFunction) => {
      const out: number[] = [];
      const options = { temperature: 0, seed: 1, maxNewTokens: 80 };
      const next = lastRowOf(f, config.contextLength);
      for await (const id of generate(next, tokenizer.encode("Once upon a time"), options)) out.push(id);
      return tokenizer.decode(out);
    };
    const [fromOrt, fromTs] = [await run(ortForward), await run(tsForward)];
    expect(fromOrt).toBe(fromTs);
    expect(fromOrt).toHaveLength(80);
  });

  it("reproduces the validation loss recorded at training time", async () => {
    const { tokenizer, config, params } = await load(name);
    const training = tokenizer.description.training!;
    const corpus = readFileSync(join(CORPUS_DIR, training.corpus.replace("models/corpus/", "")), "utf8");
    const { validationIds } = encodeSplit(tokenizer, corpus, training.validationFraction as number);
    const loss = evaluate(config, params, validationIds);
    expect(loss).toBeCloseTo(training.finalValidationLoss, 3);
    expect(loss).toBeLessThan(Math.log(config.vocabSize) / 2);
  });
});
