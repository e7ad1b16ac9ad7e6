import { describe, expect, it } from 'vitest';
import { makeDemoDataset } from '../../../src/services/data/demoData';
import type { SpikeDataset } from '../../../src/services/data/spikeDataset';
import { planValidation, splitValidation, subsetDataset, validationFromFile } from '../../../src/services/data/validationSplit';

/**
 * A handmade set whose sample i has (i % 3) + 1 spikes, all at time i (exact in float32) on unit i % 700, so the
 * first spike time of a sample is its id in the original.
 */
function handmade(labels: number[], speakers?: number[], classes = Math.max(...labels) + 1): SpikeDataset {
  const n = labels.length;
  const offsets = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i] + (i % 3) + 1;
  const times = new Float32Array(offsets[n]);
  const units = new Uint16Array(offsets[n]);
  for (let i = 0; i < n; i++) {
    for (let k = offsets[i]; k < offsets[i + 1]; k++) {
      times[k] = i;
      units[k] = i % 700;
    }
  }
  const ds: SpikeDataset = {
    name: 'hand.h5',
    samples: n,
    channels: 700,
    classNames: Array.from({ length: classes }, (_, c) => `c${c}`),
    labels: Int32Array.from(labels),
    offsets,
    times,
    units,
  };
  if (speakers) ds.speakers = Int32Array.from(speakers);
  return ds;
}

/** Original ids of a handmade subset, read back from the first spike of each sample. */
function ids(ds: SpikeDataset): number[] {
  return Array.from({ length: ds.samples }, (_, j) => ds.times[ds.offsets[j]]);
}

/** A content key per sample: label, spike count and an FNV-1a hash of its times and units, for sets without an id. */
function keys(ds: SpikeDataset): string[] {
  const timeBits = new Uint32Array(ds.times.buffer, ds.times.byteOffset, ds.times.length);
  return Array.from({ length: ds.samples }, (_, j) => {
    let h = 0x811c9dc5;
    for (let k = ds.offsets[j]; k < ds.offsets[j + 1]; k++) {
      h = Math.imul(h ^ timeBits[k], 0x01000193);
      h = Math.imul(h ^ ds.units[k], 0x01000193);
    }
    return `${ds.labels[j]}|${ds.offsets[j + 1] - ds.offsets[j]}|${h >>> 0}`;
  });
}

function perClass(ds: SpikeDataset, classes: number): number[] {
  const out = new Array<number>(classes).fill(0);
  for (const l of ds.labels) out[l]++;
  return out;
}

/** Checks the compressed-row invariants of a dataset. */
function expectWellFormed(ds: SpikeDataset): void {
  expect(ds.offsets.length).toBe(ds.samples + 1);
  expect(ds.offsets[0]).toBe(0);
  expect(ds.offsets[ds.samples]).toBe(ds.times.length);
  expect(ds.units.length).toBe(ds.times.length);
  expect(ds.labels.length).toBe(ds.samples);
  if (ds.speakers) expect(ds.speakers.length).toBe(ds.samples);
}

/** Byte equality of two typed arrays (vitest's deep equality walks them element by element, slowly). */
function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

const repeat = (value: number, times: number) => new Array<number>(times).fill(value);

describe('stratified by class', () => {
  // Classes of 10, 5, 1, 2 and 25 samples, interleaved.
  const labels = [...repeat(0, 10), ...repeat(1, 5), 2, ...repeat(3, 2), ...repeat(4, 25)];
  const order = Array.from({ length: labels.length }, (_, i) => (i * 17) % labels.length); // 17 is prime to 43
  const set = handmade(order.map((i) => labels[i]));

  it('holds out round(f·n_c) of each class, at least 1 from a class of 2 or more, none from a lone sample', () => {
    const a = splitValidation(set, { validationFraction: 0.1, validationBy: 'class' }, 0);
    // 0.1·10 = 1, 0.1·5 = 0.5 → 1, lone sample → 0, 0.1·2 = 0.2 → raised to 1, 0.1·25 = 2.5 → 3.
    expect(perClass(a.validation!, 5)).toEqual([1, 1, 0, 1, 3]);
    expect(perClass(a.train, 5)).toEqual([9, 4, 1, 1, 22]);
    expect(a.info).toEqual({ kind: 'stratified-by-class', trainSamples: 37, validationSamples: 6, seed: 0 });

    const b = splitValidation(set, { validationFraction: 0.5, validationBy: 'class' }, 0);
    expect(perClass(b.validation!, 5)).toEqual([5, 3, 0, 1, 13]);
    expect(perClass(b.train, 5)).toEqual([5, 2, 1, 1, 12]);
  });

  it('is disjoint and covering, keeps the original order, and copies channels, class names and speakers', () => {
    const withSpeakers = handmade([...set.labels], Array.from({ length: set.samples }, (_, i) => 100 + (i % 4)));
    const s = splitValidation({ ...withSpeakers, channels: 800 }, { validationFraction: 0.2, validationBy: 'class' }, 5);
    const t = ids(s.train);
    const v = ids(s.validation!);
    expect(t.filter((i) => v.includes(i))).toEqual([]);
    expect([...t, ...v].sort((x, y) => x - y)).toEqual(Array.from({ length: 43 }, (_, i) => i));
    expect(t).toEqual([...t].sort((x, y) => x - y));
    expect(v).toEqual([...v].sort((x, y) => x - y));
    expect(v).toEqual(Array.from(planValidation(withSpeakers, { validationFraction: 0.2, validationBy: 'class' }, 5).validation));
    // trainIndices names each train-part sample's place in the original.
    expect(Array.from(s.trainIndices)).toEqual(t);
    for (const part of [s.train, s.validation!]) {
      expectWellFormed(part);
      expect(part.channels).toBe(800);
      expect(part.classNames).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
      ids(part).forEach((id, j) => {
        expect(part.labels[j]).toBe(set.labels[id]);
        expect(part.speakers![j]).toBe(100 + (id % 4));
        expect(part.offsets[j + 1] - part.offsets[j]).toBe((id % 3) + 1);
      });
    }
    expect([s.train.name, s.validation!.name]).toEqual(['hand.h5 (train part)', 'hand.h5 (validation)']);
  });

  it('preserves the class proportions of the demo set exactly and splits its samples without loss', () => {
    const demo = makeDemoDataset({ seed: 0, samples: 800, split: 'train' });
    const s = splitValidation(demo, { validationFraction: 0.1, validationBy: 'auto' }, 0);
    expect(s.info).toEqual({ kind: 'stratified-by-class', trainSamples: 720, validationSamples: 80, seed: 0 });
    expect(perClass(s.validation!, 20)).toEqual(repeat(4, 20));
    expect(perClass(s.train, 20)).toEqual(repeat(36, 20));
    expect(s.train.times.length + s.validation!.times.length).toBe(demo.times.length);
    const original = keys(demo);
    expect(new Set(original).size).toBe(800);
    const t = keys(s.train);
    const v = new Set(keys(s.validation!));
    expect(t.filter((k) => v.has(k))).toEqual([]);
    expect([...t, ...v].sort()).toEqual([...original].sort());
    expectWellFormed(s.train);
    expectWellFormed(s.validation!);
    expect([s.train.name, s.validation!.name]).toEqual(['demo (train part)', 'demo (validation)']);
  });

  it('gives the same split for the same seed and a different one for another seed', () => {
    const demo = makeDemoDataset({ seed: 0, samples: 200, split: 'train' });
    const opts = { validationFraction: 0.2, validationBy: 'class' } as const;
    const a = splitValidation(demo, opts, 7);
    const b = splitValidation(demo, opts, 7);
    expect(sameBytes(b.validation!.labels, a.validation!.labels)).toBe(true);
    expect(sameBytes(b.validation!.times, a.validation!.times)).toBe(true);
    expect(sameBytes(b.train.units, a.train.units)).toBe(true);
    expect(sameBytes(b.train.offsets, a.train.offsets)).toBe(true);
    const planA = Array.from(planValidation(demo, opts, 7).validation);
    const planC = Array.from(planValidation(demo, opts, 8).validation);
    expect(planC).not.toEqual(planA);
    expect(planC.length).toBe(planA.length);
  });

  it('with f = 0 gives no validation set and the untouched train set', () => {
    const demo = makeDemoDataset({ seed: 0, samples: 40, split: 'train' });
    for (const by of ['auto', 'class', 'speaker'] as const) {
      const s = splitValidation(demo, { validationFraction: 0, validationBy: by }, 0);
      expect(s.train).toBe(demo);
      expect(s.validation).toBeNull();
      expect(s.info).toEqual({ kind: 'none', trainSamples: 40, validationSamples: 0, seed: null });
      expect(Array.from(s.trainIndices)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    }
  });

  it('refuses a fraction that holds out nothing, bad options and bad seeds', () => {
    expect(() => splitValidation(handmade([0, 1, 2]), { validationFraction: 0.1, validationBy: 'class' }, 0)).toThrow(
      'hand.h5: validationFraction 0.1 holds out no sample (every class has a single sample); use 0 for no validation set',
    );
    expect(() => splitValidation(set, { validationFraction: 0.7, validationBy: 'class' }, 0)).toThrow(
      'invalid validation options: validationFraction must be a number ≥ 0 and ≤ 0.5 (got 0.7)',
    );
    expect(() => splitValidation(set, { validationFraction: 0.1, validationBy: 'class' }, -1)).toThrow(
      'validation split: seed must be an integer in 0…2³²−1 (got -1)',
    );
  });
});

describe('by speaker', () => {
  // 10 speakers (ids 20…29) of 6 to 15 samples each; every speaker speaks all 3 classes.
  const sizes = [6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
  const labels: number[] = [];
  const speakers: number[] = [];
  sizes.forEach((n, s) => {
    for (let k = 0; k < n; k++) {
      labels.push(k % 3);
      speakers.push(20 + s);
    }
  });
  // Interleave speakers so a speaker's samples are not contiguous.
  const perm = Array.from({ length: labels.length }, (_, i) => (i * 8) % labels.length); // 8 is prime to 105
  const set = handmade(
    perm.map((i) => labels[i]),
    perm.map((i) => speakers[i]),
  );

  it('auto holds out by class when every test speaker also speaks in train, and by speaker when the test holds out a voice', () => {
    const opts = { validationFraction: 0.2, validationBy: 'auto' } as const;
    const seenOnly = splitValidation(set, opts, 0, { testSpeakers: [20, 25, 29, 20] });
    expect(seenOnly.info.kind).toBe('stratified-by-class');
    expect(seenOnly.info.reason).toBe('auto: every test speaker also speaks in train');
    expect(seenOnly.info).toEqual({ ...splitValidation(set, { ...opts, validationBy: 'class' }, 0).info, reason: seenOnly.info.reason });
    // One unseen test voice (99): held out by speaker, exactly as without a test set.
    expect(splitValidation(set, opts, 0, { testSpeakers: [20, 99] }).info).toEqual(splitValidation(set, opts, 0).info);
    // An explicit `speaker` is obeyed whatever the test set holds.
    expect(splitValidation(set, { ...opts, validationBy: 'speaker' }, 0, { testSpeakers: [20] }).info.kind).toBe('by-speaker');
  });

  it('auto holds out whole speakers when the file has them, about f of the samples, and says which', () => {
    const s = splitValidation(set, { validationFraction: 0.2, validationBy: 'auto' }, 0);
    expect(s.info).toEqual({ kind: 'by-speaker', trainSamples: 86, validationSamples: 19, speakers: [23, 24], seed: 0 });
    expect(s.info.kind).toBe('by-speaker');
    const held = s.info.speakers!;
    expect(held).toEqual([...held].sort((a, b) => a - b));
    const heldSamples = held.reduce((sum, id) => sum + sizes[id - 20], 0);
    expect(s.info.validationSamples).toBe(heldSamples);
    expect(s.info.trainSamples).toBe(105 - heldSamples);
    // target round(0.2·105) = 21; the rule takes a speaker only when it gets closer, so the miss is under the
    // smallest speaker's 6 samples.
    expect(Math.abs(heldSamples - 21)).toBeLessThan(6);
    expect(new Set(s.validation!.speakers)).toEqual(new Set(held));
    expect([...s.train.speakers!].filter((id) => held.includes(id))).toEqual([]);
    // Whole speakers: every sample of a held-out speaker is in validation.
    ids(s.validation!).forEach((id) => expect(held).toContain(set.speakers![id]));
    for (let i = 0; i < set.samples; i++) expect(ids(s.validation!).includes(i)).toBe(held.includes(set.speakers![i]));
    expect(perClass(s.train, 3).every((n) => n > 0)).toBe(true);
    expectWellFormed(s.train);
    expectWellFormed(s.validation!);
    expect(s.train.samples + s.validation!.samples).toBe(105);
    expect([...ids(s.train), ...ids(s.validation!)].sort((a, b) => a - b)).toEqual(Array.from({ length: 105 }, (_, i) => i));
  });

  it('is the same for the same seed, differs across seeds, and equals the explicit speaker choice', () => {
    const opts = { validationFraction: 0.2, validationBy: 'speaker' } as const;
    const a = planValidation(set, opts, 3);
    expect(planValidation(set, opts, 3)).toEqual(a);
    expect(planValidation(set, { ...opts, validationBy: 'auto' }, 3)).toEqual(a);
    const choices = new Set(Array.from({ length: 8 }, (_, seed) => planValidation(set, opts, seed).speakers!.join(',')));
    expect(choices.size).toBeGreaterThan(1);
  });

  it('never holds out the only speaker of a class, whatever the seed', () => {
    // Speaker 0 alone says class 3.
    const only = handmade([...set.labels, 3, 3], [...set.speakers!, 20, 20]);
    for (let seed = 0; seed < 30; seed++) {
      const plan = planValidation(only, { validationFraction: 0.5, validationBy: 'speaker' }, seed);
      expect(plan.speakers).not.toContain(20);
    }
  });

  it('holds out the smallest speaker when every speaker is over twice the target', () => {
    const big = handmade([...repeat(0, 30), ...repeat(1, 30), ...repeat(0, 20), ...repeat(1, 20)], [...repeat(1, 60), ...repeat(2, 40)]);
    const s = splitValidation(big, { validationFraction: 0.05, validationBy: 'speaker' }, 0);
    expect(s.info).toEqual({ kind: 'by-speaker', trainSamples: 60, validationSamples: 40, speakers: [2], seed: 0 });
  });

  it('auto falls back to class, with the reason, when the smallest speaker holds more than twice the fraction', () => {
    // Two speakers of 60 and 40: a speaker split would take 40 % of the file for a fraction of 5 % (FSDD's four
    // training speakers hold 25 % each).
    const big = handmade([...repeat(0, 30), ...repeat(1, 30), ...repeat(0, 20), ...repeat(1, 20)], [...repeat(1, 60), ...repeat(2, 40)]);
    const s = splitValidation(big, { validationFraction: 0.05, validationBy: 'auto' }, 0);
    expect(s.info).toEqual({
      kind: 'stratified-by-class',
      trainSamples: 94,
      validationSamples: 6,
      seed: 0,
      reason:
        'auto: too few speakers for a speaker split (2; the smallest holds 40 of 100 samples, 40 %, more than twice the validation fraction 0.05), so held out by class: the validation set shares voices with training and reads higher than the test',
    });
  });

  it('explicit speaker refuses sets it cannot split; auto falls back to stratified by class', () => {
    const noSpeakers = handmade([0, 0, 1, 1]);
    const oneSpeaker = handmade([0, 0, 1, 1], [5, 5, 5, 5]);
    const disjoint = handmade([0, 0, 1, 1], [5, 5, 6, 6]); // each speaker alone says one class
    const speaker = { validationFraction: 0.5, validationBy: 'speaker' } as const;
    expect(() => planValidation(noSpeakers, speaker, 0)).toThrow(
      'hand.h5: cannot hold out validation speakers: it has no speaker ids (use validationBy "class")',
    );
    expect(() => planValidation(oneSpeaker, speaker, 0)).toThrow('hand.h5: cannot hold out validation speakers: it has 1 speaker (use validationBy "class")');
    expect(() => planValidation(disjoint, speaker, 0)).toThrow(
      'hand.h5: cannot hold out validation speakers: no speaker can be held out without removing the last training sample of a class (use validationBy "class")',
    );
    for (const ds of [noSpeakers, oneSpeaker, disjoint]) {
      const s = splitValidation(ds, { ...speaker, validationBy: 'auto' }, 0);
      expect(s.info).toEqual({ kind: 'stratified-by-class', trainSamples: 2, validationSamples: 2, seed: 0 });
      expect(perClass(s.validation!, 2)).toEqual([1, 1]);
    }
  });

  it('class ignores speakers', () => {
    const s = splitValidation(set, { validationFraction: 0.2, validationBy: 'class' }, 0);
    expect(s.info).toEqual({ kind: 'stratified-by-class', trainSamples: 84, validationSamples: 21, seed: 0 });
    // Classes of 38, 35 and 32 samples: round(7.6), round(7), round(6.4).
    expect(perClass(s.validation!, 3)).toEqual([8, 7, 6]);
  });
});

describe('validation file and subsets', () => {
  it('takes a dataset’s own validation file as is, widening channels and checking classes', () => {
    const train = makeDemoDataset({ seed: 1, samples: 40, split: 'train' });
    const valid = { ...makeDemoDataset({ seed: 1, samples: 20, split: 'test' }), name: 'ssc_valid.h5', channels: 650 };
    const s = validationFromFile(train, valid);
    expect(s.info).toEqual({ kind: 'file', trainSamples: 40, validationSamples: 20, seed: null });
    expect(s.train.labels).toBe(train.labels);
    expect(s.trainIndices).toHaveLength(40);
    expect(s.trainIndices[39]).toBe(39);
    expect(s.validation!.times).toBe(valid.times);
    expect([s.train.channels, s.validation!.channels]).toEqual([700, 700]);
    expect(s.validation!.name).toBe('ssc_valid.h5');
    expect(() => validationFromFile(train, { ...valid, classNames: valid.classNames.slice(0, 2) })).toThrow(
      'demo and ssc_valid.h5 have different classes (20 vs 2: demo-0, demo-1, demo-2, demo-3… vs demo-0, demo-1…)',
    );
  });

  it('subsetDataset copies the listed samples in the listed order', () => {
    const ds = handmade([0, 1, 2, 0, 1, 2, 0], [9, 8, 7, 6, 5, 4, 3]);
    const sub = subsetDataset(ds, [5, 1, 2, 3, 6], 'sub');
    expect(ids(sub)).toEqual([5, 1, 2, 3, 6]);
    expect(Array.from(sub.labels)).toEqual([2, 1, 2, 0, 0]);
    expect(Array.from(sub.speakers!)).toEqual([4, 8, 7, 6, 3]);
    expect(Array.from(sub.offsets)).toEqual([0, 3, 5, 8, 9, 10]);
    expect(Array.from(sub.units)).toEqual([5, 5, 5, 1, 1, 2, 2, 2, 3, 6]);
    expectWellFormed(sub);
    expect(() => subsetDataset(ds, [7], 'bad')).toThrow('hand.h5: sample index 7 out of range 0…6');
    expect(subsetDataset(ds, [], 'empty').samples).toBe(0);
  });
});
