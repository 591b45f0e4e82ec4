// Drives the playground's generation worker (src/lib/onnx/generation.worker.ts) in a page, as
// src/lib/onnx/client.ts does: load one model, generate once, all timing taken in the page. Used
// by the dev server's test (the worker as `npm start` serves it) and the playground benchmark
// (the production build's worker).
import type { Page } from "@playwright/test";
import type { GenerationSettings, WorkerRequest, WorkerResponse } from "../src/lib/onnx/protocol.ts";

export interface GenerationWorkerRun {
  cached: boolean;
  fetchMs: number;
  firstTokenMs: number;
  tokensPerSecond: number;
  text: string;
}

export interface GenerationWorkerJob {
  /** The worker's script as the page can load it (a dev-server path or a built file). */
  workerUrl: string;
  cid: string;
  gateway: string;
  prompt: string;
  settings: GenerationSettings;
}

/** Loads the model in a fresh worker and generates once; rejects with the worker's message when it fails. */
export function runGenerationWorker(page: Page, job: GenerationWorkerJob): Promise<GenerationWorkerRun> {
  return page.evaluate(
    ({ workerUrl, cid, gateway, prompt, settings }) =>
      new Promise<GenerationWorkerRun>((resolve, reject) => {
        const worker = new Worker(workerUrl, { type: "module" });
        const start = performance.now();
        let firstTokenMs = 0;
        let text = "";
        let info: { cached: boolean; fetchMs: number } | undefined;
        const send = (message: WorkerRequest) => worker.postMessage(message);
        worker.onerror = (event) => reject(new Error(event.message));
        worker.onmessage = ({ data }: MessageEvent<WorkerResponse>) => {
          if (data.type === "loaded") {
            info = data.info;
            send({ type: "generate", requestId: 1, prompt, settings });
          } else if (data.type === "token") {
            if (data.index === 0) firstTokenMs = performance.now() - start;
            text += data.text;
          } else if (data.type === "done") {
            worker.terminate();
            resolve({
              cached: info!.cached,
              fetchMs: info!.fetchMs,
              firstTokenMs,
              tokensPerSecond: data.stats.tokensPerSecond,
              text,
            });
          } else if (data.type === "load-failed" || data.type === "failed") {
            worker.terminate();
            reject(new Error(data.error.shortMessage + (data.error.details ? `: ${data.error.details}` : "")));
          }
        };
        send({ type: "load", weightsCid: cid, gateways: [gateway] });
      }),
    job,
  );
}
