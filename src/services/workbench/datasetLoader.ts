/**
 * Turns the renderer's {@link DatasetRef} into the two spike datasets a run trains and tests on, and
 * summarises them. Runs in the training process (reading SHD takes seconds and half a gigabyte; main and its
 * window must not wait on it).
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import type { DatasetRef, DatasetSummary, FileSummary, SplitSummary } from '../../shared/workbenchApi';
import type { CatalogName } from '../../shared/datasets';
import { CATALOG } from '../data/catalog';
import { makeDemoDataset } from '../data/demoData';
import type { SpikeDataset } from '../data/spikeDataset';
import { pairTrainTest } from '../data/trainTestPair';

/** The HDF5 reader (h5wasm) loads only when a file is read: demo runs start faster without it. */
async function readSpikeFile(path: string, opts: { channels?: number } = {}): Promise<SpikeDataset> {
  const reader = await import('../data/shdReader');
  return reader.readSpikeFile(path, opts);
}

export interface LoadedDatasets {
  /** What sessions and the UI call it: demo, shd, ssc, or the training file's path. */
  name: string;
  train: SpikeDataset;
  test: SpikeDataset;
}

/** A downloaded catalog split, read like `--dataset shd` on the CLI (h5wasm loads only now, as above). */
async function resolveSplit(name: CatalogName, split: 'train' | 'test', dataDir: string): Promise<SpikeDataset> {
  const { resolveDataset } = await import('../data/resolveDataset');
  return resolveDataset(name, { dataDir, split, fetchHint: () => 'Download it in the Dataset panel first.' });
}

export async function loadDatasets(ref: DatasetRef, dataDir: string): Promise<LoadedDatasets> {
  switch (ref.kind) {
    case 'demo': {
      const seed = ref.seed ?? 0;
      const train = makeDemoDataset({ seed, split: 'train', ...(ref.trainSamples ? { samples: ref.trainSamples } : {}) });
      const test = makeDemoDataset({ seed, split: 'test', ...(ref.testSamples ? { samples: ref.testSamples } : {}) });
      return { name: 'demo', train, test };
    }
    case 'catalog': {
      const [train, test] = await Promise.all([resolveSplit(ref.name, 'train', dataDir), resolveSplit(ref.name, 'test', dataDir)]);
      return { name: ref.name, ...pairTrainTest(train, test) };
    }
    case 'files': {
      for (const p of [ref.trainPath, ref.testPath]) {
        if (!existsSync(p)) throw new Error(`${p}: no such file`);
      }
      const opts = ref.channels ? { channels: ref.channels } : {};
      const [train, test] = await Promise.all([readSpikeFile(ref.trainPath, opts), readSpikeFile(ref.testPath, opts)]);
      return { name: ref.trainPath, ...pairTrainTest(train, test) };
    }
  }
}

export function splitSummary(ds: SpikeDataset): SplitSummary {
  const labelCounts = new Array<number>(ds.classNames.length).fill(0);
  for (const label of ds.labels) labelCounts[label]++;
  let maxTimeS = 0;
  const total = ds.offsets[ds.samples];
  for (let i = 0; i < total; i++) if (ds.times[i] > maxTimeS) maxTimeS = ds.times[i];
  return { samples: ds.samples, spikes: total, labelCounts, maxTimeS };
}

export function summarizeDatasets(loaded: LoadedDatasets): DatasetSummary {
  const name = loaded.name === 'demo' || loaded.name in CATALOG ? loaded.name : basename(loaded.name);
  return {
    name,
    channels: loaded.train.channels,
    classNames: [...loaded.train.classNames],
    train: splitSummary(loaded.train),
    test: splitSummary(loaded.test),
  };
}

export async function inspectFile(path: string): Promise<FileSummary> {
  if (!existsSync(path)) throw new Error(`${path}: no such file`);
  const ds = await readSpikeFile(path);
  return { path, channels: ds.channels, classNames: [...ds.classNames], ...splitSummary(ds) };
}
