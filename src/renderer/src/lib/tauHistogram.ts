/**
 * Histograms of one hidden layer's time constants, at initialisation and after the latest epoch, on shared
 * bins so the two can be laid over each other. τ arrive in seconds (the events' unit) and are binned in ms
 * (the form's unit). With learnTau off the two coincide; with it on, the learned ones drift within the span.
 */
import type { LayerTaus } from '../../../shared/events';
import { secondsToMs } from './units';

export type TauKey = 'tauSynS' | 'tauMemS' | 'tauAdaptS';
export const TAU_KEYS: readonly TauKey[] = ['tauSynS', 'tauMemS', 'tauAdaptS'];
export const TAU_LABELS: Readonly<Record<TauKey, string>> = { tauSynS: 'τ_syn', tauMemS: 'τ_mem', tauAdaptS: 'τ_adapt' };

/** Initial against latest counts of one per-neuron quantity on shared bins (τ here, delays in delayHistogram.ts). */
export interface ValueHistogram {
  key: string;
  label: string;
  /** The unit of the edges and means ('ms', 'steps'). */
  unit: string;
  /** Bin edges, bins + 1 of them. */
  edges: number[];
  initial: number[] | null;
  learned: number[] | null;
  meanInitial: number | null;
  meanLearned: number | null;
}

export interface TauHistogram extends ValueHistogram {
  key: TauKey;
}

/**
 * Counts of values in `bins` equal bins over [lo, hi]; the last bin includes hi. Values outside the range or
 * not finite are not counted.
 */
export function histogram(values: readonly number[], lo: number, hi: number, bins: number): number[] {
  const counts = new Array<number>(bins).fill(0);
  const width = (hi - lo) / bins;
  for (const v of values) {
    if (!Number.isFinite(v) || v < lo || v > hi) continue;
    counts[Math.min(bins - 1, width > 0 ? Math.floor((v - lo) / width) : 0)]++;
  }
  return counts;
}

/**
 * The range the bins cover: every finite value, widened by 10 % each side when all are equal (one τ for every
 * neuron would otherwise give a bin of zero width).
 */
export function binRange(series: readonly (readonly number[])[]): { lo: number; hi: number } | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) for (const v of s) if (Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  if (!Number.isFinite(lo)) return null;
  if (lo === hi) return { lo: lo - Math.abs(lo) * 0.1 - 1e-9, hi: hi + Math.abs(hi) * 0.1 + 1e-9 };
  return { lo, hi };
}

/** bins + 1 equally spaced edges over the range. */
export function binEdges(range: { lo: number; hi: number }, bins: number): number[] {
  return Array.from({ length: bins + 1 }, (_, i) => range.lo + ((range.hi - range.lo) * i) / bins);
}

/** The initial and latest values' histograms on shared bins over `range`, with their means. */
export function valueHistogram<K extends string>(key: K, label: string, unit: string, a: readonly number[] | undefined, b: readonly number[] | undefined, range: { lo: number; hi: number }, bins: number): ValueHistogram & { key: K } {
  return {
    key,
    label,
    unit,
    edges: binEdges(range, bins),
    initial: a ? histogram(a, range.lo, range.hi, bins) : null,
    learned: b ? histogram(b, range.lo, range.hi, bins) : null,
    meanInitial: mean(a),
    meanLearned: mean(b),
  };
}

export const mean = (xs: readonly number[] | undefined): number | null => (xs && xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/** One histogram per τ the layer has (lif: τ_syn, τ_mem; adlif: τ_mem, τ_adapt), in that order. */
export function tauHistograms(initial: LayerTaus | null, learned: LayerTaus | null, bins = 24): TauHistogram[] {
  const out: TauHistogram[] = [];
  for (const key of TAU_KEYS) {
    const a = initial?.[key]?.map(secondsToMs);
    const b = learned?.[key]?.map(secondsToMs);
    const range = binRange([a ?? [], b ?? []]);
    if (!range) continue;
    out.push(valueHistogram(key, TAU_LABELS[key], 'ms', a, b, range, bins));
  }
  return out;
}

/** Bar rectangles (CSS px, y down) of bin counts over a plot area; bars of 0 are left out. */
export function barRects(counts: readonly number[], maxCount: number, width: number, height: number): { x: number; y: number; w: number; h: number }[] {
  const w = width / Math.max(1, counts.length);
  const top = Math.max(1, maxCount);
  return counts.flatMap((c, i) => (c > 0 ? [{ x: i * w, y: height - (c / top) * height, w, h: (c / top) * height }] : []));
}
