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
import type { BinSpec } from '../data/binning';
import type { SpikeDataset } from '../data/spikeDataset';
import { pairTrainTest } from '../data/trainTestPair';
import type { BinCacheMode, TrainingFiles, TrainingInputs } from '../engine/training/trainingInputs';

/** The HDF5 reader (h5wasm) loads only when a file is read: demo runs start faster without it. */
async function readSpikeFile(path: string, opts: { channels?: number } = {}): Promise<SpikeDataset> {
  const { readSpikeFileGuarded } = await import('../data/fileGuard');
  return readSpikeFileGuarded(path, opts);
}

export interface LoadedDatasets {
  /** What sessions and the UI call it: demo, shd, ssc, or the training file's path. */
  name: string;
  train: SpikeDataset;
  test: SpikeDataset;
}

/** A downloaded catalog split, read like `--dataset shd` on the CLI (h5wasm loads only now, as above). */
async function resolveSplit(name: CatalogName, split: 'train' | 'test', dataDir: string, channels?: number): Promise<SpikeDataset> {
  const { resolveDataset } = await import('../data/resolveDataset');
  return resolveDataset(name, { dataDir, split, ...(channels !== undefined && { channels }), fetchHint: () => 'Download it in the Dataset panel first.' });
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

/**
 * The test split alone (a check needs no training data): demo, a downloaded catalog set, or the test file, read
 * as `channels` inputs (a session's network's; a file with units beyond it is refused by the reader).
 */
export async function loadTestSplit(ref: DatasetRef, dataDir: string, channels: number): Promise<SpikeDataset> {
  switch (ref.kind) {
    case 'demo':
      return makeDemoDataset({ seed: ref.seed ?? 0, split: 'test', ...(ref.testSamples ? { samples: ref.testSamples } : {}) });
    case 'catalog':
      return resolveSplit(ref.name, 'test', dataDir, channels);
    case 'files':
      if (!existsSync(ref.testPath)) throw new Error(`${ref.testPath}: no such file`);
      return readSpikeFile(ref.testPath, { channels });
  }
}

/** One file's summary, streamed (memory: one chunk, whatever the file size). */
async function fileSplitSummary(path: string, channels?: number): Promise<SplitSummary & { channels: number; classNames: string[] }> {
  const { summarizeFileGuarded } = await import('../data/fileGuard');
  const s = await summarizeFileGuarded(path, channels === undefined ? {} : { channels });
  return { samples: s.samples, spikes: s.spikes_total, labelCounts: s.label_counts, maxTimeS: s.max_time, channels: s.channels, classNames: s.classes };
}

export async function inspectFile(path: string): Promise<FileSummary> {
  if (!existsSync(path)) throw new Error(`${path}: no such file`);
  return { path, ...(await fileSplitSummary(path)) };
}

/** The files behind a non-demo ref: train, test and (SSC) valid; null for the demo set. */
async function refFiles(ref: DatasetRef, dataDir: string): Promise<TrainingFiles | null> {
  if (ref.kind === 'demo') return null;
  if (ref.kind === 'files') {
    for (const p of [ref.trainPath, ref.testPath]) if (!existsSync(p)) throw new Error(`${p}: no such file`);
    return { train: ref.trainPath, test: ref.testPath };
  }
  const { resolveDatasetPath } = await import('../data/resolveDataset');
  const { catalogFile } = await import('../data/catalog');
  const at = async (split: 'train' | 'test' | 'valid') =>
    (await resolveDatasetPath(ref.name, { dataDir, split, fetchHint: () => 'Download it in the Dataset panel first.' }))!;
  const valid = catalogFile(ref.name, 'valid') ? await at('valid') : undefined;
  return { train: await at('train'), test: await at('test'), ...(valid && { valid }) };
}

/**
 * The data an augmentation preview needs: the spikes in memory. A file large enough to train from its bin cache
 * (where augmentation is refused) is refused here too, rather than loaded whole into the training process.
 */
export async function loadForPreview(ref: DatasetRef, dataDir: string): Promise<LoadedDatasets> {
  const files = await refFiles(ref, dataDir);
  if (files) {
    const { usesBinCache, AUTO_CACHE_BYTES } = await import('../engine/training/trainingInputs');
    if (usesBinCache(files, 'auto')) {
      throw new Error(
        `${basename(files.train)} is over ${AUTO_CACHE_BYTES / 1e9} GB, so it trains from its bin cache, where augmentation is off: there is no augmented copy to preview`,
      );
    }
  }
  return loadDatasets(ref, dataDir);
}

/** What the dataset panel shows; files are summarised by streaming them, so SSC's 2.5 GB needs no 3.6 GB. */
export async function summarizeRef(ref: DatasetRef, dataDir: string): Promise<DatasetSummary> {
  const files = await refFiles(ref, dataDir);
  if (!files) return summarizeDatasets(await loadDatasets(ref, dataDir));
  const channels = ref.kind === 'files' ? ref.channels : undefined;
  const [train, test] = await Promise.all([fileSplitSummary(files.train, channels), fileSplitSummary(files.test, channels)]);
  if (train.classNames.join('\u0000') !== test.classNames.join('\u0000')) {
    throw new Error(`${files.train} and ${files.test} have different classes (${train.classNames.length} vs ${test.classNames.length})`);
  }
  const { channels: _c, classNames: _n, ...trainSplit } = train;
  const { channels: _d, classNames: _m, ...testSplit } = test;
  return {
    name: ref.kind === 'catalog' ? ref.name : basename(files.train),
    channels: Math.max(train.channels, test.channels),
    classNames: train.classNames,
    train: trainSplit,
    test: testSplit,
  };
}

/**
 * The data of a training run: the demo set in memory, files through openTrainingFiles (in memory, or bin caches on
 * disk for files over 1 GB, with `onProgress` while a cache is built); SSC's own valid file validates.
 */
export async function loadTrainingData(
  ref: DatasetRef,
  dataDir: string,
  opts: { spec: BinSpec; onProgress?: (file: string, done: number, total: number) => void; mode?: BinCacheMode },
): Promise<TrainingInputs & { name: string }> {
  const files = await refFiles(ref, dataDir);
  if (!files) return loadDatasets(ref, dataDir);
  const { openTrainingFiles } = await import('../engine/training/trainingInputs');
  const inputs = await openTrainingFiles(files, { mode: opts.mode ?? 'auto', spec: opts.spec, ...(ref.kind === 'files' && ref.channels ? { channels: ref.channels } : {}), onProgress: opts.onProgress });
  return { name: ref.kind === 'catalog' ? ref.name : files.train, ...inputs };
}
