import { describe, expect, it } from 'vitest';
import { barRects, binRange, histogram, tauHistograms } from '../../../../src/renderer/src/lib/tauHistogram';

describe('τ histograms', () => {
  it('counts values into equal bins, the top edge in the last bin, the rest ignored', () => {
    expect(histogram([0, 0.5, 1, 1.5, 2, 2, 3, Number.NaN, -1], 0, 2, 4)).toEqual([1, 1, 1, 3]);
    expect(histogram([], 0, 1, 3)).toEqual([0, 0, 0]);
  });

  it('widens a range of one value so it has width', () => {
    expect(binRange([[10, 10], [10]])).toEqual({ lo: 9 - 1e-9, hi: 11 + 1e-9 });
    expect(binRange([[5, 25], [30]])).toEqual({ lo: 5, hi: 30 });
    expect(binRange([[], [Number.NaN]])).toBeNull();
  });

  it('bins initial and learned τ of a layer on shared bins, in ms, with their means', () => {
    const initial = { kind: 'adlif' as const, tauMemS: [0.005, 0.01, 0.015, 0.025], tauAdaptS: [0.06, 0.3] };
    const learned = { kind: 'adlif' as const, tauMemS: [0.005, 0.005, 0.025, 0.025], tauAdaptS: [0.1, 0.2] };
    const [mem, adapt, ...rest] = tauHistograms(initial, learned, 4);
    expect(rest).toEqual([]);
    expect(mem.key).toBe('tauMemS');
    expect(mem.edges).toEqual([5, 10, 15, 20, 25]);
    expect(mem.initial).toEqual([1, 1, 1, 1]);
    expect(mem.learned).toEqual([2, 0, 0, 2]);
    expect(mem.meanInitial).toBeCloseTo(13.75, 10);
    expect(mem.meanLearned).toBeCloseTo(15, 10);
    expect(adapt.label).toBe('τ_adapt');
    expect(adapt.edges[0]).toBe(60);
    expect(adapt.edges[4]).toBe(300);
    expect(adapt.learned).toEqual([1, 0, 1, 0]);
  });

  it('shows the initial τ alone before the first epoch, and nothing without τ', () => {
    const [syn, mem] = tauHistograms({ kind: 'lif', tauSynS: [0.005], tauMemS: [0.01, 0.02] }, null, 2);
    expect(syn.initial).toEqual([0, 1]);
    expect(syn.learned).toBeNull();
    expect(mem.edges).toEqual([10, 15, 20]);
    expect(mem.meanLearned).toBeNull();
    expect(tauHistograms(null, null)).toEqual([]);
  });

  it('draws bars from the bottom, scaled to the largest count, without empty bins', () => {
    expect(barRects([2, 0, 4], 4, 300, 100)).toEqual([
      { x: 0, y: 50, w: 100, h: 50 },
      { x: 200, y: 0, w: 100, h: 100 },
    ]);
  });
});
