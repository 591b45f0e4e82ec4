import {
  TOKENIZER_FORMAT,
  type ModelConfig,
  type TokenizerDescription,
  type TrainingRecord,
} from "../src/lib/onnx/tokenizer.ts";

/**
 * The vocabulary every demo model shares: `<unk>`, newline and the 95 printable ASCII
 * characters. Sharing it lets any model be fine-tuned on any other model's text.
 */
export const UNK = "<unk>";

export const VOCAB: readonly string[] = [
  UNK,
  "\n",
  ...Array.from({ length: 0x7e - 0x20 + 1 }, (_, i) => String.fromCharCode(0x20 + i)),
];

/** Typographic characters common in English text, rewritten to the ASCII the models know. */
export const NORMALIZATION: [string, string][] = [
  ["\r", ""],
  ["\t", " "],
  ["\u00a0", " "],
  ["\u2018", "'"],
  ["\u2019", "'"],
  ["\u201c", '"'],
  ["\u201d", '"'],
  ["\u2013", "-"],
  ["\u2014", "--"],
  ["\u2026", "..."],
];

export function tokenizerDescription(
  name: string,
  model: ModelConfig,
  training: TrainingRecord | undefined,
): TokenizerDescription {
  return {
    format: TOKENIZER_FORMAT,
    name,
    vocab: [...VOCAB],
    specialTokens: { unk: UNK },
    normalization: NORMALIZATION,
    model,
    ...(training ? { training } : {}),
  };
}
