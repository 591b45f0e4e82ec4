// The demo marketplace's content, pinned on an IPFS node: model cards, weights (the repo's tiny
// models in the Hugging Face layout, models/out-hf), the training corpora and each model's metrics. Every CID
// the seed writes on chain comes from here, so the local marketplace points at real content.
import { readFile } from "node:fs/promises";
import { readHfFolder } from "../../models/hf/readFolder.ts";
import { packFiles, packJson, packFile, type PackedCar } from "../../src/lib/ipfs/car.ts";
import { kuboAdapter } from "../../src/lib/ipfs/kubo.ts";
import { uploadCar } from "../../src/lib/ipfs/upload.ts";
import { validateModelCard, type ModelCard } from "../../src/lib/schemas/modelCard.ts";
import type { SeedAgentContent, SeedContent } from "./content.ts";

const ROOT = new URL("../../", import.meta.url);

/** A model the repo ships (models/out-hf/<dir>, metrics in models/out/<dir>) and its corpus. */
interface DemoModel {
  dir: string;
  corpus: string;
  /** The Hugging Face id the local hub stand-in serves it under. */
  hubId: string;
}

const MODELS = {
  stories: { dir: "tiny-stories-char", corpus: "stories.txt", hubId: "hexs-demo/tiny-stories-char" },
  verse: { dir: "tiny-verse-char", corpus: "verse.txt", hubId: "hexs-demo/tiny-verse-char" },
  storiesToVerse: { dir: "tiny-stories-verse-ft", corpus: "verse.txt", hubId: "hexs-demo/tiny-stories-char" },
} satisfies Record<string, DemoModel>;

interface DemoAgent {
  name: string;
  model: DemoModel;
  tags: string[];
  summary: string;
}

const AGENTS: DemoAgent[] = [
  {
    name: "StoryTeller Tiny",
    model: MODELS.stories,
    tags: ["stories", "character-level", "english"],
    summary: "Writes short bedtime stories one character at a time.",
  },
  {
    name: "Verse Garden",
    model: MODELS.verse,
    tags: ["poetry", "character-level", "english"],
    summary: "Rhyming verse about meadows, rivers and the seasons.",
  },
  {
    name: "StoryTeller Verse",
    model: MODELS.storiesToVerse,
    tags: ["poetry", "fine-tuned", "character-level"],
    summary: "StoryTeller Tiny fine-tuned on the verse corpus: its stories learned to rhyme.",
  },
  {
    name: "Bedtime Stories Pro",
    model: MODELS.stories,
    tags: ["stories", "children", "english"],
    summary: "A packaged story model with a paid API, listed for sale by its owner.",
  },
  {
    name: "Meadow Verse",
    model: MODELS.verse,
    tags: ["poetry", "nature", "free"],
    summary: "A free verse model for trying HEXS without buying credits.",
  },
  {
    name: "Fable Engine",
    model: MODELS.stories,
    tags: ["stories", "fables", "api"],
    summary: "Little fables with a moral, served through an OpenAI-compatible API.",
  },
];

/** The model card of a demo agent: Hugging Face metadata plus the README, checked by the schema. */
export function demoModelCard(agent: DemoAgent, metrics: { validationLoss?: number }): ModelCard {
  const loss = metrics.validationLoss;
  return validateModelCard({
    schema: "hexs.model-card/1",
    metadata: {
      model_name: agent.name,
      license: "mit",
      language: ["en"],
      tags: agent.tags,
      base_model: agent.model.hubId,
      datasets: [`hexs-demo/${agent.model.corpus.replace(".txt", "")}`],
      metrics: ["loss"],
      pipeline_tag: "text-generation",
      library_name: "transformers.js",
    },
    readme: [
      `# ${agent.name}`,
      ``,
      agent.summary,
      ``,
      `- Architecture: a character-level GPT-2 (\`GPT2LMHeadModel\`), in the Hugging Face layout:`,
      `  \`model.safetensors\` for transformers, \`onnx/model.onnx\` with a KV cache for transformers.js.`,
      `- Weights: \`${agent.model.dir}\` from the HEXS repository (see models/README.md).`,
      `- Training data: the generated \`${agent.model.corpus}\` corpus.`,
      ...(loss === undefined ? [] : [`- Held-out loss: ${loss.toFixed(3)} nats per character.`]),
      ``,
      `This is demo content of the local HEXS marketplace.`,
    ].join("\n"),
  });
}

async function modelFiles(model: DemoModel) {
  const weights = await readHfFolder(model.dir);
  const metrics = await readFile(new URL(`models/out/${model.dir}/metrics.json`, ROOT), "utf8");
  return { weights, metrics: JSON.parse(metrics) as Record<string, unknown> };
}

/** Packs and pins everything on the Kubo RPC at `ipfsApiUrl`; returns the seed's input. */
export async function pinDemoContent(ipfsApiUrl: string): Promise<SeedContent> {
  const adapter = kuboAdapter({ url: ipfsApiUrl });
  const pin = async (car: PackedCar) => (await uploadCar(adapter, car)).cid.toString();

  const agents: SeedAgentContent[] = [];
  for (const agent of AGENTS) {
    const files = await modelFiles(agent.model);
    const corpus = await readFile(new URL(`models/corpus/${agent.model.corpus}`, ROOT));
    const validationLoss = pickNumber(files.metrics, ["validationLossAfter", "finalValidationLoss", "validationLoss"]);
    agents.push({
      name: agent.name,
      modelCardCid: await pin(await packJson(demoModelCard(agent, { validationLoss }))),
      baseModel: agent.model.hubId,
      baseModelRevision: "main",
      weightsCid: await pin(await packFiles(files.weights)),
      datasetCid: await pin(await packFile(new Uint8Array(corpus))),
      metricsCid: await pin(await packJson(files.metrics)),
    });
  }
  return { agents };
}

function pickNumber(record: Record<string, unknown>, keys: string[]): number | undefined {
  for (const key of keys) if (typeof record[key] === "number") return record[key] as number;
  return undefined;
}
