// `node dev/benchmarks/buildTinyCharSet.ts`: writes the demo benchmark set for the tiny char
// models, src/lib/onnx/benchmarks/tiny-char-v1.json. Deterministic: the held-out texts come
// from the corpus generators with seeds training never used (training used 1 and 2), and the
// completion items follow the corpora's templates, one stories half and one verse half, so
// each model is strong on its own domain and weak on the other.
import { writeFile } from "node:fs/promises";
import { generateStories } from "../../models/corpus/stories.ts";
import { generateVerse } from "../../models/corpus/verse.ts";
import { BENCHMARK_SET_FORMAT, parseBenchmarkSet, type BenchmarkSet } from "../../src/lib/onnx/benchmark.ts";

export const TINY_CHAR_SET_PATH = new URL("../../src/lib/onnx/benchmarks/tiny-char-v1.json", import.meta.url);

export function tinyCharSet(): BenchmarkSet {
  return parseBenchmarkSet({
    format: BENCHMARK_SET_FORMAT,
    name: "tiny-char-v1",
    description:
      "Held-out stories and verse from the demo corpora's generators (seeds 9001 and 9002, never trained on), " +
      "scored by perplexity per character; and 14 short completions in the corpora's style, scored by greedy exact match.",
    tokenizer: "hexs-char-tokenizer/1",
    tasks: [
      {
        kind: "perplexity",
        name: "held-out stories",
        texts: [generateStories(9001, 900)],
        tolerance: { relative: 1e-4 },
      },
      { kind: "perplexity", name: "held-out verse", texts: [generateVerse(9002, 700)], tolerance: { relative: 1e-4 } },
      {
        kind: "completion",
        name: "story completions",
        tolerance: { absolute: 0 },
        items: [
          { prompt: "Once upon a time, there", expected: " was a" },
          { prompt: "They played together all", expected: " day." },
          { prompt: "Tom learned that sharing is", expected: " fun." },
          { prompt: "In the end, Mia and Ben were best", expected: " friends." },
          { prompt: "They worked hard and got the kite", expected: " back." },
          { prompt: 'Mom said, "Be careful, Sam." Sam said, "I will, I', expected: ' promise."' },
          { prompt: "That night, Lily went to bed with a big", expected: " smile." },
          { prompt: "Jack did not know what to", expected: " do." },
        ],
      },
      {
        kind: "completion",
        name: "verse completions",
        tolerance: { absolute: 0 },
        items: [
          { prompt: "The valley turns to", expected: " gold" },
          { prompt: "The robin calls to", expected: " me" },
          { prompt: "The lantern bends and", expected: " sighs" },
          { prompt: "The willow sleeps and", expected: " dreams" },
          { prompt: "The garden waits for", expected: " spring" },
          { prompt: "The harbor glows and", expected: " fades" },
        ],
      },
    ],
  });
}

if (import.meta.main) {
  await writeFile(TINY_CHAR_SET_PATH, JSON.stringify(tinyCharSet(), null, 2) + "\n");
  console.log(`wrote ${TINY_CHAR_SET_PATH.pathname}`);
}
