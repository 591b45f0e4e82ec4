/// <reference lib="webworker" />
// A playground column's worker: onnxruntime-web (WASM, files served by this site), one model,
// the protocol in protocol.ts. Weights in the Hugging Face layout run on transformers.js (its own
// onnxruntime-web build, WASM also served by this site). Everything heavy is imported on first
// use, so the worker starts at once and the page never waits on it.
import { createGenerationHost } from "./host.ts";
import { loadModel } from "./loadModel.ts";
import type { WorkerRequest, WorkerResponse } from "./protocol.ts";
import type { TransformersModule } from "./hfModel.ts";
import type { OrtRuntime } from "./session.ts";

declare const self: DedicatedWorkerGlobalScope;

let runtime: Promise<{ ort: OrtRuntime; label: string }> | undefined;
let transformers: Promise<TransformersModule> | undefined;

function threadCount(): number {
  return self.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1;
}

/**
 * onnxruntime-web's WASM build. Loaded dynamically (a static import makes its pthread workers
 * re-import this chunk); Vite emits the .wasm next to it, so nothing comes from a CDN.
 * Threads need cross-origin isolation (SharedArrayBuffer); a gateway under /ipfs/<cid>/ does
 * not send COOP/COEP, and there it runs on one thread.
 */
function loadRuntime(): Promise<{ ort: OrtRuntime; label: string }> {
  runtime ??= import("onnxruntime-web/wasm").then((ort) => {
    const threads = threadCount();
    ort.env.wasm.numThreads = threads;
    ort.env.wasm.proxy = false;
    return { ort, label: `onnxruntime-web ${ort.env.versions.web} wasm, ${threads} thread${threads === 1 ? "" : "s"}` };
  });
  return runtime;
}

/**
 * transformers.js points onnxruntime-web at a CDN for its WASM; cleared, onnxruntime-web loads
 * the file Vite emitted beside its bundle, from this site.
 */
function loadTransformers(): Promise<TransformersModule> {
  transformers ??= import("@huggingface/transformers").then((hf) => {
    const wasm = hf.env.backends.onnx.wasm!;
    wasm.wasmPaths = undefined;
    wasm.numThreads = threadCount();
    wasm.proxy = false;
    return hf;
  });
  return transformers;
}

const host = createGenerationHost({
  post: (message: WorkerResponse) => self.postMessage(message),
  async loadModel(weightsCid, gateways) {
    const [{ ort, label }, { verifiedRead }] = await Promise.all([loadRuntime(), import("../ipfs/fetch.ts")]);
    return loadModel(weightsCid, {
      ort,
      runtime: label,
      hf: loadTransformers,
      hfDevice: "wasm",
      read: (cid, path) => verifiedRead(cid, { gateways, path, signal: AbortSignal.timeout(60_000) }),
    });
  },
});

self.onmessage = (event: MessageEvent<WorkerRequest>) => void host(event.data);
