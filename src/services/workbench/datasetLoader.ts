/**
 * Turns the renderer's {@link DatasetRef} into the two spike datasets a run trains and tests on, and
 * summarises them. Runs in the training process (reading SHD takes seconds and half a gigabyte; main and its
 * window must not wait on it).
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import type { DatasetRef, DatasetSummary, FileSummary, SplitSummary } from '../../shared/workbenchApi';
import { CATALOG, catalogFile } from '../data/catalog';
import { catalogFileStatuses } from '../data/datasetStatus';
import { makeDemoDataset } from '../data/demoData';
import type { SpikeDataset } from '../data/spikeDataset';

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

async function loadCatalog(name: 'shd' | 'ssc', dataDir: string): Promise<LoadedDatasets> {
  const statuses = await catalogFileStatuses({ dataDir }, [name]);
  const needed = ['train', 'test'].map((split) => {
    const f = catalogFile(name, split as 'train' | 'test');
    if (!f) throw new Error(`${CATALOG[name].title} has no ${split} split`);
    return statuses.find((s) => s.file === f.h5Name)!;
  });
  const missing = needed.filter((s) => !s.verified);
  if (missing.length) {
    const why = missing.map((s) => `${s.file}: ${s.problem ?? 'not verified'}`).join('; ');
    throw new Error(`${CATALOG[name].title} is not ready in ${dataDir} (${why}); download it first`);
  }
  const [train, test] = await Promise.all(needed.map((s) => readSpikeFile(s.path)));
  return { name, ...sameShape(train, test, needed[0].path, needed[1].path) };
}

/**
 * Train and test must agree on classes; channels are taken from the data, so a test file whose units stop
 * short of the top channel reads fewer — the wider count serves both.
 */
function sameShape(train: SpikeDataset, test: SpikeDataset, trainPath: string, testPath: string): { train: SpikeDataset; test: SpikeDataset } {
  const a = train.classNames.join('\u0000');
  const b = test.classNames.join('\u0000');
  if (a !== b) {
    throw new Error(
      `${trainPath} and ${testPath} have different classes (${train.classNames.length} vs ${test.classNames.length}: ` +
        `${train.classNames.slice(0, 4).join(', ')}… vs ${test.classNames.slice(0, 4).join(', ')}…)`,
    );
  }
  const channels = Math.max(train.channels, test.channels);
  return { train: { ...train, channels }, test: { ...test, channels } };
}

export async function loadDatasets(ref: DatasetRef, dataDir: string): Promise<LoadedDatasets> {
  switch (ref.kind) {
    case 'demo': {
      const seed = ref.seed ?? 0;
      const train = makeDemoDataset({ seed, split: 'train', ...(ref.trainSamples ? { samples: ref.trainSamples } : {}) });
      const test = makeDemoDataset({ seed, split: 'test', ...(ref.testSamples ? { samples: ref.testSamples } : {}) });
      return { name: 'demo', train, test };
    }
    case 'catalog':
      return loadCatalog(ref.name, dataDir);
    case 'files': {
      for (const p of [ref.trainPath, ref.testPath]) {
        if (!existsSync(p)) throw new Error(`${p}: no such file`);
      }
      const opts = ref.channels ? { channels: ref.channels } : {};
      const [train, test] = await Promise.all([readSpikeFile(ref.trainPath, opts), readSpikeFile(ref.testPath, opts)]);
      return { name: ref.trainPath, ...sameShape(train, test, ref.trainPath, ref.testPath) };
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
