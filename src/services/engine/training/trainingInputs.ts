/**
 * The data of a training run from its files, the one way the CLI and the app's training process open them:
 * held in memory as spikes (SHD size: 0.5 GB), or, for files too large for that (SSC's train file: 600 M spikes,
 * 3.6 GB as arrays), as an index plus bin caches on disk (binCache.ts), so memory is bounded by the batch.
 * Either way the sets are paired (same classes, the widest channel count) and the run is the same bit for bit.
 */
import { statSync } from 'node:fs';
import type { OpenedBinCache } from '../../data/binCache';
import { openBinCacheGuarded, readSpikeFileGuarded } from '../../data/fileGuard';
import type { BinSpec } from '../../data/binning';
import type { DatasetIndex, SpikeDataset } from '../../data/spikeDataset';
import { pairTrainTest } from '../../data/trainTestPair';
import { cachedBins } from '../run/binnedDataset';
import type { FileBins } from './trainingSet';

/** auto: files over {@link AUTO_CACHE_BYTES} go through bin caches; on: always; off: never. */
export type BinCacheMode = 'auto' | 'on' | 'off';
export const BIN_CACHE_MODES: readonly BinCacheMode[] = ['auto', 'on', 'off'];

/**
 * Under `auto`, a file larger than this trains from its bin cache: SHD's train file (0.33 GB, 0.5 GB as arrays)
 * stays in memory, SSC's (2.5 GB, 3.6 GB as arrays, more than a laptop spares beside the app) goes to disk.
 */
export const AUTO_CACHE_BYTES = 1e9;

export interface TrainingFiles {
  train: string;
  test: string;
  /** The dataset's own validation file (SSC's valid split). */
  valid?: string;
}

export interface TrainingInputs {
  /** The spikes in memory, or only the index when the data trains from bin caches (`bins`). */
  train: SpikeDataset | DatasetIndex;
  test: SpikeDataset | DatasetIndex;
  validation?: SpikeDataset | DatasetIndex;
  /** Set when the data trains from bin caches on disk. */
  bins?: FileBins;
  /** The training data's content fingerprint when the caches computed it (scheme spike-stream-v1). */
  fingerprint?: string;
  /** The test data's, likewise (a report card names the test set it measured on). */
  testFingerprint?: string;
  /** The caches opened (train, test, valid): whether each was built now, how long opening took, its spikes. */
  caches?: { file: string; built: boolean; seconds: number; spikes: number }[];
}

export interface OpenOptions {
  mode: BinCacheMode;
  /** The run's binning (the caches are binned for it). */
  spec: BinSpec;
  /** Input channels when the units stop short of the top one. */
  channels?: number;
  /** The network's inputs when continuing one (the sets take at least that many channels). */
  networkInputs?: number;
  /** Progress of a cache build: the file, samples done, total. */
  onProgress?: (file: string, done: number, total: number) => void;
}

export function usesBinCache(files: TrainingFiles, mode: BinCacheMode): boolean {
  const paths = [files.train, files.test, files.valid].filter((p): p is string => p !== undefined);
  return mode === 'on' || (mode === 'auto' && paths.some((p) => statSync(p).size > AUTO_CACHE_BYTES));
}

export async function openTrainingFiles(files: TrainingFiles, opts: OpenOptions): Promise<TrainingInputs> {
  const width = opts.networkInputs ?? 0;
  if (usesBinCache(files, opts.mode)) {
    const open = (p: string): Promise<OpenedBinCache> => openBinCacheGuarded(p, opts.spec, { channels: opts.channels, onProgress: (d, t) => opts.onProgress?.(p, d, t) });
    const tr = await open(files.train);
    const te = await open(files.test);
    const va = files.valid ? await open(files.valid) : undefined;
    const paired = pairTrainTest(tr.index, te.index, Math.max(width, va?.index.channels ?? 0));
    const validation = va ? pairTrainTest(paired.train, va.index).test : undefined;
    return {
      ...paired,
      ...(validation && { validation }),
      bins: {
        train: cachedBins(tr.cache, paired.train),
        test: cachedBins(te.cache, paired.test),
        ...(va && validation && { validation: cachedBins(va.cache, validation) }),
      },
      fingerprint: tr.fingerprint,
      testFingerprint: te.fingerprint,
      caches: [tr, te, ...(va ? [va] : [])].map((c) => ({ file: c.index.name, built: c.built, seconds: c.seconds, spikes: c.cache.spikes })),
    };
  }
  const read = (p: string) => readSpikeFileGuarded(p, opts.channels === undefined ? {} : { channels: opts.channels });
  const [train, test, valid] = await Promise.all([read(files.train), read(files.test), files.valid ? read(files.valid) : undefined]);
  const paired = pairTrainTest(train, test, Math.max(width, valid?.channels ?? 0));
  // Paired against the already widest training set: the same classes are checked, the channels match.
  return { ...paired, ...(valid && { validation: pairTrainTest(paired.train, valid).test }) };
}
