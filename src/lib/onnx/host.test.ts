// The worker protocol, run in Node against the real demo models in onnxruntime-node: the same
// host code the browser worker runs, with files read from disk instead of IPFS.
import { readFile, stat } from "node:fs/promises";
import * as ortNode from "onnxruntime-node";
import onnxProto from "onnx-proto";
import { describe, expect, it } from "vitest";
import { createGenerationHost, decodeSpeed } from "./host.ts";
import { folderReader } from "./folderReader.ts";
import { loadModel } from "./loadModel.ts";
import type { GenerationSettings, WorkerRequest, WorkerResponse } from "./protocol.ts";
import type { OrtRuntime } from "./session.ts";

const ort = ortNode as unknown as OrtRuntime;
const MODELS = new URL("../../../models/out/", import.meta.url);
const readModel = folderReader(MODELS);

/** A fake IPFS: "CIDs" are folder names under models/out, or entries of `extra`. */
function hostWith(extra: Record<string, Record<string, Uint8Array>> = {}) {
  const messages: WorkerResponse[] = [];
  const listeners: ((m: WorkerResponse) => void)[] = [];
  const handle = createGenerationHost({
    post: (message) => {
      messages.push(message);
      for (const listener of listeners) listener(message);
    },
    loadModel: (cid) =>
      loadModel(cid, {
        ort,
        useCache: false,
        runtime: "onnxruntime-node",
        read: async (folder, path) => extra[folder]?.[path] ?? readModel(folder, path),
      }),
  });
  const until = (predicate: (m: WorkerResponse) => boolean) =>
    new Promise<WorkerResponse>((resolve) => {
      const found = messages.find(predicate);
      if (found) return resolve(found);
      listeners.push((m) => predicate(m) && resolve(m));
    });
  const send = (request: WorkerRequest) => void handle(request);
  return { messages, send, until, handle };
}

const settings: GenerationSettings = { temperature: 0.8, topK: 20, topP: 0.95, maxNewTokens: 24, seed: 7 };

async function generateText(host: ReturnType<typeof hostWith>, requestId: number, seed: number): Promise<string> {
  host.send({ type: "generate", requestId, prompt: "Once upon a time", settings: { ...settings, seed } });
  await host.until((m) => m.type === "done" && m.requestId === requestId);
  return host.messages
    .filter((m) => m.type === "token" && m.requestId === requestId)
    .map((m) => (m.type === "token" ? m.text : ""))
    .join("");
}

describe("generation host", () => {
  it("loads a model and reports its size, shape and runtime", async () => {
    const host = hostWith();
    await host.handle({ type: "load", weightsCid: "tiny-stories-char", gateways: [] });
    const loaded = host.messages.find((m) => m.type === "loaded");
    expect(loaded?.type === "loaded" && loaded.info).toMatchObject({
      name: "tiny-stories-char",
      sizeBytes: (await stat(new URL("tiny-stories-char/model.onnx", MODELS))).size,
      parameterCount: 116_608,
      contextLength: 64,
      vocabSize: 97,
      cached: false,
    });
  });

  it("streams tokens, and the same seed gives the same text", async () => {
    const host = hostWith();
    await host.handle({ type: "load", weightsCid: "tiny-stories-char", gateways: [] });
    const first = await generateText(host, 1, 7);
    const again = await generateText(host, 2, 7);
    const other = await generateText(host, 3, 8);
    expect(first).toHaveLength(24);
    expect(again).toBe(first);
    expect(other).not.toBe(first);
    const done = host.messages.find((m) => m.type === "done" && m.requestId === 1);
    expect(done?.type === "done" && done.stats).toMatchObject({ tokens: 24 });
    // The speed after the first token, whose wait (prompt, warm-up) is said apart.
    const stats = done?.type === "done" ? done.stats : undefined;
    expect(stats!.tokensPerSecond).toBeCloseTo((23 * 1000) / (stats!.totalMs - stats!.firstTokenMs), 6);
  });

  it("quotes the speed after the first token", () => {
    expect(decodeSpeed(11, 100, 300)).toBe(50);
    expect(decodeSpeed(1, 100, 100)).toBe(0);
    expect(decodeSpeed(0, 0, 0)).toBe(0);
  });

  it("stops a running generation when asked", async () => {
    const host = hostWith();
    await host.handle({ type: "load", weightsCid: "tiny-verse-char", gateways: [] });
    host.send({ type: "generate", requestId: 9, prompt: "The", settings: { ...settings, maxNewTokens: 10_000 } });
    await host.until((m) => m.type === "token" && m.requestId === 9 && m.index === 3);
    host.send({ type: "stop", requestId: 9 });
    const done = await host.until((m) => m.type === "done" && m.requestId === 9);
    expect(done.type === "done" && done.stopped).toBe(true);
    expect(done.type === "done" && done.stats.tokens).toBeLessThan(10_000);
  });

  it("answers generate before load with a not-loaded error", async () => {
    const host = hostWith();
    await host.handle({ type: "generate", requestId: 1, prompt: "x", settings });
    expect(host.messages).toEqual([
      { type: "failed", requestId: 1, error: expect.objectContaining({ kind: "not-loaded" }) },
    ]);
  });

  it("reports bytes that are not ONNX as bad-onnx, and keeps working afterwards", async () => {
    const tokenizer = new Uint8Array(await readFile(new URL("tiny-stories-char/tokenizer.json", MODELS)));
    const host = hostWith({
      garbage: { "model.onnx": new TextEncoder().encode("not a model"), "tokenizer.json": tokenizer },
    });
    await host.handle({ type: "load", weightsCid: "garbage", gateways: [] });
    expect(host.messages.at(-1)).toMatchObject({ type: "load-failed", error: { kind: "bad-onnx" } });
    await host.handle({ type: "load", weightsCid: "tiny-stories-char", gateways: [] });
    expect(host.messages.at(-1)).toMatchObject({ type: "loaded" });
  });

  it("reports a model with other inputs as wrong-inputs", async () => {
    const tokenizer = new Uint8Array(await readFile(new URL("tiny-stories-char/tokenizer.json", MODELS)));
    const host = hostWith({ identity: { "model.onnx": identityModel(), "tokenizer.json": tokenizer } });
    await host.handle({ type: "load", weightsCid: "identity", gateways: [] });
    expect(host.messages.at(-1)).toMatchObject({
      type: "load-failed",
      error: { kind: "wrong-inputs", details: "inputs are [pixels], expected [input_ids]" },
    });
  });

  it("reports an invalid tokenizer as bad-tokenizer", async () => {
    const model = new Uint8Array(await readFile(new URL("tiny-stories-char/model.onnx", MODELS)));
    const host = hostWith({
      notok: { "model.onnx": model, "tokenizer.json": new TextEncoder().encode('{"format":"x"}') },
    });
    await host.handle({ type: "load", weightsCid: "notok", gateways: [] });
    expect(host.messages.at(-1)).toMatchObject({ type: "load-failed", error: { kind: "bad-tokenizer" } });
  });
});

/** A valid ONNX model that is not a language model: Identity from `pixels` to `logits`. */
function identityModel(): Uint8Array {
  const { onnx } = onnxProto;
  const info = (name: string) =>
    onnx.ValueInfoProto.create({
      name,
      type: {
        tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimValue: 1 }, { dimValue: 3 }] } },
      },
    });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: "", version: 17 }],
    graph: {
      name: "identity",
      node: [onnx.NodeProto.create({ opType: "Identity", input: ["pixels"], output: ["logits"] })],
      input: [info("pixels")],
      output: [info("logits")],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
