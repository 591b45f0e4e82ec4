import { gradOf, record, tensor, type Tape, type Tensor } from "./tensor.ts";

/**
 * Causal multi-head self-attention on packed projections.
 *
 * `qkv` is `[batch·seq, 3·d]`; each row holds q, then k, then v, and inside each the heads are
 * consecutive blocks of `d / heads` columns — the layout the ONNX graph reshapes to
 * `[batch, seq, 3, heads, headDim]`. Returns `[batch·seq, d]` with the heads concatenated.
 * Position i attends to positions 0..i only.
 */
export function causalSelfAttention(
  tape: Tape | undefined,
  qkv: Tensor,
  batch: number,
  seq: number,
  heads: number,
): Tensor {
  const d = (qkv.shape[1] as number) / 3;
  const hd = d / heads;
  const scale = 1 / Math.sqrt(hd);
  const stride = 3 * d;
  const out = tensor([batch * seq, d]);
  // probs[b][h][i][j] for j <= i, kept for the backward pass.
  const probs = new Float64Array(batch * heads * seq * seq);
  const scores = new Float64Array(seq);
  const q = qkv.data;

  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < heads; h++) {
      const pBase = (b * heads + h) * seq * seq;
      for (let i = 0; i < seq; i++) {
        const qRow = (b * seq + i) * stride + h * hd;
        let max = -Infinity;
        for (let j = 0; j <= i; j++) {
          const kRow = (b * seq + j) * stride + d + h * hd;
          let s = 0;
          for (let c = 0; c < hd; c++) s += q[qRow + c]! * q[kRow + c]!;
          scores[j] = s * scale;
          if (scores[j]! > max) max = scores[j]!;
        }
        let sum = 0;
        for (let j = 0; j <= i; j++) sum += scores[j] = Math.exp(scores[j]! - max);
        const oRow = (b * seq + i) * d + h * hd;
        const acc = new Float64Array(hd);
        for (let j = 0; j <= i; j++) {
          const p = scores[j]! / sum;
          probs[pBase + i * seq + j] = p;
          const vRow = (b * seq + j) * stride + 2 * d + h * hd;
          for (let c = 0; c < hd; c++) acc[c]! += p * q[vRow + c]!;
        }
        for (let c = 0; c < hd; c++) out.data[oRow + c] = acc[c]!;
      }
    }
  }

  record(tape, () => {
    if (!out.grad) return;
    const gOut = out.grad;
    const g = gradOf(qkv);
    const dp = new Float64Array(seq);
    for (let b = 0; b < batch; b++) {
      for (let h = 0; h < heads; h++) {
        const pBase = (b * heads + h) * seq * seq;
        for (let i = 0; i < seq; i++) {
          const oRow = (b * seq + i) * d + h * hd;
          const qRow = (b * seq + i) * stride + h * hd;
          // dP[i,j] = dO[i]·v[j];  dV[j] += P[i,j]·dO[i]
          let dot = 0;
          for (let j = 0; j <= i; j++) {
            const vRow = (b * seq + j) * stride + 2 * d + h * hd;
            const p = probs[pBase + i * seq + j]!;
            let s = 0;
            for (let c = 0; c < hd; c++) {
              s += gOut[oRow + c]! * q[vRow + c]!;
              g[vRow + c]! += p * gOut[oRow + c]!;
            }
            dp[j] = s;
            dot += p * s;
          }
          // Softmax backward, then dQ[i] += dS·k[j]·scale and dK[j] += dS·q[i]·scale
          for (let j = 0; j <= i; j++) {
            const dScore = probs[pBase + i * seq + j]! * (dp[j]! - dot) * scale;
            if (dScore === 0) continue;
            const kRow = (b * seq + j) * stride + d + h * hd;
            for (let c = 0; c < hd; c++) {
              g[qRow + c]! += dScore * q[kRow + c]!;
              g[kRow + c]! += dScore * q[qRow + c]!;
            }
          }
        }
      }
    }
  });
  return out;
}
