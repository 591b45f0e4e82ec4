// README.md model cards for the models the hub stand-in serves, written from each model's own
// training record (tokenizer.json) and loss curve summary (metrics.json): YAML front matter in
// the Hub's model card format (https://huggingface.co/docs/hub/model-cards), then Markdown.

/** The card metadata the Hub returns as `cardData`. */
export interface CardData {
  license: string;
  language: string[];
  library_name: string;
  pipeline_tag: string;
  tags: string[];
  datasets: string[];
  "model-index": {
    name: string;
    results: {
      task: { type: string };
      dataset: { type: string; name: string; split: string };
      metrics: { type: string; value: number; name: string }[];
    }[];
  }[];
}

interface TokenizerFile {
  name: string;
  model: { vocabSize: number; contextLength: number; dModel: number; nLayers: number; nHeads: number; dFf: number };
  training: { corpus: string; steps: number; parameterCount: number; finalValidationLoss: number };
}

interface MetricsFile {
  finalTrainLoss?: number;
  finalValidationLoss?: number;
  trainingSeconds?: number;
  onnxSha256?: string;
}

export function renderReadme(
  id: string,
  tokenizer: TokenizerFile,
  metrics: MetricsFile,
): { cardData: CardData; readme: string } {
  const corpus = tokenizer.training.corpus.replace(/^.*\//, "").replace(/\.txt$/, "");
  const dataset = `hexs-demo/${corpus}`;
  const loss = metrics.finalValidationLoss ?? tokenizer.training.finalValidationLoss;
  const cardData: CardData = {
    license: "mit",
    language: ["en"],
    library_name: "transformers.js",
    pipeline_tag: "text-generation",
    tags: ["gpt2", "onnx", "safetensors", "character-level", "tiny", "hexs-demo"],
    datasets: [dataset],
    "model-index": [
      {
        name: tokenizer.name,
        results: [
          {
            task: { type: "text-generation" },
            dataset: { type: dataset, name: `${corpus} (generated)`, split: "validation" },
            metrics: [{ type: "loss", value: loss, name: "Validation loss (nats per character)" }],
          },
        ],
      },
    ],
  };
  const m = tokenizer.model;
  const readme = [
    "---",
    toYaml(cardData),
    "---",
    "",
    `# ${tokenizer.name}`,
    "",
    `A character-level GPT-2 (\`GPT2LMHeadModel\`) of ${tokenizer.training.parameterCount.toLocaleString("en-US")} parameters,`,
    `trained by the HEXS repository on its generated \`${corpus}\` corpus.`,
    "",
    "| layers | d_model | heads | MLP | context | vocabulary |",
    "| -----: | ------: | ----: | --: | ------: | ---------: |",
    `| ${m.nLayers} | ${m.dModel} | ${m.nHeads} | ${m.dFf} | ${m.contextLength} | ${m.vocabSize} |`,
    "",
    `- Training: ${tokenizer.training.steps} steps${metrics.trainingSeconds ? ` in ${metrics.trainingSeconds} s on one CPU core` : ""}.`,
    `- Validation loss: ${loss} nats per character${metrics.finalTrainLoss === undefined ? "" : ` (train: ${metrics.finalTrainLoss})`}.`,
    "- Files: `config.json`, `tokenizer.json` (the `tokenizers` format), `model.safetensors` for transformers, `onnx/model.onnx` with a KV cache for transformers.js, `metrics.json`.",
    "",
    `Served as \`${id}\` by the local Hugging Face hub stand-in of HEXS, not by huggingface.co.`,
    "",
  ].join("\n");
  return { cardData, readme };
}

/** YAML for plain JSON data (strings, numbers, arrays, objects), in block style. */
function toYaml(value: unknown, indent = ""): string {
  if (Array.isArray(value)) {
    return value
      .map((item) => {
        const text = isScalar(item) ? scalar(item) : toYaml(item, `${indent}  `).trimStart();
        return `${indent}- ${text}`;
      })
      .join("\n");
  }
  return Object.entries(value as Record<string, unknown>)
    .map(([key, item]) =>
      isScalar(item) ? `${indent}${key}: ${scalar(item)}` : `${indent}${key}:\n${toYaml(item, `${indent}  `)}`,
    )
    .join("\n");
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value !== "object" || value === null;
}

function scalar(value: string | number | boolean): string {
  return typeof value === "string" && !/^[\w./-]+$/.test(value) ? JSON.stringify(value) : String(value);
}
