/**
 * Band-limited resampling by a Blackman-windowed sinc (any ratio). Output sample j sits at input position
 * x = j · fIn / fOut and is
 *     y[j] = Σ_k  s[k] · c · sinc(c · (x − k)) · w((x − k) / (H / c)),     |x − k| < H / c,
 * with c = min(1, fOut / fIn) (the cutoff, so downsampling filters out what the new rate cannot hold),
 * H = 16 zero crossings each side and w the Blackman window on [−1, 1]. Exact at equal rates (a copy).
 */

const HALF_ZEROS = 16;

function blackman(u: number): number {
  // u in [−1, 1]
  return 0.42 + 0.5 * Math.cos(Math.PI * u) + 0.08 * Math.cos(2 * Math.PI * u);
}

export function resample(samples: Float32Array, fromHz: number, toHz: number): Float32Array {
  if (fromHz === toHz) return samples.slice();
  const ratio = fromHz / toHz;
  const c = Math.min(1, toHz / fromHz);
  const half = HALF_ZEROS / c;
  const n = Math.max(1, Math.round(samples.length / ratio));
  const out = new Float32Array(n);
  for (let j = 0; j < n; j++) {
    const x = j * ratio;
    const k0 = Math.max(0, Math.ceil(x - half));
    const k1 = Math.min(samples.length - 1, Math.floor(x + half));
    let acc = 0;
    for (let k = k0; k <= k1; k++) {
      const d = x - k;
      const arg = Math.PI * c * d;
      const sinc = d === 0 ? 1 : Math.sin(arg) / arg;
      acc += samples[k] * c * sinc * blackman(d / half);
    }
    out[j] = acc;
  }
  return out;
}
