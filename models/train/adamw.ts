import type { Parameters } from "./model.ts";

/**
 * AdamW (decoupled weight decay) with global-norm gradient clipping. Biases and norm gains are
 * not decayed, as usual for transformers.
 */
export interface AdamW {
  /** Applies one update with learning rate `lr` and clears the gradients. Returns the gradient norm before clipping. */
  step(lr: number): number;
}

export interface AdamWOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  weightDecay?: number;
  clipNorm?: number;
}

export function createAdamW(params: Parameters, options: AdamWOptions = {}): AdamW {
  const { beta1 = 0.9, beta2 = 0.99, epsilon = 1e-8, weightDecay = 0.01, clipNorm = 1 } = options;
  const entries = [...params.entries()].map(([name, t]) => ({
    t,
    decay: name.endsWith(".weight") && !/ln/.test(name) ? weightDecay : 0,
    m: new Float32Array(t.data.length),
    v: new Float32Array(t.data.length),
  }));
  let count = 0;

  const step = (lr: number): number => {
    count++;
    let sq = 0;
    for (const { t } of entries) if (t.grad) for (const g of t.grad) sq += g * g;
    const norm = Math.sqrt(sq);
    const clip = norm > clipNorm ? clipNorm / norm : 1;
    const c1 = 1 - beta1 ** count;
    const c2 = 1 - beta2 ** count;
    for (const { t, decay, m, v } of entries) {
      const grad = t.grad;
      if (!grad) continue;
      for (let i = 0; i < t.data.length; i++) {
        const g = grad[i]! * clip;
        m[i] = beta1 * m[i]! + (1 - beta1) * g;
        v[i] = beta2 * v[i]! + (1 - beta2) * g * g;
        const update = m[i]! / c1 / (Math.sqrt(v[i]! / c2) + epsilon);
        t.data[i] = t.data[i]! - lr * (update + decay * t.data[i]!);
      }
      t.grad = undefined;
    }
    return norm;
  };
  return { step };
}
