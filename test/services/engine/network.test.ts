/**
 * The two ways of running the layer (tfjs ops per step, fused kernels) agree on shapes the golden files do not
 * cover: batch and hidden sizes that do not fit the SIMD lanes (the fused path then mixes in the JS twins),
 * no recurrence, mean readout, uniform binning, spike counts above 1 per bin.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { makeConfig, type TrainConfig } from '../../../src/shared/config';
import { binBatch } from '../../../src/services/data/binning';
import { selectBackend } from '../../../src/services/engine/backendSelect';
import { initWeights } from '../../../src/services/engine/init';
import { runBatch } from '../../../src/services/engine/network';
import { makeSyntheticShd } from '../../../src/services/engine/syntheticShd';
import { maxRelativeError } from '../../../src/services/engine/relativeError';

const ds = makeSyntheticShd({ samples: 12, seed: 8, split: 'train', channels: 30, classes: 3, peakRateHz: 400 });

beforeAll(async () => {
  await selectBackend('wasm');
});

const cases: [string, number, Partial<TrainConfig>][] = [
  ['B=3, H=6 (no SIMD fit)', 3, { hidden: 6 }],
  ['B=8, H=16', 8, { hidden: 16 }],
  ['B=5, H=12, no recurrence, mean readout', 5, { hidden: 12, recurrent: false, readout: 'mean' }],
  ['B=4, H=20, uniform bins, strong regulariser', 4, { hidden: 20, binning: 'uniform', regL1: 1e-3, regL2: 1e-3 }],
];

describe('fused kernels = tfjs ops', () => {
  for (const [name, B, partial] of cases) {
    it(name, () => {
      const config = makeConfig({ nbSteps: 25, weightScale: 3, seed: 4, ...partial });
      const weights = initWeights(30, config.hidden, 3, config);
      const batch = binBatch(ds, Array.from({ length: B }, (_, i) => i), config);
      expect(Math.max(...batch.counts)).toBeGreaterThan(1);
      const before = tf.memory().numTensors;
      const fused = runBatch(weights, config, batch, { gradients: true, records: true, loop: 'fused' });
      const ops = runBatch(weights, config, batch, { gradients: true, records: true, loop: 'tensor' });
      expect(tf.memory().numTensors).toBe(before);
      expect(fused.hiddenSpikes).toBeGreaterThan(10);
      expect(Array.from(fused.records!.spikes)).toEqual(Array.from(ops.records!.spikes));
      expect(maxRelativeError(fused.records!.mem, ops.records!.mem)).toBeLessThan(1e-5);
      expect(maxRelativeError(fused.records!.out, ops.records!.out)).toBeLessThan(1e-5);
      expect(Math.abs(fused.loss - ops.loss) / ops.loss).toBeLessThan(1e-6);
      for (const k of ['w1', 'v1', 'w2'] as const) expect(maxRelativeError(fused.grads![k], ops.grads![k]), k).toBeLessThan(1e-4);
      if (!config.recurrent) expect(fused.grads!.v1.every((x) => x === 0)).toBe(true);
      expect(Array.from(fused.predictions)).toEqual(Array.from(ops.predictions));
    });
  }

  it('the cpu backend (JS kernels) gives the same bits as wasm (SIMD kernels)', async () => {
    const config = makeConfig({ nbSteps: 25, hidden: 16, weightScale: 3, seed: 4 });
    const weights = initWeights(30, 16, 3, config);
    const batch = binBatch(ds, [0, 1, 2, 3, 4, 5, 6, 7], config);
    const wasm = runBatch(weights, config, batch, { gradients: true, loop: 'fused' });
    await selectBackend('cpu');
    const cpu = runBatch(weights, config, batch, { gradients: true, loop: 'fused' });
    await selectBackend('wasm');
    expect(cpu.loss).toBe(wasm.loss);
    for (const k of ['w1', 'v1', 'w2'] as const) expect(Array.from(cpu.grads![k])).toEqual(Array.from(wasm.grads![k]));
  });
});
