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
 * Everything here works on the layer's spike lists, so memory grows with the taps, not with D or T.
 */

const f = Math.fround;

/** A layer's kernel: k and ∂k/∂d [H, M], and the taps [lo_h, hi_h) where either is non-zero. */
export interface DelayTaps {
  H: number;
  M: number;
  k: Float32Array;
  dk: Float32Array;
  lo: Int32Array;
  hi: Int32Array;
  /** The largest hi − lo (for buffer sizes). */
  width: number;
}

/** The kernel of delays d [H] with spread σ; `first` is 1 for recurrent delays (the step's own S_{t−1}), 0 for feed-forward. */
export function delayTaps(d: Float32Array, sigma: number, first: number): DelayTaps {
  const H = d.length;
  const s = 1 + sigma;
  const s2 = f(s * s);
  let dMax = 0;
  for (let h = 0; h < H; h++) dMax = Math.max(dMax, d[h]);
  const M = Math.ceil(first + dMax + s) + 1;
  const k = new Float32Array(H * M);
  const dk = new Float32Array(H * M);
  const lo = new Int32Array(H);
  const hi = new Int32Array(H);
  let width = 0;
  for (let h = 0; h < H; h++) {
    const c = f(first + d[h]);
    lo[h] = M;
    hi[h] = 0;
    for (let m = 0; m < M; m++) {
      const x = f(m - c);
      const v = f(f(s) - Math.abs(x));
      if (v < 0) continue;
      k[h * M + m] = f(v / s2);
      dk[h * M + m] = x > 0 ? f(1 / s2) : x < 0 ? -f(1 / s2) : 0;
      lo[h] = Math.min(lo[h], m);
      hi[h] = m + 1;
    }
    width = Math.max(width, hi[h] - lo[h]);
  }
  return { H, M, k, dk, lo, hi, width };
}

/** Delays rounded to whole steps, halves to even (as torch.round, which the reference's --eval-session uses). */
export function wholeSteps(d: Float32Array): Float32Array {
  return Float32Array.from(d, (x) => {
    const r = Math.round(x);
    return Math.abs(x - Math.trunc(x)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
  });
}

/** Spikes as the fused loop keeps them: `list` of b·H + h per step, step t's in [stepStart[t], stepStart[t+1]). */
export interface StepSpikes {
  list: Int32Array;
  stepStart: Int32Array;
  B: number;
  H: number;
}

/**
 * The delayed recurrent input's (destination row, source row, coefficient) triples, step by step: each step's
 * spikes are posted, once, to the steps their taps reach (t + m, m ≥ 1, k_h(m) ≠ 0), so a step takes its triples
 * in O(spikes × taps) instead of scanning the last M steps' spikes.
 */
export class RecurrentInbox {
  private readonly rows: number[][];
  private readonly cols: number[][];
  private readonly coef: number[][];

  constructor(
    private readonly taps: DelayTaps,
    private readonly T: number,
  ) {
    this.rows = Array.from({ length: T }, () => []);
    this.cols = Array.from({ length: T }, () => []);
    this.coef = Array.from({ length: T }, () => []);
  }

  /** Posts the spikes of step t (list entries [from, to): b·H + h). */
  post(list: Int32Array, from: number, to: number, H: number, t: number): void {
    const { taps } = this;
    for (let q = from; q < to; q++) {
      const i = list[q];
      const b = Math.floor(i / H);
      const h = i - b * H;
      const row = h * taps.M;
      for (let m = Math.max(1, taps.lo[h]); m < taps.hi[h] && t + m < this.T; m++) {
        const c = taps.k[row + m];
        if (c === 0) continue;
        this.rows[t + m].push(b);
        this.cols[t + m].push(h);
        this.coef[t + m].push(c);
      }
    }
  }

  /** Step t's triples into the arrays; returns the count (each step is taken once). */
  take(t: number, rows: Int32Array, cols: Int32Array, coef: Float32Array): number {
    const n = this.rows[t].length;
    rows.set(this.rows[t]);
    cols.set(this.cols[t]);
    coef.set(this.coef[t]);
    this.rows[t] = this.cols[t] = this.coef[t] = [];
    return n;
  }
}

/**
 * Q_t = Σ_{m≥1} k_h(m)·P_{t+m} (the spikes' adjoint through the delayed recurrence, P_u = G_u·W_recᵀ [T, B·H]),
 * into `out` [B·H]; and the delays' gradient at the same time: ∂d_h += Σ_b S_{t'}[b, h]·∂k_h(m)·P_{t'+m}[b, h] for
 * the spikes of step t' = t (each spike of step t pairs with the P of the steps it reaches).
 */
export function recurrentBackward(taps: DelayTaps, sp: StepSpikes, P: Float32Array, T: number, t: number, out: Float32Array, gradD: Float64Array): void {
  const { B, H } = sp;
  const n = B * H;
  for (let i = 0; i < n; i++) {
    const h = i % H;
    let x = 0;
    const end = Math.min(taps.hi[h], T - t);
    for (let m = Math.max(1, taps.lo[h]); m < end; m++) x += taps.k[h * taps.M + m] * P[(t + m) * n + i];
    out[i] = x;
  }
  for (let q = sp.stepStart[t]; q < sp.stepStart[t + 1]; q++) {
    const i = sp.list[q];
    const h = i % H;
    const end = Math.min(taps.hi[h], T - t);
    for (let m = Math.max(1, taps.lo[h]); m < end; m++) gradD[h] += taps.dk[h * taps.M + m] * P[(t + m) * n + i];
  }
}

/**
 * The triples of ∂W_rec = Σ_t D_tᵀ·G_t with D_t the delayed spikes: for every spike (t', b, h) and tap m ≥ 1 with
 * t' + m < T, row h of ∂W_rec gets k_h(m)·G_{t'+m}[b, :]. Returns the count (rows: h; cols: G's row (t'+m)·B + b).
 */
export function recurrentWeightPairs(taps: DelayTaps, sp: StepSpikes, T: number, rows: Int32Array, cols: Int32Array, coef: Float32Array): number {
  const { B, H } = sp;
  let n = 0;
  for (let t = 0; t < T; t++) {
    for (let q = sp.stepStart[t]; q < sp.stepStart[t + 1]; q++) {
      const i = sp.list[q];
      const b = Math.floor(i / H);
      const h = i - b * H;
      for (let m = Math.max(1, taps.lo[h]); m < taps.hi[h] && t + m < T; m++) {
        const c = taps.k[h * taps.M + m];
        if (c === 0) continue;
        rows[n] = h;
        cols[n] = (t + m) * B + b;
        coef[n] = c;
        n++;
      }
    }
  }
  return n;
}

/**
 * What a layer sends up through feed-forward delays, as the sparse list the next layer (or the readout) reads:
 * for every entry (row t'·B + b, column h, coefficient z) of the undelayed list and tap m with t' + m < T,
 * (row (t'+m)·B + b, h, z·k_h(m)).
 */
export function feedForwardList(
  taps: DelayTaps,
  src: { rows: Int32Array; cols: Int32Array; coef: Float32Array | null; n: number },
  T: number,
  B: number,
  out: { rows: Int32Array; cols: Int32Array; coef: Float32Array },
): number {
  let n = 0;
  for (let q = 0; q < src.n; q++) {
    const r = src.rows[q];
    const h = src.cols[q];
    const t = Math.floor(r / B);
    const z = src.coef ? src.coef[q] : 1;
    for (let m = taps.lo[h]; m < taps.hi[h] && t + m < T; m++) {
      const c = taps.k[h * taps.M + m];
      if (c === 0) continue;
      out.rows[n] = r + m * B;
      out.cols[n] = h;
      out.coef[n] = f(z * c);
      n++;
    }
  }
  return n;
}

/**
 * The feed-forward delays' backward: ∂Z_{t'}[b, h] = Σ_m k_h(m)·∂X_{t'+m}[b, h] in place of ∂X (dX [T·B·H] becomes
 * ∂Z), and ∂d_h += Σ Z_{t'}[b, h]·∂k_h(m)·∂X_{t'+m}[b, h] over the undelayed list's entries.
 */
export function feedForwardBackward(
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
  const dZ = new Float32Array(dX.length);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < B * H; i++) {
      const h = i % H;
      let x = 0;
      const end = Math.min(taps.hi[h], T - t);
      for (let m = taps.lo[h]; m < end; m++) x += taps.k[h * taps.M + m] * dX[((t + m) * B) * H + i];
      dZ[t * B * H + i] = x;
    }
  }
  dX.set(dZ);
}
