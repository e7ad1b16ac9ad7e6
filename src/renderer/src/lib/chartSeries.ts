/** The series the line charts draw, built from run numbers (pure, so tested without a canvas). */
import type { EpochRecord } from '../../../shared/events';
import type { BatchPoint } from './runState';

export interface ChartPoint {
  x: number;
  y: number;
}

export interface ChartSeries {
  label: string;
  points: ChartPoint[];
  color: string;
  dashed?: boolean;
  /** Draw a dot at each point (epoch curves) or just the line (batch curves). */
  showPoints?: boolean;
  lineWidth?: number;
}

export const COLORS = {
  batch: 'rgba(100, 116, 139, 0.55)',
  train: '#2563eb',
  val: '#16a34a',
  test: '#dc2626',
  trainB: '#7c3aed',
  valB: '#0d9488',
  testB: '#ea580c',
  /** The selected-epoch marker: dark, so it reads against every curve colour. */
  selected: '#111827',
} as const;

/** One run's curve colours. */
export interface RunColors {
  train: string;
  val: string;
  test: string;
}
export const RUN_A: RunColors = { train: COLORS.train, val: COLORS.val, test: COLORS.test };
export const RUN_B: RunColors = { train: COLORS.trainB, val: COLORS.valB, test: COLORS.testB };

const finite = (p: ChartPoint) => Number.isFinite(p.y);

/** Whether the run measured a validation set (records of runs without one, or from before it, hold null). */
export function hasValidation(history: readonly EpochRecord[]): boolean {
  return history.some((r) => typeof r.val_acc === 'number' && Number.isFinite(r.val_acc));
}

/**
 * Train, validation (only when the run had a validation set) and test, in that order: the order the protocol
 * uses them (fit, select, report once). Points that are not finite numbers are left out.
 */
function epochSeries(
  history: readonly EpochRecord[],
  what: 'loss' | 'accuracy',
  prefix: string,
  colors: RunColors,
  dashed: boolean,
): ChartSeries[] {
  const scale = what === 'accuracy' ? 100 : 1;
  const pick = (get: (r: EpochRecord) => number | null | undefined) =>
    history.map((r) => ({ x: r.epoch, y: typeof get(r) === 'number' ? (get(r) as number) * scale : Number.NaN })).filter(finite);
  const line = (name: string, color: string, get: (r: EpochRecord) => number | null | undefined): ChartSeries => ({
    label: `${prefix}${name} ${what}`,
    points: pick(get),
    color,
    showPoints: true,
    dashed,
  });
  const acc = what === 'accuracy';
  return [
    line('train', colors.train, (r) => (acc ? r.train_acc : r.train_loss)),
    ...(hasValidation(history) ? [line('validation', colors.val, (r) => (acc ? r.val_acc : r.val_loss))] : []),
    line('test', colors.test, (r) => (acc ? r.test_acc : r.test_loss)),
  ];
}

export function lossSeries(batchLosses: readonly BatchPoint[], history: readonly EpochRecord[], prefix = ''): ChartSeries[] {
  const series: ChartSeries[] = [];
  if (batchLosses.length) {
    series.push({
      label: `${prefix}batch loss`,
      points: batchLosses.map((p) => ({ x: p.x, y: p.loss })).filter(finite),
      color: COLORS.batch,
      lineWidth: 1,
    });
  }
  series.push(...epochSeries(history, 'loss', prefix, RUN_A, false));
  return series;
}

/** Accuracy in percent (the axis reads 0–100). */
export function accuracySeries(history: readonly EpochRecord[], prefix = '', colors: RunColors = RUN_A, dashed = false): ChartSeries[] {
  return epochSeries(history, 'accuracy', prefix, colors, dashed);
}

/** Epoch-level losses of a run, for comparing sessions (no batch points there). */
export function epochLossSeries(history: readonly EpochRecord[], prefix: string, colors: RunColors, dashed = false): ChartSeries[] {
  return epochSeries(history, 'loss', prefix, colors, dashed);
}

/**
 * The selected epoch as a vertical line across the accuracy axis (0–100 %), labelled for the legend; null when
 * no epoch is selected or the history does not hold it.
 */
export function selectedEpochMarker(history: readonly EpochRecord[], selectedEpoch: number | null, label: string, prefix = '', dashed = false): ChartSeries | null {
  if (selectedEpoch === null || !history.some((r) => r.epoch === selectedEpoch)) return null;
  return {
    label: `${prefix}${label}`,
    points: [
      { x: selectedEpoch, y: 0 },
      { x: selectedEpoch, y: 100 },
    ],
    color: COLORS.selected,
    lineWidth: 1.5,
    dashed,
  };
}

/**
 * The x range of a chart's points widened by `pad` (data units) at both ends, so the first and last points (epoch 1,
 * the last epoch, the selected-epoch line) sit inside the plot instead of on its edges, where the axis lines cover
 * and the plot area cuts them. Null when there is no point.
 */
export function paddedXRange(series: readonly ChartSeries[], pad: number): { min: number; max: number } | null {
  let min = Infinity;
  let max = -Infinity;
  for (const s of series) {
    for (const p of s.points) {
      if (!Number.isFinite(p.x)) continue;
      if (p.x < min) min = p.x;
      if (p.x > max) max = p.x;
    }
  }
  return min <= max ? { min: min - pad, max: max + pad } : null;
}
