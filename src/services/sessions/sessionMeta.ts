/**
 * The metadata a session records beside its weights: when and by which app version it was made, on which
 * backend, and on which data (name, fingerprint, sizes, class names, speaker names where the data has them). Every writer of sessions (CLI, the
 * app's training process) builds it here, so they record the same things.
 */
import pkg from '../../../package.json';
import type { BackendName } from '../../shared/events';
import { fingerprintDataset } from '../data/fingerprint';
import type { DatasetIndex, SpikeDataset } from '../data/spikeDataset';
import type { SessionMeta } from '../engine/model/modelState';

export const APP_VERSION: string = pkg.version;

export interface SessionOrigin {
  backend: BackendName;
  /** What the user called the data: a dataset name ("shd") or the training file's path. */
  datasetName: string;
  /** Spikes in memory, or only the index when the fingerprint is given (data trained from a bin cache). */
  train: SpikeDataset | DatasetIndex;
  test: SpikeDataset | DatasetIndex;
  /** The training set's fingerprint when already computed (it reads every spike). */
  fingerprint?: string;
  created?: Date;
}

export function makeSessionMeta(o: SessionOrigin): SessionMeta {
  return {
    created: (o.created ?? new Date()).toISOString(),
    appVersion: APP_VERSION,
    backend: o.backend,
    dataset: {
      name: o.datasetName,
      fingerprint: o.fingerprint ?? fingerprintDataset(o.train as SpikeDataset),
      trainSamples: o.train.samples,
      testSamples: o.test.samples,
    },
    classNames: [...o.train.classNames],
    ...(o.train.speakerNames ? { speakerNames: [...o.train.speakerNames] } : {}),
  };
}
