/**
 * The Spikes tab's augmentation preview: one training sample binned as it is, beside the binned spikes a run
 * of the given config trains on for it in the given epoch. Runs in the training process on the loaded training
 * file (reading SHD takes seconds); needs no engine.
 *
 * `sampleIndex` counts in the training file, as the file and the dataset summary number its samples. The trainer
 * augments the training part left after the validation hold-out, and both the augmentation's random key and the
 * pool of blend partners are positions in that part; so the preview makes the same split (trainingSet.ts) and
 * looks the sample up in it. A held-out sample is never trained on, so it has no augmentation to show and is
 * refused, as is an index past the end of the file or an epoch the run never reaches.
 *
 * The augmented bins come from `augmentedTrainingBatch`, which the trainer's batches come from too, and a sample's
 * augmentation does not depend on the batch it is in: they are the trainer's bins for this sample in this epoch.
 */
import { augmentEnabled, type AugmentOptions } from '../../shared/augment';
import type { AugmentPreview, AugmentPreviewRequest, BinnedSpikes } from '../../shared/workbenchApi';
import { sampleDraws, type SampleDraws } from '../data/augment';
import { binBatch, binSpec, type BinnedBatch } from '../data/binning';
import type { SpikeDataset } from '../data/spikeDataset';
import { augmentedTrainingBatch, trainingAugmentKey, trainingSplit, type SplitSources } from '../engine/training/trainingSet';

/** The (step, channel) of every non-empty bin of a one-sample batch, as the probe lists input spikes. */
function binsOf(batch: BinnedBatch): BinnedSpikes {
  const out: BinnedSpikes = { t: [], c: [] };
  for (const f of batch.flat) {
    out.t.push(Math.floor(f / batch.channels));
    out.c.push(f % batch.channels);
  }
  return out;
}

const signed = (x: number, digits: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(digits)}`;
const ms = (s: number) => +(s * 1000).toPrecision(4);

/** Each augmentation that is on, with what this sample drew; `partner` is the partner's training-file index. */
export function describeDraws(opts: AugmentOptions, draws: SampleDraws, partner: number | null): string[] {
  const out: string[] = [];
  if (opts.blend > 0) out.push(partner === null ? `no blend (p = ${opts.blend})` : `blend with train sample ${partner} (p = ${opts.blend})`);
  if (opts.deleteP > 0) out.push(`spike deletion (p = ${opts.deleteP})`);
  if (opts.stretch.lo !== 1 || opts.stretch.hi !== 1) out.push(`stretch ×${draws.stretch.toFixed(3)} (of ${opts.stretch.lo}–${opts.stretch.hi})`);
  if (opts.timeShiftS > 0) out.push(`time shift ${signed(draws.timeShiftS * 1000, 1)} ms (of ±${ms(opts.timeShiftS)} ms)`);
  if (opts.channelShift > 0) out.push(`channel shift ${signed(draws.channelShift, 0)} (of ±${opts.channelShift})`);
  return out;
}

/** Position of `sampleIndex` in the training part, or −1 when it is held out (trainIndices ascends). */
function positionIn(trainIndices: Int32Array, sampleIndex: number): number {
  let lo = 0;
  let hi = trainIndices.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (trainIndices[mid] === sampleIndex) return mid;
    if (trainIndices[mid] < sampleIndex) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** The entry of `trainIndices` closest to `sampleIndex` (the lower one on a tie); the split keeps at least one. */
function nearest(trainIndices: Int32Array, sampleIndex: number): number {
  let best = trainIndices[0];
  for (const i of trainIndices) if (Math.abs(i - sampleIndex) < Math.abs(best - sampleIndex)) best = i;
  return best;
}

/**
 * The preview of training-file sample `request.sampleIndex` of `train` (the training file as a run loads it) in
 * epoch `request.epoch` of a run of `request.config`. Throws with a message for the user when refused.
 */
export function augmentPreview(train: SpikeDataset, request: Omit<AugmentPreviewRequest, 'dataset'>, sources: SplitSources = {}): AugmentPreview {
  const { config, sampleIndex, epoch } = request;
  if (!Number.isInteger(sampleIndex) || sampleIndex < 0 || sampleIndex >= train.samples) {
    throw new Error(`train sample ${sampleIndex} is out of range: the training file has ${train.samples} samples (0…${train.samples - 1})`);
  }
  if (!Number.isInteger(epoch) || epoch < 1 || epoch > config.epochs) {
    throw new Error(`epoch ${epoch} is out of range: the config trains epochs 1…${config.epochs}`);
  }
  const split = trainingSplit(config, train, sources);
  const j = positionIn(split.trainIndices, sampleIndex);
  if (j < 0) {
    throw new Error(
      `train sample ${sampleIndex} is held out for validation by this config (${split.info.validationSamples} of ${train.samples} samples), ` +
        `so training never augments it; the nearest sample it trains on is ${nearest(split.trainIndices, sampleIndex)}`,
    );
  }
  const on = augmentEnabled(config.augment);
  const original = binsOf(binBatch(train, [sampleIndex], binSpec(config)));
  const draws = sampleDraws(split.train, j, config.augment, trainingAugmentKey(config, epoch));
  const partner = draws.partner >= 0 ? split.trainIndices[draws.partner] : null;
  const label = train.labels[sampleIndex];
  const className = train.classNames[label];
  return {
    sampleIndex,
    trainPartIndex: j,
    label,
    ...(className !== undefined ? { className } : {}),
    channels: train.channels,
    nbSteps: config.nbSteps,
    epoch,
    original,
    // The trainer bins the data as it is when augmentation is off; so does the preview.
    augmented: on ? binsOf(augmentedTrainingBatch(split.train, [j], config, epoch)) : { t: [...original.t], c: [...original.c] },
    blendPartner: partner,
    applied: on ? describeDraws(config.augment, draws, partner) : [],
  };
}
