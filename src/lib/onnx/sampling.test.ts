import { describe, expect, it } from "vitest";
import { createPrng } from "./prng.ts";
import {
  argmax,
  generate,
  lastRowOf,
  nextToken,
  sampleToken,
  samplingDistribution,
  SamplingLogitsError,
  SamplingParameterError,
  type ForwardFunction,
  type SamplingParameters,
} from "./sampling.ts";

const logits = [1, 3, 2, 0, 3 - Math.log(2)]; // softmax ∝ e, e³, e², 1, e³/2

function softmax(xs: number[]): number[] {
  const m = Math.max(...xs);
  const e = xs.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

function frequencies(params: SamplingParameters, draws: number, seed = 7): number[] {
  const rng = createPrng(seed);
  const counts = new Array<number>(logits.length).fill(0);
  for (let i = 0; i < draws; i++) counts[sampleToken(logits, params, rng)]!++;
  return counts.map((c) => c / draws);
}

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (e) {
    return e;
  }
  throw new Error("expected an error");
}

describe("samplingDistribution", () => {
  it("is the softmax of the logits at temperature 1", () => {
    const p = samplingDistribution(logits, { temperature: 1 });
    softmax(logits).forEach((q, i) => expect(p[i]).toBeCloseTo(q, 12));
  });

  it("is the softmax of logits / temperature", () => {
    const p = samplingDistribution(logits, { temperature: 0.5 });
    softmax(logits.map((x) => x / 0.5)).forEach((q, i) => expect(p[i]).toBeCloseTo(q, 12));
  });

  it("keeps only the k most likely tokens with top-k, renormalised", () => {
    const p = samplingDistribution(logits, { temperature: 1, topK: 2 });
    // The two largest logits are ids 1 (3) and 4 (3 - ln 2), so their weights are 2 : 1.
    expect([...p]).toEqual([0, 2 / 3, 0, 0, 1 / 3].map((x) => expect.closeTo(x, 12)));
  });

  it("keeps the smallest prefix reaching p with top-p", () => {
    const full = softmax(logits);
    // ids by probability: 1 (≈0.48), 4 (≈0.24), 2 (≈0.18), 0, 3.
    const p = samplingDistribution(logits, { temperature: 1, topP: full[1]! + 0.01 });
    const kept = full[1]! + full[4]!;
    expect(p[1]).toBeCloseTo(full[1]! / kept, 12);
    expect(p[4]).toBeCloseTo(full[4]! / kept, 12);
    expect([p[0], p[2], p[3]]).toEqual([0, 0, 0]);
  });

  it("keeps the most likely token when top-p is tiny", () => {
    expect([...samplingDistribution(logits, { temperature: 1, topP: 1e-9 })]).toEqual([0, 1, 0, 0, 0]);
  });

  it("applies top-k before top-p", () => {
    const p = samplingDistribution(logits, { temperature: 1, topK: 3, topP: 0.99 });
    expect([p[0], p[3]]).toEqual([0, 0]);
    expect(p[1]! + p[2]! + p[4]!).toBeCloseTo(1, 12);
  });

  it("breaks ties between equal logits towards the lower id", () => {
    expect([...samplingDistribution([5, 5, 5], { temperature: 1, topK: 1 })]).toEqual([1, 0, 0]);
  });

  it("concentrates on the maximum at a tiny temperature without overflowing", () => {
    const p = samplingDistribution([1000, 999, -1000], { temperature: 1e-6 });
    expect([...p]).toEqual([1, 0, 0]);
  });

  it("approaches uniform at a huge temperature", () => {
    const p = samplingDistribution(logits, { temperature: 1e9 });
    p.forEach((x) => expect(x).toBeCloseTo(1 / logits.length, 6));
  });

  it("gives -Infinity logits zero probability", () => {
    const p = samplingDistribution([0, -Infinity, 0], { temperature: 1 });
    expect([...p]).toEqual([0.5, 0, 0.5]);
  });
});

describe("sampleToken", () => {
  it("is greedy at temperature 0, whatever top-k and top-p say", () => {
    const rng = createPrng(1);
    expect(sampleToken(logits, { temperature: 0 }, rng)).toBe(1);
    expect(sampleToken(logits, { temperature: 0, topK: 3, topP: 0.1 }, rng)).toBe(1);
  });

  it("always picks the argmax with top-k = 1", () => {
    expect(frequencies({ temperature: 5, topK: 1 }, 200)).toEqual([0, 1, 0, 0, 0]);
  });

  it("draws tokens with the frequencies of the distribution", () => {
    const draws = 20_000;
    const expected = samplingDistribution(logits, { temperature: 1.3, topK: 4 });
    const seen = frequencies({ temperature: 1.3, topK: 4 }, draws);
    seen.forEach((f, i) => {
      const sd = Math.sqrt((expected[i]! * (1 - expected[i]!)) / draws);
      expect(Math.abs(f - expected[i]!)).toBeLessThanOrEqual(5 * sd + 1e-12);
    });
  });

  it("never draws a filtered-out token", () => {
    const seen = frequencies({ temperature: 1, topP: 0.5 }, 2000);
    expect([seen[0], seen[2], seen[3]]).toEqual([0, 0, 0]);
  });

  it("gives the same tokens for the same seed and different ones for another seed", () => {
    const run = (seed: number) => {
      const rng = createPrng(seed);
      return Array.from({ length: 50 }, () => sampleToken(logits, { temperature: 2 }, rng));
    };
    expect(run(123)).toEqual(run(123));
    expect(run(123)).not.toEqual(run(124));
  });

  it("accepts typed arrays", () => {
    expect(sampleToken(Float32Array.from(logits), { temperature: 0 }, createPrng(0))).toBe(1);
  });
});

describe("invalid input", () => {
  const cases: [SamplingParameters, string][] = [
    [{ temperature: -1 }, "temperature"],
    [{ temperature: NaN }, "temperature"],
    [{ temperature: Infinity }, "temperature"],
    [{ temperature: 1, topK: 0 }, "topK"],
    [{ temperature: 1, topK: 2.5 }, "topK"],
    [{ temperature: 1, topP: 0 }, "topP"],
    [{ temperature: 1, topP: 1.5 }, "topP"],
    [{ temperature: 1, topP: NaN }, "topP"],
  ];
  for (const [params, parameter] of cases) {
    it(`rejects ${parameter} = ${String(params[parameter as keyof SamplingParameters])} with a SamplingParameterError`, () => {
      const error = catchError(() => sampleToken(logits, params, createPrng(0)));
      expect(error).toBeInstanceOf(SamplingParameterError);
      expect(error).toMatchObject({ parameter, shortMessage: `Invalid sampling parameter ${parameter}` });
    });
  }

  it("rejects empty, NaN, +Infinity and all -Infinity logits", () => {
    for (const bad of [[], [1, NaN], [Infinity, 0], [-Infinity, -Infinity]]) {
      expect(() => sampleToken(bad, { temperature: 1 }, createPrng(0))).toThrow(SamplingLogitsError);
      expect(() => argmax(bad)).toThrow(SamplingLogitsError);
    }
  });
});

/** A fake model: the next token is (last + 1) mod vocab, with a confident margin. */
const counting =
  (vocab: number): ForwardFunction =>
  (ids) => {
    const out = new Float32Array(ids.length * vocab);
    ids.forEach((id, row) => (out[row * vocab + ((id + 1) % vocab)] = 10));
    return out;
  };

describe("generation helpers", () => {
  it("nextToken samples from the last row of the logits", async () => {
    expect(await nextToken(lastRowOf(counting(5)), [0, 1, 2], { temperature: 0 }, createPrng(0))).toBe(3);
  });

  it("feeds only the last contextLength ids to the model", async () => {
    const seen: number[][] = [];
    const forward: ForwardFunction = (ids) => {
      seen.push([...ids]);
      return counting(9)(ids);
    };
    const out: number[] = [];
    for await (const id of generate(lastRowOf(forward, 3), [1, 2, 3, 4], {
      temperature: 0,
      seed: 0,
      maxNewTokens: 2,
    }))
      out.push(id);
    expect(out).toEqual([5, 6]);
    expect(seen).toEqual([
      [2, 3, 4],
      [3, 4, 5],
    ]);
  });

  it("stops at maxNewTokens or after a stop id", async () => {
    const collect = async (params: Parameters<typeof generate>[2]) => {
      const out: number[] = [];
      for await (const id of generate(lastRowOf(counting(10)), [0], params)) out.push(id);
      return out;
    };
    expect(await collect({ temperature: 0, seed: 0, maxNewTokens: 4 })).toEqual([1, 2, 3, 4]);
    expect(await collect({ temperature: 0, seed: 0, maxNewTokens: 9, stopIds: [3] })).toEqual([1, 2, 3]);
    expect(await collect({ temperature: 0, seed: 0, maxNewTokens: 0 })).toEqual([]);
  });

  it("is reproducible for a seed with an async forward pass", async () => {
    const noisy: ForwardFunction = async (ids) => new Float32Array(ids.length * 6).fill(0);
    const run = async (seed: number) => {
      const out: number[] = [];
      for await (const id of generate(lastRowOf(noisy), [0], { temperature: 1, seed, maxNewTokens: 30 })) out.push(id);
      return out;
    };
    expect(await run(5)).toEqual(await run(5));
    expect(await run(5)).not.toEqual(await run(6));
  });

  it("stops when the signal is aborted", async () => {
    const controller = new AbortController();
    const out: number[] = [];
    const run = async () => {
      for await (const id of generate(lastRowOf(counting(10)), [0], {
        temperature: 0,
        seed: 0,
        maxNewTokens: 100,
        signal: controller.signal,
      })) {
        out.push(id);
        if (out.length === 3) controller.abort();
      }
    };
    await expect(run()).rejects.toThrow();
    expect(out).toEqual([1, 2, 3]);
  });

  it("rejects an empty prompt, bad maxNewTokens and logits of the wrong size", async () => {
    await expect(nextToken(lastRowOf(counting(4)), [], { temperature: 0 }, createPrng(0))).rejects.toBeInstanceOf(
      SamplingParameterError,
    );
    const drain = async (params: Parameters<typeof generate>[2], forward = counting(4)) => {
      for await (const _ of generate(lastRowOf(forward), [0, 1], params));
    };
    await expect(drain({ temperature: 0, seed: 0, maxNewTokens: -1 })).rejects.toMatchObject({
      parameter: "maxNewTokens",
    });
    expect(() => lastRowOf(counting(4), 0)).toThrow(expect.objectContaining({ parameter: "contextLength" }));
    await expect(drain({ temperature: 0, seed: 0, maxNewTokens: 1 }, () => new Float32Array(7))).rejects.toBeInstanceOf(
      SamplingLogitsError,
    );
  });
});
