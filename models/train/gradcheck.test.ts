import { describe, expect, it } from "vitest";
import { createPrng, randomNormal } from "../../src/lib/onnx/prng.ts";
import { causalSelfAttention } from "./attention.ts";
import { forward, initParameters } from "./model.ts";
import { add, crossEntropy, gatherRows, gelu, layerNorm, linear } from "./ops.ts";
import { backward, createTape, tensor, type Tape, type Tensor } from "./tensor.ts";

const rng = createPrng(42);

function randomTensor(shape: number[], scale = 1): Tensor {
  const t = tensor(shape);
  for (let i = 0; i < t.data.length; i++) t.data[i] = scale * randomNormal(rng);
  return t;
}

/**
 * Compares the tape's gradients with central finite differences of a scalar loss. The loss is
 * a fixed random projection of the op's output, summed in float64 so float32 rounding of the
 * output stays far below the finite-difference step's effect.
 */
function checkGradients(inputs: Tensor[], run: (tape: Tape | undefined) => Tensor): number {
  const probe = run(undefined);
  const weights = Float64Array.from(probe.data, () => randomNormal(rng));
  const lossOf = (out: Tensor): number => out.data.reduce((s, v, i) => s + v * weights[i]!, 0);
  const tape = createTape();
  const out = run(tape);
  const projected = tensor([1], Float32Array.of(lossOf(out)));
  tape.steps.push(() => {
    out.grad = Float32Array.from(weights, (w) => w * projected.grad![0]!);
  });
  backward(tape, projected);
  let worst = 0;
  const eps = 1e-2;
  for (const input of inputs) {
    for (let i = 0; i < input.data.length; i++) {
      const saved = input.data[i]!;
      input.data[i] = saved + eps;
      const up = lossOf(run(undefined));
      input.data[i] = saved - eps;
      const down = lossOf(run(undefined));
      input.data[i] = saved;
      const numeric = (up - down) / (2 * eps);
      const analytic = input.grad?.[i] ?? 0;
      worst = Math.max(worst, Math.abs(numeric - analytic) / Math.max(1, Math.abs(numeric)));
    }
  }
  return worst;
}

describe("autodiff gradients match finite differences", () => {
  it("linear", () => {
    const [x, w, b] = [randomTensor([3, 4]), randomTensor([4, 5]), randomTensor([5])];
    expect(checkGradients([x, w, b], (t) => linear(t, x, w, b))).toBeLessThan(2e-3);
  });

  it("linear without bias (the output projection)", () => {
    const [x, w] = [randomTensor([5, 4]), randomTensor([4, 3])];
    expect(checkGradients([x, w], (t) => linear(t, x, w))).toBeLessThan(2e-3);
  });

  it("layer normalisation", () => {
    const [x, g, b] = [randomTensor([3, 6]), randomTensor([6]), randomTensor([6])];
    expect(checkGradients([x, g, b], (t) => layerNorm(t, x, g, b, 1e-5))).toBeLessThan(2e-3);
  });

  it("GELU", () => {
    const x = randomTensor([4, 5], 2);
    expect(checkGradients([x], (t) => gelu(t, x))).toBeLessThan(2e-3);
  });

  it("embedding gather and residual add", () => {
    const [table, other] = [randomTensor([5, 3]), randomTensor([4, 3])];
    const ids = Int32Array.of(1, 4, 1, 0);
    expect(checkGradients([table, other], (t) => add(t, gatherRows(t, table, ids), other))).toBeLessThan(2e-3);
  });

  it("causal self-attention", () => {
    const qkv = randomTensor([2 * 5, 3 * 8]);
    expect(checkGradients([qkv], (t) => causalSelfAttention(t, qkv, 2, 5, 2))).toBeLessThan(2e-3);
  });

  it("cross-entropy", () => {
    const logits = randomTensor([4, 6]);
    const targets = Int32Array.of(0, 5, 2, 2);
    expect(checkGradients([logits], (t) => crossEntropy(t, logits, targets))).toBeLessThan(2e-3);
  });

  it("the whole model, end to end through the loss", () => {
    const config = { vocabSize: 7, contextLength: 6, dModel: 8, nLayers: 2, nHeads: 2, dFf: 12 };
    const params = initParameters(config, 3);
    // Larger weights than the 0.02 initialisation, so every path carries a visible gradient.
    for (const p of params.values()) for (let i = 0; i < p.data.length; i++) p.data[i]! += 0.3 * randomNormal(rng);
    const ids = Int32Array.of(1, 2, 3, 4, 5, 6, 0, 1, 2, 3);
    const targets = Int32Array.of(2, 3, 4, 5, 6, 0, 1, 2, 3, 4);
    const inputs = [...params.values()];
    const worst = checkGradients(inputs, (t) => crossEntropy(t, forward(t, config, params, ids, 2), targets));
    expect(worst).toBeLessThan(5e-3);
  });
});

describe("attention is causal", () => {
  it("an output row does not change when later positions change", () => {
    const qkv = randomTensor([6, 3 * 4]);
    const before = causalSelfAttention(undefined, qkv, 1, 6, 2).data.slice(0, 3 * 4);
    for (let i = 4 * 12; i < 6 * 12; i++) qkv.data[i] = 10 * randomNormal(rng);
    const after = causalSelfAttention(undefined, qkv, 1, 6, 2).data.slice(0, 3 * 4);
    expect(after).toEqual(before);
  });
});
