/**
 * The data flags of the commands that run the network (train, evaluate): which files or named dataset, where
 * named datasets live, and the input channel count.
 */
import type { FlagSpec } from './args';
import { numberFlag } from './args';
import { CliError } from './cliError';
import { chooseDataDir } from './commands/data';
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
  --dataset NAME        instead of files: ${DATASET_CHOICES} (its train and test splits)
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
}

type DataFlagValues = { [K in keyof typeof DATA_FLAGS]?: string };

/**
 * Reads the training and test sets the flags name. Channels come from the data (the wider of the two files,
 * or `networkInputs` when continuing a network), so a test file whose units stop short of the top channel
 * still fits.
 */
export async function loadTrainTest(values: DataFlagValues, networkInputs?: number): Promise<TrainTestData> {
  const channels = channelsFlag(values.channels);
  const files = values.train !== undefined || values.test !== undefined;
  if (files && values.dataset !== undefined) throw new CliError('give either --dataset or --train and --test, not both', 2);
  let loaded: TrainTestData;
  if (values.dataset !== undefined) {
    const opts = { dataDir: chooseDataDir(values['data-dir']).path, channels };
    const [train, test] = await Promise.all([
      resolveDataset(values.dataset, { ...opts, split: 'train' }),
      resolveDataset(values.dataset, { ...opts, split: 'test' }),
    ]);
    loaded = { name: values.dataset, train, test };
  } else {
    if (!values.train || !values.test) throw new CliError('--train FILE and --test FILE are required (or --dataset NAME)', 2);
    const opts = channels === undefined ? {} : { channels };
    const [train, test] = await Promise.all([readSpikeFile(values.train, opts), readSpikeFile(values.test, opts)]);
    loaded = { name: values.train, train, test };
  }
  return { name: loaded.name, ...pairTrainTest(loaded.train, loaded.test, networkInputs) };
}

/** One dataset to evaluate on: a file path or a dataset name (its test split). */
export async function loadEvalData(nameOrPath: string, dataDirFlag: string | undefined, channels: number | undefined): Promise<SpikeDataset> {
  return resolveDataset(nameOrPath, { dataDir: chooseDataDir(dataDirFlag).path, split: 'test', channels });
}
