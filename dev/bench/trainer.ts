// Bench section `trainer`: the two trainers side by side on this machine's CPU, on the same base
// (tiny-stories-char in the Hugging Face layout, from the local IPFS node) and the same verse
// dataset — the tiny trainer (TypeScript, trainer/local) and the GPU trainer (Python: transformers
// + PEFT, trainer/gpu) with LoRA and with full fine-tuning. Steps/s count training steps alone
// (held-out evaluations included); the job's wall time adds start-up, reads, export and upload.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { availableParallelism, cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { startIpfsNode } from "../ipfs/node.ts";
import { readHfFolder } from "../../models/hf/readFolder.ts";
import type { ProgressEvent, ResultEvent } from "../../src/lib/akash/progress.ts";
import { packFile, packFiles } from "../../src/lib/ipfs/car.ts";
import { kuboAdapter } from "../../src/lib/ipfs/kubo.ts";
import { uploadCar } from "../../src/lib/ipfs/upload.ts";
import { runGpuTrainer } from "../../trainer/gpu/runJob.ts";
import { runTrainer } from "../../trainer/local/run.ts";
import type { BenchMetric, BenchSection } from "./report.ts";

const STEPS = 60;
const BATCH = 8;
const LEARNING_RATE = 0.003;
const MODELS = new URL("../../models/", import.meta.url);

function resultOf(events: ProgressEvent[]): ResultEvent {
  const result = events.find((event): event is ResultEvent => event.event === "result");
  if (!result) throw new Error(`the job ended without a result: ${JSON.stringify(events.at(-1))}`);
  return result;
}

function figures(label: string, result: ResultEvent, wallMs: number): BenchMetric[] {
  const { metrics } = result;
  const trainingSeconds = Number(metrics.trainingSeconds);
  return [
    { name: `${label}: training steps per second`, value: STEPS / trainingSeconds, unit: "steps/s" },
    { name: `${label}: held-out loss before`, value: metrics.validationLossBefore, unit: "nats/token" },
    { name: `${label}: held-out loss after`, value: metrics.validationLossAfter, unit: "nats/token" },
    { name: `${label}: whole job`, value: Math.round(wallMs), unit: "ms" },
  ];
}

export async function run(): Promise<BenchSection> {
  const dir = await mkdtemp(join(tmpdir(), "hexs-bench-trainer-"));
  const node = await startIpfsNode({ dataDir: dir, port: 0, host: "127.0.0.1" });
  try {
    const pin = async (car: Parameters<typeof uploadCar>[1]) =>
      (await uploadCar(kuboAdapter({ url: node.url }), car)).cid.toString();
    const weightsCid = await pin(await packFiles(await readHfFolder("tiny-stories-char")));
    // One dataset for both: JSONL lines of the verse corpus. The tiny trainer reads it as text.
    const lines = (await readFile(new URL("corpus/verse.txt", MODELS), "utf8")).split("\n").filter((l) => l.trim());
    const datasetCid = await pin(await packFile(lines.slice(0, 200).join("\n")));

    const tinyEvents: ProgressEvent[] = [];
    const tinyStarted = performance.now();
    await runTrainer(
      {
        base: { weightsCid },
        datasetCid,
        steps: STEPS,
        learningRate: LEARNING_RATE,
        seed: 1,
        batchSize: BATCH,
        kuboApiUrl: node.url,
        gatewayUrl: node.gatewayUrl,
        hfEndpoint: "http://127.0.0.1:9",
      },
      (event) => tinyEvents.push(event),
    );
    const tinyWall = performance.now() - tinyStarted;

    const metrics: BenchMetric[] = [...figures("tiny trainer (TypeScript)", resultOf(tinyEvents), tinyWall)];
    for (const method of ["lora", "full"]) {
      const job = await runGpuTrainer({
        HOME: dir,
        HEXS_BASE_WEIGHTS_CID: weightsCid,
        HEXS_DATASET_CID: datasetCid,
        HEXS_OUTPUT_KUBO_API: node.url,
        HEXS_STEPS: String(STEPS),
        HEXS_BATCH_SIZE: String(BATCH),
        HEXS_LEARNING_RATE: String(LEARNING_RATE),
        HEXS_METHOD: method,
      });
      metrics.push(...figures(`GPU trainer on CPU, ${method}`, resultOf(job.events), job.wallMs));
    }
    return {
      title: "Trainers on CPU (tiny-stories-char fine-tuned on verse)",
      method:
        `${STEPS} steps, batch ${BATCH}, learning rate ${LEARNING_RATE}, seed 1, windows of up to 64 characters; ` +
        `the base from the local IPFS node, 200 lines of the verse corpus (a tenth held out). One run each, ` +
        `in turn, on ${availableParallelism()} × ${cpus()[0]?.model ?? "CPU"}.`,
      metrics,
    };
  } finally {
    await node.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
