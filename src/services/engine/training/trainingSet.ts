/**
 * What the trainer trains on, in one place so anything that wants to show it (the augmentation preview)
 * computes exactly the same: the training part of the validation split, and each epoch's augmented batches
 * of that part. Sample indices here are positions in the training part, not in the training file (they
 * differ whenever samples are held out for validation).
 */
import { augmentEnabled } from '../../../shared/augment';
import type { TrainConfig } from '../../../shared/config';
import type { ValidationSplitInfo } from '../../../shared/validation';
import { binAugmentedBatch, type AugmentKey } from '../../data/augment';
import { binSpec, sameBinSpec, type BinnedBatch } from '../../data/binning';
import type { DatasetIndex, SpikeDataset } from '../../data/spikeDataset';
import { splitIndices, splitValidation, validationFromFile, type ValidationSplit } from '../../data/validationSplit';
import { binDataset, viewOf, type BinnedDataset } from '../run/binnedDataset';

/** What a run knows besides its training file when it holds out validation samples. */
export interface SplitSources {
  /** The dataset's own validation file (SSC's valid split): then nothing is held out of train. */
  validationFile?: SpikeDataset;
  /** The test set: only its speaker ids are read, so `auto` holds out voices only when the test holds out voices. */
  test?: SpikeDataset;
}

/**
 * The split a run of `config` makes of its training file: a dataset's own validation file when given,
 * else config.validationFraction held out as config.validationBy says, seeded by the run's seed (so a resumed
 * run holds out the same samples).
 */
export function trainingSplit(config: TrainConfig, train: SpikeDataset, sources: SplitSources = {}): ValidationSplit {
  return sources.validationFile
    ? validationFromFile(train, sources.validationFile)
    : splitValidation(train, { validationFraction: config.validationFraction, validationBy: config.validationBy }, config.seed, {
        testSpeakers: sources.test?.speakers,
      });
}

/** The key of the augmentation in epoch `epoch` (1-based) of a run of `config`: the run's seed and that epoch. */
export function trainingAugmentKey(config: TrainConfig, epoch: number): AugmentKey {
  return { seed: config.seed, epoch };
}

/** The augmented, binned batch of `indices` (positions in `trainPart`) that epoch `epoch` trains on. */
export function augmentedTrainingBatch(trainPart: SpikeDataset, indices: ArrayLike<number>, config: TrainConfig, epoch: number): BinnedBatch {
  return binAugmentedBatch(trainPart, indices, config.augment, trainingAugmentKey(config, epoch), binSpec(config));
}

/** Bins made beforehand for whole files (binCache.ts: files whose spikes are not held in memory). */
export interface FileBins {
  train: BinnedDataset;
  test: BinnedDataset;
  validation?: BinnedDataset;
}

/** What one run iterates over: the binned training part, validation and test sets, and how the split was made. */
export interface PreparedData {
  info: ValidationSplitInfo;
  trainBins: BinnedDataset;
  valBins: BinnedDataset | null;
  testBins: BinnedDataset;
  /** The training part's spikes, for augmentation; null when the bins come from a cache on disk. */
  trainPart: SpikeDataset | null;
}

/**
 * The run's data. In memory (spike datasets): the split of {@link trainingSplit}, each part binned once. From
 * bin caches (`bins`): the same split made on the index alone, the parts as views of the cached bins, so
 * nothing of the size of the file is held; augmentation, which needs spike times, is refused there.
 */
export function prepareTrainingData(
  config: TrainConfig,
  sets: { train: DatasetIndex; test: DatasetIndex; validation?: DatasetIndex; bins?: FileBins },
  { shared }: { shared: boolean },
): PreparedData {
  const spec = binSpec(config);
  const { bins } = sets;
  if (!bins) {
    const split = trainingSplit(config, sets.train as SpikeDataset, { validationFile: sets.validation as SpikeDataset | undefined, test: sets.test as SpikeDataset });
    return {
      info: split.info,
      trainBins: binDataset(split.train, spec, { shared }),
      valBins: split.validation ? binDataset(split.validation, spec, { shared }) : null,
      testBins: binDataset(sets.test as SpikeDataset, spec, { shared }),
      trainPart: split.train,
    };
  }
  if (augmentEnabled(config.augment)) {
    throw new Error(
      `${sets.train.name}: augmentation changes spike times before binning, but this file trains from its bin cache (its spikes are not held in memory); turn augmentation off for it`,
    );
  }
  for (const b of [bins.train, bins.test, bins.validation]) {
    if (b && !sameBinSpec(b.spec, spec)) {
      throw new Error(`${b.name}: binned with ${JSON.stringify(b.spec)}, the config bins ${JSON.stringify(spec)}`);
    }
  }
  if (bins.validation) {
    if (bins.validation.channels !== bins.train.channels) throw new Error(`validation data has ${bins.validation.channels} channels, training data ${bins.train.channels}`);
    return {
      info: { kind: 'file', trainSamples: bins.train.samples, validationSamples: bins.validation.samples, seed: null },
      trainBins: bins.train,
      valBins: bins.validation,
      testBins: bins.test,
      trainPart: null,
    };
  }
  const s = splitIndices(sets.train, { validationFraction: config.validationFraction, validationBy: config.validationBy }, config.seed, {
    testSpeakers: sets.test.speakers,
  });
  return {
    info: s.info,
    trainBins: s.info.kind === 'none' ? bins.train : viewOf(bins.train, s.trainIndices, `${sets.train.name} (train part)`),
    valBins: s.info.kind === 'none' ? null : viewOf(bins.train, s.validationIndices, `${sets.train.name} (validation)`),
    testBins: bins.test,
    trainPart: null,
  };
}
