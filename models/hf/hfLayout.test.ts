import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AutoModelForCausalLM, AutoTokenizer, env, type Tensor as HfTensor } from "@huggingface/transformers";
import * as ort from "onnxruntime-node";
import { beforeAll, describe, expect, it } from "vitest";
import { decodeFloat32Safetensors } from "../../src/lib/hf/safetensors.ts";
import { generate, lastRowOf } from "../../src/lib/onnx/sampling.ts";
import { createTokenizer } from "../../src/lib/onnx/tokenizer.ts";
import { HF_OUT_DIR, OUT_DIR, readModelDir } from "../pipeline.ts";
import { importOnnxParameters } from "../train/exportOnnx.ts";
import { NotAHexsCharModelError, readHexsCharModel } from "./importHf.ts";
import { HF_FOLDER_FILES, hfModelFiles } from "./writeFolder.ts";
import { GPU_TRAINER_PYTHON } from "../../trainer/gpu/runJob.ts";

/**
 * The committed models in the Hugging Face layout (models/out-hf/<name>) must be the committed
 * HEXS models (models/out/<name>), byte for byte what the exporter writes, and load and generate
 * in transformers.js from their folder alone, as any `GPT2LMHeadModel` repo does.
 */
const names = readdirSync(HF_OUT_DIR).sort();

beforeAll(() => {
  env.allowRemoteModels = false;
  env.localModelPath = `${HF_OUT_DIR}/`;
});

function load(name: string) {
  const base = readModelDir(join(OUT_DIR, name));
  const tokenizer = createTokenizer(base.tokenizerJson);
  const config = tokenizer.description.model;
  const params = importOnnxParameters(config, base.onnx);
  const file = (path: string) => new Uint8Array(readFileSync(join(HF_OUT_DIR, name, path)));
  return { base, tokenizer, config, params, file };
}

const int64 = (rows: readonly number[][]) =>
  new ort.Tensor("int64", BigInt64Array.from(rows.flat(), BigInt), [rows.length, rows[0]!.length]);

/** Accents, typographic punctuation, emoji (a ZWJ sequence too), CJK, control whitespace, symbols. */
const MIXED_TEXTS = [
  "Once upon a time, there was a shy cat named Sam.\nThe end.",
  "Tabs\tand  runs   of spaces\r\n and \u00a0no-break",
  "\u201cQuoted,\u201d she said \u2014 \u2018twice\u2019\u2026 \u2013 yes",
  "Caf\u00e9 na\u00efve \u00fcber \u00c5ngstr\u00f6m",
  "emoji \u{1F600}\u{1F680} and \u{1F469}\u200D\u{1F4BB}",
  "\u4E2D\u6587\u5B57 \u65E5\u672C\u8A9E \uD55C\uAD6D\uC5B4",
  "{json: [1, 2, 3]} <tags> ~`^|\\",
];

/** Ids from the `tokenizers` library (Rust, through its Python binding) for each text. */
function rustTokenizerIds(tokenizerPath: string, texts: string[]): Promise<number[][]> {
  const script = [
    "import json, sys",
    "from tokenizers import Tokenizer",
    "t = Tokenizer.from_file(sys.argv[1])",
    "print(json.dumps([t.encode(x, add_special_tokens=False).ids for x in json.load(sys.stdin)]))",
  ].join("\n");
  return new Promise((resolve, reject) => {
    const child = spawn(GPU_TRAINER_PYTHON, ["-c", script, tokenizerPath], { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.once("error", (error) =>
      reject(new Error(`${error.message}: the GPU trainer's environment is missing (run trainer/gpu/setup.sh)`)),
    );
    child.once("close", (code) =>
      code === 0 ? resolve(JSON.parse(out) as number[][]) : reject(new Error(`tokenizers failed: ${err}`)),
    );
    child.stdin.end(JSON.stringify(texts));
  });
}

describe.each(names)("%s in the Hugging Face layout", (name) => {
  it("is what the exporter writes from the HEXS model's weights, file for file", () => {
    const { config, params, file } = load(name);
    // The card and the ONNX file's metadata carry the name and description; the rest is the weights'.
    const written = hfModelFiles({ name, description: "", config, params });
    expect([...written.keys()]).toEqual(HF_FOLDER_FILES);
    for (const path of written.keys()) expect(existsSync(join(HF_OUT_DIR, name, path)), path).toBe(true);
    for (const path of ["config.json", "tokenizer.json", "tokenizer_config.json", "model.safetensors"])
      expect(Buffer.from(file(path)).equals(Buffer.from(written.get(path)!)), path).toBe(true);
  });

  it("reads back into the HEXS model it came from: shape, vocabulary, rewrites and every weight", () => {
    const { tokenizer, config, params, file } = load(name);
    const files = new Map(
      ["config.json", "tokenizer.json", "model.safetensors"].map((path) => [path, file(path)] as const),
    );
    const back = readHexsCharModel(files, name);
    expect(back.config).toEqual(config);
    expect(back.tokenizerJson.vocab).toEqual(tokenizer.description.vocab);
    expect(back.tokenizerJson.normalization).toEqual(tokenizer.description.normalization);
    expect([...back.params.keys()]).toEqual([...params.keys()]);
    for (const [key, t] of params) expect(back.params.get(key)!.data, key).toEqual(t.data);

    const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
    const hfConfig = JSON.parse(new TextDecoder().decode(file("config.json"))) as Record<string, unknown>;
    const refused = (changes: Record<string, Uint8Array>) => () =>
      readHexsCharModel(new Map([...files, ...Object.entries(changes)]), name);
    expect(refused({ "config.json": json({ ...hfConfig, model_type: "llama" }) })).toThrow("its model_type is llama");
    expect(refused({ "config.json": json({ ...hfConfig, tie_word_embeddings: true }) })).toThrow(
      NotAHexsCharModelError,
    );
    const withMerges = JSON.parse(new TextDecoder().decode(file("tokenizer.json"))) as { model: { merges: string[] } };
    withMerges.model.merges = ["a b"];
    expect(refused({ "tokenizer.json": json(withMerges) })).toThrow("not a character vocabulary");
    expect(() => readHexsCharModel(new Map([...files].filter(([path]) => path !== "model.safetensors")), name)).toThrow(
      "the folder has no model.safetensors",
    );
  });

  it("holds GPT2LMHeadModel's state dict: its names and shapes, the output projection transposed", () => {
    const { config, params, file } = load(name);
    const { dModel: d, dFf: f, vocabSize: v, contextLength: t } = config;
    const tensors = decodeFloat32Safetensors(file("model.safetensors"));
    const expected: [string, number[]][] = [
      ["transformer.wte.weight", [v, d]],
      ["transformer.wpe.weight", [t, d]],
      ["transformer.ln_f.weight", [d]],
      ["transformer.ln_f.bias", [d]],
      ["lm_head.weight", [v, d]],
    ];
    for (let l = 0; l < config.nLayers; l++)
      expected.push(
        [`transformer.h.${l}.ln_1.weight`, [d]],
        [`transformer.h.${l}.ln_1.bias`, [d]],
        [`transformer.h.${l}.attn.c_attn.weight`, [d, 3 * d]],
        [`transformer.h.${l}.attn.c_attn.bias`, [3 * d]],
        [`transformer.h.${l}.attn.c_proj.weight`, [d, d]],
        [`transformer.h.${l}.attn.c_proj.bias`, [d]],
        [`transformer.h.${l}.ln_2.weight`, [d]],
        [`transformer.h.${l}.ln_2.bias`, [d]],
        [`transformer.h.${l}.mlp.c_fc.weight`, [d, f]],
        [`transformer.h.${l}.mlp.c_fc.bias`, [f]],
        [`transformer.h.${l}.mlp.c_proj.weight`, [f, d]],
        [`transformer.h.${l}.mlp.c_proj.bias`, [d]],
      );
    expect(new Map([...tensors].map(([key, { shape }]) => [key, shape]))).toEqual(new Map(expected));
    const head = tensors.get("lm_head.weight")!.data;
    const ours = params.get("lm_head.weight")!.data; // [d, v]
    for (const [i, j] of [
      [0, 0],
      [3, 17],
      [d - 1, v - 1],
    ] as const)
      expect(head[j * d + i]).toBe(ours[i * v + j]);
    expect(tensors.get("transformer.h.0.attn.c_attn.weight")!.data).toEqual(
      params.get("blocks.0.attn.qkv.weight")!.data,
    );
  });

  it("runs with a KV cache: the same logits as the HEXS model, step by step and left-padded", async () => {
    const { base, tokenizer, config, file } = load(name);
    const plain = await ort.InferenceSession.create(base.onnx);
    const cached = await ort.InferenceSession.create(file("onnx/model.onnx"));
    const heads = config.nHeads;
    const headDim = config.dModel / heads;
    const emptyPast = (batch: number) =>
      Object.fromEntries(
        Array.from({ length: config.nLayers }, (_, l) => [
          [`past_key_values.${l}.key`, new ort.Tensor("float32", new Float32Array(0), [batch, heads, 0, headDim])],
          [`past_key_values.${l}.value`, new ort.Tensor("float32", new Float32Array(0), [batch, heads, 0, headDim])],
        ]).flat(),
      );
    const presentsAsPast = (out: ort.InferenceSession.OnnxValueMapType) =>
      Object.fromEntries(
        Array.from({ length: config.nLayers }, (_, l) => [
          [`past_key_values.${l}.key`, out[`present.${l}.key`]!],
          [`past_key_values.${l}.value`, out[`present.${l}.value`]!],
        ]).flat(),
      );
    const ids = tokenizer.encode('Once upon a time, "Look!" said Mia.');
    const n = ids.length;
    const reference = (await plain.run({ input_ids: int64([ids]) })).logits!.data as Float32Array;
    const v = config.vocabSize;
    const maxDiff = (a: Float32Array, aRow: number, b: Float32Array, bRow: number) => {
      let worst = 0;
      for (let j = 0; j < v; j++) worst = Math.max(worst, Math.abs(a[aRow * v + j]! - b[bRow * v + j]!));
      return worst;
    };

    // The whole prompt at once, from an empty past.
    const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
    const full = await cached.run({
      input_ids: int64([ids]),
      attention_mask: int64([ids.map(() => 1)]),
      position_ids: int64([range(0, n)]),
      ...emptyPast(1),
    });
    expect(full.logits!.dims).toEqual([1, n, v]);
    expect(full[`present.${config.nLayers - 1}.value`]!.dims).toEqual([1, heads, n, headDim]);
    for (const row of [0, n - 1])
      expect(maxDiff(full.logits!.data as Float32Array, row, reference, row)).toBeLessThan(1e-4);

    // Ten tokens, then one at a time on the cache.
    let step = await cached.run({
      input_ids: int64([ids.slice(0, 10)]),
      attention_mask: int64([range(0, 10).map(() => 1)]),
      position_ids: int64([range(0, 10)]),
      ...emptyPast(1),
    });
    for (let i = 10; i < n; i++) {
      step = await cached.run({
        input_ids: int64([[ids[i]!]]),
        attention_mask: int64([range(0, i + 1).map(() => 1)]),
        position_ids: int64([[i]]),
        ...presentsAsPast(step),
      });
      expect(maxDiff(step.logits!.data as Float32Array, 0, reference, i)).toBeLessThan(1e-4);
    }

    // A batch of two, the shorter prompt padded on the left as transformers.js pads.
    const short = ids.slice(0, n - 3);
    const batch = await cached.run({
      input_ids: int64([ids, [0, 0, 0, ...short]]),
      attention_mask: int64([ids.map(() => 1), [0, 0, 0, ...short.map(() => 1)]]),
      position_ids: int64([range(0, n), [1, 1, 1, ...range(0, n - 3)]]),
      ...emptyPast(2),
    });
    const logits = batch.logits!.data as Float32Array;
    expect(maxDiff(logits, n - 1, reference, n - 1)).toBeLessThan(1e-4);
    expect(maxDiff(logits, n + n - 1, reference, n - 4)).toBeLessThan(1e-4);
  });

  it("tokenizes in transformers.js as the HEXS tokenizer does, accents, emoji and CJK included", async () => {
    const { tokenizer } = load(name);
    const hf = await AutoTokenizer.from_pretrained(name);
    for (const text of MIXED_TEXTS) {
      const ids = hf.encode(text, { add_special_tokens: false });
      expect(ids, text).toEqual(tokenizer.encode(text));
    }
    const ascii = MIXED_TEXTS[0]!;
    expect(hf.decode(hf.encode(ascii, { add_special_tokens: false }))).toBe(ascii);
  });

  it("tokenizes as Hugging Face's Rust tokenizers library does (Python `tokenizers`, the GPU trainer's environment)", async () => {
    const { tokenizer } = load(name);
    const hf = await AutoTokenizer.from_pretrained(name);
    // The runtime's tokenizer (transformers.js) agrees with Rust everywhere, reading the literal
    // text of a special token as that token, as both libraries do.
    const texts = [...MIXED_TEXTS, "a literal <unk> in the text", ""];
    const fromRust = await rustTokenizerIds(join(HF_OUT_DIR, name, "tokenizer.json"), texts);
    expect(fromRust).toEqual(texts.map((text) => hf.encode(text, { add_special_tokens: false })));
    // HEXS's own character tokenizer (training, the first format) agrees except there: it never
    // reads text as a special token (tokenizer.test.ts).
    expect(fromRust.slice(0, MIXED_TEXTS.length)).toEqual(MIXED_TEXTS.map((text) => tokenizer.encode(text)));
    expect(fromRust[MIXED_TEXTS.length]).toContain(0);
    expect(tokenizer.encode("a literal <unk> in the text")).not.toContain(0);
  });

  it("loads in transformers.js from its folder and generates the HEXS model's greedy text", async () => {
    const { base, tokenizer, config } = load(name);
    const prompt = "Once upon a time";
    const newTokens = 40;
    const hfTokenizer = await AutoTokenizer.from_pretrained(name);
    const model = await AutoModelForCausalLM.from_pretrained(name, { dtype: "fp32" });
    const inputs = hfTokenizer(prompt);
    const output = (await model.generate({ ...inputs, max_new_tokens: newTokens, do_sample: false })) as HfTensor;
    const generated = Array.from(output.data as BigInt64Array, Number).slice(tokenizer.encode(prompt).length);
    await model.dispose();

    const plain = await ort.InferenceSession.create(base.onnx);
    const expected: number[] = [];
    const forward = async (ids: readonly number[]) =>
      (await plain.run({ input_ids: int64([[...ids]]) })).logits!.data as Float32Array;
    const options = { temperature: 0, seed: 1, maxNewTokens: newTokens };
    const next = lastRowOf(forward, config.contextLength);
    for await (const id of generate(next, tokenizer.encode(prompt), options)) expected.push(id);
    expect(generated).toEqual(expected);
    expect(hfTokenizer.decode(generated)).toBe(tokenizer.decode(expected));
  });
});
