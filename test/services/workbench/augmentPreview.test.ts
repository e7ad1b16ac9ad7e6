import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../src/shared/config';
import type { AugmentPreviewRequest } from '../../../src/shared/workbenchApi';
import { binAugmentedBatch } from '../../../src/services/data/augment';
import { batchOrder } from '../../../src/services/data/batches';
import { binBatch, type BinnedBatch } from '../../../src/services/data/binning';
import { makeDemoDataset } from '../../../src/services/data/demoData';
import { planValidation, splitValidation } from '../../../src/services/data/validationSplit';
import { augmentPreview } from '../../../src/services/workbench/augmentPreview';
import { runJob } from '../../../src/services/workbench/trainingJobs';
import type { FromTrainingProcess } from '../../../src/services/workbench/trainingProtocol';

/** Every option on; the default protocol holds out a stratified tenth (3 a class → 1 each: 20 of 60). */
const CONFIG: TrainConfig = {
  ...DEFAULT_CONFIG,
  nbSteps: 50,
  batchSize: 16,
  epochs: 3,
  seed: 5,
  augment: { channelShift: 3, timeShiftS: 0.02, stretch: { lo: 0.9, hi: 1.1 }, deleteP: 0.1, blend: 0.5 },
};
const TRAIN = makeDemoDataset({ seed: 2, split: 'train', samples: 60 });

const preview = (over: Partial<Omit<AugmentPreviewRequest, 'dataset'>> = {}) => augmentPreview(TRAIN, { config: CONFIG, sampleIndex: 0, epoch: 1, ...over });

/** The (step, channel) pairs of batch row `row`, in the order the batch lists them. */
function rowBins(batch: BinnedBatch, row: number): { t: number[]; c: number[] } {
  const per = batch.nbSteps * batch.channels;
  const out = { t: [] as number[], c: [] as number[] };
  for (const f of batch.flat) {
    if (Math.floor(f / per) !== row) continue;
    out.t.push(Math.floor((f % per) / batch.channels));
    out.c.push(f % batch.channels);
  }
  return out;
}

// The trainer's view, rebuilt by hand: the split with the config's options and seed, the epoch's shuffled
// batches, and binAugmentedBatch keyed by (seed, epoch) — the call trainer.ts makes for each batch.
const PROTOCOL = { validationFraction: CONFIG.validationFraction, validationBy: CONFIG.validationBy };
const split = splitValidation(TRAIN, PROTOCOL, CONFIG.seed);
const heldOut = new Set(planValidation(TRAIN, PROTOCOL, CONFIG.seed).validation);
const trained = Array.from({ length: TRAIN.samples }, (_, i) => i).filter((i) => !heldOut.has(i));

describe('augmentation preview', () => {

  it('shows the binned spikes the trainer trains on for that sample in that epoch', () => {
    expect(heldOut.size).toBe(20);
    for (const epoch of [1, 3]) {
      const order = batchOrder(split.train.samples, { batchSize: CONFIG.batchSize, shuffle: true, seed: CONFIG.seed, epoch });
      for (const sampleIndex of [trained[0], trained[17], trained[39]]) {
        const j = trained.indexOf(sampleIndex);
        const batch = order.find((b) => b.includes(j))!;
        const binned = binAugmentedBatch(split.train, batch, CONFIG.augment, { seed: CONFIG.seed, epoch }, { nbSteps: 50, maxTimeS: CONFIG.maxTimeS, binning: CONFIG.binning });
        const p = preview({ sampleIndex, epoch });
        expect(p.trainPartIndex).toBe(j);
        expect(p.augmented).toEqual(rowBins(binned, batch.indexOf(j)));
        expect(p.augmented.t.length).toBeGreaterThan(20);
        // The original is the file's sample binned as evaluation bins it; the copy differs from it.
        expect(p.original).toEqual(rowBins(binBatch(TRAIN, [sampleIndex], { nbSteps: 50, maxTimeS: CONFIG.maxTimeS, binning: CONFIG.binning }), 0));
        expect(p.augmented).not.toEqual(p.original);
        expect(p).toMatchObject({ sampleIndex, epoch, label: TRAIN.labels[sampleIndex], className: TRAIN.classNames[TRAIN.labels[sampleIndex]], channels: 700, nbSteps: 50 });
        expect(Math.max(...p.augmented.t)).toBeLessThan(50);
      }
    }
  });

  it('is deterministic, and another epoch or seed draws another copy', () => {
    const sampleIndex = trained[5];
    const a = preview({ sampleIndex, epoch: 2 });
    expect(preview({ sampleIndex, epoch: 2 })).toEqual(a);
    expect(preview({ sampleIndex, epoch: 3 }).augmented).not.toEqual(a.augmented);
    // Without a hold-out, so that the seed changes the draws and not which samples train.
    const all = { ...CONFIG, validationFraction: 0 };
    const seeded = (seed: number) => augmentPreview(TRAIN, { config: { ...all, seed }, sampleIndex: 0, epoch: 2 }).augmented;
    expect(seeded(6)).not.toEqual(seeded(5));
    // What was drawn, in the order the augmentation applies it.
    expect(a.applied).toHaveLength(5);
    expect(a.applied[0]).toMatch(/^(no blend|blend with train sample \d+) \(p = 0\.5\)$/);
    expect(a.applied[1]).toBe('spike deletion (p = 0.1)');
    expect(a.applied[2]).toMatch(/^stretch ×(0\.9\d\d|1\.0\d\d|1\.100) \(of 0\.9–1\.1\)$/);
    expect(a.applied[3]).toMatch(/^time shift [+−]\d+\.\d ms \(of ±20 ms\)$/);
    expect(a.applied[4]).toMatch(/^channel shift [+−][0-3] \(of ±3\)$/);
  });

  it('names the blend partner by its training-file index: same class, trained on, not the sample itself', () => {
    const config = { ...CONFIG, augment: { ...CONFIG.augment, blend: 1 } };
    for (const sampleIndex of trained.slice(0, 10)) {
      const p = augmentPreview(TRAIN, { config, sampleIndex, epoch: 1 });
      expect(p.blendPartner).not.toBeNull();
      expect(p.blendPartner).not.toBe(sampleIndex);
      expect(heldOut.has(p.blendPartner!)).toBe(false);
      expect(TRAIN.labels[p.blendPartner!]).toBe(TRAIN.labels[sampleIndex]);
      expect(p.applied[0]).toBe(`blend with train sample ${p.blendPartner} (p = 1)`);
    }
    // With p = 0.5 about half of the 40 trained samples are blended (binomial σ ≈ 3).
    const blended = trained.filter((sampleIndex) => preview({ sampleIndex }).blendPartner !== null).length;
    expect(blended).toBeGreaterThan(8);
    expect(blended).toBeLessThan(32);
  });

  it('without augmentation shows the sample as it is, and says nothing was applied', () => {
    const p = augmentPreview(TRAIN, { config: { ...CONFIG, augment: DEFAULT_CONFIG.augment }, sampleIndex: trained[3], epoch: 1 });
    expect(p.applied).toEqual([]);
    expect(p.blendPartner).toBeNull();
    expect(p.augmented).toEqual(p.original);
  });

  it('without a hold-out, the training-file index is the training-part index', () => {
    const p = augmentPreview(TRAIN, { config: { ...CONFIG, validationFraction: 0 }, sampleIndex: [...heldOut][0], epoch: 1 });
    expect(p.trainPartIndex).toBe(p.sampleIndex);
  });

  it('refuses an index past the file, a held-out sample and an epoch the run never reaches', () => {
    expect(() => preview({ sampleIndex: 60 })).toThrow('train sample 60 is out of range: the training file has 60 samples (0…59)');
    const held = [...heldOut][0];
    const near = trained.reduce((best, i) => (Math.abs(i - held) < Math.abs(best - held) ? i : best));
    expect(() => preview({ sampleIndex: held })).toThrow(
      `train sample ${held} is held out for validation by this config (20 of 60 samples), so training never augments it; the nearest sample it trains on is ${near}`,
    );
    expect(() => preview({ sampleIndex: trained[0], epoch: 4 })).toThrow('epoch 4 is out of range: the config trains epochs 1…3');
    expect(() => preview({ sampleIndex: trained[0], epoch: 0 })).toThrow('epoch 0 is out of range');
  });
});

describe('the augmentPreview job', () => {
  it('loads the dataset in the training process and answers the preview, then finished', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'wb-preview-'));
    try {
      const posted: FromTrainingProcess[] = [];
      const request = { dataset: { kind: 'demo' as const, seed: 2, trainSamples: 60, testSamples: 10 }, config: CONFIG, sampleIndex: trained[0], epoch: 2 };
      await runJob({ type: 'augmentPreview', context: { dataDir, appVersion: 'test' }, request }, { post: async (m) => void posted.push(m) });
      expect(posted.map((m) => m.type)).toEqual(['augmentPreview', 'finished']);
      const answer = posted[0] as Extract<FromTrainingProcess, { type: 'augmentPreview' }>;
      expect(answer.preview).toEqual(augmentPreview(TRAIN, request));

      posted.length = 0;
      await runJob({ type: 'augmentPreview', context: { dataDir, appVersion: 'test' }, request: { ...request, sampleIndex: 60 } }, { post: async (m) => void posted.push(m) });
      expect(posted).toEqual([{ type: 'failed', message: 'train sample 60 is out of range: the training file has 60 samples (0…59)' }, { type: 'finished' }]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
