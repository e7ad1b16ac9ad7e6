/**
 * The data flags of the commands that run the network (train, evaluate): which files or named dataset, where
 * named datasets live, and the input channel count.
 */
import type { FlagSpec } from './args';
import { numberFlag, printWarning } from './args';
import { CliError } from './cliError';
import { chooseDataDir } from './commands/data';
import { isCatalogName } from '../shared/datasets';
import { catalogFile } from '../services/data/catalog';
import { openBinCacheGuarded } from '../services/data/fileGuard';
import { SpikeFileError } from '../services/data/hdf5Access';
import type { BinSpec } from '../services/data/binning';
import { resolveDataset, resolveDatasetPath, DATASET_CHOICES } from '../services/data/resolveDataset';
import type { DatasetIndex, SpikeDataset } from '../services/data/spikeDataset';
import { pairTrainTest } from '../services/data/trainTestPair';
import type { Session } from '../services/engine/model/modelState';
import { matchSessionToData, speakerClash, type DataClasses } from '../services/sessions/dataMatch';
import { cachedBins, type BinnedDataset } from '../services/engine/run/binnedDataset';
import {
  AUTO_CACHE_BYTES,
  BIN_CACHE_MODES,
  openTrainingFiles,
  usesBinCache,
  type BinCacheMode,
  type TrainingInputs,
} from '../services/engine/training/trainingInputs';

export const DATA_FLAGS = {
  train: { type: 'string' },
  test: { type: 'string' },
  dataset: { type: 'string' },
  'data-dir': { type: 'string' },
  channels: { type: 'string' },
  'bin-cache': { type: 'string' },
} satisfies FlagSpec;

export function binCacheFlag(value: string | undefined): BinCacheMode {
  if (value === undefined) return 'auto';
  if ((BIN_CACHE_MODES as readonly string[]).includes(value)) return value as BinCacheMode;
  throw new CliError(`--bin-cache must be ${BIN_CACHE_MODES.join(', ')} (got "${value}")`, 2);
}

export const DATA_FLAGS_HELP = `  --train FILE, --test FILE   SHD-layout HDF5 files to train and test on
  --dataset NAME        instead of files: ${DATASET_CHOICES} (its train and test splits;
                        a set with its own valid split, ssc, validates on that file instead of a held-out part)
  --data-dir DIR        where named datasets live (as for \`data fetch\`)
  --channels N          input channels when the files' units do not reach the top one (SHD: 700)
  --bin-cache MODE      auto (default): files over ${AUTO_CACHE_BYTES / 1e9} GB train from a binned cache on disk, built once
                        next to the file and reused; on: always; off: hold every spike in memory`;

export function channelsFlag(value: string | undefined): number | undefined {
  const channels = numberFlag('channels', value);
  if (channels !== undefined && (!Number.isInteger(channels) || channels < 1 || channels > 65536)) {
    throw new CliError(`--channels must be an integer in 1…65536 (got ${value})`, 2);
  }
  return channels;
}

export interface TrainTestData extends TrainingInputs {
  /** What the session records as the dataset: the name given to --dataset, or the training file's path. */
  name: string;
}

export interface CacheContext {
  /** The binning of the run (the caches are binned once for it). */
  spec: BinSpec;
  /** Progress of a cache build: the file, samples done and total. */
  onProgress?: (file: string, done: number, total: number) => void;
}

type DataFlagValues = { [K in keyof typeof DATA_FLAGS]?: string };

/**
 * Reads the training and test sets the flags name, and a named set's own validation file when it has one.
 * Channels come from the data (the widest of the files, or `networkInputs` when continuing a network), so a
 * file whose units stop short of the top channel still fits.
 */
export async function loadTrainTest(values: DataFlagValues, networkInputs?: number, cache?: CacheContext): Promise<TrainTestData> {
  const channels = channelsFlag(values.channels);
  const mode = binCacheFlag(values['bin-cache']);
  const files = values.train !== undefined || values.test !== undefined;
  if (files && values.dataset !== undefined) throw new CliError('give either --dataset or --train and --test, not both', 2);
  if (!files && values.dataset === undefined) throw new CliError('--train FILE and --test FILE are required (or --dataset NAME)', 2);
  if (files && (!values.train || !values.test)) throw new CliError('--train FILE and --test FILE are required (or --dataset NAME)', 2);
  const key = values.dataset?.trim().toLowerCase();
  const resolveOpts = { dataDir: values.dataset !== undefined ? chooseDataDir(values['data-dir']).path : '', channels };
  const hasValid = key !== undefined && isCatalogName(key) && catalogFile(key, 'valid') !== undefined;
  const paths =
    values.dataset !== undefined
      ? await Promise.all([
          resolveDatasetPath(values.dataset, { ...resolveOpts, split: 'train' }),
          resolveDatasetPath(values.dataset, { ...resolveOpts, split: 'test' }),
          hasValid ? resolveDatasetPath(values.dataset, { ...resolveOpts, split: 'valid' }) : null,
        ])
      : [values.train!, values.test!, null];
  const name = values.dataset ?? values.train!;
  if (paths[0] === null) {
    // The generated demo set: in memory by nature.
    if (mode === 'on') throw new CliError('--bin-cache on needs files: the demo set is generated in memory', 2);
    const [train, test] = await Promise.all([
      resolveDataset(values.dataset!, { ...resolveOpts, split: 'train' }),
      resolveDataset(values.dataset!, { ...resolveOpts, split: 'test' }),
    ]);
    return { name, ...pairTrainTest(train, test, networkInputs ?? 0) };
  }
  if (!cache) throw new Error("loadTrainTest: files need the run's binning (for their bin caches)");
  const inputs = await openTrainingFiles(
    { train: paths[0], test: paths[1]!, ...(paths[2] && { valid: paths[2] }) },
    { mode, spec: cache.spec, channels, networkInputs, onProgress: cache.onProgress },
  );
  return { name, ...inputs };
}

/**
 * One dataset to evaluate a session on: a file path or a dataset name (its test split); large files (or `on`)
 * through their bin cache. `channels` is the session's network's input count: a file with units beyond it is
 * refused with that count named.
 */
export async function loadEvalData(
  nameOrPath: string,
  dataDirFlag: string | undefined,
  channels: number,
  cache?: CacheContext & { mode: BinCacheMode },
): Promise<{ data: SpikeDataset | DatasetIndex; bins?: BinnedDataset; fingerprint?: string }> {
  return readEvalData(nameOrPath, dataDirFlag, channels, cache).catch((err: unknown) => {
    if (err instanceof SpikeFileError && /channels/.test(err.detail)) throw new CliError(`${err.message} (the session's network has ${channels} input channels)`);
    throw err;
  });
}

async function readEvalData(
  nameOrPath: string,
  dataDirFlag: string | undefined,
  channels: number,
  cache?: CacheContext & { mode: BinCacheMode },
): Promise<{ data: SpikeDataset | DatasetIndex; bins?: BinnedDataset; fingerprint?: string }> {
  const opts = { dataDir: chooseDataDir(dataDirFlag).path, split: 'test' as const, channels };
  const path = await resolveDatasetPath(nameOrPath, opts);
  const mode = cache?.mode ?? 'auto';
  if (mode === 'on' && path === null) throw new CliError('--bin-cache on needs a file: the demo set is generated in memory', 2);
  if (cache && path !== null && usesBinCache({ train: path, test: path }, mode)) {
    const opened = await openBinCacheGuarded(path, cache.spec, { channels, onProgress: (d, t) => cache.onProgress?.(path, d, t) });
    return { data: opened.index, bins: cachedBins(opened.cache, opened.index), fingerprint: opened.fingerprint };
  }
  return { data: await resolveDataset(nameOrPath, opts) };
}

/**
 * A session against the data it is run on (evaluate, export-nir --check, train --resume): refused when the data
 * has labels the session has no output for, else a `warning:` line for every class or speaker mismatch.
 * `refusalPrefix` leads the refusal (e.g. "cannot resume S.h5: ").
 */
export function checkSessionData(sessionFile: string, session: Session, data: DataClasses, refusalPrefix = ''): void {
  const match = matchSessionToData(
    { name: sessionFile, classNames: session.meta.classNames, speakerNames: session.meta.speakerNames, trainedOn: session.meta.dataset.name },
    data,
  );
  if (match.refusal) throw new CliError(`${refusalPrefix}${match.refusal}`);
  match.warnings.forEach(printWarning);
}

/** Train and test files that give one speaker id to different voices (files from `encode` record the names). */
export function warnSpeakerClash(train: DatasetIndex, test: DatasetIndex): void {
  const clash = speakerClash(train, test);
  if (clash) printWarning(clash);
}
