/**
 * Learnable axonal delays on the webgpu backend (DelRec; the equations in cpu/fusedDelays.ts and the reference's
 * README, "Delays"). Each delayed layer's kernel k_h(m) and ∂k_h(m)/∂d_h, [H, M], comes from the same host code
 * as the fused loop's (delayTaps, with wholeSteps in evaluation), so both backends read identical coefficients;
 * it rides at the end of the parameter buffer `p` (after the parameters), because the layer's backward time loop
 * already binds seven buffers and a device need offer only eight.
 *
 *   recurrent      inside the layer's time loops (layerShaders.ts): the delayed spikes X_t[h] = Σ_{m≥1} k_h(m)·S_{t−m}[h]
 *                  replace S_{t−1} before the recurrent sum; the backward keeps P_u = G_u·W_recᵀ and takes
 *                  Q_t = Σ_{m≥1} k_h(m)·P_{t+m} in place of P_{t+1}, and ∂d_h = Σ_{t,b} S_t·Σ_m ∂k_h(m)·P_{t+m}
 *   feed-forward   ffSpread: what goes up, X_t[h] = Σ_{m≥0} k_h(m)·Z_{t−m}[h] with Z = S⊙mask
 *                  ffBackward: ∂Z_t = Σ_m k_h(m)·∂X_{t+m} (then ⊙mask + the regulariser: D of the layer), and the
 *                  per-sample sums of ∂d_h = Σ_t Z_t·Σ_m ∂k_h(m)·∂X_{t+m} for batchSum
 *
 * Every thread owns one (b, h) and reads only its own neuron's past (or future) values, so no pass needs more
 * synchronisation than the time loops already have. Sums over m run in the fused loop's order (m ascending).
 */
import { delayTaps, wholeSteps, type DelayTaps } from '../model/delayKernel';
import { layerTensors, type NetworkParams } from '../model/modelState';
import { bindingDecls, ro, rw, type Kernel } from './kernel';
import { constants, elementwiseMain, gridFor } from './wgslText';

/** Where a layer's kernel sits in `p`: k and ∂k [H, M], then the first and one-past-last tap of each neuron [H]. */
export interface TapsAt {
  k: number;
  dk: number;
  lo: number;
  hi: number;
  M: number;
}

/**
 * The kernel as floats for `p` from offset `at` (the taps' ends as small integers, exact in f32). `first` is the
 * smallest tap that counts: 1 for recurrent delays (S_{t−1} is the first step back), 0 for feed-forward.
 */
export function packTaps(taps: DelayTaps, at: number, first: number): { data: Float32Array; where: TapsAt } {
  const { H, M } = taps;
  const data = new Float32Array(2 * H * M + 2 * H);
  data.set(taps.k, 0);
  data.set(taps.dk, H * M);
  for (let h = 0; h < H; h++) {
    data[2 * H * M + h] = Math.max(first, taps.lo[h]);
    data[2 * H * M + H + h] = taps.hi[h];
  }
  return { data, where: { k: at, dk: at + H * M, lo: at + 2 * H * M, hi: at + 2 * H * M + H, M } };
}

/**
 * Every delayed layer's kernels for one batch, packed after the parameters: `p` is params.flat then `tail`.
 * Evaluation (no gradients, no dropout) rounds the delays to whole steps, as the fused loop does; σ is the
 * training epoch's spread (0 when absent).
 */
export function delayKernels(params: NetworkParams, sigma: number, evaluation: boolean): { p: Float32Array; rec: (TapsAt | null)[]; ff: (TapsAt | null)[] } {
  const blocks: Float32Array[] = [];
  let at = params.flat.length;
  const place = (d: Float32Array | null, first: number): TapsAt | null => {
    if (!d) return null;
    const packed = packTaps(delayTaps(evaluation ? wholeSteps(d) : d, sigma, first), at, first);
    blocks.push(packed.data);
    at += packed.data.length;
    return packed.where;
  };
  const rec: (TapsAt | null)[] = [];
  const ff: (TapsAt | null)[] = [];
  params.shape.layers.forEach((_, l) => {
    const t = layerTensors(params, l);
    rec.push(place(t.recDelay, 1));
    ff.push(place(t.ffDelay, 0));
  });
  if (!blocks.length) return { p: params.flat, rec, ff };
  const p = new Float32Array(at);
  p.set(params.flat);
  let o = params.flat.length;
  for (const b of blocks) {
    p.set(b, o);
    o += b.length;
  }
  return { p, rec, ff };
}

/** WGSL constants of a layer's kernel (D_K, D_DK, D_LO, D_HI, D_M). */
export function tapsConstants(at: TapsAt): string {
  return constants({ D_K: at.k, D_DK: at.dk, D_LO: at.lo, D_HI: at.hi, D_M: at.M });
}

/**
 * WGSL, in a time loop's per-neuron body (t, b, h, i = (t·B + b)·H + h in scope): X_t[b, h] from the neuron's own
 * past spikes, into xrec (for ∂W_rec) and the workgroup's `shared` array (for the recurrent sum).
 */
export function recurrentDelayedSpikes(shared: string): string {
  return `var x = 0.0;
        let hiTap = min(u32(p[D_HI + h]), t + 1u);
        for (var m = u32(p[D_LO + h]); m < hiTap; m++) { x = x + p[D_K + h * D_M + m] * spk[i - m * BH]; }
        xrec[i] = x;
        ${shared}[h] = x;`;
}

/**
 * WGSL, in the backward time loop's per-neuron body after `r` = P_{t+1}[b, h] (t, b, h, i, k in scope): keeps
 * P_{t+1} in pRec, turns r into Q_t, and adds S_t·Σ_m ∂k·P_{t+m} to the delay's per-sample sum accD.
 */
export function recurrentDelayedAdjoint(): string {
  return `if (t + 1u < T) { pRec[i + BH] = r; }
        var q = 0.0;
        var dq = 0.0;
        let hiTap = min(u32(p[D_HI + h]), T - t);
        for (var m = u32(p[D_LO + h]); m < hiTap; m++) {
          let pm = pRec[i + m * BH];
          q = q + p[D_K + h * D_M + m] * pm;
          dq = dq + p[D_DK + h * D_M + m] * pm;
        }
        accD[k] = accD[k] + spk[i] * dq;
        r = q;`;
}

export interface FeedForwardDims {
  T: number;
  B: number;
  H: number;
  taps: TapsAt;
  /** Whether a dropout mask scales what goes up. */
  mask: boolean;
  maxGroups: number;
  label: string;
}

/** up [T·B·H] = what a layer sends up through its feed-forward delays, from p (the kernel), spk and mask. */
export function ffSpread(d: FeedForwardDims): Kernel {
  const bindings = [ro('p'), ro('spk'), ro('mask'), rw('up')];
  const grid = gridFor(d.T * d.B * d.H, d.maxGroups);
  return {
    label: d.label,
    bindings,
    grid,
    code: `${constants({ H: d.H, BH: d.B * d.H, N: d.T * d.B * d.H, MASK: d.mask })}
${tapsConstants(d.taps)}
${bindingDecls(bindings)}
${elementwiseMain(grid)}
  if (id >= N) { return; }
  let h = id % H;
  let t = id / BH;
  var x = 0.0;
  let hiTap = min(u32(p[D_HI + h]), t + 1u);
  for (var m = u32(p[D_LO + h]); m < hiTap; m++) {
    var z = spk[id - m * BH];
    if (MASK) { z = z * mask[id - m * BH]; }
    x = x + p[D_K + h * D_M + m] * z;
  }
  up[id] = x;
}`,
  };
}

/**
 * From ∂X (dX [T·B·H], what the layer above or the readout sends down): the layer's D = ∂Z⊙mask + reg into dIn,
 * and each (b, h)'s Σ_t Z_t·Σ_m ∂k·∂X_{t+m} into part [B·H] (batchSum adds the samples). reg is the regulariser's
 * ∂/∂S of every layer, this one's from regOff.
 */
export function ffBackward(d: FeedForwardDims & { regOff: number }): Kernel {
  const bindings = [ro('p'), ro('dX'), ro('spk'), ro('mask'), ro('reg'), rw('dIn'), rw('part')];
  const grid = gridFor(d.B * d.H, d.maxGroups);
  return {
    label: d.label,
    bindings,
    grid,
    code: `${constants({ T: d.T, H: d.H, BH: d.B * d.H, MASK: d.mask, REG: d.regOff })}
${tapsConstants(d.taps)}
${bindingDecls(bindings)}
${elementwiseMain(grid)}
  if (id >= BH) { return; }
  let h = id % H;
  var acc = 0.0;
  for (var t = 0u; t < T; t++) {
    let i = t * BH + id;
    var dz = 0.0;
    var dd = 0.0;
    let hiTap = min(u32(p[D_HI + h]), T - t);
    for (var m = u32(p[D_LO + h]); m < hiTap; m++) {
      let dx = dX[i + m * BH];
      dz = dz + p[D_K + h * D_M + m] * dx;
      dd = dd + p[D_DK + h * D_M + m] * dx;
    }
    var z = spk[i];
    if (MASK) {
      z = z * mask[i];
      dz = dz * mask[i];
    }
    dIn[i] = dz + reg[REG + h];
    acc = acc + z * dd;
  }
  part[id] = acc;
}`,
  };
}
