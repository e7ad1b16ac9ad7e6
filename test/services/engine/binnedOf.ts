/** A batch as the one-batch BinnedDataset the worker pool takes (samples 0…B−1 in batch order). */
import type { TrainConfig } from '../../../src/shared/config';
import type { BinnedBatch } from '../../../src/services/data/binning';
import type { BinnedDataset } from '../../../src/services/engine/run/binnedDataset';

export function binnedOf(batch: BinnedBatch, config: TrainConfig): BinnedDataset {
  const perSample = batch.nbSteps * batch.channels;
  const offsets = new Float64Array(batch.size + 1);
  const keys = new Int32Array(batch.flat.length);
  const counts = new Uint16Array(batch.flat.length);
  let b = 0;
  for (let k = 0; k < batch.flat.length; k++) {
    while (batch.flat[k] >= (b + 1) * perSample) offsets[++b] = k;
    keys[k] = batch.flat[k] - b * perSample;
    counts[k] = batch.counts[k];
  }
  while (b < batch.size) offsets[++b] = batch.flat.length;
  return {
    spec: { nbSteps: config.nbSteps, maxTimeS: config.maxTimeS, binning: config.binning },
    name: 'golden batch',
    samples: batch.size,
    channels: batch.channels,
    labels: batch.labels,
    offsets,
    keys,
    counts,
    dropped: 0,
  };
}
