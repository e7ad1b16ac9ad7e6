/**
 * The recurrent layer of leaky integrate-and-fire neurons with current-based synapses, run forward over T
 * steps and back through time (BPTT) with a fast-sigmoid surrogate gradient.
 *
 * Update order, exactly as the reference (`../shared/reference/README.md`); t = 0 … T−1, all states start
 * at 0, S₋₁ = 0:
 *
 *     S_t     = Θ(U_t − θ)                         spike (θ = threshold)
 *     I_{t+1} = α·I_t + (x_t·W1 + S_{t−1}·V1)       synaptic current (input projection given per step)
 *     U_{t+1} = (β·U_t + I_t)·(1 − S_t)             membrane with reset; S_t in the reset carries no gradient
 *
 * with α = exp(−dt/τ_syn), β = exp(−dt/τ_mem). The records are U_t and S_t for t = 0 … T−1.
 *
 * Backward, given ∂L/∂S_t from everything downstream of the spikes (readout and regulariser), call it D_t,
 * and starting from ∂L/∂U_T = ∂L/∂I_T = 0 (U_T is never used):
 *
 *     ∂S_t = D_t + ∂I_{t+2}·V1ᵀ                     S_t enters I_{t+2} through the recurrent weights
 *     ∂U_t = β·(1 − S_t)·∂U_{t+1} + σ'(U_t − θ)·∂S_t     σ'(v) = 1 / (scale·|v| + 1)²
 *     ∂I_t = α·∂I_{t+1} + (1 − S_t)·∂U_{t+1}
 *
 * The step input x_t·W1 + S_{t−1}·V1 feeds I_{t+1}, so its gradient is G_t = ∂I_{t+1}; the caller turns the
 * G_t into ∂W1 = Σ_t x_tᵀ·G_t and ∂V1 = Σ_t S_{t−1}ᵀ·G_t. Operations on a step are tfjs ops on [B, H]
 * tensors, so the same code runs on every backend; the loop keeps the op count per step small because on
 * wasm and cpu each op costs tens of microseconds regardless of size.
 */
import * as tf from '@tensorflow/tfjs';

export interface LifParams {
  alpha: number;
  beta: number;
  threshold: number;
  surrogateScale: number;
}

export interface LifForward {
  /** S_t, [B, H] each. */
  spikes: tf.Tensor2D[];
  /** 1 − S_t (kept for the backward pass). */
  resets: tf.Tensor2D[];
  /** U_t − θ (kept for the surrogate gradient). */
  distance: tf.Tensor2D[];
  /** U_t, only when asked for (records and probes). */
  mem: tf.Tensor2D[];
}

/**
 * Runs the layer. `stepInput(t)` returns x_t·W1 as a [B, H] tensor the loop owns (it is disposed after use);
 * `v1` is null for a layer without recurrent weights.
 */
export function lifForward(
  steps: number,
  batch: number,
  hidden: number,
  stepInput: (t: number) => tf.Tensor2D,
  v1: tf.Tensor2D | null,
  p: LifParams,
  keep: { backward: boolean; mem: boolean },
): LifForward {
  const out: LifForward = { spikes: [], resets: [], distance: [], mem: [] };
  let syn: tf.Tensor2D = tf.zeros([batch, hidden]);
  let mem: tf.Tensor2D = tf.zeros([batch, hidden]);
  let prevSpikes: tf.Tensor2D | null = null;
  for (let t = 0; t < steps; t++) {
    const dist: tf.Tensor2D = tf.sub(mem, p.threshold);
    const spikes: tf.Tensor2D = tf.step(dist);
    const reset: tf.Tensor2D = tf.sub(1, spikes);
    const xw = stepInput(t);
    // x_t·W1 + S_{t−1}·V1, summed in that order as the reference does; S₋₁ = 0 adds nothing.
    let h1: tf.Tensor2D = xw;
    if (v1 && prevSpikes) {
      const rec = tf.matMul(prevSpikes, v1);
      h1 = tf.add(xw, rec);
      rec.dispose();
      xw.dispose();
    }
    const decayedSyn = tf.mul(syn, p.alpha);
    const newSyn: tf.Tensor2D = tf.add(decayedSyn, h1);
    decayedSyn.dispose();
    h1.dispose();
    const decayedMem = tf.mul(mem, p.beta);
    const integrated = tf.add(decayedMem, syn);
    const newMem: tf.Tensor2D = tf.mul(integrated, reset);
    decayedMem.dispose();
    integrated.dispose();

    out.spikes.push(spikes);
    if (keep.mem) out.mem.push(mem);
    else mem.dispose();
    if (keep.backward) {
      out.resets.push(reset);
      out.distance.push(dist);
    } else {
      reset.dispose();
      dist.dispose();
    }
    syn.dispose();
    syn = newSyn;
    mem = newMem;
    prevSpikes = spikes;
  }
  syn.dispose();
  mem.dispose();
  return out;
}

/**
 * Back through time. `spikeGrad(t)` returns D_t = ∂L/∂S_t from the readout and the regulariser as a [B, H]
 * tensor the loop owns; `v1T` is V1ᵀ (null without recurrence). Returns G_t = ∂I_{t+1} for t = 0 … T−1,
 * tensors the caller owns. The forward's kept tensors are left for the caller to dispose.
 */
export function lifBackward(
  fw: LifForward,
  batch: number,
  hidden: number,
  spikeGrad: (t: number) => tf.Tensor2D,
  v1T: tf.Tensor2D | null,
  p: LifParams,
): tf.Tensor2D[] {
  const steps = fw.spikes.length;
  const g: tf.Tensor2D[] = new Array(steps);
  let gMemNext: tf.Tensor2D = tf.zeros([batch, hidden]); // ∂U_{t+1}
  let gSynNext: tf.Tensor2D = tf.zeros([batch, hidden]); // ∂I_{t+1}
  for (let t = steps - 1; t >= 0; t--) {
    g[t] = gSynNext;
    let gSpike = spikeGrad(t);
    if (v1T && t + 1 < steps) {
      // ∂I_{t+2} = G_{t+1}
      const rec = tf.matMul(g[t + 1], v1T);
      const sum: tf.Tensor2D = tf.add(gSpike, rec);
      rec.dispose();
      gSpike.dispose();
      gSpike = sum;
    }
    const surrogate = surrogateGrad(fw.distance[t], p.surrogateScale);
    const viaSpike = tf.mul(surrogate, gSpike);
    surrogate.dispose();
    gSpike.dispose();
    const resetGMem = tf.mul(fw.resets[t], gMemNext);
    const leakGMem = tf.mul(resetGMem, p.beta);
    const gMem: tf.Tensor2D = tf.add(leakGMem, viaSpike);
    leakGMem.dispose();
    viaSpike.dispose();
    const leakGSyn = tf.mul(gSynNext, p.alpha);
    const gSyn: tf.Tensor2D = tf.add(leakGSyn, resetGMem);
    leakGSyn.dispose();
    resetGMem.dispose();
    gMemNext.dispose();
    gMemNext = gMem;
    gSynNext = gSyn;
  }
  // ∂U_0 and ∂I_0 belong to constant initial states.
  gMemNext.dispose();
  gSynNext.dispose();
  return g;
}

/** σ'(v) = 1 / (scale·|v| + 1)², the fast-sigmoid surrogate of dS/dU at distance v = U − θ. */
export function surrogateGrad(distance: tf.Tensor2D, scale: number): tf.Tensor2D {
  return tf.tidy(() => tf.reciprocal(tf.square(tf.add(tf.mul(tf.abs(distance), scale), 1))) as tf.Tensor2D);
}
