/**
 * Data augmentation of training samples: the options, their defaults and their validation.
 *
 * Augmentation changes only the spikes the network is trained on, never the test set or the probe. Every
 * option is off by default, so a config without augmentation trains on the data exactly as it is. The
 * options are plain JSON (numbers and one {lo, hi}), so a config or session file can hold them as they are.
 *
 * The per-sample work lives in `services/data/augment.ts`; it applies the options in this order:
 * blend, delete, stretch, time shift, channel shift.
 */
import type { FieldError } from './fieldError';
import type { Span } from './span';
import { describeRange, outOfRange, unknownKeyErrors, rangeErrors, type NumericRange } from './ranges';

export interface AugmentOptions {
  /**
   * Channel shift k (integer ≥ 0): every spike of a sample moves by the same uniform integer in [−k, k]
   * channels; spikes that land outside 0…channels−1 are dropped. Models the speaker-to-speaker shift of
   * formants along the cochlea model's channels (the "shift" of mlGeNN's SHD recipe). @default 0 (off)
   */
  channelShift: number;
  /**
   * Time shift s in seconds (≥ 0): all spike times of a sample move by the same uniform value in [−s, s];
   * spikes that would come before 0 are dropped. Spikes pushed past the binning's max time are kept here and
   * dropped (and counted) by the binning. @default 0 (off)
   */
  timeShiftS: number;
  /**
   * Time stretch: all spike times of a sample are multiplied by one uniform factor in [lo, hi] (both > 0,
   * lo ≤ hi), i.e. the utterance is spoken faster or slower. @default {lo: 1, hi: 1} (off)
   */
  stretch: Span;
  /** Probability 0 ≤ p < 1 that each spike is deleted, independently of every other spike. @default 0 (off) */
  deleteP: number;
  /**
   * Probability 0 ≤ p ≤ 1 that a sample is blended with another training sample of the same class, drawn
   * uniformly among them: the blend takes each spike of either sample with probability 1/2, so its spike
   * count stays about that of the originals, and keeps the times in order (the "blend" of mlGeNN's
   * "shift + blend" recipe, Nowotny et al. 2025). A class with one sample is never blended. @default 0 (off)
   */
  blend: number;
}

/** Every option off: training sees the data as it is. */
export const DEFAULT_AUGMENT: Readonly<AugmentOptions> = Object.freeze({
  channelShift: 0,
  timeShiftS: 0,
  stretch: Object.freeze({ lo: 1, hi: 1 }),
  deleteP: 0,
  blend: 0,
});

const KEYS: readonly (keyof AugmentOptions)[] = ['channelShift', 'timeShiftS', 'stretch', 'deleteP', 'blend'];

/** Whether any option changes the spikes (the caller can skip augmentation entirely when not). */
export function augmentEnabled(opts: AugmentOptions): boolean {
  return opts.channelShift > 0 || opts.timeShiftS > 0 || opts.stretch.lo !== 1 || opts.stretch.hi !== 1 || opts.deleteP > 0 || opts.blend > 0;
}

// channelShift is capped by the largest unit a Uint16 can name: a larger shift drops every spike anyway.
export const AUGMENT_RANGES: Readonly<Record<'channelShift' | 'timeShiftS' | 'deleteP' | 'blend', NumericRange>> = Object.freeze({
  channelShift: { integer: true, min: 0, max: 65535 },
  timeShiftS: { integer: false, min: 0 },
  deleteP: { integer: false, min: 0, max: 1, maxExclusive: true },
  blend: { integer: false, min: 0, max: 1 },
});
/** Both ends of the stretch factor range. */
export const STRETCH_RANGE: NumericRange = { integer: false, min: 0, minExclusive: true };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks an untrusted value (a config field, parsed JSON) against {@link AugmentOptions}: every field
 * present and in range, stretch.lo ≤ stretch.hi, no unknown keys. Returns every problem, each naming its
 * field (`deleteP`, `stretch.hi`), the way `configErrors` does, so a form can show them next to the inputs.
 */
export function augmentErrors(value: unknown): FieldError[] {
  if (!isRecord(value)) return [{ field: '', message: `augmentation options must be an object (got ${JSON.stringify(value)})` }];
  const errors: FieldError[] = [...unknownKeyErrors(value, 'augmentation', KEYS), ...rangeErrors(value, AUGMENT_RANGES)];
  const s = value.stretch;
  if (!isRecord(s)) {
    errors.push({ field: 'stretch', message: `stretch must be {lo, hi} (got ${JSON.stringify(s)})` });
  } else {
    for (const key of Object.keys(s)) {
      if (key !== 'lo' && key !== 'hi') errors.push({ field: `stretch.${key}`, message: `unknown augmentation option "stretch.${key}"` });
    }
    let ok = true;
    for (const end of ['lo', 'hi'] as const) {
      if (outOfRange(s[end], STRETCH_RANGE)) {
        ok = false;
        errors.push({ field: `stretch.${end}`, message: `stretch.${end} must be ${describeRange(STRETCH_RANGE)} (got ${JSON.stringify(s[end])})` });
      }
    }
    if (ok && (s.lo as number) > (s.hi as number)) {
      errors.push({ field: 'stretch.hi', message: `stretch: the upper end ${String(s.hi)} is below the lower end ${String(s.lo)}` });
    }
  }
  return errors;
}

/** Throws one error listing every problem; returns the value typed when it is valid. */
export function validateAugment(value: unknown): AugmentOptions {
  const errors = augmentErrors(value);
  if (errors.length) throw new Error(`invalid augmentation options: ${errors.map((e) => e.message).join('; ')}`);
  return value as AugmentOptions;
}
