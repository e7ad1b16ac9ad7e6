import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchDataset } from '../../../src/services/data/downloader';
import { resolveDataset } from '../../../src/services/data/resolveDataset';
import { startMirror, type MirrorServer } from './download/mirrorServer';

const FIXTURE = path.resolve('test/fixtures/shd/f16_fixed_keys.h5');
let dir: string;
let mirror: MirrorServer;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'sw-resolve-'));
  const gz = gzipSync(await readFile(FIXTURE));
  mirror = await startMirror({ 'shd_train.h5.gz': gz, 'shd_test.h5.gz': gz });
});

afterAll(async () => {
  await mirror.close();
  await rm(dir, { recursive: true, force: true });
});

describe('resolveDataset', () => {
  it('generates the demo set for either split, honouring seed and samples', async () => {
    const train = await resolveDataset('demo', { dataDir: dir, split: 'train' });
    const test = await resolveDataset('DEMO', { dataDir: dir, split: 'test', seed: 4, samples: 60 });
    expect([train.name, train.samples, train.channels, train.classNames.length]).toEqual(['demo', 800, 700, 20]);
    expect(test.samples).toBe(60);
    await expect(resolveDataset('demo', { dataDir: dir, split: 'valid' })).rejects.toThrow('the demo set has no valid split (it has train and test)');
  });

  it('tells the user to fetch a catalog set that is not there', async () => {
    await expect(resolveDataset('shd', { dataDir: dir, split: 'train' })).rejects.toThrow(
      `Spiking Heidelberg Digits train (shd_train.h5) is not ready in ${dir}: missing. Run \`npm run cli -- data fetch shd\` (add --data-dir DIR if the data lives elsewhere).`,
    );
    await expect(resolveDataset('ssc', { dataDir: dir, split: 'valid' })).rejects.toThrow('Spiking Speech Commands valid (ssc_valid.h5) is not ready');
    await expect(resolveDataset('shd', { dataDir: dir, split: 'valid' })).rejects.toThrow('Spiking Heidelberg Digits has no valid split (it has train and test)');
    // The app says where to get it in its own words.
    await expect(resolveDataset('ssc', { dataDir: dir, split: 'test', fetchHint: (n) => `Download ${n} in the app.` })).rejects.toThrow(
      `Spiking Speech Commands test (ssc_test.h5) is not ready in ${dir}: missing. Download ssc in the app.`,
    );
  });

  it('reads the verified files once fetched', async () => {
    await fetchDataset('shd', { dataDir: dir, baseUrls: [mirror.url], progressIntervalMs: 0 });
    const test = await resolveDataset('shd', { dataDir: dir, split: 'test' });
    expect(test.samples).toBe(24);
    expect(test.channels).toBe(700);
    expect(test.classNames[0]).toBe('english-zero');
    expect(test.offsets[test.samples]).toBe(969);
  });

  it('reads a file path, and names a missing one', async () => {
    const ds = await resolveDataset(FIXTURE, { dataDir: dir, split: 'train' });
    expect(ds.samples).toBe(24);
    await expect(resolveDataset('/no/such/file.h5', { dataDir: dir, split: 'train' })).rejects.toThrow(
      '/no/such/file.h5: no such file (a dataset is demo, shd, ssc or the path of an SHD-layout HDF5 file)',
    );
  });
});
