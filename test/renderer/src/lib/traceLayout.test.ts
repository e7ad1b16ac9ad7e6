import { describe, expect, it } from 'vitest';
import { column, tracePoints, valueRange, xOf, yOf } from '../../../../src/renderer/src/lib/traceLayout';

describe('trace geometry', () => {
  it('takes a column of a [steps × units] array', () => {
    const flat = [0, 1, 2, 10, 11, 12, 20, 21, 22];
    expect(column(flat, 3, 1)).toEqual([1, 11, 21]);
    expect(() => column(flat, 3, 3)).toThrow(/outside 0…2/);
  });
  it('includes the threshold in the range and pads it', () => {
    expect(valueRange([[0, 0.5]], [1])).toEqual({ min: -0.05, max: 1.05 });
    expect(valueRange([[Number.NaN]])).toEqual({ min: 0, max: 1 });
    expect(valueRange([[2, 2]])).toEqual({ min: 1.5, max: 2.5 });
  });
  it('maps values to pixels (y down) and breaks lines at NaN', () => {
    const r = { min: 0, max: 2 };
    expect(yOf(0, r, 100)).toBe(100);
    expect(yOf(2, r, 100)).toBe(0);
    expect(xOf(4, 5, 200)).toBe(200);
    expect(tracePoints([0, Number.NaN, 2], r, 100, 50)).toEqual([{ x: 0, y: 50 }, null, { x: 100, y: 0 }]);
  });
});
