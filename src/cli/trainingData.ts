/**
 * The data flags of the commands that run the network (train, evaluate): which files or named dataset, where
 * named datasets live, and the input channel count.
 */
import type { FlagSpec } from './args';
import { numberFlag } from './args';
import { CliError } from './cliError';
import { chooseDataDir } from './commands/data';
import { isCatalogName } from '../shared/datasets';
import { catalogFile } from '../services/data/catalog';
import { resolveDataset, DATASET_CHOICES } from '../services/data/resolveDataset';
import { readSpikeFile } from '../services/data/shdReader';
import type { SpikeDataset } from '../services/data/spikeDataset';
import { pairTrainTest } from '../services/data/trainTestPair';

export const DATA_FLAGS = {
  train: { type: 'string' },
  test: { type: 'string' },
  dataset: { type: 'string' },
  'data-dir': { type: 'string' },
  channels: { type: 'string' },
} satisfies FlagSpec;

export const DATA_FLAGS_HELP = `  --train FILE, --test FILE   SHD-layout HDF5 files to train and test on
  --dataset NAME        instead of files: ${DATASET_CHOICES} (its train and test splits;
                        a set with its own valid split, ssc, validates on that file instead of a held-out part)
  --data-dir DIR        where named datasets live (as for \`data fetch\`)
  --channels N          input channels when the files' units do not reach the top one (SHD: 700)`;

export function channelsFlag(value: string | undefined): number | undefined {
  const channels = numberFlag('channels', value);
  if (channels !== undefined && (!Number.isInteger(channels) || channels < 1 || channels > 65536)) {
    throw new CliError(`--channels must be an integer in 1…65536 (got ${value})`, 2);
  }
  return channels;
}

export interface TrainTestData {
  /** What the session records as the dataset: the name given to --dataset, or the training file's path. */
  name: string;
  train: SpikeDataset;
  test: SpikeDataset;
  /** The dataset's own validation file (a catalog set with a `valid` split), paired like the others; else absent. */
  validation?: SpikeDataset;
}

type DataFlagValues = { [K in keyof typeof DATA_FLAGS]?: string };

/**
 * Reads the training and test sets the flags name, and a named set's own validation file when it has one.
 * Channels come from the data (the widest of the files, or `networkInputs` when continuing a network), so a
 * file whose units stop short of the top channel still fits.
 */
export async function loadTrainTest(values: DataFlagValues, networkInputs?: number): Promise<TrainTestData> {
  const channels = channelsFlag(values.channels);
  const files = values.train !== undefined || values.test !== undefined;
  if (files && values.dataset !== undefined) throw new CliError('give either --dataset or --train and --test, not both', 2);
  let loaded: TrainTestData;
  if (values.dataset !== undefined) {
    const opts = { dataDir: chooseDataDir(values['data-dir']).path, channels };
    const key = values.dataset.trim().toLowerCase();
    const hasValid = isCatalogName(key) && catalogFile(key, 'valid') !== undefined;
    const [train, test, validation] = await Promise.all([
      resolveDataset(values.dataset, { ...opts, split: 'train' }),
      resolveDataset(values.dataset, { ...opts, split: 'test' }),
      hasValid ? resolveDataset(values.dataset, { ...opts, split: 'valid' }) : undefined,
    ]);
    loaded = { name: values.dataset, train, test, ...(validation && { validation }) };
  } else {
    if (!values.train || !values.test) throw new CliError('--train FILE and --test FILE are required (or --dataset NAME)', 2);
    const opts = channels === undefined ? {} : { channels };
    const [train, test] = await Promise.all([readSpikeFile(values.train, opts), readSpikeFile(values.test, opts)]);
    loaded = { name: values.train, train, test };
  }
  const validation = loaded.validation;
  const paired = pairTrainTest(loaded.train, loaded.test, Math.max(networkInputs ?? 0, validation?.channels ?? 0));
  // Paired against the already widest training set: the same classes are checked, the channels match.
  return { name: loaded.name, ...paired, ...(validation && { validation: pairTrainTest(paired.train, validation).test }) };
}

/** One dataset to evaluate on: a file path or a dataset name (its test split). */
export async function loadEvalData(nameOrPath: string, dataDirFlag: string | undefined, channels: number | undefined): Promise<SpikeDataset> {
  return resolveDataset(nameOrPath, { dataDir: chooseDataDir(dataDirFlag).path, split: 'test', channels });
}
