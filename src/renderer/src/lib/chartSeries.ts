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
  test: '#dc2626',
  trainB: '#7c3aed',
  testB: '#ea580c',
} as const;

const finite = (p: ChartPoint) => Number.isFinite(p.y);

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
  series.push(
    { label: `${prefix}train loss`, points: history.map((r) => ({ x: r.epoch, y: r.train_loss })).filter(finite), color: COLORS.train, showPoints: true },
    { label: `${prefix}test loss`, points: history.map((r) => ({ x: r.epoch, y: r.test_loss })).filter(finite), color: COLORS.test, showPoints: true },
  );
  return series;
}

/** Accuracy in percent (the axis reads 0–100). */
export function accuracySeries(history: readonly EpochRecord[], prefix = '', colors: { train: string; test: string } = COLORS, dashed = false): ChartSeries[] {
  return [
    { label: `${prefix}train accuracy`, points: history.map((r) => ({ x: r.epoch, y: r.train_acc * 100 })), color: colors.train, showPoints: true, dashed },
    { label: `${prefix}test accuracy`, points: history.map((r) => ({ x: r.epoch, y: r.test_acc * 100 })), color: colors.test, showPoints: true, dashed },
  ];
}

/** Epoch-level losses of a run, for comparing sessions (no batch points there). */
export function epochLossSeries(history: readonly EpochRecord[], prefix: string, colors: { train: string; test: string }, dashed = false): ChartSeries[] {
  return [
    { label: `${prefix}train loss`, points: history.map((r) => ({ x: r.epoch, y: r.train_loss })).filter(finite), color: colors.train, showPoints: true, dashed },
    { label: `${prefix}test loss`, points: history.map((r) => ({ x: r.epoch, y: r.test_loss })).filter(finite), color: colors.test, showPoints: true, dashed },
  ];
}
