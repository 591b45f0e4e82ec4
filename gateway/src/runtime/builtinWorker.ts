// The built-in runtime's worker thread: the playground's generation host (src/lib/onnx/host.ts)
// on onnxruntime-node — through transformers.js for weights in the Hugging Face layout — its
// weights read through the verified IPFS reader. Inference runs here,
// off the event loop that serves HTTP and writes the usage log.
import { parentPort, workerData } from "node:worker_threads";
import * as ort from "onnxruntime-node";
import { verifiedRead } from "../../../src/lib/ipfs/fetch.ts";
import { createGenerationHost } from "../../../src/lib/onnx/host.ts";
import { loadModel } from "../../../src/lib/onnx/loadModel.ts";
import type { WorkerRequest, WorkerResponse } from "../../../src/lib/onnx/protocol.ts";
import type { OrtRuntime } from "../../../src/lib/onnx/session.ts";

const { threads } = workerData as { threads: number };
const port = parentPort!;

const host = createGenerationHost({
  post: (message: WorkerResponse) => port.postMessage(message),
  loadModel: (weightsCid, gateways) =>
    loadModel(weightsCid, {
      ort: ort as unknown as OrtRuntime,
      runtime: `onnxruntime-node ${ort.env.versions.node ?? ""}`.trim(),
      useCache: false,
      hf: async () => ({ transformers: await import("@huggingface/transformers") }),
      sessionOptions: { intraOpNumThreads: threads, interOpNumThreads: 1 },
      read: (cid, path) =>
        verifiedRead(cid, {
          gateways,
          path,
          signal: AbortSignal.timeout(120_000),
          // The read goes on from the next gateway; the operator learns which one to drop.
          onGatewayLied: (gateway, details) =>
            process.stdout.write(
              `${JSON.stringify({ time: new Date().toISOString(), event: "ipfs-gateway-lied", cid: String(cid), path, gateway, details })}\n`,
            ),
        }),
    }),
});

port.on("message", (request: WorkerRequest) => void host(request));
