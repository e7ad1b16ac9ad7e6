/**
 * Membrane trace geometry. Probe arrays are row-major [steps × units]; a trace is one column of that.
 * The y range always includes the threshold line so the user can see how close a neuron came to firing.
 */

/** Column `unit` of a row-major [steps × units] array. */
export function column(flat: ArrayLike<number>, units: number, unit: number): number[] {
  if (unit < 0 || unit >= units) throw new Error(`unit ${unit} is outside 0…${units - 1}`);
  const steps = Math.floor(flat.length / units);
  const out = new Array<number>(steps);
  for (let t = 0; t < steps; t++) out[t] = flat[t * units + unit];
  return out;
}

export interface ValueRange {
  min: number;
  max: number;
}

/** Smallest range holding every finite value and the extra values (threshold, 0), padded by 5 %. */
export function valueRange(series: readonly (readonly number[])[], extra: readonly number[] = []): ValueRange {
  let min = Infinity;
  let max = -Infinity;
  for (const s of series) {
    for (const v of s) {
      if (Number.isFinite(v)) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
  }
  for (const v of extra) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!Number.isFinite(min)) return { min: 0, max: 1 };
  if (min === max) return { min: min - 0.5, max: max + 0.5 };
  const pad = (max - min) * 0.05;
  return { min: min - pad, max: max + pad };
}

/** Canvas y (down) of a value. */
export function yOf(v: number, range: ValueRange, height: number): number {
  return height - ((v - range.min) / (range.max - range.min)) * height;
}

/** Canvas x of sample i of n spread across the width (first at 0, last at width). */
export function xOf(i: number, n: number, width: number): number {
  return n <= 1 ? 0 : (i / (n - 1)) * width;
}

/** Polyline points of a series; non-finite values break the line (returned as null). */
export function tracePoints(series: readonly number[], range: ValueRange, width: number, height: number): ({ x: number; y: number } | null)[] {
  return series.map((v, i) => (Number.isFinite(v) ? { x: xOf(i, series.length, width), y: yOf(v, range, height) } : null));
}

/** One line of a trace plot. */
export interface Trace {
  label: string;
  color: string;
  values: number[];
  /** Drawn thicker (e.g. the predicted class). */
  emphasis?: boolean;
}
