import { describe, expect, it } from 'vitest';
import {
  DEFAULT_VALIDATION,
  describeValidationSplit,
  validateValidationOptions,
  validationErrors,
} from '../../src/shared/validation';

describe('validation options', () => {
  it('defaults to a tenth, chosen automatically, and accepts both ends of the fraction range', () => {
    expect(DEFAULT_VALIDATION).toEqual({ validationFraction: 0.1, validationBy: 'auto' });
    expect(validationErrors({ ...DEFAULT_VALIDATION })).toEqual([]);
    expect(validationErrors({ validationFraction: 0, validationBy: 'class' })).toEqual([]);
    expect(validationErrors({ validationFraction: 0.5, validationBy: 'speaker' })).toEqual([]);
  });

  it('names every bad field with its message', () => {
    expect(validationErrors({ validationFraction: 0.6, validationBy: 'voice', extra: 1 })).toEqual([
      { field: 'extra', message: 'unknown option "extra"' },
      { field: 'validationFraction', message: 'validationFraction must be a number ≥ 0 and ≤ 0.5 (got 0.6)' },
      { field: 'validationBy', message: 'validationBy must be one of auto, class, speaker (got "voice")' },
    ]);
    expect(validationErrors({ validationFraction: -0.1, validationBy: 'auto' })[0].message).toBe(
      'validationFraction must be a number ≥ 0 and ≤ 0.5 (got -0.1)',
    );
    expect(validationErrors({ validationFraction: NaN, validationBy: 'auto' })[0].message).toBe(
      'validationFraction must be a number ≥ 0 and ≤ 0.5 (got null)',
    );
    expect(validationErrors({ validationFraction: '0.1', validationBy: 'auto' })[0].message).toBe(
      'validationFraction must be a number ≥ 0 and ≤ 0.5 (got "0.1")',
    );
    expect(validationErrors({}).map((e) => e.field)).toEqual(['validationFraction', 'validationBy']);
    expect(validationErrors({ validationFraction: 0.1 })[0].message).toBe('validationBy must be one of auto, class, speaker (got undefined)');
  });

  it('refuses non-objects', () => {
    for (const v of [null, 0.1, 'auto', [0.1]]) {
      expect(validationErrors(v)).toEqual([{ field: '', message: 'validation options must be an object' }]);
    }
  });

  it('validates into a clean copy, or throws every problem at once', () => {
    expect(validateValidationOptions({ validationFraction: 0.2, validationBy: 'class' })).toEqual({ validationFraction: 0.2, validationBy: 'class' });
    expect(() => validateValidationOptions({ validationFraction: 1, validationBy: 'x' })).toThrow(
      'invalid validation options: validationFraction must be a number ≥ 0 and ≤ 0.5 (got 1); validationBy must be one of auto, class, speaker (got "x")',
    );
  });

  it('describes each kind of split in one line', () => {
    expect(describeValidationSplit({ kind: 'none', trainSamples: 800, validationSamples: 0, seed: null })).toBe(
      "no validation set: the selected model is the last epoch's (800 training samples)",
    );
    expect(describeValidationSplit({ kind: 'file', trainSamples: 75466, validationSamples: 9981, seed: null })).toBe(
      'validation file: 9981 samples (75466 training samples)',
    );
    expect(describeValidationSplit({ kind: 'stratified-by-class', trainSamples: 720, validationSamples: 80, seed: 3 })).toBe(
      'stratified by class: 80 of 800 samples held out, seed 3',
    );
    expect(describeValidationSplit({ kind: 'by-speaker', trainSamples: 7340, validationSamples: 816, speakers: [3, 7], seed: 0 })).toBe(
      'by speaker: 816 of 8156 samples held out (speakers 3, 7), seed 0',
    );
  });
});
