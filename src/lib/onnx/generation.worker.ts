/// <reference lib="webworker" />
// A playground column's worker: onnxruntime-web (WASM, files served by this site), one model,
// the protocol in protocol.ts. Weights in the Hugging Face layout run on transformers.js, on
// WebGPU where the browser has it, on WASM otherwise (its onnxruntime-web build served by this
// site either way). Everything heavy is imported on first
// use, so the worker starts at once and the page never waits on it.
import { createGenerationHost } from "./host.ts";
import { loadModel } from "./loadModel.ts";
import { ModelError } from "./modelErrors.ts";
import type { InferenceDevice, WorkerRequest, WorkerResponse } from "./protocol.ts";
import type { TransformersModule } from "./hfModel.ts";
import type { OrtRuntime } from "./session.ts";

declare const self: DedicatedWorkerGlobalScope;

let runtime: Promise<{ ort: OrtRuntime; label: string }> | undefined;
const transformers = new Map<"webgpu" | "wasm", Promise<TransformersModule>>();

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
 * Where models in the Hugging Face layout run: "auto" on WebGPU when the browser offers a GPU
 * adapter (a fallback one, software such as SwiftShader, is slower than WASM), "webgpu" on any
 * adapter at all, WASM otherwise.
 */
async function hfDevice(preference: InferenceDevice): Promise<"webgpu" | "wasm"> {
  if (preference === "wasm") return "wasm";
  const gpu = "gpu" in navigator ? navigator.gpu : undefined;
  const adapter = gpu ? await gpu.requestAdapter().catch(() => null) : null;
  if (preference === "webgpu") {
    if (!adapter)
      throw new ModelError("runtime", "This browser offers no WebGPU adapter", {
        details: gpu
          ? "WebGPU is there, but no adapter: no supported GPU, or the browser blocks it. Choose Automatic or WASM in Settings."
          : "This browser has no WebGPU. Choose Automatic or WASM in Settings.",
      });
    return "webgpu";
  }
  // GPUAdapterInfo.isFallbackAdapter (newer), GPUAdapter.isFallbackAdapter (older browsers).
  const fallback =
    (adapter?.info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter ??
    (adapter as { isFallbackAdapter?: boolean } | null)?.isFallbackAdapter;
  return adapter && !fallback ? "webgpu" : "wasm";
}

/**
 * transformers.js on `device`: the WebGPU copy (vite.config.ts) or the WASM one. transformers.js
 * points onnxruntime-web at a CDN for its WASM; cleared, onnxruntime-web loads the file Vite
 * emitted beside its bundle, from this site.
 */
function loadTransformers(device: "webgpu" | "wasm"): Promise<TransformersModule> {
  let loaded = transformers.get(device);
  if (!loaded) {
    loaded = (
      device === "webgpu" ? import("@huggingface/transformers/webgpu") : import("@huggingface/transformers")
    ).then((hf) => {
      const wasm = hf.env.backends.onnx.wasm!;
      wasm.wasmPaths = undefined;
      wasm.numThreads = threadCount();
      wasm.proxy = false;
      return hf;
    });
    transformers.set(device, loaded);
  }
  return loaded;
}

const host = createGenerationHost({
  post: (message: WorkerResponse) => self.postMessage(message),
  async loadModel(weightsCid, gateways, preference) {
    const [{ ort, label }, { verifiedRead }] = await Promise.all([loadRuntime(), import("../ipfs/fetch.ts")]);
    return loadModel(weightsCid, {
      ort,
      runtime: label,
      // Decided only for the Hugging Face layout: a first-format model never asks for an adapter.
      hf: async () => {
        const device = await hfDevice(preference);
        return { transformers: await loadTransformers(device), device };
      },
      read: (cid, path) => verifiedRead(cid, { gateways, path, signal: AbortSignal.timeout(60_000) }),
    });
  },
});

self.onmessage = (event: MessageEvent<WorkerRequest>) => void host(event.data);
