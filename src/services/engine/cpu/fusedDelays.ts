/**
 * Learnable axonal delays in the fused CPU loop (DelRec, Queant et al. 2025; `../shared/reference/README.md`,
 * "Delays"): neuron h's spikes reach their targets spread over neighbouring steps by the triangle kernel
 *
 *     k_h(m) = max(0, s − |m − c_h|) / s²,   s = 1 + σ,   m = 0, 1, … steps back
 *     recurrent:    c_h = 1 + d_h, and S_{t−1}·W_rec becomes Σ_{m≥1} Σ_h S_{t−m}[h]·k_h(m)·W_rec[h, :]
 *     feed-forward: c_h = d_h, and what goes up is X_t[h] = Σ_{m≥0} Z_{t−m}[h]·k_h(m)
 *
 * σ anneals to 0 during training; evaluation uses σ = 0 (a whole-step delay is exact, a fractional one
 * interpolates between the two neighbouring steps). The gradient of d flows through the kernel, piecewise linear in
 * d: ∂k_h(m)/∂d_h = sign(m − c_h)/s² where s − |m − c_h| ≥ 0 (as PyTorch's clamp passes it, the edge included).
 * Everything here works on the layer's spike lists, so memory grows with the taps, not with D or T. The kernel
 * itself (delayTaps, wholeSteps) is model/delayKernel.ts.
 */

import { type DelayTaps } from '../model/delayKernel';

const f = Math.fround;

/** Spikes as the fused loop keeps them: `list` of b·H + h per step, step t's in [stepStart[t], stepStart[t+1]). */
export interface StepSpikes {
  list: Int32Array;
  stepStart: Int32Array;
  B: number;
  H: number;
}

/**
 * The delayed recurrent input's triples (G row u·B + b, neuron h, coefficient k_h(m)), gathered per destination
 * step u: each step's spikes are posted once, after the step, to the steps t + m their taps reach (m ≥ 1,
 * k_h(m) ≠ 0, t + m < T), so the work is spikes × taps however far the delays spread. Step u then takes its
 * triples (earlier steps' first, each step's in list order, so rowAxpy sums a row's terms in a fixed order); kept
 * for every step, the same triples are ∂W_rec's pairs (row h of ∂W_rec gets k_h(m)·G_u[b, :]).
 *
 * The slots (one per step a spike can reach ahead, reused round the ring) are typed arrays that grow and are kept
 * for the next batch, so a batch allocates nothing once they have grown.
 */
export class DelayInbox {
  /** Slot j's triples sit at [j·cap, j·cap + count[j]) of each array. */
  private rows = new Int32Array(0);
  private cols = new Int32Array(0);
  private coef = new Float32Array(0);
  private count = new Int32Array(0);
  private cap = 0;
  private slots = 1;
  /** take's merge: the sum per (b, h) of the step [B·H] (zero between takes) and where each first appeared. */
  private sum = new Float32Array(0);
  private first = new Int32Array(0);

  /** Empties every slot for a layer whose taps reach up to M − 1 steps ahead. */
  reset(M: number): void {
    if (this.count.length < M) this.resize(M, Math.max(this.cap, 1024));
    this.count.fill(0);
    this.slots = M;
  }

  /**
   * Posts step t's spikes [stepStart[t], stepStart[t + 1]) ahead; `rows` and `cols` of the spikes hold t·B + b and
   * h in list order.
   */
  post(taps: DelayTaps, spikes: { rows: Int32Array; cols: Int32Array; stepStart: Int32Array; B: number }, t: number, T: number): void {
    const { tapStart, tapM, tapK } = taps;
    const { rows, cols, stepStart, B } = spikes;
    const from = stepStart[t];
    const to = stepStart[t + 1];
    if (to === from) return;
    const mEnd = Math.min(taps.mHi, T - t);
    const mFrom = Math.max(1, taps.mLo);
    const slots = this.slots;
    // A spike reaches each step at most once: room for every spike in every slot it can reach.
    let need = 0;
    for (let m = mFrom; m < mEnd; m++) need = Math.max(need, this.count[(t + m) % slots] + to - from);
    if (need > this.cap) this.resize(this.count.length, Math.max(need, 2 * this.cap));
    const { count, cap } = this;
    const outRows = this.rows;
    const outCols = this.cols;
    const outCoef = this.coef;
    // Slot of step t + m: base + m, wrapped once (m < M = slots).
    const base = t % slots;
    for (let q = from; q < to; q++) {
      const h = cols[q];
      const row = rows[q];
      const end = tapStart[h + 1];
      for (let j = tapStart[h]; j < end; j++) {
        const m = tapM[j];
        if (m >= mEnd) break;
        let slot = base + m;
        if (slot >= slots) slot -= slots;
        const at = slot * cap + count[slot]++;
        outRows[at] = row + m * B;
        outCols[at] = h;
        outCoef[at] = tapK[j];
      }
    }
  }

  /**
   * Step u's triples into `out` from `at` (each step is taken once); returns their count. With `merge` (wide
   * kernels, where a neuron of a sample reaches step u from several earlier steps), the triples of one (b, h) are
   * summed into one, in the order of their first appearance: fewer rows for rowAxpy, forward and ∂W_rec alike.
   */
  take(u: number, out: { rows: Int32Array; cols: Int32Array; coef: Float32Array }, at: number, merge?: { B: number; H: number }): number {
    const slot = u % this.slots;
    const n = this.count[slot];
    if (n === 0) return 0;
    this.count[slot] = 0;
    const from = slot * this.cap;
    if (!merge) {
      out.rows.set(this.rows.subarray(from, from + n), at);
      out.cols.set(this.cols.subarray(from, from + n), at);
      out.coef.set(this.coef.subarray(from, from + n), at);
      return n;
    }
    const { B, H } = merge;
    if (this.sum.length < B * H) {
      this.sum = new Float32Array(B * H);
      this.first = new Int32Array(B * H);
    }
    const { sum, first, rows, cols, coef } = this;
    const shift = u * B;
    let kept = 0;
    for (let j = from; j < from + n; j++) {
      const key = (rows[j] - shift) * H + cols[j];
      // k > 0 on every posted tap, so a zero sum marks a (b, h) not seen yet at this step.
      if (sum[key] === 0) first[kept++] = j;
      sum[key] += coef[j];
    }
    for (let i = 0; i < kept; i++) {
      const j = first[i];
      const key = (rows[j] - shift) * H + cols[j];
      out.rows[at + i] = rows[j];
      out.cols[at + i] = cols[j];
      out.coef[at + i] = sum[key];
      sum[key] = 0;
    }
    return kept;
  }

  /** `slots` slots of `cap` triples each, keeping what the current ones hold. */
  private resize(slots: number, cap: number): void {
    const rows = new Int32Array(slots * cap);
    const cols = new Int32Array(slots * cap);
    const coef = new Float32Array(slots * cap);
    for (let j = 0; j < this.count.length; j++) {
      const n = this.count[j];
      rows.set(this.rows.subarray(j * this.cap, j * this.cap + n), j * cap);
      cols.set(this.cols.subarray(j * this.cap, j * this.cap + n), j * cap);
      coef.set(this.coef.subarray(j * this.cap, j * this.cap + n), j * cap);
    }
    const count = new Int32Array(slots);
    count.set(this.count.subarray(0, Math.min(slots, this.count.length)));
    Object.assign(this, { rows, cols, coef, count, cap });
  }
}

/**
 * The taps [from, to) of the gather Q_t = Σ_{m≥1} k_h(m)·P_{t+m} (the spikes' adjoint through the delayed
 * recurrence, P_u = G_u·W_recᵀ): the kernel tapGather sums k's rows from..to−1 against P's steps t+from…; empty
 * when no tap reaches a step before T.
 */
export function gatherTaps(taps: DelayTaps, T: number, t: number): { from: number; to: number } {
  const from = Math.max(1, taps.mLo);
  return { from, to: Math.max(from, Math.min(taps.mHi, T - t)) };
}

/**
 * The delays' gradient from step t's spikes: ∂d_h += Σ_b S_t[b, h]·Σ_{m≥1} ∂k_h(m)·P_{t+m}[b, h] (each spike pairs
 * with the P of the steps it reaches), summed in float64. `list` holds b·H + h and `cols` h of every spike.
 */
export function recurrentDelayGrad(taps: DelayTaps, sp: StepSpikes & { cols: Int32Array }, P: Float32Array, T: number, t: number, gradD: Float64Array): void {
  const n = sp.B * sp.H;
  const { dk, lo, hi, M } = taps;
  for (let q = sp.stepStart[t]; q < sp.stepStart[t + 1]; q++) {
    const i = sp.list[q];
    const h = sp.cols[q];
    const end = Math.min(hi[h], T - t);
    let x = gradD[h];
    for (let m = Math.max(1, lo[h]); m < end; m++) x += dk[h * M + m] * P[(t + m) * n + i];
    gradD[h] = x;
  }
}

/**
 * What a layer sends up through feed-forward delays, as the sparse list the next layer (or the readout) reads:
 * for every entry (row t'·B + b, column h, coefficient z) of the undelayed list and tap m with t' + m < T,
 * (row (t'+m)·B + b, h, z·k_h(m)). With `merge` (a zeroed [T·B·H] scratch), the entries of one (row, h) are summed
 * first, in the list's order, and the list holds each non-zero (row, h) once, in row order: wide kernels (σ > 0)
 * reach a step from several earlier spikes of a neuron, and the list stays within T·B·H entries.
 */
export function feedForwardList(
  taps: DelayTaps,
  src: { rows: Int32Array; cols: Int32Array; coef: Float32Array | null; n: number },
  T: number,
  B: number,
  out: { rows: Int32Array; cols: Int32Array; coef: Float32Array },
  merge?: Float32Array,
): number {
  const { H } = taps;
  let n = 0;
  for (let q = 0; q < src.n; q++) {
    const r = src.rows[q];
    const h = src.cols[q];
    const t = Math.floor(r / B);
    const z = src.coef ? src.coef[q] : 1;
    for (let m = taps.lo[h]; m < taps.hi[h] && t + m < T; m++) {
      const c = taps.k[h * taps.M + m];
      if (c === 0) continue;
      if (merge) {
        const i = (r + m * B) * H + h;
        merge[i] = f(merge[i] + f(z * c));
        continue;
      }
      out.rows[n] = r + m * B;
      out.cols[n] = h;
      out.coef[n] = f(z * c);
      n++;
    }
  }
  if (!merge) return n;
  for (let i = 0; i < merge.length; i++) {
    if (merge[i] === 0) continue;
    out.rows[n] = Math.floor(i / H);
    out.cols[n] = i % H;
    out.coef[n] = merge[i];
    n++;
  }
  return n;
}

/**
 * The feed-forward delays' gradient: ∂d_h += Σ Z_{t'}[b, h]·∂k_h(m)·∂X_{t'+m}[b, h] over the undelayed list's
 * entries, summed in float64. (∂Z_{t'} = Σ_m k_h(m)·∂X_{t'+m}, the adjoint itself, is tapGather's in fusedNetwork.)
 */
export function feedForwardDelayGrad(
  taps: DelayTaps,
  src: { rows: Int32Array; cols: Int32Array; coef: Float32Array | null; n: number },
  dX: Float32Array,
  T: number,
  B: number,
  gradD: Float64Array,
): void {
  const { H } = taps;
  for (let q = 0; q < src.n; q++) {
    const r = src.rows[q];
    const h = src.cols[q];
    const t = Math.floor(r / B);
    const z = src.coef ? src.coef[q] : 1;
    for (let m = taps.lo[h]; m < taps.hi[h] && t + m < T; m++) gradD[h] += z * taps.dk[h * taps.M + m] * dX[(r + m * B) * H + h];
  }
}
