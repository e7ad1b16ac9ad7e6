/**
 * The learning-rate schedule options (plain JSON data, shared by the engine, the config form and the CLI; no
 * Node imports). The engine's src/services/engine/training/lrSchedule.ts gives them their meaning; in short, for epoch
 * e = 1 … E (1-based; the learning rate is constant within an epoch) with base rate lr and W = warmupEpochs:
 *
 *     e ≤ W (warm-up, every schedule):  lr · e / (W + 1)          linear, from lr/(W+1) up, reaching lr at e = W+1
 *     constant:                          lr
 *     cosine:                            minLr + (lr − minLr) · (1 + cos(π · (e − W − 1) / (E − W))) / 2
 *                                        (torch's CosineAnnealingLR closed form with T_max = E − W: lr at the first
 *                                        epoch after warm-up, above minLr at the last one, minLr one epoch later)
 *     plateau:                           torch's ReduceLROnPlateau(mode='max', factor, patience, threshold,
 *                                        threshold_mode='rel', cooldown=0, min_lr=minLr, eps=1e-8) on a value to
 *                                        maximise (validation accuracy) given after each epoch past the warm-up
 */
import type { FieldError } from './fieldError';
import { unknownKeyErrors, rangeErrors, type NumericRange } from './ranges';

export type LrScheduleName = 'constant' | 'cosine' | 'plateau';

export const LR_SCHEDULES: readonly LrScheduleName[] = ['constant', 'cosine', 'plateau'];

export interface ScheduleOptions {
  /** Default 'constant' (the learning rate as configured, every epoch: today's behaviour). */
  lrSchedule: LrScheduleName;
  /** Epochs of linear warm-up before the schedule proper, for every schedule. Default 0 (none). */
  warmupEpochs: number;
  /** The floor: cosine's end value (eta_min) and plateau's min_lr. Default 0. */
  minLr: number;
  /** plateau: the rate is multiplied by this on each plateau. Default 0.1 (torch's). */
  plateauFactor: number;
  /**
   * plateau: epochs without improvement that are tolerated; the rate is reduced after patience + 1 of them in a
   * row (torch's num_bad_epochs > patience). Default 10 (torch's).
   */
  plateauPatience: number;
  /**
   * plateau: relative improvement that counts, metric > best · (1 + threshold) (torch's threshold_mode='rel').
   * Default 1e-4 (torch's).
   */
  plateauThreshold: number;
}

export const DEFAULT_SCHEDULE: Readonly<ScheduleOptions> = Object.freeze({
  lrSchedule: 'constant',
  warmupEpochs: 0,
  minLr: 0,
  plateauFactor: 0.1,
  plateauPatience: 10,
  plateauThreshold: 1e-4,
});

type ScheduleNumericKey = Exclude<keyof ScheduleOptions, 'lrSchedule'>;

/** Allowed ranges; the validator enforces them and a form can show them. */
export const SCHEDULE_RANGES: Readonly<Record<ScheduleNumericKey, NumericRange>> = Object.freeze({
  warmupEpochs: { min: 0, max: 100_000, integer: true },
  minLr: { min: 0, max: 10, integer: false },
  plateauFactor: { min: 0, max: 1, integer: false, minExclusive: true, maxExclusive: true },
  plateauPatience: { min: 0, max: 100_000, integer: true },
  plateauThreshold: { min: 0, max: 1, integer: false },
});

/**
 * Checks an untrusted value (IPC payload, parsed JSON, session file) as complete ScheduleOptions; returns every
 * problem with the field it concerns (field '' for the value as a whole).
 */
export function scheduleErrors(value: unknown): FieldError[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [{ field: '', message: 'schedule options must be an object' }];
  const v = value as Record<string, unknown>;
  const errors: FieldError[] = unknownKeyErrors(v, 'schedule', Object.keys(DEFAULT_SCHEDULE));
  if (!LR_SCHEDULES.includes(v.lrSchedule as LrScheduleName)) {
    errors.push({ field: 'lrSchedule', message: `lrSchedule must be one of ${LR_SCHEDULES.join(', ')} (got ${JSON.stringify(v.lrSchedule)})` });
  }
  errors.push(...rangeErrors(v, SCHEDULE_RANGES));
  return errors;
}

/** Throws one error listing every problem; returns the value typed when it is valid. */
export function validateSchedule(value: unknown): ScheduleOptions {
  const errors = scheduleErrors(value);
  if (errors.length) throw new Error(`invalid schedule options: ${errors.map((e) => e.message).join('; ')}`);
  return value as ScheduleOptions;
}

/** The defaults with `partial` over them, validated. */
export function makeSchedule(partial: Partial<ScheduleOptions> = {}): ScheduleOptions {
  return validateSchedule({ ...DEFAULT_SCHEDULE, ...partial });
}
