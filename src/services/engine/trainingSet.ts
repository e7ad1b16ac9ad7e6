/**
 * What the trainer trains on, in one place so anything that wants to show it (the augmentation preview)
 * computes exactly the same: the training part of the validation split, and each epoch's augmented batches
 * of that part. Sample indices here are positions in the training part, not in the training file (they
 * differ whenever samples are held out for validation).
 */
import type { TrainConfig } from '../../shared/config';
import { binAugmentedBatch, type AugmentKey } from '../data/augment';
import { binSpec, type BinnedBatch } from '../data/binning';
import type { SpikeDataset } from '../data/spikeDataset';
import { splitValidation, validationFromFile, type ValidationSplit } from '../data/validationSplit';

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
