/**
 * Test helper: a complete, valid session whose parameters and moments are a seeded pattern (not the engine's
 * init, so these tests do not move when the init does) and whose history is plausible.
 */
import { makeConfig, type LayerConfig, type NeuronKind, type TrainConfig } from '../../../src/shared/config';
import { emptyParams, networkShape, type Session } from '../../../src/services/engine/model/modelState';
import { SeededRandom } from '../../../src/services/random/seededRandom';

export interface SampleOptions {
  neuron?: NeuronKind;
  /** Hidden layers as [size, recurrent]. */
  layers?: [number, boolean][];
  channels?: number;
  pool?: number;
  classes?: number;
  epochs?: number;
  config?: Partial<TrainConfig>;
}

export function sampleSession(opts: SampleOptions = {}): Session {
  const { neuron = 'lif', layers = [[5, true]], channels = 7, pool = 1, classes = 3, epochs = 2 } = opts;
  const layerConfigs: LayerConfig[] = layers.map(([size, recurrent]) => ({ size, recurrent, dropout: 0 }));
  const config = makeConfig({ neuron, layers: layerConfigs, pool, epochs: Math.max(epochs, 1), seed: 4294967295, tauSynS: { lo: 0.0051, hi: 0.0051 }, ...opts.config });
  const params = emptyParams(networkShape(config, channels, classes));
  const rng = new SeededRandom(42);
  // Weights ~ N(0, 0.3²); a in [0, 1), b in [0, 2); decays spread over (0.05, 0.99), each neuron its own. Decays
  // below 0.5 often do not survive τ = −dt/ln(decay) in float32 bit-exactly, which the file format must handle.
  const valueFor = (leaf: string): number =>
    leaf === 'alpha' || leaf === 'beta' ? 0.05 + 0.94 * rng.next() : leaf === 'a' ? rng.next() : leaf === 'b' ? 2 * rng.next() : rng.normal() * 0.3;
  for (const e of params.layout) {
    const leaf = e.name.slice(e.name.indexOf('/') + 1);
    for (let i = 0; i < e.length; i++) params.flat[e.offset + i] = valueFor(leaf);
  }
  const n = params.flat.length;
  const m = Float32Array.from({ length: n }, () => rng.normal() * 1e-3);
  // Second moments and infinity norms are never negative.
  const v = Float32Array.from({ length: n }, () => Math.abs(rng.normal()) * 1e-6);
  return {
    config,
    params,
    optimizer: { name: config.optimizer, step: 17 * epochs, m, v },
    history: Array.from({ length: epochs }, (_, i) => ({
      epoch: i + 1,
      train_loss: 2.1 - 0.1 * i + 1e-9,
      train_acc: 0.31 + 0.1 * i,
      val_loss: i === 0 ? null : 2.15 - 0.1 * i,
      val_acc: i === 0 ? null : 0.305 + 0.1 * i,
      test_loss: 2.2 - 0.1 * i,
      test_acc: 0.3 + 0.1 * i,
      lr: config.learningRate / (i + 1),
      train_s: 1.25 + i,
      eval_s: 0.125,
    })),
    epochsDone: epochs,
    // The first epoch's parameters, perturbed: a selected epoch that is not the last.
    selected: epochs > 0 ? { epoch: 1, params: { ...params, flat: params.flat.map((x, i) => x + (i % 7) * 1e-3) } } : null,
    schedule: { baseLr: config.learningRate, epochsDone: epochs, currentLr: config.learningRate / 2, bestMetric: epochs > 0 ? 0.5 : null, badEpochs: 1, reductions: 1 },
    validation: { kind: 'by-speaker', trainSamples: 36, validationSamples: 4, speakers: [3, 9], seed: 0 },
    meta: {
      created: '2024-05-06T07:08:09.000Z',
      appVersion: '0.1.0',
      backend: 'wasm',
      dataset: { name: 'unit-test', fingerprint: 'sha256:abc', trainSamples: 40, testSamples: 12 },
      classNames: Array.from({ length: classes }, (_, k) => `class ${k} é`),
    },
  };
}
