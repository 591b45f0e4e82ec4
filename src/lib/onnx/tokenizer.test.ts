import { describe, expect, it } from "vitest";
import {
  createTokenizer,
  REPLACEMENT_CHARACTER,
  TOKENIZER_FORMAT,
  TokenizerDescriptionError,
  TokenizerUnknownIdError,
  type TokenizerDescription,
} from "./tokenizer.ts";

const description: TokenizerDescription = {
  format: TOKENIZER_FORMAT,
  name: "test",
  vocab: ["<unk>", "\n", " ", "a", "b", "c", "'", "-"],
  specialTokens: { unk: "<unk>" },
  normalization: [
    ["\u2019", "'"],
    ["\u2014", "--"],
    ["\r", ""],
  ],
  model: { vocabSize: 8, contextLength: 16, dModel: 8, nLayers: 1, nHeads: 2, dFf: 16 },
};

describe("tokenizer", () => {
  const tokenizer = createTokenizer(description);

  it("encodes each character to its vocabulary index", () => {
    expect(tokenizer.encode("ab c\n")).toEqual([3, 4, 2, 5, 1]);
    expect(tokenizer.vocabSize).toBe(8);
    expect(tokenizer.unkId).toBe(0);
  });

  it("round-trips text made of vocabulary characters", () => {
    const text = "abc cab\nba'-";
    expect(tokenizer.decode(tokenizer.encode(text))).toBe(text);
  });

  it("maps unknown characters, astral ones included, to a single unk each", () => {
    expect(tokenizer.encode("aZ😀b")).toEqual([3, 0, 0, 4]);
    expect(tokenizer.decode(tokenizer.encode("aZb"))).toBe(`a${REPLACEMENT_CHARACTER}b`);
  });

  it("never encodes the literal text of the unk token as unk", () => {
    // "<unk>" is not made of vocabulary characters, so it becomes five unknown characters.
    expect(tokenizer.encode("<unk>")).toEqual([0, 0, 0, 0, 0]);
  });

  it("applies the normalisation table before lookup", () => {
    expect(tokenizer.encode("a\u2019b")).toEqual([3, 6, 4]);
    expect(tokenizer.encode("a\u2014b")).toEqual([3, 7, 7, 4]);
    expect(tokenizer.encode("a\r\nb")).toEqual([3, 1, 4]);
  });

  it("encodes the empty string to no tokens and decodes no tokens to it", () => {
    expect(tokenizer.encode("")).toEqual([]);
    expect(tokenizer.decode([])).toBe("");
  });

  it("decodes typed arrays", () => {
    expect(tokenizer.decode(Int32Array.of(3, 4))).toBe("ab");
  });

  it("rejects ids outside the vocabulary with the id and the size", () => {
    for (const id of [8, -1, 1.5]) {
      const error = (() => {
        try {
          tokenizer.decode([3, id]);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(TokenizerUnknownIdError);
      expect(error).toMatchObject({ id, vocabSize: 8 });
    }
  });

  it("rejects malformed descriptions", () => {
    const bad: unknown[] = [
      null,
      { ...description, format: "other" },
      { ...description, vocab: [] },
      { ...description, vocab: ["<unk>", "a", "a"], model: { ...description.model, vocabSize: 3 } },
      { ...description, specialTokens: { unk: "?" } },
      { ...description, normalization: [["ab", "c"]] },
      { ...description, model: { ...description.model, vocabSize: 9 } },
      { ...description, model: { ...description.model, contextLength: 0 } },
    ];
    for (const json of bad) expect(() => createTokenizer(json)).toThrow(TokenizerDescriptionError);
  });

  it("keeps the model config and training record of the description", () => {
    expect(tokenizer.description.model.contextLength).toBe(16);
    expect(tokenizer.description.name).toBe("test");
  });
});
