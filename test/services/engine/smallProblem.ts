/** The small learnable problem the trainer tests share: 4 classes of moving spike bands over 40 channels. */
import { makeConfig } from '../../../src/shared/config';
import { makeSyntheticShd } from '../../../src/services/engine/syntheticShd';

export const data = { channels: 40, classes: 4, peakRateHz: 150, backgroundSpikes: 10 };
export const trainSet = makeSyntheticShd({ samples: 72, seed: 3, split: 'train', ...data });
export const testSet = makeSyntheticShd({ samples: 40, seed: 3, split: 'test', ...data });
export const base = makeConfig({ hidden: 24, nbSteps: 30, batchSize: 16, epochs: 2, learningRate: 5e-3, seed: 11 });
