// The local trainer: implements the HEXS trainer contract (trainer/README.md) for the repo's
// tiny character models with models/fineTune.ts. Inputs come from the environment; the base is
// read in the Hugging Face layout or HEXS's first format, and the result — a Hugging Face model
// folder plus metrics.json — is packed as a CAR and uploaded to IPFS.
import { packFiles, packJson } from "../../src/lib/ipfs/car.ts";
import { kuboAdapter } from "../../src/lib/ipfs/kubo.ts";
import { uploadCar } from "../../src/lib/ipfs/upload.ts";
import { JOB_ENV } from "../../src/lib/akash/job.ts";
import type { ProgressEvent } from "../../src/lib/akash/progress.ts";
import { fineTune, type FineTuneParameters } from "../../models/fineTune.ts";
import { readHexsCharModel } from "../../models/hf/importHf.ts";
import { hfModelFiles } from "../../models/hf/writeFolder.ts";
import { readUnixfs } from "./ipfs.ts";

export interface TrainerInputs {
  base: { hfId: string; revision: string } | { weightsCid: string };
  datasetCid: string;
  steps: number;
  learningRate: number;
  seed: number;
  batchSize: number;
  kuboApiUrl: string;
  /** Bearer token for a Kubo RPC guarded by API.Authorizations. */
  kuboApiToken?: string;
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
    ...(env[JOB_ENV.outputKuboToken] ? { kuboApiToken: env[JOB_ENV.outputKuboToken] } : {}),
    gatewayUrl: env[JOB_ENV.ipfsGateway] || need(JOB_ENV.outputKuboApi),
    // HF_ENDPOINT is what transformers and huggingface_hub read; HEXS_HF_ENDPOINT is its older name here.
    hfEndpoint: env.HF_ENDPOINT || env.HEXS_HF_ENDPOINT || "https://huggingface.co",
  };
}

/** The files of the base's folder on IPFS or on the hub: the Hugging Face layout or HEXS's first format. */
async function loadBaseFiles(inputs: TrainerInputs): Promise<{ files: Map<string, Uint8Array>; label: string }> {
  if ("weightsCid" in inputs.base)
    return {
      files: await readUnixfs(inputs.gatewayUrl, inputs.base.weightsCid),
      label: `ipfs:${inputs.base.weightsCid}`,
    };
  const { hfId, revision } = inputs.base;
  const file = async (name: string) => {
    const url = `${inputs.hfEndpoint.replace(/\/+$/, "")}/${hfId}/resolve/${encodeURIComponent(revision)}/${name}`;
    const response = await fetch(url, { signal: AbortSignal.timeout(60_000) });
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`Hugging Face hub answered HTTP ${response.status} for ${url}`);
    return new Uint8Array(await response.arrayBuffer());
  };
  const wanted = (await file("config.json")) ? HF_FILES : FIRST_FORMAT_FILES;
  const files = new Map<string, Uint8Array>();
  for (const name of wanted) {
    const bytes = await file(name);
    if (bytes) files.set(name, bytes);
  }
  return { files, label: `hf:${hfId}@${revision}` };
}

const HF_FILES = ["config.json", "tokenizer.json", "model.safetensors"];
const FIRST_FORMAT_FILES = ["model.onnx", "tokenizer.json"];

/** What fineTune takes, from either layout. */
function baseModel(files: Map<string, Uint8Array>, label: string): FineTuneParameters["base"] {
  if (files.has("config.json")) {
    const { tokenizerJson, params } = readHexsCharModel(files, label);
    return { tokenizerJson, params, weightsBytes: files.get("model.safetensors")! };
  }
  const onnx = files.get("model.onnx");
  const tokenizer = files.get("tokenizer.json");
  if (!onnx || !tokenizer)
    throw new Error(
      `the base ${label} holds neither config.json (Hugging Face layout) nor model.onnx + tokenizer.json`,
    );
  return { onnxBytes: onnx, tokenizerJson: JSON.parse(new TextDecoder().decode(tokenizer)) };
}

/** Runs the job; every progress event is passed to `emit` (the CLI prints them). */
export async function runTrainer(inputs: TrainerInputs, emit: (event: ProgressEvent) => void): Promise<void> {
  const base = await loadBaseFiles(inputs);
  const dataset = await readUnixfs(inputs.gatewayUrl, inputs.datasetCid);
  const datasetBytes = dataset.get("") ?? [...dataset.values()][0];
  if (!datasetBytes) throw new Error(`dataset ${inputs.datasetCid} is empty`);
  emit({ event: "started", base: base.label, datasetCid: inputs.datasetCid, steps: inputs.steps });
  const result = fineTune({
    base: baseModel(base.files, base.label),
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
  const adapter = kuboAdapter({
    url: inputs.kuboApiUrl,
    ...(inputs.kuboApiToken ? { headers: { Authorization: `Bearer ${inputs.kuboApiToken}` } } : {}),
  });
  // The result in the Hugging Face layout, whatever the base's: runnable by the playground and
  // the gateway, loadable by transformers, and the base of the next fine-tune.
  const folder = hfModelFiles({
    name: result.metrics.name,
    description: `${base.label} fine-tuned on ${inputs.datasetCid}.`,
    config: result.config,
    params: result.params,
    ...("hfId" in inputs.base ? { baseModel: inputs.base.hfId } : {}),
  });
  const weights = await packFiles([
    ...[...folder].map(([path, content]) => ({ path, content })),
    { path: "metrics.json", content: JSON.stringify(metrics) },
  ]);
  emit({ event: "uploading", bytes: weights.size });
  const weightsCid = (await uploadCar(adapter, weights)).cid.toString();
  const metricsCid = (await uploadCar(adapter, await packJson(metrics))).cid.toString();
  const { curve: _curve, ...summary } = metrics;
  emit({ event: "result", weightsCid, metricsCid, metrics: summary });
}
