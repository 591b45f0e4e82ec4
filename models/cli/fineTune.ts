/**
 * `node models/cli/fineTune.ts --base <model dir> --data <text file> --out <dir>
 *   [--steps 200] [--lr 1e-3] [--seed 1] [--batch 8] [--name <new name>] [--hf-out <dir>]`
 *
 * Fine-tunes an exported model on a text file and writes model.onnx, tokenizer.json and
 * metrics.json (loss on the held-out tail of the data before and after) into --out, and with
 * --hf-out the same weights in the Hugging Face layout there.
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { fineTune } from "../fineTune.ts";
import { writeHfModelFolder } from "../hf/writeFolder.ts";
import { readModelDir, writeArtifacts } from "../pipeline.ts";

const { values } = parseArgs({
  options: {
    base: { type: "string" },
    data: { type: "string" },
    out: { type: "string" },
    steps: { type: "string", default: "200" },
    lr: { type: "string", default: "1e-3" },
    seed: { type: "string", default: "1" },
    batch: { type: "string", default: "8" },
    name: { type: "string" },
    "hf-out": { type: "string" },
  },
});
if (!values.base || !values.data || !values.out) {
  console.error(
    "usage: node models/cli/fineTune.ts --base <model dir> --data <text file> --out <dir> [--steps N --lr X --seed S --batch B --name NAME]",
  );
  process.exit(1);
}
const base = readModelDir(values.base);
const result = fineTune({
  base: { onnxBytes: base.onnx, tokenizerJson: base.tokenizerJson },
  datasetText: readFileSync(values.data, "utf8"),
  datasetName: basename(values.data),
  ...(values.name ? { name: values.name } : {}),
  steps: Number(values.steps),
  learningRate: Number(values.lr),
  seed: Number(values.seed),
  batchSize: Number(values.batch),
  onProgress: (p) => {
    if (p.validationLoss !== undefined)
      console.log(`step ${p.step} train ${p.trainLoss} validation ${p.validationLoss}`);
  },
});
writeArtifacts(values.out, result.onnxBytes, result.tokenizerJson, result.metrics);
if (values["hf-out"])
  writeHfModelFolder(values["hf-out"], {
    name: result.metrics.name,
    description: `${result.metrics.baseName} fine-tuned on ${result.metrics.datasetName}.`,
    config: result.config,
    params: result.params,
    baseModel: `hexs-demo/${result.metrics.baseName}`,
  });
const { validationLossBefore, validationLossAfter, trainingSeconds } = result.metrics;
console.log(
  `${result.metrics.name}: validation loss ${validationLossBefore} -> ${validationLossAfter} in ${trainingSeconds} s`,
);
