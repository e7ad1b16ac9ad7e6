import { describe, expect, it } from 'vitest';
import { augmentBatch, binAugmentedBatch, classIndex, sampleDraws } from '../../../src/services/data/augment';
import { binBatch } from '../../../src/services/data/binning';
import type { SpikeDataset } from '../../../src/services/data/spikeDataset';
import { SeededRandom } from '../../../src/services/random/seededRandom';
import { DEFAULT_AUGMENT, type AugmentOptions } from '../../../src/shared/augment';

const CHANNELS = 100;
const CLASSES = 6;
const KEY = { seed: 7, epoch: 3 };

/**
 * A training set of `samples` samples, 300–500 spikes each, sorted by time in [0, 1) s (float32, so unique
 * with overwhelming odds), units uniform in 0…CHANNELS−1; label i mod CLASSES, speaker i mod 4.
 */
function trainSet(samples: number, seed = 1, labels?: number[]): SpikeDataset {
  const rng = new SeededRandom(seed);
  const perSample: { t: Float32Array; u: Uint16Array }[] = [];
  for (let i = 0; i < samples; i++) {
    const n = 300 + rng.int(201);
    const t = new Float32Array(n);
    for (let j = 0; j < n; j++) t[j] = rng.next();
    t.sort();
    perSample.push({ t, u: Uint16Array.from({ length: n }, () => rng.int(CHANNELS)) });
  }
  return fromSamples(perSample, labels ?? perSample.map((_, i) => i % CLASSES));
}

function fromSamples(perSample: { t: ArrayLike<number>; u: ArrayLike<number> }[], labels: number[]): SpikeDataset {
  const offsets = new Float64Array(perSample.length + 1);
  perSample.forEach((s, i) => (offsets[i + 1] = offsets[i] + s.t.length));
  const times = new Float32Array(offsets[perSample.length]);
  const units = new Uint16Array(offsets[perSample.length]);
  perSample.forEach((s, i) => {
    times.set(s.t, offsets[i]);
    units.set(s.u, offsets[i]);
  });
  return {
    name: 'train',
    samples: perSample.length,
    channels: CHANNELS,
    classNames: Array.from({ length: CLASSES }, (_, c) => `c${c}`),
    labels: Int32Array.from(labels),
    offsets,
    times,
    units,
    speakers: Int32Array.from(perSample, (_, i) => i % 4),
  };
}

const opts = (o: Partial<AugmentOptions>): AugmentOptions => ({ ...DEFAULT_AUGMENT, ...o });
const range = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

function spikesOf(ds: SpikeDataset, i: number): { t: Float32Array; u: Uint16Array } {
  return { t: ds.times.slice(ds.offsets[i], ds.offsets[i + 1]), u: ds.units.slice(ds.offsets[i], ds.offsets[i + 1]) };
}

function isSorted(t: Float32Array): boolean {
  for (let j = 1; j < t.length; j++) if (t[j] < t[j - 1]) return false;
  return true;
}

describe('augmentBatch', () => {
  const ds = trainSet(240);

  it('with every option off copies the samples bit for bit, in batch order, with labels and speakers', () => {
    const idx = [17, 3, 3, 200, 0];
    const aug = augmentBatch(ds, idx, DEFAULT_AUGMENT, KEY);
    expect([aug.samples, aug.channels, aug.classNames]).toEqual([5, CHANNELS, ds.classNames]);
    expect(Array.from(aug.labels)).toEqual(idx.map((i) => ds.labels[i]));
    expect(Array.from(aug.speakers!)).toEqual(idx.map((i) => ds.speakers![i]));
    idx.forEach((i, b) => {
      const a = spikesOf(aug, b);
      const o = spikesOf(ds, i);
      expect(new Uint8Array(a.t.buffer, a.t.byteOffset, a.t.byteLength)).toEqual(new Uint8Array(o.t.buffer));
      expect(a.u).toEqual(o.u);
    });
  });

  it('shifts each sample by one integer in [−k, k], covering the range, dropping spikes outside the channels', () => {
    const k = 4;
    const aug = augmentBatch(ds, range(ds.samples), opts({ channelShift: k }), KEY);
    const seen = new Map<number, number>();
    let dropped = 0;
    for (let i = 0; i < ds.samples; i++) {
      const o = spikesOf(ds, i);
      const a = spikesOf(aug, i);
      // The one shift j that reproduces the output from the input (times untouched, units + j, out-of-range dropped).
      const matches: number[] = [];
      for (let j = -k - 2; j <= k + 2; j++) {
        const keep = Array.from(o.u, (u) => u + j >= 0 && u + j < CHANNELS);
        const t = o.t.filter((_, s) => keep[s]);
        const u = Array.from(o.u.filter((_, s) => keep[s]), (x) => x + j);
        if (t.length === a.t.length && t.every((x, s) => x === a.t[s]) && u.every((x, s) => x === a.u[s])) matches.push(j);
      }
      expect(matches).toHaveLength(1);
      seen.set(matches[0], (seen.get(matches[0]) ?? 0) + 1);
      dropped += o.t.length - a.t.length;
    }
    expect([...seen.keys()].sort((x, y) => x - y)).toEqual([-4, -3, -2, -1, 0, 1, 2, 3, 4]);
    // 240 samples over 9 shifts: each ≈ 27, binomial σ ≈ 5.
    for (const count of seen.values()) expect(count).toBeGreaterThan(8);
    expect(Math.max(...aug.units)).toBeLessThan(CHANNELS);
    // A shift j drops about |j| of 100 channels: mean |j| = 20/9, so ≈ 2.2 % of spikes.
    const fraction = dropped / ds.times.length;
    expect(fraction).toBeGreaterThan(0.012);
    expect(fraction).toBeLessThan(0.035);
  });

  it('deletes each spike with probability p, within a binomial bound, keeping the rest in order', () => {
    const p = 0.3;
    const aug = augmentBatch(ds, range(ds.samples), opts({ deleteP: p }), KEY);
    const n = ds.times.length;
    const kept = aug.times.length;
    expect(Math.abs(kept - n * (1 - p))).toBeLessThan(4 * Math.sqrt(n * p * (1 - p)));
    // The survivors are a subsequence of the original (same time and unit, in order).
    for (const i of [0, 101, 239]) {
      const o = spikesOf(ds, i);
      const a = spikesOf(aug, i);
      let s = 0;
      for (let j = 0; j < a.t.length; j++) {
        while (s < o.t.length && (o.t[s] !== a.t[j] || o.u[s] !== a.u[j])) s++;
        expect(s).toBeLessThan(o.t.length);
        s++;
      }
    }
  });

  it('stretches each sample by one factor in [lo, hi], spread over the range', () => {
    const aug = augmentBatch(ds, range(ds.samples), opts({ stretch: { lo: 0.8, hi: 1.25 } }), KEY);
    const factors: number[] = [];
    for (let i = 0; i < ds.samples; i++) {
      const o = spikesOf(ds, i);
      const a = spikesOf(aug, i);
      expect(a.t.length).toBe(o.t.length);
      expect(a.u).toEqual(o.u);
      // Ratio of the sorted times, spike by spike: one factor per sample up to float32 rounding.
      const ratios = Array.from(a.t, (t, j) => t / o.t[j]).filter((_, j) => o.t[j] > 0.01);
      const f = ratios[ratios.length - 1];
      expect(Math.max(...ratios.map((r) => Math.abs(r - f)))).toBeLessThan(1e-5);
      factors.push(f);
    }
    expect(Math.min(...factors)).toBeGreaterThanOrEqual(0.8 - 1e-6);
    expect(Math.max(...factors)).toBeLessThanOrEqual(1.25 + 1e-6);
    expect(Math.min(...factors)).toBeLessThan(0.83);
    expect(Math.max(...factors)).toBeGreaterThan(1.22);
    const mean = factors.reduce((x, y) => x + y, 0) / factors.length;
    // Uniform on [0.8, 1.25]: mean 1.025, σ of the mean 0.13/√240 ≈ 0.008.
    expect(Math.abs(mean - 1.025)).toBeLessThan(0.035);
  });

  it('shifts each sample in time by one d in [−s, s], dropping spikes before 0 and keeping those past the window', () => {
    const s = 0.05;
    const aug = augmentBatch(ds, range(ds.samples), opts({ timeShiftS: s }), KEY);
    const shifts: number[] = [];
    for (let i = 0; i < ds.samples; i++) {
      const o = spikesOf(ds, i);
      const a = spikesOf(aug, i);
      // Spikes drop only from the front; the last ones line up and give d.
      const lost = o.t.length - a.t.length;
      const d = a.t[a.t.length - 1] - o.t[o.t.length - 1];
      let worst = 0;
      for (let j = 0; j < a.t.length; j++) worst = Math.max(worst, Math.abs(a.t[j] - o.t[j + lost] - d));
      expect(worst).toBeLessThan(1e-6);
      expect(a.u).toEqual(o.u.subarray(lost));
      // Exactly the spikes with t + d < 0 are gone (float32 rounding aside).
      expect(Math.abs(lost - o.t.filter((t) => t + d < 0).length)).toBeLessThanOrEqual(1);
      expect(Math.min(...a.t)).toBeGreaterThanOrEqual(0);
      shifts.push(d);
    }
    expect(Math.min(...shifts)).toBeGreaterThanOrEqual(-s - 1e-6);
    expect(Math.max(...shifts)).toBeLessThanOrEqual(s + 1e-6);
    expect(Math.min(...shifts)).toBeLessThan(-0.045);
    expect(Math.max(...shifts)).toBeGreaterThan(0.045);
    // Times pushed past 1 s are kept: the binning (window 1 s) drops and counts them.
    const late = aug.times.filter((t) => t >= 1).length;
    expect(late).toBeGreaterThan(0);
    const spec = { nbSteps: 50, maxTimeS: 1, binning: 'uniform' as const };
    expect(binBatch(aug, range(aug.samples), spec).dropped).toBe(late);
  });

  it('blends with a same-class partner (never itself), taking each spike of either with probability 1/2', () => {
    const aug = augmentBatch(ds, range(ds.samples), opts({ blend: 1 }), KEY);
    // Which sample holds a spike (t, u): float32 times of random draws are unique here.
    const owner = new Map<string, number>();
    for (let i = 0; i < ds.samples; i++) {
      const { t, u } = spikesOf(ds, i);
      t.forEach((x, j) => owner.set(`${x}/${u[j]}`, i));
    }
    let ownKept = 0;
    let ownTotal = 0;
    let partnerKept = 0;
    let partnerTotal = 0;
    const partners = new Set<number>();
    for (let i = 0; i < ds.samples; i++) {
      const a = spikesOf(aug, i);
      expect(aug.labels[i]).toBe(ds.labels[i]);
      expect(isSorted(a.t)).toBe(true);
      const from = new Map<number, number>();
      a.t.forEach((x, j) => {
        const o = owner.get(`${x}/${a.u[j]}`) ?? -1;
        from.set(o, (from.get(o) ?? 0) + 1);
      });
      expect(from.has(-1)).toBe(false);
      const others = [...from.keys()].filter((o) => o !== i);
      expect(others).toHaveLength(1);
      const p = others[0];
      expect(ds.labels[p]).toBe(ds.labels[i]);
      partners.add(p);
      const nOwn = ds.offsets[i + 1] - ds.offsets[i];
      const nPartner = ds.offsets[p + 1] - ds.offsets[p];
      ownKept += from.get(i) ?? 0;
      ownTotal += nOwn;
      partnerKept += from.get(p)!;
      partnerTotal += nPartner;
      // The blend's count is Binomial(nOwn + nPartner, 1/2): within 5σ of the originals' mean count.
      expect(Math.abs(a.t.length - (nOwn + nPartner) / 2)).toBeLessThan(5 * Math.sqrt((nOwn + nPartner) / 4));
    }
    expect(Math.abs(ownKept / ownTotal - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / ownTotal));
    expect(Math.abs(partnerKept / partnerTotal - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / partnerTotal));
    // Partners are spread over the class (40 samples each), not one favourite.
    expect(partners.size).toBeGreaterThan(120);
  });

  it('blends about a fraction p of the samples, and never one alone in its class', () => {
    const aug = augmentBatch(ds, range(ds.samples), opts({ blend: 0.4 }), KEY);
    let blended = 0;
    for (let i = 0; i < ds.samples; i++) {
      const a = spikesOf(aug, i);
      const o = spikesOf(ds, i);
      if (a.t.length !== o.t.length || !a.t.every((x, j) => x === o.t[j])) blended++;
    }
    expect(Math.abs(blended - 0.4 * 240)).toBeLessThan(4 * Math.sqrt(240 * 0.4 * 0.6));

    const labels = Array.from({ length: 13 }, (_, i) => (i === 12 ? 5 : i % 5));
    const lonely = trainSet(13, 2, labels);
    const out = augmentBatch(lonely, [12], opts({ blend: 1 }), KEY);
    expect(out.times).toEqual(spikesOf(lonely, 12).t);
  });

  it('gives a sample the same augmentation whatever batch it is in, and other epochs and seeds another', () => {
    const all = opts({ channelShift: 3, timeShiftS: 0.02, stretch: { lo: 0.9, hi: 1.1 }, deleteP: 0.1, blend: 0.5 });
    const alone = augmentBatch(ds, [42], all, KEY);
    const inBatch = augmentBatch(ds, [5, 230, 42, 17], all, KEY);
    const reversed = augmentBatch(ds, range(ds.samples).reverse(), all, KEY);
    expect(spikesOf(inBatch, 2)).toEqual(spikesOf(alone, 0));
    expect(spikesOf(reversed, ds.samples - 1 - 42)).toEqual(spikesOf(alone, 0));
    expect(spikesOf(augmentBatch(ds, [42], all, { ...KEY }), 0)).toEqual(spikesOf(alone, 0));

    let sameEpoch = 0;
    let sameSeed = 0;
    const nextEpoch = augmentBatch(ds, range(50), all, { seed: KEY.seed, epoch: KEY.epoch + 1 });
    const otherSeed = augmentBatch(ds, range(50), all, { seed: KEY.seed + 1, epoch: KEY.epoch });
    const base = augmentBatch(ds, range(50), all, KEY);
    for (let i = 0; i < 50; i++) {
      const x = spikesOf(base, i);
      const eq = (y: { t: Float32Array; u: Uint16Array }) => x.t.length === y.t.length && x.t.every((v, j) => v === y.t[j]) && x.u.every((v, j) => v === y.u[j]);
      if (eq(spikesOf(nextEpoch, i))) sameEpoch++;
      if (eq(spikesOf(otherSeed, i))) sameSeed++;
    }
    expect([sameEpoch, sameSeed]).toEqual([0, 0]);
  });

  it('keeps each sample\'s spike order (sorted input stays sorted; unsorted input is not reordered)', () => {
    const unsorted = fromSamples(
      [
        { t: [0.5, 0.1, 0.3, 0.1], u: [1, 2, 3, 4] },
        { t: [0.2, 0.05, 0.9], u: [5, 6, 7] },
      ],
      [0, 0],
    );
    const aug = augmentBatch(unsorted, [0, 1], opts({ stretch: { lo: 2, hi: 2 } }), KEY);
    expect(Array.from(aug.times)).toEqual([1, 0.2, 0.6, 0.2, 0.4, 0.1, 1.8].map(Math.fround));
    expect(Array.from(aug.units)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('refuses invalid options, keys and sample indices', () => {
    expect(() => augmentBatch(ds, [0], opts({ deleteP: 1 }), KEY)).toThrow('invalid augmentation options: deleteP must be a number ≥ 0 and < 1 (got 1)');
    expect(() => augmentBatch(ds, [240], DEFAULT_AUGMENT, KEY)).toThrow('train: sample index 240 out of range 0…239');
    expect(() => augmentBatch(ds, [0], DEFAULT_AUGMENT, { seed: -1, epoch: 1 })).toThrow('augmentation seed must be an integer in 0…2³²−1 (got -1)');
  });
});

describe('sampleDraws', () => {
  const ds = trainSet(240);

  it('reports the shifts and stretch augmentBatch applied to each sample', () => {
    const o = opts({ channelShift: 3, timeShiftS: 0.05, stretch: { lo: 0.8, hi: 1.2 } });
    const aug = augmentBatch(ds, range(ds.samples), o, KEY);
    const shifts = new Set<number>();
    for (const i of [0, 7, 42, 199, 239]) {
      const d = sampleDraws(ds, i, o, KEY);
      expect(d.partner).toBe(-1);
      shifts.add(d.channelShift);
      // Redo the sample by hand from the reported numbers: t·f + d in float64, stored as float32; units + j.
      const src = spikesOf(ds, i);
      const keep = Array.from(src.t, (t, s) => t * d.stretch + d.timeShiftS >= 0 && src.u[s] + d.channelShift >= 0 && src.u[s] + d.channelShift < CHANNELS);
      const a = spikesOf(aug, i);
      expect(Array.from(a.t)).toEqual(Array.from(src.t.filter((_, s) => keep[s]), (t) => Math.fround(t * d.stretch + d.timeShiftS)));
      expect(Array.from(a.u)).toEqual(Array.from(src.u.filter((_, s) => keep[s]), (u) => u + d.channelShift));
      expect(Math.abs(d.timeShiftS)).toBeLessThanOrEqual(0.05);
      expect(d.stretch).toBeGreaterThanOrEqual(0.8);
      expect(d.stretch).toBeLessThanOrEqual(1.2);
    }
    expect(shifts.size).toBeGreaterThan(1);
    expect(sampleDraws(ds, 5, DEFAULT_AUGMENT, KEY)).toEqual({ partner: -1, stretch: 1, timeShiftS: 0, channelShift: 0 });
  });

  it('names the blend partner whose spikes the blended copy holds', () => {
    const o = opts({ blend: 1 });
    for (const i of [3, 100]) {
      const p = sampleDraws(ds, i, o, KEY).partner;
      expect(p).not.toBe(i);
      expect(ds.labels[p]).toBe(ds.labels[i]);
      const own = new Set(Array.from(spikesOf(ds, i).t));
      const theirs = new Set(Array.from(spikesOf(ds, p).t));
      const a = Array.from(spikesOf(augmentBatch(ds, [i], o, KEY), 0).t);
      expect(a.every((t) => own.has(t) || theirs.has(t))).toBe(true);
      expect(a.filter((t) => theirs.has(t)).length).toBeGreaterThan(50);
    }
    expect(() => sampleDraws(ds, 240, o, KEY)).toThrow('train: sample index 240 out of range 0…239');
  });
});

describe('binAugmentedBatch', () => {
  it('bins the augmented batch as binBatch does, with the original sample indices', () => {
    const ds = trainSet(30);
    const all = opts({ channelShift: 2, timeShiftS: 0.1, deleteP: 0.2, blend: 0.5 });
    const idx = [29, 4, 11];
    const spec = { nbSteps: 40, maxTimeS: 1, binning: 'spytorch' as const };
    const batch = binAugmentedBatch(ds, idx, all, KEY, spec);
    const direct = binBatch(augmentBatch(ds, idx, all, KEY), [0, 1, 2], spec);
    expect(Array.from(batch.indices)).toEqual(idx);
    expect(Array.from(batch.labels)).toEqual(idx.map((i) => ds.labels[i]));
    expect(batch.flat).toEqual(direct.flat);
    expect(batch.counts).toEqual(direct.counts);
    expect(batch.dropped).toBe(direct.dropped);
    expect(batch.flat.length).toBeGreaterThan(500);
  });
});

describe('classIndex', () => {
  it('groups the samples by class with each sample’s rank in its class', () => {
    const ds = trainSet(14, 3, [2, 0, 2, 1, 0, 2, 5, 5, 0, 1, 2, 2, 0, 1]);
    const ci = classIndex(ds);
    expect(Array.from(ci.start)).toEqual([0, 4, 7, 12, 12, 12, 14]);
    expect(Array.from(ci.members)).toEqual([1, 4, 8, 12, 3, 9, 13, 0, 2, 5, 10, 11, 6, 7]);
    for (let i = 0; i < 14; i++) expect(ci.members[ci.start[ds.labels[i]] + ci.rank[i]]).toBe(i);
  });
});
