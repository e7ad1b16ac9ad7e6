/** The small learnable problem the trainer tests share: 4 classes of moving spike bands over 40 channels. */
import { makeConfig, type TrainConfig } from '../../../src/shared/config';
import type { BackendReport, TrainEvent } from '../../../src/shared/events';
import type { TrainingCheckpoint } from '../../../src/services/engine/model/modelState';
import { train, type TrainOptions } from '../../../src/services/engine/training/trainer';
import { makeSyntheticShd } from '../../../src/services/data/syntheticShd';

export const data = { channels: 40, classes: 4, peakRateHz: 150, backgroundSpikes: 10 };
export const trainSet = makeSyntheticShd({ samples: 72, seed: 3, split: 'train', ...data });
export const testSet = makeSyntheticShd({ samples: 40, seed: 3, split: 'test', ...data });
/**
 * The seed model (one recurrent LIF layer), small, trained on the whole training set (validationFraction 0,
 * the first landing's protocol) so its numbers stay comparable; protocolRun.test.ts turns validation on.
 */
export const base = makeConfig({ layers: [{ size: 24, recurrent: true, dropout: 0 }], nbSteps: 30, batchSize: 16, epochs: 2, learningRate: 5e-3, seed: 11, validationFraction: 0 });
/** Two adLIF layers with learned decays and dropout: every part of the family's training step. */
export const adlif2 = makeConfig({
  ...base,
  neuron: 'adlif',
  layers: [
    { size: 16, recurrent: true, dropout: 0.2 },
    { size: 12, recurrent: false, dropout: 0.1 },
  ],
  tauMemS: { lo: 0.002, hi: 0.01 },
  tauAdaptS: { lo: 0.03, hi: 0.1 },
  learnTau: true,
  weightScale: 4,
  epochs: 2,
});

/** Runs the trainer on the small problem (or the sets given) to the end: every event and the checkpoint it returns. */
export async function runTraining(backend: BackendReport, opts: Partial<TrainOptions> & { config: TrainConfig }) {
  const events: TrainEvent[] = [];
  const gen = train({ train: trainSet, test: testSet, backend, ...opts });
  for (;;) {
    const step = await gen.next();
    if (step.done) return { events, checkpoint: step.value as TrainingCheckpoint };
    events.push(step.value);
  }
}
