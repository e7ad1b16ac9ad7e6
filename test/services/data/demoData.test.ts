import { describe, expect, it } from 'vitest';
import { DEMO_CHANNELS, DEMO_CLASSES, DEMO_MAX_TIME_S, makeDemoDataset } from '../../../src/services/data/demoData';
import type { SpikeDataset } from '../../../src/services/data/spikeDataset';

const train = makeDemoDataset({ seed: 7, split: 'train' });
const test = makeDemoDataset({ seed: 7, split: 'test' });

/** A sample's identity: its spike count and first spikes. */
function sampleKey(ds: SpikeDataset, i: number): string {
  const a = ds.offsets[i];
  const b = Math.min(ds.offsets[i + 1], a + 8);
  return `${ds.offsets[i + 1] - a}|${Array.from(ds.times.subarray(a, b)).join(',')}|${Array.from(ds.units.subarray(a, b)).join(',')}`;
}

const sameBytes = (a: ArrayBufferView, b: ArrayBufferView) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe('makeDemoDataset', () => {
  it('is deterministic: same seed and split give identical arrays', () => {
    const again = makeDemoDataset({ seed: 7, split: 'train' });
    expect(again.times.length).toBe(train.times.length);
    expect(sameBytes(again.labels, train.labels)).toBe(true);
    expect(sameBytes(again.offsets, train.offsets)).toBe(true);
    expect(sameBytes(again.times, train.times)).toBe(true);
    expect(sameBytes(again.units, train.units)).toBe(true);
  });

  it('gives different data for another seed, and train and test share no sample', () => {
    const other = makeDemoDataset({ seed: 8, split: 'train' });
    expect(sameBytes(other.times.subarray(0, 1000), train.times.subarray(0, 1000))).toBe(false);
    const trainKeys = new Set(Array.from({ length: train.samples }, (_, i) => sampleKey(train, i)));
    for (let i = 0; i < test.samples; i++) expect(trainKeys.has(sampleKey(test, i))).toBe(false);
  });

  it('has SHD shapes: 700 channels, 20 named classes, balanced labels, CSR offsets', () => {
    expect([train.samples, test.samples]).toEqual([800, 200]);
    expect(train.channels).toBe(700);
    expect(train.classNames).toEqual(Array.from({ length: 20 }, (_, k) => `demo-${k}`));
    expect(train.name).toBe('demo');
    for (const ds of [train, test]) {
      expect(ds.offsets.length).toBe(ds.samples + 1);
      expect(ds.offsets[0]).toBe(0);
      expect(ds.offsets[ds.samples]).toBe(ds.times.length);
      expect(ds.units.length).toBe(ds.times.length);
      const counts = new Array(DEMO_CLASSES).fill(0);
      for (const l of ds.labels) counts[l]++;
      expect(counts).toEqual(new Array(DEMO_CLASSES).fill(ds.samples / DEMO_CLASSES));
    }
    expect(makeDemoDataset({ seed: 1, samples: 37, split: 'test' }).samples).toBe(37);
  });

  it('keeps times in [0, 1.4 s), sorted within each sample, units below 700, SHD-like but lighter density', () => {
    for (const ds of [train, test]) {
      let min = Infinity;
      let max = -Infinity;
      let maxUnit = 0;
      let unsorted = 0;
      for (let i = 0; i < ds.samples; i++) {
        for (let j = ds.offsets[i] + 1; j < ds.offsets[i + 1]; j++) if (ds.times[j] < ds.times[j - 1]) unsorted++;
      }
      expect(unsorted).toBe(0);
      for (let j = 0; j < ds.times.length; j++) {
        min = Math.min(min, ds.times[j]);
        max = Math.max(max, ds.times[j]);
        maxUnit = Math.max(maxUnit, ds.units[j]);
      }
      expect(min).toBeGreaterThanOrEqual(0);
      expect(max).toBeLessThan(DEMO_MAX_TIME_S);
      expect(max).toBeGreaterThan(1.3);
      expect(maxUnit).toBeLessThan(DEMO_CHANNELS);
      const perSample = ds.times.length / ds.samples;
      expect(perSample).toBeGreaterThan(1000);
      expect(perSample).toBeLessThan(3000);
    }
  });

  it('is learnable: a nearest-class-mean classifier on coarse time × channel bins beats chance many times over', () => {
    // 14 time bins of 100 ms × 35 channel bins of 20 channels, per-sample normalised.
    const T = 14;
    const C = 35;
    const features = (ds: SpikeDataset, i: number) => {
      const f = new Float64Array(T * C);
      for (let j = ds.offsets[i]; j < ds.offsets[i + 1]; j++) f[Math.floor(ds.times[j] / 0.1) * C + Math.floor(ds.units[j] / 20)]++;
      const norm = Math.hypot(...f) || 1;
      return f.map((x) => x / norm);
    };
    const means = Array.from({ length: DEMO_CLASSES }, () => new Float64Array(T * C));
    for (let i = 0; i < train.samples; i++) {
      const f = features(train, i);
      const m = means[train.labels[i]];
      for (let k = 0; k < f.length; k++) m[k] += f[k];
    }
    let correct = 0;
    for (let i = 0; i < test.samples; i++) {
      const f = features(test, i);
      let best = -1;
      let bestScore = -Infinity;
      means.forEach((m, c) => {
        let s = 0;
        for (let k = 0; k < f.length; k++) s += f[k] * m[k];
        const score = s / (Math.hypot(...m) || 1);
        if (score > bestScore) [best, bestScore] = [c, score];
      });
      if (best === test.labels[i]) correct++;
    }
    // Chance is 5 %.
    expect(correct / test.samples).toBeGreaterThan(0.5);
  });

  it('generates both splits quickly (well under a second on an idle machine)', () => {
    const t0 = performance.now();
    makeDemoDataset({ seed: 3, split: 'train' });
    makeDemoDataset({ seed: 3, split: 'test' });
    const ms = performance.now() - t0;
    // A generous bound: the test machine has two cores shared by parallel test files.
    expect(ms).toBeLessThan(4000);
  });

  it('refuses bad options with a message naming them', () => {
    expect(() => makeDemoDataset({ samples: 0 })).toThrow('demo dataset: samples must be a positive integer (got 0)');
    expect(() => makeDemoDataset({ seed: -1 })).toThrow('demo dataset: seed must be an integer');
  });
});
