import { HexsError } from "../errors.ts";

/**
 * Character-level tokenizer of the HEXS demo models. Browser-safe: no Node imports.
 *
 * The description travels as `tokenizer.json` next to each `model.onnx`. Besides the vocabulary
 * it carries the model's shape and how it was trained, so one fetch tells the playground
 * everything it needs (context length, vocabulary size) and what it is looking at.
 */
export const TOKENIZER_FORMAT = "hexs-char-tokenizer/1";

/** Shape of the model the tokenizer belongs to. */
export interface ModelConfig {
  vocabSize: number;
  contextLength: number;
  dModel: number;
  nLayers: number;
  nHeads: number;
  dFf: number;
}

/** How the weights were produced; absent from hand-written descriptions. */
export interface TrainingRecord {
  corpus: string;
  corpusSha256: string;
  seed: number;
  steps: number;
  finalTrainLoss: number;
  finalValidationLoss: number;
  parameterCount: number;
  [key: string]: unknown;
}

export interface TokenizerDescription {
  format: typeof TOKENIZER_FORMAT;
  name: string;
  /** Token id → the text it stands for. Special tokens are listed here too. */
  vocab: string[];
  specialTokens: { unk: string };
  /** Code points rewritten before lookup, e.g. typographic quotes to ASCII ones. */
  normalization: [from: string, to: string][];
  model: ModelConfig;
  training?: TrainingRecord;
}

/** What generation and scoring need of any tokenizer. */
export interface TextTokenizer {
  readonly vocabSize: number;
  readonly unkId: number;
  /** Text → token ids; characters outside the vocabulary become `unkId`. */
  encode(text: string): number[];
  /** Token ids → text; the unknown token decodes to U+FFFD. */
  decode(ids: ArrayLike<number>): string;
}

/** The character tokenizer of a `hexs-char-tokenizer/1` description. */
export interface Tokenizer extends TextTokenizer {
  readonly description: TokenizerDescription;
}

/** Thrown when a tokenizer description is malformed. */
export class TokenizerDescriptionError extends HexsError {
  override name = "TokenizerDescriptionError";
}

/** Thrown when decoding an id the vocabulary does not have. */
export class TokenizerUnknownIdError extends HexsError {
  override name = "TokenizerUnknownIdError";
  readonly id: number;
  readonly vocabSize: number;

  constructor(id: number, vocabSize: number) {
    super(`Token id ${id} is outside the vocabulary`, { details: `vocabulary size ${vocabSize}` });
    this.id = id;
    this.vocabSize = vocabSize;
  }
}

/** The text an unknown token decodes to. */
export const REPLACEMENT_CHARACTER = "\uFFFD";

/** Validates a parsed `tokenizer.json` and builds the tokenizer it describes. */
export function createTokenizer(json: unknown): Tokenizer {
  const description = parseTokenizerDescription(json);
  const { vocab, specialTokens, normalization } = description;
  const unkId = vocab.indexOf(specialTokens.unk);
  const ids = new Map<string, number>();
  vocab.forEach((token, id) => {
    if (id !== unkId) ids.set(token, id);
  });
  const rewrite = new Map(normalization);

  const encode = (text: string): number[] => {
    const out: number[] = [];
    for (const char of text) {
      const replaced = rewrite.get(char) ?? char;
      for (const piece of replaced) out.push(ids.get(piece) ?? unkId);
    }
    return out;
  };

  const decode = (tokenIds: ArrayLike<number>): string => {
    let text = "";
    for (let i = 0; i < tokenIds.length; i++) {
      const id = tokenIds[i] as number;
      const token = vocab[id];
      if (token === undefined || !Number.isInteger(id)) throw new TokenizerUnknownIdError(id, vocab.length);
      text += id === unkId ? REPLACEMENT_CHARACTER : token;
    }
    return text;
  };

  return { description, vocabSize: vocab.length, unkId, encode, decode };
}

function parseTokenizerDescription(json: unknown): TokenizerDescription {
  const fail = (details: string): never => {
    throw new TokenizerDescriptionError("Invalid tokenizer description", { details });
  };
  if (typeof json !== "object" || json === null) return fail("not a JSON object");
  const d = json as Partial<TokenizerDescription>;
  if (d.format !== TOKENIZER_FORMAT) fail(`format is ${String(d.format)}, expected ${TOKENIZER_FORMAT}`);
  if (!Array.isArray(d.vocab) || d.vocab.length === 0) return fail("vocab must be a non-empty array");
  if (!d.vocab.every((t) => typeof t === "string" && t.length > 0)) fail("every token must be a non-empty string");
  if (new Set(d.vocab).size !== d.vocab.length) fail("vocab has duplicate tokens");
  const unk = d.specialTokens?.unk;
  if (typeof unk !== "string" || !d.vocab.includes(unk)) fail("specialTokens.unk must be a vocab entry");
  const normalization = d.normalization ?? [];
  const pairsOk =
    Array.isArray(normalization) &&
    normalization.every(
      (p) =>
        Array.isArray(p) &&
        p.length === 2 &&
        typeof p[0] === "string" &&
        [...p[0]].length === 1 &&
        typeof p[1] === "string",
    );
  if (!pairsOk) fail("normalization must be [single character, replacement] pairs");
  const model = d.model;
  if (typeof model !== "object" || model === null) return fail("model config missing");
  if (model.vocabSize !== d.vocab.length)
    fail(`model.vocabSize ${model.vocabSize} differs from vocab length ${d.vocab.length}`);
  if (!Number.isInteger(model.contextLength) || model.contextLength < 1)
    fail("model.contextLength must be a positive integer");
  return { ...(d as TokenizerDescription), normalization };
}
