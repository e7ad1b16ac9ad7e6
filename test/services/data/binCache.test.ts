import { copyFileSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binCachePath, openBinCache } from '../../../src/services/data/binCache';
import type { BinSpec } from '../../../src/services/data/binning';
import { readSpikeFile } from '../../../src/services/data/shdReader';
import { batchOf, binDataset, cachedBins, viewOf } from '../../../src/services/engine/run/binnedDataset';

const dir = mkdtempSync(join(tmpdir(), 'bincache-'));
const file = join(dir, 'data.h5');
copyFileSync('test/fixtures/shd/f16_fixed_keys.h5', file);

describe('bin cache', () => {
  for (const spec of [
    { nbSteps: 100, maxTimeS: 1.4, binning: 'spytorch' },
    { nbSteps: 37, maxTimeS: 0.5, binning: 'uniform' },
  ] as BinSpec[]) {
    it(`gives exactly the batches of the in-memory bins (${spec.binning}, T=${spec.nbSteps}), views included`, async () => {
      const ds = await readSpikeFile(file);
      const mem = binDataset(ds, spec);
      const progress: number[] = [];
      const opened = await openBinCache(file, spec, { onProgress: (done) => progress.push(done) });
      expect(opened.built).toBe(true);
      expect(progress.at(-1)).toBe(ds.samples);
      expect(opened.index.channels).toBe(ds.channels);
      expect([...opened.index.labels]).toEqual([...ds.labels]);
      const disk = cachedBins(opened.cache, opened.index);
      expect(disk.dropped).toBe(mem.dropped);
      const pick = [5, 0, 3, ds.samples - 1, 5];
      const a = batchOf(mem, pick);
      const b = batchOf(disk, pick);
      expect({ ...b, dropped: 0 }).toEqual({ ...a, dropped: 0 });
      const rows = [4, 2, 7];
      expect(batchOf(viewOf(disk, rows), [2, 0])).toEqual(batchOf(viewOf(mem, rows), [2, 0]));
      const again = await openBinCache(file, spec);
      expect(again.built).toBe(false);
      expect(batchOf(cachedBins(again.cache, again.index), pick)).toEqual(b);
    });
  }

  it('rebuilds when the file changes, and keeps nothing half-written', async () => {
    const spec: BinSpec = { nbSteps: 20, maxTimeS: 1, binning: 'uniform' };
    await openBinCache(file, spec);
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect((await openBinCache(file, spec)).built).toBe(true);
    writeFileSync(binCachePath(file, spec), 'garbage');
    expect((await openBinCache(file, spec)).built).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.part'))).toEqual([]);
    await expect(openBinCache(file, spec, { channels: 3 })).rejects.toThrow(/unit \d+ at spike \d+ ≥ channels 3|unit \d+ ≥ channels 3/);
  });
});
