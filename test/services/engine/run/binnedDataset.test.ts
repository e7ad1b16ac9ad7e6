import { describe, expect, it } from 'vitest';
import { binBatch, type BinSpec } from '../../../../src/services/data/binning';
import { batchOf, binDataset } from '../../../../src/services/engine/run/binnedDataset';
import { makeSyntheticShd } from '../../../../src/services/data/syntheticShd';

describe('binDataset / batchOf', () => {
  const ds = makeSyntheticShd({ samples: 300, seed: 2, split: 'train', channels: 50, classes: 3, peakRateHz: 200 });
  // A sample with no spikes at all, and one whose spikes all fall after max_time.
  ds.offsets.fill(ds.offsets[4], 4, 5);
  for (const spec of [
    { nbSteps: 25, maxTimeS: 0.9, binning: 'spytorch' },
    { nbSteps: 7, maxTimeS: 1.4, binning: 'uniform' },
  ] as BinSpec[]) {
    it(`gives exactly binBatch's batches (${spec.binning}, T=${spec.nbSteps})`, () => {
      const bd = binDataset(ds, spec);
      expect(bd.offsets.length).toBe(301);
      for (const idx of [[0, 1, 2], [299, 3, 4, 5, 150], Array.from({ length: 300 }, (_, i) => 299 - i)]) {
        const want = binBatch(ds, idx, spec);
        const got = batchOf(bd, idx);
        expect(Array.from(got.flat)).toEqual(Array.from(want.flat));
        expect(Array.from(got.counts)).toEqual(Array.from(want.counts));
        expect(Array.from(got.labels)).toEqual(Array.from(want.labels));
        expect(got.size).toBe(idx.length);
      }
      expect(bd.dropped).toBe(binBatch(ds, Array.from({ length: 300 }, (_, i) => i), spec).dropped);
    });
  }

  it('names an index out of range', () => {
    const bd = binDataset(ds, { nbSteps: 5, maxTimeS: 1, binning: 'uniform' });
    expect(() => batchOf(bd, [0, 300])).toThrow(/sample index 300 out of range 0…299/);
  });
});
