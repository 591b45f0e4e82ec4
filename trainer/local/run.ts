// The local trainer: implements the HEXS trainer contract (trainer/README.md) for the repo's
// tiny character models with models/fineTune.ts. Inputs come from the environment; the
// result (ONNX weights + tokenizer + metrics) is packed as a CAR and uploaded to IPFS.
import { packFiles, packJson } from "../../src/lib/ipfs/car.ts";
import { kuboAdapter } from "../../src/lib/ipfs/kubo.ts";
import { uploadCar } from "../../src/lib/ipfs/upload.ts";
import { JOB_ENV } from "../../src/lib/akash/job.ts";
import type { ProgressEvent } from "../../src/lib/akash/progress.ts";
import { fineTune } from "../../models/fineTune.ts";
import { readUnixfs } from "./ipfs.ts";

export interface TrainerInputs {
  base: { hfId: string; revision: string } | { weightsCid: string };
  datasetCid: string;
  steps: number;
  learningRate: number;
  seed: number;
  batchSize: number;
  kuboApiUrl: string;
  gatewayUrl: string;
  hfEndpoint: string;
}

export function inputsFromEnv(env: NodeJS.ProcessEnv): TrainerInputs {
  const need = (name: string) => {
    const value = env[name];
    if (!value) throw new Error(`missing environment variable ${name} (see trainer/README.md)`);
    return value;
  };
  const number = (name: string, fallback: number) => {
    const value = Number(env[name] ?? fallback);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${name}=${env[name]} is not a positive number`);
    return value;
  };
  const weightsCid = env[JOB_ENV.baseWeightsCid];
  return {
    base: weightsCid
      ? { weightsCid }
      : { hfId: need(JOB_ENV.baseHfId), revision: env[JOB_ENV.baseHfRevision] || "main" },
    datasetCid: need(JOB_ENV.datasetCid),
    steps: number(JOB_ENV.steps, 40),
    learningRate: number(JOB_ENV.learningRate, 0.002),
    seed: number(JOB_ENV.seed, 1),
    batchSize: number(JOB_ENV.batchSize, 8),
    kuboApiUrl: need(JOB_ENV.outputKuboApi),
    gatewayUrl: env[JOB_ENV.ipfsGateway] || need(JOB_ENV.outputKuboApi),
    hfEndpoint: env.HEXS_HF_ENDPOINT || "https://huggingface.co",
  };
}

async function loadBase(
  inputs: TrainerInputs,
): Promise<{ onnxBytes: Uint8Array; tokenizerJson: unknown; label: string }> {
  if ("weightsCid" in inputs.base) {
    const files = await readUnixfs(inputs.gatewayUrl, inputs.base.weightsCid);
    const onnx = files.get("model.onnx");
    const tokenizer = files.get("tokenizer.json");
    if (!onnx || !tokenizer) throw new Error(`weights ${inputs.base.weightsCid} hold no model.onnx + tokenizer.json`);
    return {
      onnxBytes: onnx,
      tokenizerJson: JSON.parse(new TextDecoder().decode(tokenizer)),
      label: `ipfs:${inputs.base.weightsCid}`,
    };
  }
  const { hfId, revision } = inputs.base;
  const file = async (name: string) => {
    const url = `${inputs.hfEndpoint.replace(/\/+$/, "")}/${hfId}/resolve/${encodeURIComponent(revision)}/${name}`;
    const response = await fetch(url, { signal: AbortSignal.timeout(60_000) });
    if (!response.ok) throw new Error(`Hugging Face hub answered HTTP ${response.status} for ${url}`);
    return new Uint8Array(await response.arrayBuffer());
  };
  const [onnxBytes, tokenizer] = await Promise.all([file("model.onnx"), file("tokenizer.json")]);
  return { onnxBytes, tokenizerJson: JSON.parse(new TextDecoder().decode(tokenizer)), label: `hf:${hfId}@${revision}` };
}

/** Runs the job; every progress event is passed to `emit` (the CLI prints them). */
export async function runTrainer(inputs: TrainerInputs, emit: (event: ProgressEvent) => void): Promise<void> {
  const base = await loadBase(inputs);
  const dataset = await readUnixfs(inputs.gatewayUrl, inputs.datasetCid);
  const datasetBytes = dataset.get("") ?? [...dataset.values()][0];
  if (!datasetBytes) throw new Error(`dataset ${inputs.datasetCid} is empty`);
  emit({ event: "started", base: base.label, datasetCid: inputs.datasetCid, steps: inputs.steps });
  const result = fineTune({
    base: { onnxBytes: base.onnxBytes, tokenizerJson: base.tokenizerJson },
    datasetText: new TextDecoder().decode(datasetBytes),
    datasetName: inputs.datasetCid,
    steps: inputs.steps,
    learningRate: inputs.learningRate,
    seed: inputs.seed,
    batchSize: inputs.batchSize,
    onProgress: (point) =>
      emit({
        event: "step",
        step: point.step,
        steps: inputs.steps,
        trainLoss: point.trainLoss,
        ...(point.validationLoss !== undefined ? { validationLoss: point.validationLoss } : {}),
      }),
  });
  const metrics = { ...result.metrics, base: base.label };
  const adapter = kuboAdapter({ url: inputs.kuboApiUrl });
  const weights = await packFiles([
    { path: "model.onnx", content: result.onnxBytes },
    { path: "tokenizer.json", content: JSON.stringify(result.tokenizerJson) },
    { path: "metrics.json", content: JSON.stringify(metrics) },
  ]);
  emit({ event: "uploading", bytes: weights.size });
  const weightsCid = (await uploadCar(adapter, weights)).cid.toString();
  const metricsCid = (await uploadCar(adapter, await packJson(metrics))).cid.toString();
  const { curve: _curve, ...summary } = metrics;
  emit({ event: "result", weightsCid, metricsCid, metrics: summary });
}
