/**
 * The cochlea front end's options (audio → SHD-layout spikes): their defaults, ranges and validation, shared by
 * the `encode` command, the app and the service (`services/audio/cochlea.ts` has the model and its equations).
 * Plain JSON, so an encoded file can record the options that made it.
 */
import type { FieldError } from './fieldError';
import { unknownKeyErrors, rangeErrors, type NumericRange } from './ranges';

export interface CochleaOptions {
  /** Filterbank channels, ERB-spaced from lowHz to highHz (SHD: 700). @default 700 */
  channels: number;
  /** Centre frequency of the lowest channel (Hz). @default 50 */
  lowHz: number;
  /** Centre frequency of the highest channel (Hz), below half the internal rate. @default 7000 */
  highHz: number;
  /** Every recording is resampled to this rate (Hz) first, so all files see the same filters. @default 16000 */
  sampleRateHz: number;
  /** Power-law compression exponent of the hair-cell output (cochlear compression ≈ 0.2–0.3). @default 0.3 */
  compression: number;
  /** Dynamic range (dB below the recording's loudest 25 ms) that drives spikes; quieter is silence. @default 60 */
  rangeDb: number;
  /** Spike rate (Hz) of a channel driven at the recording's loudest level, before adaptation. @default 400 */
  maxRateHz: number;
  /** Strength 0…1 of spike-rate adaptation (onsets fire more than sustained sound). @default 0.5 */
  adaptation: number;
  /** Time constant of the adaptation (s). @default 0.05 */
  adaptationTauS: number;
  /** Refractory period after each spike (s). @default 0.001 */
  refractoryS: number;
  /** Seeds the threshold jitter of the spike encoders (the same seed gives the same spikes). @default 0 */
  seed: number;
}

export const DEFAULT_COCHLEA: Readonly<CochleaOptions> = Object.freeze({
  channels: 700,
  lowHz: 50,
  highHz: 7000,
  sampleRateHz: 16000,
  compression: 0.3,
  rangeDb: 60,
  maxRateHz: 400,
  adaptation: 0.5,
  adaptationTauS: 0.05,
  refractoryS: 0.001,
  seed: 0,
});

export const COCHLEA_RANGES: Readonly<Record<keyof CochleaOptions, NumericRange>> = Object.freeze({
  channels: { min: 1, max: 65536, integer: true },
  lowHz: { min: 0, minExclusive: true, integer: false },
  highHz: { min: 0, minExclusive: true, integer: false },
  sampleRateHz: { min: 4000, max: 96000, integer: true },
  compression: { min: 0, max: 1, minExclusive: true, integer: false },
  rangeDb: { min: 0, max: 140, minExclusive: true, integer: false },
  maxRateHz: { min: 0, max: 1000, minExclusive: true, integer: false },
  adaptation: { min: 0, max: 1, integer: false },
  adaptationTauS: { min: 0, max: 10, minExclusive: true, integer: false },
  refractoryS: { min: 0, max: 0.1, integer: false },
  seed: { min: 0, max: 0xffff_ffff, integer: true },
});

export function cochleaErrors(value: unknown): FieldError[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [{ field: '', message: 'cochlea options must be an object' }];
  const v = value as Record<string, unknown>;
  const errors: FieldError[] = [...unknownKeyErrors(v, 'cochlea', Object.keys(DEFAULT_COCHLEA)), ...rangeErrors(v, COCHLEA_RANGES)];
  if (errors.length === 0) {
    const o = v as unknown as CochleaOptions;
    if (o.lowHz >= o.highHz) errors.push({ field: 'highHz', message: `highHz (${o.highHz}) must be above lowHz (${o.lowHz})` });
    if (o.highHz >= o.sampleRateHz / 2) errors.push({ field: 'highHz', message: `highHz (${o.highHz}) must be below half the sample rate (${o.sampleRateHz / 2} Hz)` });
    if (o.refractoryS * o.maxRateHz >= 1) errors.push({ field: 'refractoryS', message: `refractoryS × maxRateHz must be < 1 (a channel cannot fire faster than its refractory period allows)` });
  }
  return errors;
}

/** Defaults overlaid with `partial`, validated; throws with every field error in one line. */
export function cochleaOptions(partial: Partial<CochleaOptions> = {}): CochleaOptions {
  const o = { ...DEFAULT_COCHLEA, ...partial };
  const errors = cochleaErrors(o);
  if (errors.length > 0) throw new Error(`cochlea options: ${errors.map((e) => e.message).join('; ')}`);
  return o;
}
