/**
 * The learnable delays' kernel (DelRec, Queant et al. 2025; `../shared/reference/README.md`, "Delays"), shared by
 * every backend: the fused CPU loop (cpu/fusedDelays.ts), webgpu (uploads it), the tfjs-op loop and NIR export
 * (whole steps). Neuron h's spikes reach their targets spread over neighbouring steps by the triangle kernel
 *
 *     k_h(m) = max(0, s − |m − c_h|) / s²,   s = 1 + σ,   m = 0, 1, … steps back
 *     recurrent: c_h = 1 + d_h;   feed-forward: c_h = d_h
 *
 * σ anneals to 0 during training; evaluation uses σ = 0 on delays rounded to whole steps. ∂k_h(m)/∂d_h =
 * sign(m − c_h)/s² where s − |m − c_h| ≥ 0 (as PyTorch's clamp passes it, the edge included).
 */

const f = Math.fround;

/** A layer's kernel: k and ∂k/∂d [H, M], and the taps [lo_h, hi_h) where either is non-zero. */
export interface DelayTaps {
  H: number;
  M: number;
  k: Float32Array;
  dk: Float32Array;
  /** k transposed, [M, H]: the row of tap m holds every neuron's k_h(m) (the SIMD gather reads it so). */
  kT: Float32Array;
  lo: Int32Array;
  hi: Int32Array;
  /** Neuron h's taps m ≥ 1 with k_h(m) ≠ 0, ascending: tapM and tapK over [tapStart[h], tapStart[h + 1]). */
  tapStart: Int32Array;
  tapM: Int32Array;
  tapK: Float32Array;
  /** The taps of all neurons together: [min lo_h, max hi_h). */
  mLo: number;
  mHi: number;
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
  const kT = new Float32Array(M * H);
  const lo = new Int32Array(H);
  const hi = new Int32Array(H);
  let width = 0;
  let mLo = M;
  let mHi = 0;
  for (let h = 0; h < H; h++) {
    const c = f(first + d[h]);
    lo[h] = M;
    hi[h] = 0;
    for (let m = 0; m < M; m++) {
      const x = f(m - c);
      const v = f(f(s) - Math.abs(x));
      if (v < 0) continue;
      k[h * M + m] = f(v / s2);
      kT[m * H + h] = k[h * M + m];
      dk[h * M + m] = x > 0 ? f(1 / s2) : x < 0 ? -f(1 / s2) : 0;
      lo[h] = Math.min(lo[h], m);
      hi[h] = m + 1;
    }
    width = Math.max(width, hi[h] - lo[h]);
    mLo = Math.min(mLo, lo[h]);
    mHi = Math.max(mHi, hi[h]);
  }
  const tapStart = new Int32Array(H + 1);
  const tapM: number[] = [];
  const tapK: number[] = [];
  for (let h = 0; h < H; h++) {
    for (let m = Math.max(1, lo[h]); m < hi[h]; m++) {
      if (k[h * M + m] === 0) continue;
      tapM.push(m);
      tapK.push(k[h * M + m]);
    }
    tapStart[h + 1] = tapM.length;
  }
  return { H, M, k, dk, kT, tapStart, tapM: Int32Array.from(tapM), tapK: Float32Array.from(tapK), lo, hi, mLo: Math.min(mLo, mHi), mHi, width };
}

/** Delays rounded to whole steps, halves to even (as torch.round, which the reference's --eval-session uses). */
export function wholeSteps(d: Float32Array): Float32Array {
  return Float32Array.from(d, (x) => {
    const r = Math.round(x);
    return Math.abs(x - Math.trunc(x)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
  });
}
