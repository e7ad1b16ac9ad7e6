/**
 * The training and test sets of one run, made to fit one network: they must name the same classes, and both
 * take the wider channel count (a file whose units stop short of the top channel reads fewer channels), or the
 * network's input count when a run continues one. The CLI and the app's training process both pair through here.
 */
import type { DatasetIndex } from './spikeDataset';

export function pairTrainTest<T extends DatasetIndex>(train: T, test: T, networkInputs = 0): { train: T; test: T } {
  if (train.classNames.join('\u0000') !== test.classNames.join('\u0000')) {
    throw new Error(
      `${train.name} and ${test.name} have different classes (${train.classNames.length} vs ${test.classNames.length}: ` +
        `${train.classNames.slice(0, 4).join(', ')}… vs ${test.classNames.slice(0, 4).join(', ')}…)`,
    );
  }
  const channels = Math.max(train.channels, test.channels, networkInputs);
  return { train: { ...train, channels }, test: { ...test, channels } };
}
