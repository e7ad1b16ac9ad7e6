import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { binBatch, binEndTimes, binIndex, linspaceEdges, makeBinner, toDense, type BinSpec } from '../../../src/services/data/binning';
import type { SpikeDataset } from '../../../src/services/data/spikeDataset';
import type { Binning } from '../../../src/shared/config';
import { SeededRandom } from '../../../src/services/random/seededRandom';

/** A CSR dataset from per-sample spike lists (times rounded to float32 as a file would hold them). */
function dataset(samples: Array<{ t: number[]; u: number[] }>, channels: number, labels?: number[]): SpikeDataset {
  const offsets = new Float64Array(samples.length + 1);
  samples.forEach((s, i) => (offsets[i + 1] = offsets[i] + s.t.length));
  const total = offsets[samples.length];
  const times = new Float32Array(total);
  const units = new Uint16Array(total);
  samples.forEach((s, i) => {
    times.set(s.t, offsets[i]);
    units.set(s.u, offsets[i]);
  });
  return {
    name: 'test',
    samples: samples.length,
    channels,
    classNames: ['a', 'b', 'c'],
    labels: Int32Array.from(labels ?? samples.map((_, i) => i % 3)),
    offsets,
    times,
    units,
  };
}

describe('linspaceEdges', () => {
  it('matches numpy.linspace(0, 1.4, 100) at the ends and the step formula i*(max/(T-1))', () => {
    const e = linspaceEdges(1.4, 100);
    expect(e.length).toBe(100);
    expect(e[0]).toBe(0);
    expect(e[99]).toBe(1.4);
    expect(e[1]).toBe(1.4 / 99);
    expect(e[50]).toBe(50 * (1.4 / 99));
  });
  it('has the single edge 0 for one step', () => {
    expect(Array.from(linspaceEdges(2, 1))).toEqual([0]);
  });
});

describe('binEndTimes', () => {
  it('puts every time of bin t below its end and at or after the end of bin t − 1, for both binnings', () => {
    for (const binning of ['spytorch', 'uniform'] as Binning[]) {
      const spec: BinSpec = { nbSteps: 50, maxTimeS: 0.7, binning };
      const ends = binEndTimes(spec);
      const binner = makeBinner(spec);
      expect(ends).toHaveLength(50);
      expect(ends[49]).toBeCloseTo(0.7, 12);
      for (let i = 0; i < 7000; i++) {
        const t = (i / 7000) * 0.7;
        const b = binner.bin(t);
        expect(t, `${binning} t=${t}`).toBeLessThan(ends[b] + 1e-9);
        if (b > 0) expect(t).toBeGreaterThanOrEqual(ends[b - 1] - 1e-9);
      }
    }
    // spytorch's bin 0 holds only times below 0; its first step ends at 0. uniform's first bin is [0, w).
    expect(Array.from(binEndTimes({ nbSteps: 3, maxTimeS: 1, binning: 'spytorch' }))).toEqual([0, 0.5, 1]);
    expect(Array.from(binEndTimes({ nbSteps: 4, maxTimeS: 1, binning: 'uniform' }))).toEqual([0.25, 0.5, 0.75, 1]);
  });
});

describe('binIndex by hand', () => {
  const spy: BinSpec = { nbSteps: 5, maxTimeS: 1, binning: 'spytorch' };
  const uni: BinSpec = { nbSteps: 5, maxTimeS: 1, binning: 'uniform' };
  it('spytorch counts edges ≤ t (edges 0, .25, .5, .75, 1)', () => {
    expect(binIndex(0, spy)).toBe(1);
    expect(binIndex(0.1, spy)).toBe(1);
    expect(binIndex(0.25, spy)).toBe(2);
    expect(binIndex(0.2499, spy)).toBe(1);
    expect(binIndex(0.5, spy)).toBe(3);
    expect(binIndex(0.99, spy)).toBe(4);
    expect(binIndex(1, spy)).toBe(-1);
    expect(binIndex(7, spy)).toBe(-1);
    expect(binIndex(Infinity, spy)).toBe(-1);
    expect(binIndex(NaN, spy)).toBe(-1);
    // digitize puts anything below the first edge into bin 0 (the reader refuses such times)
    expect(binIndex(-0.5, spy)).toBe(0);
  });
  it('uniform is floor(t / (max/T)) with bins of width 0.2', () => {
    expect(binIndex(0, uni)).toBe(0);
    expect(binIndex(0.19, uni)).toBe(0);
    expect(binIndex(0.2, uni)).toBe(1);
    expect(binIndex(0.79, uni)).toBe(3);
    expect(binIndex(0.81, uni)).toBe(4);
    expect(binIndex(1, uni)).toBe(-1);
    expect(binIndex(-0.01, uni)).toBe(-1);
    expect(binIndex(NaN, uni)).toBe(-1);
  });
  it('spytorch keeps the float32 of 1.4 (just below the float64 edge 1.4) in the last bin', () => {
    const s: BinSpec = { nbSteps: 100, maxTimeS: 1.4, binning: 'spytorch' };
    expect(Math.fround(1.4)).toBeLessThan(1.4);
    expect(binIndex(Math.fround(1.4), s)).toBe(99);
    expect(binIndex(1.4, s)).toBe(-1);
  });
  it('rejects a bad spec', () => {
    expect(() => makeBinner({ nbSteps: 0, maxTimeS: 1, binning: 'uniform' })).toThrow(/nbSteps/);
    expect(() => makeBinner({ nbSteps: 3, maxTimeS: 0, binning: 'uniform' })).toThrow(/maxTimeS/);
    expect(() => makeBinner({ nbSteps: 3, maxTimeS: 1, binning: 'log' as Binning })).toThrow(/binning/);
  });
});

describe('binBatch by hand', () => {
  const ds = dataset(
    [
      { t: [0.1, 0.1, 0.3, 0.95, 1.0, 1.2], u: [2, 2, 0, 1, 1, 0] },
      { t: [0.0, 0.5], u: [3, 3] },
      { t: [], u: [] },
    ],
    4,
  );
  it('uniform: repeated spikes add up, spikes at/after max_time are dropped and counted, order follows the indices', () => {
    const b = binBatch(ds, [1, 0, 2], { nbSteps: 4, maxTimeS: 1, binning: 'uniform' });
    expect(b.size).toBe(3);
    expect(Array.from(b.indices)).toEqual([1, 0, 2]);
    expect(Array.from(b.labels)).toEqual([1, 0, 2]);
    // sample 1 (batch row 0): t=0 → bin 0, c=3; t=0.5 → bin 2, c=3
    // sample 0 (batch row 1): 0.1,0.1 → bin 0 c=2 (×2); 0.3 → bin 1 c=0; 0.95 → bin 3 c=1; 1.0, 1.2 dropped
    const row = 4 * 4;
    expect(Array.from(b.flat)).toEqual([0 * 4 + 3, 2 * 4 + 3, row + 0 * 4 + 2, row + 1 * 4 + 0, row + 3 * 4 + 1]);
    expect(Array.from(b.counts)).toEqual([1, 1, 2, 1, 1]);
    expect(b.dropped).toBe(2);
    const dense = toDense(b);
    expect(dense.length).toBe(3 * 4 * 4);
    expect(dense[row + 2]).toBe(2);
    expect(dense.reduce((a, x) => a + x, 0)).toBe(6);
  });
  it('spytorch: bin 0 stays empty for non-negative times', () => {
    const b = binBatch(ds, [0, 1], { nbSteps: 5, maxTimeS: 1, binning: 'spytorch' });
    // edges 0,.25,.5,.75,1: 0.1→1, 0.3→2, 0.95→4, 1.0→drop, 1.2→drop; 0→1, 0.5→3
    const keys = Array.from(b.flat).map((f) => [Math.floor(f / 20), Math.floor((f % 20) / 4), f % 4]);
    expect(keys).toEqual([
      [0, 1, 2],
      [0, 2, 0],
      [0, 4, 1],
      [1, 1, 3],
      [1, 3, 3],
    ]);
    expect(Array.from(b.counts)).toEqual([2, 1, 1, 1, 1]);
    expect(b.dropped).toBe(2);
  });
  it('refuses an index outside the dataset', () => {
    expect(() => binBatch(ds, [3], { nbSteps: 5, maxTimeS: 1, binning: 'uniform' })).toThrow(/sample index 3 out of range/);
  });
});

interface ExpectedCase {
  nbSteps: number;
  maxTimeS: number;
  binning: Binning;
  channels: number;
  times: number[][];
  units: number[][];
  bins: number[][];
  flat: number[];
  counts: number[];
  total: number;
}

describe("against the reference's own binned()", () => {
  const expected = JSON.parse(readFileSync(new URL('../../fixtures/binning_expected.json', import.meta.url), 'utf8')) as {
    cases: ExpectedCase[];
  };
  it('has cases for both binnings', () => {
    expect(expected.cases.length).toBeGreaterThanOrEqual(12);
    expect(new Set(expected.cases.map((c) => c.binning))).toEqual(new Set(['spytorch', 'uniform']));
  });
  for (const c of expected.cases) {
    it(`${c.binning} T=${c.nbSteps} max=${c.maxTimeS}`, () => {
      const spec: BinSpec = { nbSteps: c.nbSteps, maxTimeS: c.maxTimeS, binning: c.binning };
      const binner = makeBinner(spec);
      c.times.forEach((ts, s) => {
        const got = ts.map((t) => binner.bin(Math.fround(t)));
        expect(got).toEqual(c.bins[s]);
      });
      const ds = dataset(
        c.times.map((t, i) => ({ t, u: c.units[i] })),
        c.channels,
      );
      const all = Array.from({ length: ds.samples }, (_, i) => i);
      const b = binBatch(ds, all, spec);
      expect(Array.from(b.flat)).toEqual(c.flat);
      expect(Array.from(b.counts)).toEqual(c.counts);
      const spikes = c.times.reduce((a, t) => a + t.length, 0);
      expect(b.dropped).toBe(spikes - c.total);
    });
  }
});

describe('binBatch against a naive dense count, sparse and dense samples', () => {
  // Sparse samples (few spikes in a big T×C grid) take the sort path, dense ones the bitmap path.
  for (const [spikes, T, C] of [
    [5, 500, 700],
    [40, 300, 64],
    [3000, 100, 700],
    [2000, 7, 3],
  ]) {
    it(`${spikes} spikes per sample, T=${T}, C=${C}`, () => {
      const rng = new SeededRandom(spikes + T);
      const samples = Array.from({ length: 6 }, (_, i) => {
        const n = i === 2 ? 0 : Math.max(1, Math.round(spikes * (0.5 + rng.next())));
        return { t: Array.from({ length: n }, () => rng.next() * 1.1), u: Array.from({ length: n }, () => rng.int(C)) };
      });
      const ds = dataset(samples, C);
      for (const binning of ['spytorch', 'uniform'] as const) {
        const spec: BinSpec = { nbSteps: T, maxTimeS: 1, binning };
        const order = [4, 0, 2, 5, 1, 3];
        const got = binBatch(ds, order, spec);
        const want = new Float32Array(order.length * T * C);
        let dropped = 0;
        order.forEach((i, b) => {
          for (let s = ds.offsets[i]; s < ds.offsets[i + 1]; s++) {
            const bin = binIndex(ds.times[s], spec);
            if (bin < 0) dropped++;
            else want[(b * T + bin) * C + ds.units[s]]++;
          }
        });
        expect(got.dropped).toBe(dropped);
        expect(dropped).toBeGreaterThan(0);
        for (let k = 1; k < got.flat.length; k++) if (!(got.flat[k] > got.flat[k - 1])) throw new Error(`flat not ascending at ${k}`);
        expect(toDense(got)).toEqual(want);
      }
    });
  }
});
