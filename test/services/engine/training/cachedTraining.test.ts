/**
 * Training from bin caches on disk (files too large to hold as spikes) is the same run as training from the
 * spikes in memory: same split, batches, weights, history and probes, bit for bit; only augmentation is refused.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../../src/services/engine/tfjs/backendSelect';
import { makeConfig } from '../../../../src/shared/config';
import type { BackendReport } from '../../../../src/shared/events';
import { openBinCache } from '../../../../src/services/data/binCache';
import { binSpec } from '../../../../src/services/data/binning';
import { readSpikeFile } from '../../../../src/services/data/shdReader';
import { ShdFileWriter } from '../../../../src/services/data/shdWriter';
import type { SpikeDataset } from '../../../../src/services/data/spikeDataset';
import { cachedBins } from '../../../../src/services/engine/run/binnedDataset';
import { adlif2, runTraining, testSet, trainSet } from '../smallProblem';

let backend: BackendReport;
beforeAll(async () => {
  backend = await selectBackend('wasm');
});
const dir = mkdtempSync(join(tmpdir(), 'cached-training-'));

function writeShd(ds: SpikeDataset, name: string, speakers: (i: number) => number): string {
  const path = join(dir, name);
  const w = new ShdFileWriter(path, { classNames: ds.classNames, channels: ds.channels, speakers: true });
  for (let i = 0; i < ds.samples; i++) {
    const a = ds.offsets[i];
    const b = ds.offsets[i + 1];
    w.add({ times: ds.times.subarray(a, b), units: ds.units.subarray(a, b), label: ds.labels[i], speaker: speakers(i) });
  }
  w.finish();
  return path;
}

describe('training from bin caches', () => {
  const trainFile = writeShd(trainSet, 'train.h5', (i) => i % 6);
  const testFile = writeShd(testSet, 'test.h5', (i) => (i % 3) + 4);

  it('is the in-memory run bit for bit, with a held-out validation split', async () => {
    const config = makeConfig({ ...adlif2, validationFraction: 0.2, validationBy: 'auto', epochs: 2 });
    const [tr, te] = [await readSpikeFile(trainFile, { channels: 40 }), await readSpikeFile(testFile, { channels: 40 })];
    const mem = await runTraining(backend, { config, train: tr, test: te, probeSample: 3 });
    const spec = binSpec(config);
    const a = await openBinCache(trainFile, spec, { channels: 40 });
    const b = await openBinCache(testFile, spec, { channels: 40 });
    const disk = await runTraining(backend, {
      config,
      train: a.index,
      test: b.index,
      probeSample: 3,
      bins: { train: cachedBins(a.cache, a.index), test: cachedBins(b.cache, b.index) },
    });
    expect(disk.checkpoint.validation).toEqual(mem.checkpoint.validation);
    expect(disk.checkpoint.validation.kind).toBe('by-speaker');
    expect(disk.checkpoint.history.map(({ train_s: _a, eval_s: _b, ...r }) => r)).toEqual(mem.checkpoint.history.map(({ train_s: _a, eval_s: _b, ...r }) => r));
    expect([...disk.checkpoint.params.flat]).toEqual([...mem.checkpoint.params.flat]);
    const probes = (r: typeof mem) => r.events.filter((e) => e.type === 'probe');
    expect(probes(disk)).toEqual(probes(mem));
  });

  it('refuses augmentation, which needs the spike times', async () => {
    const config = makeConfig({ ...adlif2, augment: { channelShift: 2, timeShiftS: 0, stretch: { lo: 1, hi: 1 }, deleteP: 0, blend: 0 } });
    const a = await openBinCache(trainFile, binSpec(config), { channels: 40 });
    const bins = cachedBins(a.cache, a.index);
    await expect(runTraining(backend, { config, train: a.index, test: a.index, bins: { train: bins, test: bins } })).rejects.toThrow(
      /train\.h5: augmentation changes spike times before binning, but this file trains from its bin cache/,
    );
  });
});
