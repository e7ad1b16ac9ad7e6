/**
 * What a training run is made of, as plain typed arrays: the weights, the optimizer's moments and the
 * history. The trainer produces it, session files store it, resume feeds it back, evaluation reads the weights.
 * Weights are in x·W orientation, row-major, exactly as the reference's `/weights/*` datasets:
 * w1[i·hidden + h] (inputs × hidden), v1[j·hidden + h] (hidden × hidden), w2[h·classes + k] (hidden × classes).
 */
import type { OptimizerName, TrainConfig } from '../../shared/config';
import type { BackendName, EpochRecord } from '../../shared/events';

export interface NetworkWeights {
  inputs: number;
  hidden: number;
  classes: number;
  w1: Float32Array;
  v1: Float32Array;
  w2: Float32Array;
}

export interface ParamMoments {
  w1: Float32Array;
  v1: Float32Array;
  w2: Float32Array;
}

export interface OptimizerState {
  name: OptimizerName;
  /** Update steps taken so far (Adam's bias correction needs it). */
  step: number;
  /** First moments. */
  m: ParamMoments;
  /** Second moments (adam) or exponentially weighted infinity norms (adamax). */
  v: ParamMoments;
}

export interface TrainingCheckpoint {
  config: TrainConfig;
  weights: NetworkWeights;
  optimizer: OptimizerState;
  history: EpochRecord[];
  /** Epochs completed; resume starts at epochsDone + 1 and shuffles as an uninterrupted run would. */
  epochsDone: number;
}

export interface DatasetIdentity {
  name: string;
  /** Stable digest of the training data (labels and spikes), so a session knows what it was trained on. */
  fingerprint: string;
  trainSamples: number;
  testSamples: number;
}

export interface SessionMeta {
  /** ISO 8601. */
  created: string;
  appVersion: string;
  backend: BackendName;
  dataset: DatasetIdentity;
  classNames: string[];
}

export interface Session extends TrainingCheckpoint {
  meta: SessionMeta;
}

export function checkWeightShapes(w: NetworkWeights): void {
  const expect = (name: string, got: number, want: number) => {
    if (got !== want) throw new Error(`weights ${name} has ${got} values, expected ${want}`);
  };
  expect('w1', w.w1.length, w.inputs * w.hidden);
  expect('v1', w.v1.length, w.hidden * w.hidden);
  expect('w2', w.w2.length, w.hidden * w.classes);
}
