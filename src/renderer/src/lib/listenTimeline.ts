/**
 * The Listen tab's one time axis: waveform, cochleagram, spike raster and class probability are drawn over
 * 0 … the recording's length in seconds, each at the time its data belongs to, so a sound, its spikes and the
 * network's reading of them line up. The session's network runs over its own window (max_time, often longer than
 * the clip); its probabilities after the clip's end saw no input and are left out, not drawn past the end.
 */
import type { ListenResult } from '../../../shared/workbenchApi';

/** A span of the axis, in seconds. */
export interface TimeSpan {
  startS: number;
  endS: number;
}

/** The shared axis: 0 to the recording's length. */
export function listenAxis(result: Pick<ListenResult, 'durationS'>): TimeSpan {
  return { startS: 0, endS: Math.max(result.durationS, 1e-6) };
}

/** x (CSS px from the plot area's left edge) of a time on an axis `width` px wide. */
export function xOfTime(tS: number, axis: TimeSpan, width: number): number {
  return ((tS - axis.startS) / (axis.endS - axis.startS)) * width;
}

/** Round tick positions (1, 2 or 5 × 10^k s apart) inside the axis, at most about `maxTicks` of them. */
export function timeTicks(axis: TimeSpan, maxTicks = 6): number[] {
  const span = axis.endS - axis.startS;
  if (!(span > 0)) return [axis.startS];
  const raw = span / Math.max(1, maxTicks);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  const ticks: number[] = [];
  // Integer multiples of the step, so 0.1 · 3 prints as 0.3 and not 0.30000000000000004.
  for (let i = Math.ceil(axis.startS / step - 1e-9); i * step <= axis.endS + 1e-9; i++) ticks.push(Number((i * step).toFixed(12)));
  return ticks;
}

/** A tick's label: as many decimals as the step between ticks needs. */
export function tickLabel(tS: number, ticks: number[]): string {
  const step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
  const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
  return tS.toFixed(decimals);
}

/** The time span of waveform column c of `cols`, which split the recording evenly. */
export function waveColumnSpan(c: number, cols: number, durationS: number): TimeSpan {
  return { startS: (c * durationS) / cols, endS: ((c + 1) * durationS) / cols };
}

/** The time span of cochleagram frame c (frames of frameS from 0; the last partial frame is not computed). */
export function frameSpan(c: number, frameS: number): TimeSpan {
  return { startS: c * frameS, endS: (c + 1) * frameS };
}

export interface ProbabilityCurve {
  /** Class index. */
  k: number;
  label: string;
  points: { tS: number; p: number }[];
}

/**
 * The probability of each class in `classes` at every step the recording reached: steps whose bin ends after the
 * clip's end are dropped (they saw silence), and so are steps past the session's window when the clip is longer.
 */
export function probabilityCurves(prediction: NonNullable<ListenResult['prediction']>, durationS: number, classes: number[]): ProbabilityCurve[] {
  const reached: number[] = [];
  prediction.stepEndS.forEach((tS, t) => {
    if (tS <= durationS + 1e-9 && t < prediction.overTime.length) reached.push(t);
  });
  return classes.map((k) => ({
    k,
    label: prediction.classNames[k] ?? String(k),
    points: reached.map((t) => ({ tS: prediction.stepEndS[t], p: prediction.overTime[t][k] })),
  }));
}

/** The last time a set of curves has a point at (0 when none has). */
export function lastPointS(curves: ProbabilityCurve[]): number {
  return curves.reduce((m, c) => Math.max(m, c.points.at(-1)?.tS ?? 0), 0);
}

/** The `n` classes of highest score, best first. */
export function topClasses(scores: readonly number[], n: number): number[] {
  return scores
    .map((s, k) => ({ k, s }))
    .sort((a, b) => b.s - a.s)
    .slice(0, n)
    .map((e) => e.k);
}
