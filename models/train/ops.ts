import { gradOf, record, tensor, type Tape, type Tensor } from "./tensor.ts";

/**
 * Differentiable operations on row-major 2-D tensors `[rows, cols]`. Each forward pass is the
 * exact arithmetic the ONNX export performs, so exported logits match to float32 rounding.
 * Sums run in float64 and are rounded to float32 once, as a fused kernel would.
 */

/** Rows of `table` picked by `ids`: `[ids.length, cols]`. */
export function gatherRows(tape: Tape | undefined, table: Tensor, ids: Int32Array): Tensor {
  const cols = table.shape[1] as number;
  const out = tensor([ids.length, cols]);
  for (let r = 0; r < ids.length; r++)
    out.data.set(table.data.subarray(ids[r]! * cols, (ids[r]! + 1) * cols), r * cols);
  record(tape, () => {
    if (!out.grad) return;
    const g = gradOf(table);
    for (let r = 0; r < ids.length; r++) {
      const base = ids[r]! * cols;
      for (let c = 0; c < cols; c++) g[base + c]! += out.grad[r * cols + c]!;
    }
  });
  return out;
}

/** Element-wise `a + b` of equal shapes (residual connections). */
export function add(tape: Tape | undefined, a: Tensor, b: Tensor): Tensor {
  const out = tensor(a.shape);
  for (let i = 0; i < out.data.length; i++) out.data[i] = a.data[i]! + b.data[i]!;
  record(tape, () => {
    if (!out.grad) return;
    const ga = gradOf(a);
    const gb = gradOf(b);
    for (let i = 0; i < out.data.length; i++) {
      ga[i]! += out.grad[i]!;
      gb[i]! += out.grad[i]!;
    }
  });
  return out;
}

/**
 * `x @ w + b` with `x: [m, k]`, `w: [k, n]`, `b: [n]`.
 *
 * The loops walk four rows of `x` at once so each row of `w` is read once per four rows;
 * that halves the time of the plain loop, and linear layers are most of the training time.
 */
export function linear(tape: Tape | undefined, x: Tensor, w: Tensor, b?: Tensor): Tensor {
  const [m, k] = x.shape as [number, number];
  const n = w.shape[1] as number;
  const out = tensor([m, n]);
  const X = x.data;
  const W = w.data;
  const acc = new Float64Array(4 * n);
  for (let i0 = 0; i0 < m; i0 += 4) {
    const rows = Math.min(4, m - i0);
    for (let r = 0; r < 4; r++) for (let j = 0; j < n; j++) acc[r * n + j] = b ? b.data[j]! : 0;
    for (let p = 0; p < k; p++) {
      // Rows past the end read as 0 and are never copied out.
      const a0 = X[i0 * k + p]!;
      const a1 = rows > 1 ? X[(i0 + 1) * k + p]! : 0;
      const a2 = rows > 2 ? X[(i0 + 2) * k + p]! : 0;
      const a3 = rows > 3 ? X[(i0 + 3) * k + p]! : 0;
      const wo = p * n;
      for (let j = 0; j < n; j++) {
        const wv = W[wo + j]!;
        acc[j]! += a0 * wv;
        acc[n + j]! += a1 * wv;
        acc[2 * n + j]! += a2 * wv;
        acc[3 * n + j]! += a3 * wv;
      }
    }
    for (let r = 0; r < rows; r++) for (let j = 0; j < n; j++) out.data[(i0 + r) * n + j] = acc[r * n + j]!;
  }
  record(tape, () => {
    if (!out.grad) return;
    const G = out.grad;
    const gx = gradOf(x);
    const gw = gradOf(w);
    if (b) {
      const gb = gradOf(b);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) gb[j]! += G[i * n + j]!;
    }
    for (let i0 = 0; i0 < m; i0 += 4) {
      const rows = Math.min(4, m - i0);
      const [g0, g1, g2, g3] = [0, 1, 2, 3].map((r) => (r < rows ? (i0 + r) * n : i0 * n));
      for (let p = 0; p < k; p++) {
        // dX[i,p] = dOut[i,:] · W[p,:]   and   dW[p,:] += Σ_i X[i,p] · dOut[i,:]
        const a0 = X[i0 * k + p]!;
        const a1 = rows > 1 ? X[(i0 + 1) * k + p]! : 0;
        const a2 = rows > 2 ? X[(i0 + 2) * k + p]! : 0;
        const a3 = rows > 3 ? X[(i0 + 3) * k + p]! : 0;
        const wo = p * n;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let j = 0; j < n; j++) {
          const wv = W[wo + j]!;
          const d0 = G[g0! + j]!;
          const d1 = G[g1! + j]!;
          const d2 = G[g2! + j]!;
          const d3 = G[g3! + j]!;
          s0 += d0 * wv;
          s1 += d1 * wv;
          s2 += d2 * wv;
          s3 += d3 * wv;
          gw[wo + j]! += a0 * d0 + a1 * d1 + a2 * d2 + a3 * d3;
        }
        gx[i0 * k + p]! += s0;
        if (rows > 1) gx[(i0 + 1) * k + p]! += s1;
        if (rows > 2) gx[(i0 + 2) * k + p]! += s2;
        if (rows > 3) gx[(i0 + 3) * k + p]! += s3;
      }
    }
  });
  return out;
}

/** Layer normalisation over the last axis, as ONNX LayerNormalization (axis -1). */
export function layerNorm(tape: Tape | undefined, x: Tensor, gamma: Tensor, beta: Tensor, epsilon: number): Tensor {
  const [m, d] = x.shape as [number, number];
  const out = tensor([m, d]);
  const normed = new Float64Array(m * d);
  const invStd = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let mean = 0;
    for (let j = 0; j < d; j++) mean += x.data[i * d + j]!;
    mean /= d;
    let variance = 0;
    for (let j = 0; j < d; j++) variance += (x.data[i * d + j]! - mean) ** 2;
    variance /= d;
    const inv = 1 / Math.sqrt(variance + epsilon);
    invStd[i] = inv;
    for (let j = 0; j < d; j++) {
      const h = (x.data[i * d + j]! - mean) * inv;
      normed[i * d + j] = h;
      out.data[i * d + j] = h * gamma.data[j]! + beta.data[j]!;
    }
  }
  record(tape, () => {
    if (!out.grad) return;
    const gx = gradOf(x);
    const gGamma = gradOf(gamma);
    const gBeta = gradOf(beta);
    for (let i = 0; i < m; i++) {
      // dx = inv/d * (d*dh - sum(dh) - h*sum(dh*h)), with dh = dOut * gamma
      let sumDh = 0;
      let sumDhH = 0;
      for (let j = 0; j < d; j++) {
        const g = out.grad[i * d + j]!;
        const h = normed[i * d + j]!;
        gGamma[j]! += g * h;
        gBeta[j]! += g;
        const dh = g * gamma.data[j]!;
        sumDh += dh;
        sumDhH += dh * h;
      }
      const inv = invStd[i]!;
      for (let j = 0; j < d; j++) {
        const dh = out.grad[i * d + j]! * gamma.data[j]!;
        gx[i * d + j]! += (inv / d) * (d * dh - sumDh - normed[i * d + j]! * sumDhH);
      }
    }
  });
  return out;
}

const GELU_C = Math.sqrt(2 / Math.PI);

/** GELU, tanh approximation: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
export function gelu(tape: Tape | undefined, x: Tensor): Tensor {
  const out = tensor(x.shape);
  const th = new Float64Array(x.data.length);
  for (let i = 0; i < x.data.length; i++) {
    const v = x.data[i]!;
    const t = Math.tanh(GELU_C * (v + 0.044715 * v * v * v));
    th[i] = t;
    out.data[i] = 0.5 * v * (1 + t);
  }
  record(tape, () => {
    if (!out.grad) return;
    const gx = gradOf(x);
    for (let i = 0; i < x.data.length; i++) {
      const v = x.data[i]!;
      const t = th[i]!;
      const dInner = GELU_C * (1 + 3 * 0.044715 * v * v);
      gx[i]! += out.grad[i]! * (0.5 * (1 + t) + 0.5 * v * (1 - t * t) * dInner);
    }
  });
  return out;
}

/** Mean cross-entropy of `logits: [m, vocab]` against `targets` (natural log): a scalar. */
export function crossEntropy(tape: Tape | undefined, logits: Tensor, targets: Int32Array): Tensor {
  const [m, v] = logits.shape as [number, number];
  const probs = new Float64Array(m * v);
  let loss = 0;
  for (let i = 0; i < m; i++) {
    let max = -Infinity;
    for (let j = 0; j < v; j++) max = Math.max(max, logits.data[i * v + j]!);
    let sum = 0;
    for (let j = 0; j < v; j++) sum += probs[i * v + j] = Math.exp(logits.data[i * v + j]! - max);
    for (let j = 0; j < v; j++) probs[i * v + j]! /= sum;
    loss -= Math.log(probs[i * v + targets[i]!]!);
  }
  const out = tensor([1], Float32Array.of(loss / m));
  record(tape, () => {
    if (!out.grad) return;
    const scale = out.grad[0]! / m;
    const g = gradOf(logits);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < v; j++) g[i * v + j]! += scale * (probs[i * v + j]! - (j === targets[i] ? 1 : 0));
    }
  });
  return out;
}
