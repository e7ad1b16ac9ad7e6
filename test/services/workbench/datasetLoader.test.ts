import { copyFileSync, mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSpikeFile, summarize } from '../../../src/services/data/shdReader';
import { inspectFile, loadForPreview, loadTrainingData, summarizeRef } from '../../../src/services/workbench/datasetLoader';

const dir = mkdtempSync(join(tmpdir(), 'loader-'));
const train = join(dir, 'train.h5');
const test = join(dir, 'test.h5');
copyFileSync('test/fixtures/sessions/agreement_train.h5', train);
copyFileSync('test/fixtures/sessions/agreement_test.h5', test);
const spec = { nbSteps: 30, maxTimeS: 1, binning: 'spytorch' } as const;

describe('the app training process opens files', () => {
  it('in memory below the size threshold, through bin caches (with progress) when asked, with the same index', async () => {
    const ref = { kind: 'files' as const, trainPath: train, testPath: test };
    const mem = await loadTrainingData(ref, dir, { spec });
    expect(mem.bins).toBeUndefined();
    const progress: [string, number, number][] = [];
    const disk = await loadTrainingData(ref, dir, { spec, mode: 'on', onProgress: (f, d, t) => progress.push([f, d, t]) });
    expect(disk.bins?.train.samples).toBe(mem.train.samples);
    expect([...disk.train.labels]).toEqual([...mem.train.labels]);
    expect(disk.train.channels).toBe(mem.train.channels);
    expect(disk.fingerprint).toMatch(/^sha256s:/);
    expect(progress.filter(([f]) => f === train).at(-1)).toEqual([train, mem.train.samples, mem.train.samples]);
    expect(progress.filter(([f]) => f === test).at(-1)).toEqual([test, mem.test.samples, mem.test.samples]);
  });

  it('summarises files by streaming them, as the in-memory summary', async () => {
    const s = await summarizeRef({ kind: 'files', trainPath: train, testPath: test }, dir);
    const whole = summarize(await readSpikeFile(train));
    expect(s.train).toEqual({ samples: whole.samples, spikes: whole.spikes_total, labelCounts: whole.label_counts, maxTimeS: whole.max_time });
    expect(s.classNames).toEqual(whole.classes);
    const f = await inspectFile(test);
    expect(f.samples).toBe(s.test.samples);
    expect(f.spikes).toBe(s.test.spikes);
  });
});

describe('the augmentation preview', () => {
  it('refuses, without reading it, a file large enough to train from its bin cache (augmentation is off there)', async () => {
    const big = join(dir, 'big.h5');
    writeFileSync(big, '');
    truncateSync(big, 1.1e9); // sparse: no disk used, the size is what counts
    await expect(loadForPreview({ kind: 'files', trainPath: big, testPath: test }, dir)).rejects.toThrow(/big\.h5 is over 1 GB, so it trains from its bin cache, where augmentation is off/);
    expect((await loadForPreview({ kind: 'files', trainPath: train, testPath: test }, dir)).train.samples).toBeGreaterThan(0);
  });
});
