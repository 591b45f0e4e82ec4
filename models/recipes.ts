import type { ModelConfig } from "../src/lib/onnx/tokenizer.ts";
import { generateStories } from "./corpus/stories.ts";
import { generateVerse } from "./corpus/verse.ts";
import { VOCAB } from "./vocab.ts";

/** Everything that determines one demo model: corpus, shape and training schedule. */
export interface Recipe {
  name: string;
  description: string;
  /** Corpus file under models/corpus/, regenerated from `generateCorpus`. */
  corpusFile: string;
  generateCorpus: () => string;
  config: ModelConfig;
  seed: number;
  steps: number;
  batchSize: number;
  learningRate: number;
  warmupSteps: number;
  weightDecay: number;
  evalEvery: number;
  /** Fraction of the corpus, taken from its end, held out for validation. */
  validationFraction: number;
}

const common = { weightDecay: 0.01, evalEvery: 50, validationFraction: 0.1, warmupSteps: 50 } as const;

export const RECIPES: readonly Recipe[] = [
  {
    name: "tiny-stories-char",
    description: "Character-level transformer trained on short procedurally generated children's stories.",
    corpusFile: "stories.txt",
    generateCorpus: () => generateStories(1, 200_000),
    config: { vocabSize: VOCAB.length, contextLength: 64, dModel: 64, nLayers: 2, nHeads: 4, dFf: 256 },
    seed: 1,
    steps: 1000,
    batchSize: 8,
    learningRate: 4e-3,
    ...common,
  },
  {
    name: "tiny-verse-char",
    description: "Character-level transformer trained on procedurally generated rhyming verse.",
    corpusFile: "verse.txt",
    generateCorpus: () => generateVerse(2, 120_000),
    config: { vocabSize: VOCAB.length, contextLength: 64, dModel: 48, nLayers: 3, nHeads: 4, dFf: 192 },
    seed: 2,
    steps: 1000,
    batchSize: 8,
    learningRate: 4e-3,
    ...common,
  },
];
