/**
 * The recurrent LIF layer of lifLayer.ts — same equations, same update order, same float32 rounding — as
 * fused loops over typed arrays, for the backends that run on this CPU (wasm, cpu).
 *
 * Why a second version: there every tfjs op costs tens of microseconds of bookkeeping whatever its size,
 * and a step of the layer is a dozen element-wise ops on only B·H numbers, so lifLayer.ts spends most of its
 * time in overhead. Here a step is one pass over B·H numbers in JS. The two matrix products use what suits
 * them: S_{t−1}·V1 with the sparse row kernel over the few neurons that spiked (rowAxpy.ts), and the dense
 * backward product ∂I_{t+2}·V1ᵀ with one tfjs matmul per step (XNNPACK on wasm).
 *
 * Forward, t = 0 … T−1 (see lifLayer.ts for the derivation):
 *     S_t = Θ(U_t − θ);  I_{t+1} = α·I_t + (x_t·W1 + S_{t−1}·V1);  U_{t+1} = (β·U_t + I_t)·(1 − S_t)
 * Backward, with D_t = ∂L/∂S_t from readout and regulariser, ∂U_T = ∂I_T = 0:
 *     ∂S_t = D_t + ∂I_{t+2}·V1ᵀ
 *     ∂U_t = β·(1 − S_t)·∂U_{t+1} + ∂S_t / (scale·|U_t − θ| + 1)²
 *     ∂I_t = α·∂I_{t+1} + (1 − S_t)·∂U_{t+1}
 *     G_t  = ∂I_{t+1}      (gradient of the step input x_t·W1 + S_{t−1}·V1)
 * Arrays are time-major, [T, B, H] flattened.
 */
import * as tf from '@tensorflow/tfjs';
import type { LifParams } from './lifLayer';
import { rowAxpy } from './rowAxpy';

export interface CpuForward {
  /** S_t as 0/1, [T, B, H]. */
  spikes: Uint8Array;
  /** (scale·|U_t − θ| + 1)², the surrogate's denominator, when the backward pass will run. */
  surrogateDen: Float32Array | null;
  /** U_t, when records were asked for. */
  mem: Float32Array | null;
}

const f = Math.fround;

/** `xw` is x·W1 for every step, [T, B, H]; `v1` is null without recurrence. */
export function lifForwardCpu(
  steps: number,
  batch: number,
  hidden: number,
  xw: Float32Array,
  v1: Float32Array | null,
  p: LifParams,
  keep: { backward: boolean; mem: boolean },
): CpuForward {
  const n = batch * hidden;
  const spikes = new Uint8Array(steps * n);
  const surrogateDen = keep.backward ? new Float32Array(steps * n) : null;
  const memRec = keep.mem ? new Float32Array(steps * n) : null;
  const syn = new Float32Array(n);
  const mem = new Float32Array(n);
  const rec = new Float32Array(n);
  // Spikes of the previous and the current step as (sample, neuron) lists for the sparse S_{t−1}·V1.
  let prevB = new Int32Array(n);
  let prevH = new Int32Array(n);
  let curB = new Int32Array(n);
  let curH = new Int32Array(n);
  let prevCount = 0;
  const alpha = f(p.alpha);
  const beta = f(p.beta);
  const theta = f(p.threshold);
  const scale = f(p.surrogateScale);
  for (let t = 0; t < steps; t++) {
    const base = t * n;
    const recurrent = v1 !== null && prevCount > 0;
    if (recurrent) {
      rec.fill(0);
      rowAxpy({ dst: rec, dstRow: prevB, src: v1, srcRow: prevH, coef: null, n: prevCount, rowLen: hidden });
    }
    let count = 0;
    for (let b = 0, i = 0; b < batch; b++) {
      for (let h = 0; h < hidden; h++, i++) {
        const u = mem[i];
        if (memRec) memRec[base + i] = u;
        const d = f(u - theta);
        const spike = d > 0;
        if (spike) {
          spikes[base + i] = 1;
          curB[count] = b;
          curH[count] = h;
          count++;
        }
        if (surrogateDen) {
          const q = f(f(scale * Math.abs(d)) + 1);
          surrogateDen[base + i] = q * q;
        }
        // x_t·W1 + S_{t−1}·V1 in the reference's order, then the two state updates reading the old states.
        const input = recurrent ? f(xw[base + i] + rec[i]) : xw[base + i];
        const s = syn[i];
        syn[i] = f(alpha * s) + input;
        mem[i] = spike ? 0 : f(beta * u) + s;
      }
    }
    [prevB, curB] = [curB, prevB];
    [prevH, curH] = [curH, prevH];
    prevCount = count;
  }
  return { spikes, surrogateDen, mem: memRec };
}

/**
 * Back through time; returns G [T, B, H]. `d` holds D_t without the regulariser, [T, B, H]; `regRow` is the
 * regulariser's ∂/∂S per neuron, the same for every sample and step.
 */
export function lifBackwardCpu(
  fw: CpuForward,
  steps: number,
  batch: number,
  hidden: number,
  d: Float32Array,
  regRow: Float32Array,
  v1: Float32Array | null,
  p: LifParams,
): Float32Array {
  if (!fw.surrogateDen) throw new Error('the forward pass kept no state for the backward pass');
  const n = batch * hidden;
  const g = new Float32Array(steps * n);
  const gMem = new Float32Array(n); // ∂U_{t+1}
  const gSyn = new Float32Array(n); // ∂I_{t+1}
  const alpha = f(p.alpha);
  const beta = f(p.beta);
  const den = fw.surrogateDen;
  const spikes = fw.spikes;
  const v1T = v1 ? tf.transpose(tf.tensor2d(v1, [hidden, hidden])) : null;
  try {
    for (let t = steps - 1; t >= 0; t--) {
      const base = t * n;
      // ∂I_{t+2}·V1ᵀ, with ∂I_{t+2} = G_{t+1}; zero at the last step.
      let rec: Float32Array | null = null;
      if (v1T && t + 1 < steps) {
        const gNext = tf.tensor2d(g.subarray(base + n, base + 2 * n), [batch, hidden]);
        const prod = tf.matMul(gNext, v1T);
        rec = prod.dataSync() as Float32Array;
        gNext.dispose();
        prod.dispose();
      }
      for (let b = 0, i = 0; b < batch; b++) {
        for (let h = 0; h < hidden; h++, i++) {
          g[base + i] = gSyn[i];
          const gSpike = rec ? f(f(d[base + i] + regRow[h]) + rec[i]) : f(d[base + i] + regRow[h]);
          const kept = spikes[base + i] ? 0 : gMem[i];
          gMem[i] = f(beta * kept) + f(gSpike / den[base + i]);
          gSyn[i] = f(alpha * gSyn[i]) + kept;
        }
      }
    }
  } finally {
    v1T?.dispose();
  }
  return g;
}
