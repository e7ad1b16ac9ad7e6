import { describe, expect, it } from 'vitest';
import { augmentEnabled, augmentErrors, DEFAULT_AUGMENT, validateAugment, type AugmentOptions } from '../../src/shared/augment';

const opts = (o: Partial<AugmentOptions>): AugmentOptions => ({ ...DEFAULT_AUGMENT, ...o });
const messages = (v: unknown) => Object.fromEntries(augmentErrors(v).map((e) => [e.field, e.message]));

describe('augmentation options', () => {
  it('are all off by default and JSON-safe', () => {
    expect(DEFAULT_AUGMENT).toEqual({ channelShift: 0, timeShiftS: 0, stretch: { lo: 1, hi: 1 }, deleteP: 0, blend: 0 });
    expect(JSON.parse(JSON.stringify(DEFAULT_AUGMENT))).toEqual(DEFAULT_AUGMENT);
    expect(augmentErrors(DEFAULT_AUGMENT)).toEqual([]);
    expect(augmentEnabled(DEFAULT_AUGMENT)).toBe(false);
  });

  it('are enabled by any one option that changes spikes', () => {
    expect(augmentEnabled(opts({ channelShift: 1 }))).toBe(true);
    expect(augmentEnabled(opts({ timeShiftS: 0.01 }))).toBe(true);
    expect(augmentEnabled(opts({ stretch: { lo: 0.9, hi: 1 } }))).toBe(true);
    expect(augmentEnabled(opts({ stretch: { lo: 1, hi: 1.1 } }))).toBe(true);
    expect(augmentEnabled(opts({ stretch: { lo: 2, hi: 2 } }))).toBe(true);
    expect(augmentEnabled(opts({ deleteP: 0.1 }))).toBe(true);
    expect(augmentEnabled(opts({ blend: 0.5 }))).toBe(true);
  });

  it('accept the ends of every range', () => {
    expect(augmentErrors({ channelShift: 65535, timeShiftS: 5, stretch: { lo: 1e-3, hi: 1e-3 }, deleteP: 0.999, blend: 1 })).toEqual([]);
  });

  it('refuse out-of-range values with exact messages naming the field', () => {
    expect(messages(opts({ channelShift: 1.5 }))).toEqual({ channelShift: 'channelShift must be an integer ≥ 0 and ≤ 65535 (got 1.5)' });
    expect(messages(opts({ channelShift: -1 }))).toEqual({ channelShift: 'channelShift must be an integer ≥ 0 and ≤ 65535 (got -1)' });
    expect(messages(opts({ channelShift: 65536 }))).toEqual({ channelShift: 'channelShift must be an integer ≥ 0 and ≤ 65535 (got 65536)' });
    expect(messages(opts({ timeShiftS: -0.01 }))).toEqual({ timeShiftS: 'timeShiftS must be a finite number ≥ 0 (got -0.01)' });
    expect(messages(opts({ timeShiftS: Infinity }))).toEqual({ timeShiftS: 'timeShiftS must be a finite number ≥ 0 (got null)' });
    expect(messages(opts({ deleteP: 1 }))).toEqual({ deleteP: 'deleteP must be a number ≥ 0 and < 1 (got 1)' });
    expect(messages(opts({ deleteP: -0.1 }))).toEqual({ deleteP: 'deleteP must be a number ≥ 0 and < 1 (got -0.1)' });
    expect(messages(opts({ blend: 1.01 }))).toEqual({ blend: 'blend must be a number ≥ 0 and ≤ 1 (got 1.01)' });
    expect(messages(opts({ blend: '0.5' as unknown as number }))).toEqual({ blend: 'blend must be a number ≥ 0 and ≤ 1 (got "0.5")' });
  });

  it('check stretch as a span', () => {
    expect(messages(opts({ stretch: { lo: 0, hi: 1.2 } }))).toEqual({ 'stretch.lo': 'stretch.lo must be a finite number > 0 (got 0)' });
    expect(messages(opts({ stretch: { lo: 1.2, hi: 0.8 } }))).toEqual({ 'stretch.hi': 'stretch: the upper end 0.8 is below the lower end 1.2' });
    expect(messages(opts({ stretch: { lo: 0.9 } as unknown as AugmentOptions['stretch'] }))).toEqual({ 'stretch.hi': 'stretch.hi must be a finite number > 0 (got undefined)' });
    expect(messages(opts({ stretch: 1.1 as unknown as AugmentOptions['stretch'] }))).toEqual({ stretch: 'stretch must be {lo, hi} (got 1.1)' });
    expect(messages(opts({ stretch: { lo: 1, hi: 1, mid: 1 } as unknown as AugmentOptions['stretch'] }))).toEqual({ 'stretch.mid': 'unknown augmentation option "stretch.mid"' });
  });

  it('refuse unknown keys, missing fields and non-objects', () => {
    expect(messages({ ...DEFAULT_AUGMENT, flip: true })).toEqual({ flip: 'unknown augmentation option "flip"' });
    const { blend: _blend, ...noBlend } = DEFAULT_AUGMENT;
    expect(messages(noBlend)).toEqual({ blend: 'blend must be a number ≥ 0 and ≤ 1 (got undefined)' });
    expect(augmentErrors(null)).toEqual([{ field: '', message: 'augmentation options must be an object (got null)' }]);
    expect(augmentErrors([1])).toEqual([{ field: '', message: 'augmentation options must be an object (got [1])' }]);
  });

  it('validateAugment lists every problem in one error', () => {
    expect(validateAugment(opts({ deleteP: 0.2 }))).toEqual(opts({ deleteP: 0.2 }));
    expect(() => validateAugment(opts({ deleteP: 2, blend: -1 }))).toThrow(
      'invalid augmentation options: deleteP must be a number ≥ 0 and < 1 (got 2); blend must be a number ≥ 0 and ≤ 1 (got -1)',
    );
  });
});
