/**
 * Learning-rate schedules, one rate per epoch (constant within an epoch: every batch of epoch e uses
 * lrForEpoch(…, e, …)). The options and their defaults are in src/shared/schedule.ts. For epoch e = 1 … E with
 * base rate lr, W = warmupEpochs and floor minLr:
 *
 *   warm-up, e ≤ W, every schedule:   lr_e = lr · e / (W + 1)
 *       a linear ramp lr/(W+1), 2·lr/(W+1), …, W·lr/(W+1); the schedule proper starts at lr in epoch W + 1.
 *       Why: Adam's first steps, with moments estimated from a few batches, are the least reliable ones.
 *   constant:   lr_e = lr
 *   cosine:     lr_e = minLr + (lr − minLr) · (1 + cos(π · t / T)) / 2,   t = e − W − 1,  T = E − W
 *       torch's CosineAnnealingLR closed form (T_max = T, eta_min = minLr), in float64 in the same order of
 *       operations: lr in epoch W + 1, decreasing to just above minLr in epoch E.
 *   plateau:    lr_e = the current rate, which afterEpoch(metric) updates after each epoch e > W as torch's
 *       ReduceLROnPlateau(mode='max', factor, patience, threshold, threshold_mode='rel', cooldown=0,
 *       min_lr=minLr, eps=1e-8).step(metric):
 *           improved ⇔ best is unset or metric > best · (1 + threshold)
 *           improved: best ← metric, bad ← 0;  else bad ← bad + 1
 *           bad > patience:  new = max(rate · factor, minLr);  rate ← new if rate − new > 1e-8;  bad ← 0
 *       The warm-up epochs' metrics are not seen by the plateau logic (the rate is still rising then).
 *
 * The state is plain JSON (finite numbers and null only), so a session file can store it and a resumed run
 * continues with exactly the same rates: JSON round-trips float64 numbers exactly.
 */
import type { FieldError } from '../../../shared/config';
import type { ScheduleOptions } from '../../../shared/schedule';

/** torch ReduceLROnPlateau's eps: reductions smaller than this are skipped. */
export const PLATEAU_EPS = 1e-8;

export interface ScheduleState {
  /** The configured learning rate the schedule scales. */
  baseLr: number;
  /** Epochs whose afterEpoch has been applied (the next epoch to train is epochsDone + 1). */
  epochsDone: number;
  /** plateau: the rate after warm-up, as reduced so far; the other schedules keep baseLr here. */
  currentLr: number;
  /** plateau: the best metric seen after warm-up (null before the first; torch's −inf for mode 'max'). */
  bestMetric: number | null;
  /** plateau: epochs in a row without improvement (torch's num_bad_epochs). */
  badEpochs: number;
  /** plateau: how many times the rate was reduced (for logging). */
  reductions: number;
}

export function initialScheduleState(opts: ScheduleOptions, baseLr: number): ScheduleState {
  if (!(Number.isFinite(baseLr) && baseLr > 0)) throw new Error(`learning rate must be a finite number > 0 (got ${baseLr})`);
  if (opts.lrSchedule === 'cosine' && opts.minLr > baseLr) throw new Error(`minLr ${opts.minLr} is above the learning rate ${baseLr}; cosine would rise`);
  return { baseLr, epochsDone: 0, currentLr: baseLr, bestMetric: null, badEpochs: 0, reductions: 0 };
}

/** The learning rate of epoch `epoch` (1-based) of a run of `totalEpochs` epochs. */
export function lrForEpoch(state: Readonly<ScheduleState>, opts: ScheduleOptions, epoch: number, totalEpochs: number): number {
  if (!Number.isInteger(totalEpochs) || totalEpochs < 1) throw new Error(`total epochs must be a positive integer (got ${totalEpochs})`);
  if (!Number.isInteger(epoch) || epoch < 1 || epoch > totalEpochs) throw new Error(`epoch must be an integer from 1 to ${totalEpochs} (got ${epoch})`);
  const W = opts.warmupEpochs;
  const lr = state.baseLr;
  if (epoch <= W) return (lr * epoch) / (W + 1);
  switch (opts.lrSchedule) {
    case 'constant':
      return lr;
    case 'cosine':
      return opts.minLr + ((lr - opts.minLr) * (1 + Math.cos((Math.PI * (epoch - W - 1)) / (totalEpochs - W)))) / 2;
    case 'plateau':
      return state.currentLr;
  }
}

/**
 * The state after an epoch whose monitored value (validation accuracy, higher is better) was `metric`. Pure: the
 * given state is not changed. plateau needs a finite metric (an infinite best could not be stored as JSON); the
 * other schedules ignore it.
 */
export function afterEpoch(state: Readonly<ScheduleState>, opts: ScheduleOptions, metric: number): ScheduleState {
  const next: ScheduleState = { ...state, epochsDone: state.epochsDone + 1 };
  if (opts.lrSchedule !== 'plateau' || next.epochsDone <= opts.warmupEpochs) return next;
  if (!Number.isFinite(metric)) throw new Error(`the plateau schedule needs a finite metric after each epoch (got ${metric})`);
  if (next.bestMetric === null || metric > next.bestMetric * (1 + opts.plateauThreshold)) {
    next.bestMetric = metric;
    next.badEpochs = 0;
  } else {
    next.badEpochs += 1;
  }
  if (next.badEpochs > opts.plateauPatience) {
    const reduced = Math.max(next.currentLr * opts.plateauFactor, opts.minLr);
    if (next.currentLr - reduced > PLATEAU_EPS) {
      next.currentLr = reduced;
      next.reductions += 1;
    }
    next.badEpochs = 0;
  }
  return next;
}

/** Checks a stored (untrusted) schedule state; every problem with its field. */
export function scheduleStateErrors(value: unknown): FieldError[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [{ field: '', message: 'schedule state must be an object' }];
  const v = value as Record<string, unknown>;
  const errors: FieldError[] = [];
  const known = ['baseLr', 'epochsDone', 'currentLr', 'bestMetric', 'badEpochs', 'reductions'];
  for (const key of Object.keys(v)) if (!known.includes(key)) errors.push({ field: key, message: `unknown schedule state field "${key}"` });
  const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  for (const key of ['baseLr', 'currentLr']) {
    if (!finite(v[key]) || (v[key] as number) <= 0) errors.push({ field: key, message: `${key} must be a finite number > 0 (got ${JSON.stringify(v[key])})` });
  }
  for (const key of ['epochsDone', 'badEpochs', 'reductions']) {
    if (!Number.isInteger(v[key]) || (v[key] as number) < 0) errors.push({ field: key, message: `${key} must be a non-negative integer (got ${JSON.stringify(v[key])})` });
  }
  if (v.bestMetric !== null && !finite(v.bestMetric)) errors.push({ field: 'bestMetric', message: `bestMetric must be a finite number or null (got ${JSON.stringify(v.bestMetric)})` });
  return errors;
}
