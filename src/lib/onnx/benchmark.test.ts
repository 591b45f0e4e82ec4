import { readFile } from "node:fs/promises";
import * as ortNode from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import {
  BENCHMARK_SET_FORMAT,
  compareResults,
  parseBenchmarkSet,
  scoreBenchmark,
  windowsOf,
  type BenchmarkSet,
  type TaskScore,
} from "./benchmark.ts";
import { folderReader } from "./folderReader.ts";
import { loadModel } from "./loadModel.ts";
import type { ForwardFunction } from "./sampling.ts";
import type { OrtRuntime } from "./session.ts";
import { createTokenizer, type Tokenizer } from "./tokenizer.ts";
import shipped from "./benchmarks/tiny-char-v1.json" with { type: "json" };

const MODELS = new URL("../../../models/out/", import.meta.url);
const tokenizer: Tokenizer = createTokenizer(
  JSON.parse(await readFile(new URL("tiny-stories-char/tokenizer.json", MODELS), "utf8")),
);
const V = tokenizer.vocabSize;

/** Every position gets the same logits: a uniform guess over the vocabulary. */
const uniform: ForwardFunction = (ids) => new Float32Array(ids.length * V);

/** Knows `text` by heart: after any prefix of it, puts all its weight on the next character. */
function oracle(text: string): ForwardFunction {
  const ids = tokenizer.encode(text);
  return (window) => {
    const logits = new Float32Array(window.length * V).fill(-100);
    const at = findWindow(ids, window);
    for (let i = 0; i < window.length; i++) logits[i * V + (ids[at + i + 1] ?? 0)] = 100;
    return logits;
  };
}

function findWindow(ids: number[], window: readonly number[]): number {
  for (let s = 0; s + window.length <= ids.length; s++) if (window.every((id, i) => ids[s + i] === id)) return s;
  return -1;
}

function set(tasks: BenchmarkSet["tasks"]): BenchmarkSet {
  return { format: BENCHMARK_SET_FORMAT, name: "t", description: "", tokenizer: "hexs-char-tokenizer/1", tasks };
}

const TEXT = "Once upon a time, there was a shy cat named Sam. They played together all day. The end.";

describe("windowsOf", () => {
  it("predicts every token after the first exactly once", () => {
    const ids = Array.from({ length: 150 }, (_, i) => i);
    const windows = windowsOf(ids, 64);
    expect(windows.map((w) => w.length)).toEqual([64, 64, 24]);
    const predicted = windows.flatMap((w) => w.slice(1));
    expect(predicted).toEqual(ids.slice(1));
  });
});

describe("scoreBenchmark", () => {
  it("gives a uniform guess a perplexity equal to the vocabulary size", async () => {
    const scores = await scoreBenchmark(
      uniform,
      tokenizer,
      set([{ kind: "perplexity", name: "p", texts: [TEXT], tolerance: { relative: 0 } }]),
      {
        contextLength: 16,
      },
    );
    expect(scores).toEqual([{ task: "p", metric: "perplexity", value: expect.closeTo(V, 9), count: TEXT.length - 1 }]);
  });

  it("gives a model that knows the text a perplexity of 1 and full accuracy", async () => {
    const tasks: BenchmarkSet["tasks"] = [
      { kind: "perplexity", name: "p", texts: [TEXT], tolerance: { relative: 0 } },
      {
        kind: "completion",
        name: "c",
        tolerance: { absolute: 0 },
        items: [
          { prompt: "Once upon a", expected: " time" },
          { prompt: "They played", expected: " together all day." },
        ],
      },
    ];
    const progress: number[] = [];
    const scores = await scoreBenchmark(oracle(TEXT), tokenizer, set(tasks), {
      contextLength: 16,
      onProgress: (done, total) => progress.push(done / total),
    });
    expect(scores[0]?.value).toBeCloseTo(1, 9);
    expect(scores[1]).toEqual({ task: "c", metric: "accuracy", value: 1, count: 2 });
    expect(progress.at(-1)).toBe(1);
  });

  it("counts an item wrong as soon as one greedy character differs", async () => {
    const tasks: BenchmarkSet["tasks"] = [
      {
        kind: "completion",
        name: "c",
        tolerance: { absolute: 0 },
        items: [
          { prompt: "Once upon a", expected: " time" },
          { prompt: "Once upon a", expected: " tide" },
        ],
      },
    ];
    const progress: [number, number][] = [];
    const scores = await scoreBenchmark(oracle(TEXT), tokenizer, set(tasks), {
      contextLength: 16,
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect(scores[0]?.value).toBe(0.5);
    expect(progress.at(-1)).toEqual([10, 10]);
  });

  it("stops when its signal is aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    const run = scoreBenchmark(
      uniform,
      tokenizer,
      set([{ kind: "perplexity", name: "p", texts: [TEXT], tolerance: { relative: 0 } }]),
      {
        contextLength: 16,
        signal: controller.signal,
      },
    );
    await expect(run).rejects.toThrow(/abort/i);
  });

  it("ranks each demo model best on its own corpus with the shipped set", async () => {
    const benchmark = parseBenchmarkSet(shipped);
    const scoresOf = async (name: string) => {
      const model = await loadModel(name, {
        ort: ortNode as unknown as OrtRuntime,
        useCache: false,
        runtime: "onnxruntime-node",
        read: folderReader(MODELS),
      });
      const scores = await scoreBenchmark(model.forward, model.tokenizer, benchmark, {
        contextLength: model.info.contextLength,
      });
      await model.release();
      return Object.fromEntries(scores.map((s) => [s.task, s.value]));
    };
    const stories = await scoresOf("tiny-stories-char");
    const verse = await scoresOf("tiny-verse-char");
    expect(stories["held-out stories"]).toBeLessThan(verse["held-out stories"]!);
    expect(verse["held-out verse"]).toBeLessThan(stories["held-out verse"]!);
    // Held-out perplexity stays near exp(validation loss): stories 0.44 nats → about 1.6.
    expect(stories["held-out stories"]).toBeLessThan(2.2);
    expect(stories["story completions"]).toBeGreaterThan(verse["story completions"]!);
    expect(verse["verse completions"]).toBeGreaterThan(stories["verse completions"]!);
  });
});

describe("parseBenchmarkSet", () => {
  it("accepts the shipped set", () => {
    expect(parseBenchmarkSet(shipped).tasks.map((t) => t.kind)).toEqual([
      "perplexity",
      "perplexity",
      "completion",
      "completion",
    ]);
  });

  it.each([
    [{ ...shipped, format: "other/1" }, /format/],
    [{ ...shipped, tasks: [] }, /tasks/],
    [{ ...shipped, tasks: [{ kind: "perplexity", name: "p", texts: [""], tolerance: { relative: 0 } }] }, /texts/],
    [
      { ...shipped, tasks: [{ kind: "completion", name: "c", items: [{ prompt: "a" }], tolerance: { absolute: 0 } }] },
      /items/,
    ],
    [{ ...shipped, tasks: [{ kind: "perplexity", name: "p", texts: ["ab"] }] }, /tolerance/],
    [{ ...shipped, tasks: [{ kind: "bleu", name: "b" }] }, /unknown task kind/],
  ])("rejects a malformed set (%#)", (value, message) => {
    expect(() => parseBenchmarkSet(value)).toThrow(message);
  });
});

describe("compareResults", () => {
  const benchmark = set([
    { kind: "perplexity", name: "p", texts: ["ab"], tolerance: { relative: 1e-4 } },
    { kind: "completion", name: "c", items: [{ prompt: "a", expected: "b" }], tolerance: { absolute: 0 } },
  ]);
  const published: TaskScore[] = [
    { task: "p", metric: "perplexity", value: 2, count: 10 },
    { task: "c", metric: "accuracy", value: 0.5, count: 2 },
  ];

  it("reproduces within the stated tolerance", () => {
    const rerun: TaskScore[] = [
      { task: "p", metric: "perplexity", value: 2.00019, count: 10 },
      { task: "c", metric: "accuracy", value: 0.5, count: 2 },
    ];
    const report = compareResults(benchmark, published, rerun);
    expect(report.reproduces).toBe(true);
    expect(report.rows[0]).toMatchObject({ allowed: 2e-4, within: true });
  });

  it("does not reproduce beyond it, or when a task is missing", () => {
    const off: TaskScore[] = [
      { task: "p", metric: "perplexity", value: 2.00021, count: 10 },
      { task: "c", metric: "accuracy", value: 0.5, count: 2 },
    ];
    expect(compareResults(benchmark, published, off).reproduces).toBe(false);
    expect(compareResults(benchmark, published, off.slice(1)).rows[0]).toMatchObject({
      rerun: undefined,
      within: false,
    });
    expect(compareResults(benchmark, [], []).reproduces).toBe(false);
  });
});
