import { readFile } from "node:fs/promises";
import * as ortNode from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { IpfsNotFoundError, IpfsVerificationError } from "../ipfs/errors.ts";
import type { LoadedModel } from "./host.ts";
import { folderReader } from "./folderReader.ts";
import { loadModel } from "./loadModel.ts";
import { generate } from "./sampling.ts";
import type { OrtRuntime } from "./session.ts";

/**
 * Weights in the Hugging Face layout run on transformers.js behind the same interface as HEXS's
 * first format: the committed models in both layouts hold the same weights, so with the same
 * seed they must write the same text, the KV cache (and its fallback past the context) included.
 */
const MODELS = new URL("../../../models/", import.meta.url);
const hf = async () => ({ transformers: await import("@huggingface/transformers") });
const fromDisk = folderReader(MODELS);

type Folder = Record<string, Uint8Array | Error>;

/** A fake IPFS: "CIDs" are `out-hf/<name>` or `out/<name>` under models/, or folders given whole. */
function load(cid: string, folders: Record<string, Folder> = {}): Promise<LoadedModel> {
  return loadModel(cid, {
    ort: ortNode as unknown as OrtRuntime,
    hf,
    useCache: false,
    runtime: "onnxruntime-node",
    read: async (folder, path) => {
      const given = folders[folder];
      if (!given) return fromDisk(folder, path);
      const entry = given[path];
      if (entry instanceof Error) throw entry;
      if (!entry) throw new IpfsNotFoundError(folder, `${folder} has no ${path}`);
      return entry;
    },
  });
}

async function text(model: LoadedModel, settings: { temperature: number; seed: number; maxNewTokens: number }) {
  const ids: number[] = [];
  for await (const id of generate(model.next, model.tokenizer.encode("Once upon a time"), { ...settings, topP: 0.95 }))
    ids.push(id);
  return model.tokenizer.decode(ids);
}

const file = async (path: string) => new Uint8Array(await readFile(new URL(path, MODELS)));
const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

/** The committed stories model in the Hugging Face layout, with `changes` applied. */
async function hfFolder(changes: Folder = {}, without: string[] = []): Promise<Folder> {
  const folder: Folder = {};
  for (const path of [
    "config.json",
    "tokenizer.json",
    "tokenizer_config.json",
    "generation_config.json",
    "onnx/model.onnx",
  ])
    if (!without.includes(path)) folder[path] = await file(`out-hf/tiny-stories-char/${path}`);
  return { ...folder, ...changes };
}

describe("a model in the Hugging Face layout", () => {
  it("loads on transformers.js and writes the same text as the same weights in HEXS's first format", async () => {
    const [layout, first] = await Promise.all([load("out-hf/tiny-stories-char"), load("out/tiny-stories-char")]);
    expect(layout.info).toMatchObject({ contextLength: 64, vocabSize: 97, name: "gpt2" });
    expect(layout.info.runtime).toMatch(/^transformers\.js 4\.\d+\.\d+ \(onnxruntime [\d.]+ cpu\)$/);
    expect(layout.info.sizeBytes).toBe((await file("out-hf/tiny-stories-char/onnx/model.onnx")).length);
    for (const settings of [
      { temperature: 0, seed: 1, maxNewTokens: 40 },
      { temperature: 0.8, seed: 7, maxNewTokens: 40 },
      // Past the 64-token context: the cache gives way to a sliding window, as in the first format.
      { temperature: 0, seed: 1, maxNewTokens: 70 },
    ]) {
      const [a, b] = [await text(layout, settings), await text(first, settings)];
      expect(a, JSON.stringify(settings)).toBe(b);
      expect(a).toHaveLength(settings.maxNewTokens);
    }
    // A whole-window pass (benchmarks) agrees with the cached steps.
    const ids = layout.tokenizer.encode("Once upon a time, there was");
    const [full, reference] = [await layout.forward(ids), await first.forward(ids)];
    let worst = 0;
    for (let i = 0; i < full.length; i++) worst = Math.max(worst, Math.abs(full[i]! - reference[i]!));
    expect(worst).toBeLessThan(1e-4);
    await Promise.all([layout.release(), first.release()]);
  });

  it("carries the chat template of its tokenizer_config.json, which the gateway renders chat requests with", async () => {
    const template = "{% for m in messages %}<|{{ m.role }}|>{{ m.content }}\n{% endfor %}<|assistant|>";
    const tokenizerConfig = JSON.parse(
      new TextDecoder().decode(await file("out-hf/tiny-stories-char/tokenizer_config.json")),
    ) as Record<string, unknown>;
    const withTemplate = await hfFolder({
      "tokenizer_config.json": json({ ...tokenizerConfig, chat_template: template }),
    });
    const chat = await load("chat", { chat: withTemplate });
    expect(chat.info.chatTemplate).toEqual({ template, bosToken: undefined, eosToken: undefined });
    const plain = await load("out-hf/tiny-stories-char");
    expect(plain.info.chatTemplate).toBeUndefined();
    await Promise.all([chat.release(), plain.release()]);
  });

  it.each([
    [
      "config.json that is not JSON",
      async () => hfFolder({ "config.json": new TextEncoder().encode("{model") }),
      "bad-config",
      "config.json is not JSON",
    ],
    [
      "config.json without a model_type",
      async () => hfFolder({ "config.json": json({ vocab_size: 97 }) }),
      "bad-config",
      "names no model_type",
    ],
    [
      "an unknown model_type",
      async () => hfFolder({ "config.json": json({ model_type: "nonesuch", vocab_size: 97 }) }),
      "bad-config",
      'does not run models of type "nonesuch"',
    ],
    [
      "a tokenizer.json that is not JSON",
      async () => hfFolder({ "tokenizer.json": new TextEncoder().encode("not json") }),
      "bad-tokenizer",
      "tokenizer.json is missing or invalid",
    ],
    [
      "no tokenizer.json",
      async () => hfFolder({}, ["tokenizer.json"]),
      "bad-tokenizer",
      "tokenizer.json is missing or invalid",
    ],
    [
      "an ONNX file without the KV-cache inputs",
      async () => hfFolder({ "onnx/model.onnx": await file("out/tiny-stories-char/model.onnx") }),
      "wrong-inputs",
      "no past_key_values inputs",
    ],
    [
      "weights whose bytes do not match the CID",
      async () =>
        hfFolder({
          "onnx/model.onnx": new IpfsVerificationError("hostile", { details: "block bafy… hashes to bafk…" }),
        }),
      "cid-mismatch",
      "do not match their CID",
    ],
    ["neither config.json nor model.onnx", async () => hfFolder({}, ["config.json"]), "bad-config", "no config.json"],
  ])("refuses %s with its own message", async (_what, folder, kind, message) => {
    const error = await load("hostile", { hostile: await folder() }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ kind });
    expect((error as Error).message).toContain(message);
  });
});
