/** The Spikes tab's augmentation preview: reading its two inputs and naming what its two rasters show. */
import type { AugmentOptions } from '../../../shared/augment';
import type { AugmentPreview } from '../../../shared/workbenchApi';
import { optionalInt } from './datasetRef';

/** A whole number from a text input, required, in min…max. */
export function requiredInt(text: string, label: string, min: number, max: number): { value?: number; error?: string } {
  if (text.trim() === '') return { error: `${label} must be a whole number from ${min} to ${max}` };
  return optionalInt(text, label, min, max);
}

/**
 * The preview's inputs checked: a training-file sample (0…trainSamples−1, unbounded while the count is
 * unknown) and an epoch of the run (1…epochs). One message for the first problem, as the row has room for one.
 */
export function previewInputs(
  sampleText: string,
  epochText: string,
  trainSamples: number | null,
  epochs: number,
): { sampleIndex: number; epoch: number } | { error: string } {
  const sample = requiredInt(sampleText, 'Train sample', 0, trainSamples === null ? 10_000_000 : Math.max(0, trainSamples - 1));
  const epoch = requiredInt(epochText, 'Epoch', 1, epochs);
  const error = sample.error ?? epoch.error;
  if (error !== undefined) return { error };
  return { sampleIndex: sample.value!, epoch: epoch.value! };
}

/** Names of the augmentations that are on, in the order they are applied. */
export function augmentNames(opts: AugmentOptions): string[] {
  const names: string[] = [];
  if (opts.blend > 0) names.push('blend');
  if (opts.deleteP > 0) names.push('spike deletion');
  if (opts.stretch.lo !== 1 || opts.stretch.hi !== 1) names.push('stretch');
  if (opts.timeShiftS > 0) names.push('time shift');
  if (opts.channelShift > 0) names.push('channel shift');
  return names;
}

export function originalTitle(p: AugmentPreview): string {
  return `Original — train sample ${p.sampleIndex} (${p.className ?? `class ${p.label}`})`;
}

/** The augmented raster's title: the epoch and what is on; what was drawn goes in the caption (titles stay short). */
export function augmentedTitle(p: AugmentPreview, opts: AugmentOptions): string {
  return `Augmented — epoch ${p.epoch}: ${augmentNames(opts).join(', ')}`;
}
