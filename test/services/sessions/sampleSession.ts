/** Test helper: a complete, valid session with seeded random weights and moments and a plausible history. */
import { makeConfig, type TrainConfig } from '../../../src/shared/config';
import type { Session } from '../../../src/services/engine/modelState';
import { SeededRandom } from '../../../src/services/random/seededRandom';

export function sampleSession(opts: { inputs?: number; hidden?: number; classes?: number; epochs?: number; config?: Partial<TrainConfig> } = {}): Session {
  const { inputs = 7, hidden = 5, classes = 3, epochs = 2 } = opts;
  const rng = new SeededRandom(42);
  const rand = (n: number) => Float32Array.from({ length: n }, () => rng.normal() * 0.3);
  const params = () => ({ w1: rand(inputs * hidden), v1: rand(hidden * hidden), w2: rand(hidden * classes) });
  const config = makeConfig({ hidden, epochs: Math.max(epochs, 1), seed: 4294967295, tauSynS: 0.0051, ...opts.config });
  return {
    config,
    weights: { inputs, hidden, classes, ...params() },
    optimizer: { name: config.optimizer, step: 17 * epochs, m: params(), v: params() },
    history: Array.from({ length: epochs }, (_, i) => ({
      epoch: i + 1,
      train_loss: 2.1 - 0.1 * i + 1e-9,
      train_acc: 0.31 + 0.1 * i,
      test_loss: 2.2 - 0.1 * i,
      test_acc: 0.3 + 0.1 * i,
      train_s: 1.25 + i,
      eval_s: 0.125,
    })),
    epochsDone: epochs,
    meta: {
      created: '2024-05-06T07:08:09.000Z',
      appVersion: '0.1.0',
      backend: 'wasm',
      dataset: { name: 'unit-test', fingerprint: 'sha256:abc', trainSamples: 40, testSamples: 12 },
      classNames: Array.from({ length: classes }, (_, k) => `class ${k} é`),
    },
  };
}
