/**
 * The leaky readout layer and the class score, forward and backward, on plain float32 arrays.
 *
 * With h2_t = S_t·W2 (computed by the caller from the sparse hidden spikes), t = 0 … T−1, F_0 = O_0 = 0:
 *
 *     F_{t+1} = α·F_t + h2_t                        readout synapse
 *     O_{t+1} = β·O_t + F_t                         readout membrane
 *     score   = max over t = 0…T of O_t             (seed; `mean` averages the same T+1 values)
 *
 * exactly as the reference, each step rounded to float32 as PyTorch computes it. These are O(T·B·K) loops
 * over a few thousand numbers per step, cheaper in JS than as tensor ops.
 *
 * Backward, from ∂L/∂O_t (non-zero only at the arg-max step for `max`), with ∂O_{T+1} = ∂F_T = 0:
 *
 *     ∂O_t = ∂L/∂O_t + β·∂O_{t+1};   ∂F_t = ∂O_{t+1} + α·∂F_{t+1};   ∂h2_t = ∂F_{t+1}
 *
 * Layout: time-major, h2 [T, B, K], out [T+1, B, K].
 */
import type { Readout } from '../../shared/config';

export interface ReadoutShape {
  steps: number;
  batch: number;
  classes: number;
}

/** O_t for t = 0…T, [T+1, B, K]. */
export function readoutForward(h2: Float32Array, s: ReadoutShape, alpha: number, beta: number): Float32Array {
  const n = s.batch * s.classes;
  const out = new Float32Array((s.steps + 1) * n);
  const flt = new Float32Array(n);
  const a = Math.fround(alpha);
  const b = Math.fround(beta);
  for (let t = 0; t < s.steps; t++) {
    const prev = t * n;
    const next = prev + n;
    for (let i = 0; i < n; i++) {
      // Both updates read the old F_t, as the reference's tuple assignment does.
      out[next + i] = Math.fround(b * out[prev + i]) + flt[i];
      flt[i] = Math.fround(a * flt[i]) + h2[prev + i];
    }
  }
  return out;
}

export interface Scores {
  /** [B, K]. */
  scores: Float32Array;
  /** For `max`: the first step t at which O_t reaches the score, [B, K]; the gradient flows only there. */
  argStep: Int32Array | null;
}

export function readoutScores(out: Float32Array, s: ReadoutShape, readout: Readout): Scores {
  const n = s.batch * s.classes;
  const scores = new Float32Array(n);
  if (readout === 'mean') {
    const sum = new Float64Array(n);
    for (let t = 0; t <= s.steps; t++) for (let i = 0; i < n; i++) sum[i] += out[t * n + i];
    for (let i = 0; i < n; i++) scores[i] = sum[i] / (s.steps + 1);
    return { scores, argStep: null };
  }
  const argStep = new Int32Array(n);
  scores.set(out.subarray(0, n));
  for (let t = 1; t <= s.steps; t++) {
    const base = t * n;
    for (let i = 0; i < n; i++) {
      // Strictly greater: ties keep the first step, as torch.max(dim) returns the first index.
      // A NaN wins, as in torch.max, so a broken network shows in the loss.
      if (out[base + i] > scores[i] || Number.isNaN(out[base + i])) {
        if (Number.isNaN(scores[i])) continue;
        scores[i] = out[base + i];
        argStep[i] = t;
      }
    }
  }
  return { scores, argStep };
}

/** ∂L/∂h2 [T, B, K] from ∂L/∂score [B, K]. */
export function readoutBackward(dScores: Float32Array, sc: Scores, s: ReadoutShape, alpha: number, beta: number): Float32Array {
  const n = s.batch * s.classes;
  const dh2 = new Float32Array(s.steps * n);
  const gOut = new Float64Array(n); // ∂O_{t+1}
  const gFlt = new Float64Array(n); // ∂F_{t+1}
  const perStep = new Float64Array(n); // ∂L/∂O_t directly from the score
  if (sc.argStep === null) for (let i = 0; i < n; i++) perStep[i] = dScores[i] / (s.steps + 1);
  for (let t = s.steps; t >= 1; t--) {
    // Here gOut holds ∂O_{t+1}; add the direct term of O_t to get ∂O_t.
    for (let i = 0; i < n; i++) {
      const direct = sc.argStep === null ? perStep[i] : sc.argStep[i] === t ? dScores[i] : 0;
      gOut[i] = direct + beta * gOut[i];
    }
    // ∂h2_{t−1} = ∂F_t, and ∂F_{t−1} = ∂O_t + α·∂F_t.
    const base = (t - 1) * n;
    for (let i = 0; i < n; i++) {
      dh2[base + i] = gFlt[i];
      gFlt[i] = gOut[i] + alpha * gFlt[i];
    }
  }
  return dh2;
}
