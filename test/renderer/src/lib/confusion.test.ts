import { describe, expect, it } from 'vitest';
import { checkConfusion, normalizeRows, overallAccuracy, perClassAccuracy } from '../../../../src/renderer/src/lib/confusion';
import { heatColor, textColorOn } from '../../../../src/renderer/src/lib/colors';

describe('confusion matrix', () => {
  const m = [
    [8, 2, 0],
    [1, 3, 0],
    [0, 0, 0],
  ];
  it('normalises rows and keeps empty rows at zero', () => {
    expect(normalizeRows(m)).toEqual([
      [0.8, 0.2, 0],
      [0.25, 0.75, 0],
      [0, 0, 0],
    ]);
  });
  it('computes per-class and overall accuracy', () => {
    expect(perClassAccuracy(m)).toEqual([0.8, 0.75, null]);
    expect(overallAccuracy(m)).toBeCloseTo(11 / 14, 12);
    expect(overallAccuracy([])).toBe(0);
  });
  it('refuses ragged or negative matrices', () => {
    expect(() => checkConfusion([[1, 2], [3]])).toThrow(/row 1 has 1 entries, expected 2/);
    expect(() => checkConfusion([[1, -2], [3, 4]])).toThrow(/confusion\[0\]\[1\] is -2/);
    expect(() => checkConfusion(m)).not.toThrow();
  });
  it('heat colours run from dark to light viridis, text contrasts', () => {
    expect(heatColor(0)).toEqual([68, 1, 84]);
    expect(heatColor(1)).toEqual([253, 231, 37]);
    expect(heatColor(2)).toEqual([253, 231, 37]);
    expect(heatColor(0.0625)).toEqual([70, 23, 103]);
    expect(textColorOn(heatColor(0))).toBe('#fff');
    expect(textColorOn(heatColor(1))).toBe('#000');
  });
});
