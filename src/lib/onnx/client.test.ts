// The page-side client against the real host, joined by an in-process "worker" that passes
// messages through structuredClone as postMessage would.
import { stat } from "node:fs/promises";
import * as ortNode from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { ModelWorker, type WorkerLike } from "./client.ts";
import { createGenerationHost } from "./host.ts";
import { folderReader } from "./folderReader.ts";
import { loadModel } from "./loadModel.ts";
import type { WorkerRequest, WorkerResponse } from "./protocol.ts";
import type { OrtRuntime } from "./session.ts";
import shipped from "./benchmarks/tiny-char-v1.json" with { type: "json" };
import { parseBenchmarkSet } from "./benchmark.ts";

const MODELS = new URL("../../../models/out/", import.meta.url);

function inProcessWorker(): WorkerLike & { crash(message: string): void } {
  const worker: WorkerLike & { crash(message: string): void } = {
    onmessage: null,
    onerror: null,
    postMessage: (request: WorkerRequest) => void host(structuredClone(request)),
    terminate: () => undefined,
    crash: (message) => worker.onerror?.({ message } as ErrorEvent),
  };
  const host = createGenerationHost({
    post: (response: WorkerResponse) =>
      setTimeout(() => worker.onmessage?.({ data: structuredClone(response) } as MessageEvent<WorkerResponse>)),
    loadModel: (cid) =>
      loadModel(cid, {
        ort: ortNode as unknown as OrtRuntime,
        useCache: false,
        runtime: "onnxruntime-node",
        read: folderReader(MODELS),
      }),
  });
  return worker;
}

describe("ModelWorker", () => {
  it("loads, streams tokens to the callback and resolves with the stats", async () => {
    const client = new ModelWorker(inProcessWorker());
    const info = await client.load("tiny-verse-char", []);
    expect(info).toMatchObject({
      name: "tiny-verse-char",
      sizeBytes: (await stat(new URL("tiny-verse-char/model.onnx", MODELS))).size,
    });
    const pieces: string[] = [];
    const run = client.generate("The", { temperature: 0, maxNewTokens: 12, seed: 1 }, (text) => pieces.push(text));
    const { stats, stopped } = await run.done;
    expect(stopped).toBe(false);
    expect(pieces).toHaveLength(12);
    expect(stats.tokens).toBe(12);
  });

  it("stops a generation and a benchmark on request", async () => {
    const client = new ModelWorker(inProcessWorker());
    await client.load("tiny-stories-char", []);
    let count = 0;
    const run = client.generate("Once", { temperature: 1, maxNewTokens: 5000, seed: 3 }, () => {
      if (++count === 5) run.stop();
    });
    expect((await run.done).stopped).toBe(true);
    expect(count).toBeLessThan(5000);

    const bench = client.benchmark(parseBenchmarkSet(shipped), (done) => done === 2 && bench.stop());
    await expect(bench.done).rejects.toMatchObject({ kind: "stopped" });
  });

  it("rejects what is pending when the worker crashes", async () => {
    const worker = inProcessWorker();
    const client = new ModelWorker(worker);
    const loading = client.load("tiny-stories-char", []);
    worker.crash("RuntimeError: unreachable");
    await expect(loading).rejects.toMatchObject({ kind: "crashed", details: "RuntimeError: unreachable" });
  });
});
