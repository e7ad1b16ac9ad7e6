/**
 * The metadata a session records beside its weights: when and by which app version it was made, on which
 * backend, and on which data (name, fingerprint, sizes, class names). Every writer of sessions (CLI, the
 * app's training process) builds it here, so they record the same things.
 */
import pkg from '../../../package.json';
import type { BackendName } from '../../shared/events';
import { fingerprintDataset } from '../data/fingerprint';
import type { SpikeDataset } from '../data/spikeDataset';
import type { SessionMeta } from '../engine/modelState';

export const APP_VERSION: string = pkg.version;

export interface SessionOrigin {
  backend: BackendName;
  /** What the user called the data: a dataset name ("shd") or the training file's path. */
  datasetName: string;
  train: SpikeDataset;
  test: SpikeDataset;
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
      fingerprint: o.fingerprint ?? fingerprintDataset(o.train),
      trainSamples: o.train.samples,
      testSamples: o.test.samples,
    },
    classNames: [...o.train.classNames],
  };
}
