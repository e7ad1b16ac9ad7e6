/**
 * The two intervals a report card gives, and the quantiles they need:
 *
 *   - per seed, the Wilson score interval of a binomial proportion (E. B. Wilson, "Probable inference, the law
 *     of succession, and statistical inference", JASA 22, 1927): k correct of n test samples, p̂ = k/n,
 *       centre = (p̂ + z²/2n) / (1 + z²/n),  half-width = z/(1 + z²/n) · √(p̂(1−p̂)/n + z²/4n²);
 *     it stays inside [0, 1] and keeps its coverage near p̂ = 0 or 1, where the normal (Wald) interval fails. It
 *     measures how far one run's accuracy could move on another test set of the same size drawn the same way:
 *     test-set sampling noise, not seed-to-seed variation.
 *   - pooled over seeds, Student's t interval of the mean: x̄ ± t(1 − α/2, n − 1) · s/√n, with s the sample
 *     standard deviation (n − 1 in the denominator). It measures how far the mean over seeds could move with other
 *     seeds (initialisation, shuffling, the validation split) on this one test set.
 *
 * Quantiles: the normal's by Acklam's rational approximation (relative error < 1.2e-9), the
 * t distribution's by bisection on its CDF, I_x(a, b) evaluated by the continued fraction of Numerical Recipes
 * (§6.4, betacf) with modified Lentz; results agree with scipy.stats to 1e-9.
 */

export interface Interval {
  low: number;
  high: number;
}

/** z with P(Z ≤ z) = p for the standard normal, 0 < p < 1. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`normalQuantile: p must be in (0, 1) (got ${p})`);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const lowTail = 0.02425;
  let x: number;
  if (p < lowTail || p > 1 - lowTail) {
    const q = Math.sqrt(-2 * Math.log(p < lowTail ? p : 1 - p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    if (p > 1 - lowTail) x = -x;
  } else {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
  return x;
}

/** ln Γ(x), x > 0 (Lanczos, g = 7, n = 9; ~1e-15 relative). */
function logGamma(x: number): number {
  const g = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const y = x - 1;
  let s = g[0];
  for (let i = 1; i < 9; i++) s += g[i] / (y + i);
  const t = y + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(s);
}

/** The continued fraction of I_x(a, b) (modified Lentz). */
function betaFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return h;
}

/** The regularised incomplete beta function I_x(a, b), 0 ≤ x ≤ 1. */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // The fraction converges fast for x below the mean a/(a+b); above it, by symmetry I_x(a,b) = 1 − I_{1−x}(b,a).
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(a, b, x)) / a : 1 - (front * betaFraction(b, a, 1 - x)) / b;
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** t with P(T ≤ t) = p for Student's t with `df` ≥ 1 degrees of freedom (e.g. p = 0.975 for a 95 % interval). */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`studentTQuantile: p must be in (0, 1) (got ${p})`);
  if (!(df > 0)) throw new Error(`studentTQuantile: df must be > 0 (got ${df})`);
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  // Bracket, then bisect: the CDF is monotone, and 200 halvings reach the float's resolution from any bracket.
  let lo = 0;
  let hi = 1;
  while (studentTCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** The Wilson score interval of k successes in n trials at `level` (e.g. 0.95). */
export function wilsonInterval(k: number, n: number, level = 0.95): Interval {
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`wilsonInterval: n must be an integer ≥ 1 (got ${n})`);
  if (!(Number.isInteger(k) && k >= 0 && k <= n)) throw new Error(`wilsonInterval: k must be an integer from 0 to ${n} (got ${k})`);
  const z = normalQuantile(1 - (1 - level) / 2);
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At k = 0 or k = n one end is exactly 0 or 1; rounding must not push it outside.
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

export interface MeanSummary {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1 in the denominator); null for one value. */
  std: number | null;
  /** Student's t interval of the mean; null for one value. */
  interval: Interval | null;
  /** The t quantile used, t(1 − α/2, n − 1); null for one value. */
  t: number | null;
}

/** Mean, sample standard deviation and the t interval of the mean of `values` at `level`. */
export function meanInterval(values: readonly number[], level = 0.95): MeanSummary {
  const n = values.length;
  if (n === 0) throw new Error('meanInterval: no values');
  const mean = values.reduce((s, x) => s + x, 0) / n;
  if (n === 1) return { n, mean, std: null, interval: null, t: null };
  const std = Math.sqrt(values.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
  const t = studentTQuantile(1 - (1 - level) / 2, n - 1);
  const half = (t * std) / Math.sqrt(n);
  return { n, mean, std, interval: { low: mean - half, high: mean + half }, t };
}
