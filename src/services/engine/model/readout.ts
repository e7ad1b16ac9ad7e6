/**
 * The leaky readout layer, forward and backward, on plain float32 arrays. With h2_t = S_t·W_out (computed by
 * the caller from the last hidden layer's spikes), t = 0 … T−1, F_0 = O_0 = 0, per class k:
 *
 *     F_{t+1} = α_k·F_t + h2_t                      readout synapse
 *     O_{t+1} = β_k·O_t + F_t                       readout membrane
 *
 * exactly as the reference, each step rounded to float32 as PyTorch computes it. These are O(T·B·K) loops
 * over a few thousand numbers per step, cheaper in JS than as tensor ops. The class score and loss are
 * classScores.ts's; they hand back ∂L/∂O_t for every t, and the backward pass here goes on from it:
 *
 *     ∂O_t = ∂L/∂O_t + β·∂O_{t+1};   ∂F_t = ∂O_{t+1} + α·∂F_{t+1};   ∂h2_t = ∂F_{t+1}
 *     ∂β_k += Σ_{b,t} O_t·∂O_{t+1},   ∂α_k += Σ_{b,t} F_t·∂F_{t+1}
 *
 * Layout: time-major, h2 [T, B, K], out and flt [T+1, B, K].
 */

export interface ReadoutShape {
  steps: number;
  batch: number;
  classes: number;
}

export interface ReadoutForward {
  /** O_t for t = 0…T. */
  out: Float32Array;
  /** F_t for t = 0…T (kept for the decays' gradients). */
  flt: Float32Array;
}

export function readoutForward(h2: Float32Array, s: ReadoutShape, alpha: Float32Array, beta: Float32Array): ReadoutForward {
  const K = s.classes;
  const n = s.batch * K;
  const out = new Float32Array((s.steps + 1) * n);
  const flt = new Float32Array((s.steps + 1) * n);
  for (let t = 0; t < s.steps; t++) {
    const prev = t * n;
    const next = prev + n;
    for (let i = 0; i < n; i++) {
      const k = i % K;
      // Both updates read the old F_t, as the reference's tuple assignment does.
      out[next + i] = Math.fround(beta[k] * out[prev + i]) + flt[prev + i];
      flt[next + i] = Math.fround(alpha[k] * flt[prev + i]) + h2[prev + i];
    }
  }
  return { out, flt };
}

export interface ReadoutGradients {
  /** ∂L/∂h2 [T, B, K]. */
  dh2: Float32Array;
  /** ∂L/∂α_k, ∂L/∂β_k [K]. */
  dAlpha: Float32Array;
  dBeta: Float32Array;
}

/** From ∂L/∂O_t [T+1, B, K] (direct terms of the score) to ∂L/∂h2 and the decays' gradients. */
export function readoutBackward(dOut: Float32Array, fw: ReadoutForward, s: ReadoutShape, alpha: Float32Array, beta: Float32Array): ReadoutGradients {
  const K = s.classes;
  const n = s.batch * K;
  const dh2 = new Float32Array(s.steps * n);
  const gOut = new Float64Array(n); // ∂O_{t+1}
  const gFlt = new Float64Array(n); // ∂F_{t+1}
  const dA = new Float64Array(K);
  const dB = new Float64Array(K);
  for (let t = s.steps; t >= 1; t--) {
    const base = t * n;
    const prev = (t - 1) * n;
    for (let i = 0; i < n; i++) {
      const k = i % K;
      // gOut becomes ∂O_t; O_t = β·O_{t−1} + F_{t−1} and F_t = α·F_{t−1} + h2_{t−1}.
      gOut[i] = dOut[base + i] + beta[k] * gOut[i];
      dB[k] += fw.out[prev + i] * gOut[i];
      dA[k] += fw.flt[prev + i] * gFlt[i];
      dh2[prev + i] = gFlt[i];
      gFlt[i] = gOut[i] + alpha[k] * gFlt[i];
    }
  }
  return { dh2, dAlpha: Float32Array.from(dA), dBeta: Float32Array.from(dB) };
}
