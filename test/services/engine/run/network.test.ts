/**
 * The two ways of running the layers (tfjs ops per step, fused kernels) agree on shapes the golden files do not
 * cover: batch and hidden sizes that do not fit the SIMD lanes (the fused path then mixes in the JS twins),
 * no recurrence, mean readout, uniform binning, spike counts above 1 per bin, pooling, stacked adLIF layers.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { makeConfig, type TrainConfig } from '../../../../src/shared/config';
import { binBatch } from '../../../../src/services/data/binning';
import { selectBackend } from '../../../../src/services/engine/tfjs/backendSelect';
import { initNetwork } from '../../../../src/services/engine/model/init';
import { hasParam, networkShape, tensor, type NetworkParams } from '../../../../src/services/engine/model/modelState';
import { runBatch } from '../../../../src/services/engine/run/network';
import { makeSyntheticShd } from '../../../../src/services/data/syntheticShd';
import { maxRelativeError } from '../../../../src/services/engine/tfjs/relativeError';

const ds = makeSyntheticShd({ samples: 12, seed: 8, split: 'train', channels: 30, classes: 3, peakRateHz: 400 });

beforeAll(async () => {
  await selectBackend('wasm');
});

const layer = (size: number, recurrent = true) => ({ size, recurrent, dropout: 0 });

/**
 * The network of a config; adLIF layers above the first get 8× their drawn input weights: their drive is
 * (1 − α)·J with 0/1 spikes as input, too weak to fire at the init scale of the small layers here.
 */
function networkOf(config: TrainConfig): NetworkParams {
  const params = initNetwork(networkShape(config, 30, 3), config);
  if (config.neuron === 'adlif') {
    for (let l = 1; l < config.layers.length; l++) tensor(params, params.flat, `layer${l}/w_in`).forEach((x, i, w) => (w[i] = 8 * x));
  }
  return params;
}

const cases: [string, number, Partial<TrainConfig>][] = [
  ['B=3, H=6 (no SIMD fit)', 3, { layers: [layer(6)] }],
  ['B=8, H=16', 8, { layers: [layer(16)] }],
  ['B=5, H=12, no recurrence, mean readout', 5, { layers: [layer(12, false)], readout: 'mean' }],
  ['B=4, H=20, uniform bins, strong regulariser', 4, { layers: [layer(20)], binning: 'uniform', regL1: 1e-3, regL2: 1e-3 }],
  ['lif 2 layers (6r, 8), pool 3, learnTau', 3, { layers: [layer(6), layer(8, false)], pool: 3, learnTau: true }],
  [
    'adlif 2 layers (10r, 7r), softmax-sum, B=3',
    3,
    { neuron: 'adlif', layers: [layer(10), layer(7)], readout: 'softmax-sum', readoutSkip: 3, tauMemS: { lo: 0.005, hi: 0.03 }, learnTau: true },
  ],
];

describe('fused kernels = tfjs ops', () => {
  for (const [name, B, partial] of cases) {
    it(name, () => {
      const config = makeConfig({ nbSteps: 25, weightScale: 3, seed: 4, ...partial });
      const params = networkOf(config);
      const batch = binBatch(ds, Array.from({ length: B }, (_, i) => i), config);
      expect(Math.max(...batch.counts)).toBeGreaterThan(1);
      const before = tf.memory().numTensors;
      const fused = runBatch(params, config, batch, { gradients: true, allGradients: true, records: true, loop: 'fused' });
      const ops = runBatch(params, config, batch, { gradients: true, allGradients: true, records: true, loop: 'tensor' });
      expect(tf.memory().numTensors).toBe(before);
      expect(fused.spikesPerLayer).toEqual(ops.spikesPerLayer);
      config.layers.forEach((_, l) => {
        expect(fused.spikesPerLayer[l], `layer ${l} spikes`).toBeGreaterThan(10);
        const [f, o] = [fused.records!.layers[l], ops.records!.layers[l]];
        expect(Array.from(f.spikes), `layer ${l} spikes`).toEqual(Array.from(o.spikes));
        expect(maxRelativeError(f.mem, o.mem), `layer ${l} mem`).toBeLessThan(1e-5);
        if (config.neuron === 'adlif') expect(maxRelativeError(f.adapt!, o.adapt!), `layer ${l} adapt`).toBeLessThan(1e-5);
        else expect(f.adapt).toBeUndefined();
      });
      expect(maxRelativeError(fused.records!.out, ops.records!.out)).toBeLessThan(1e-5);
      expect(Math.abs(fused.loss - ops.loss) / ops.loss).toBeLessThan(1e-6);
      for (const e of params.layout) {
        if (e.name.startsWith('readout/') && e.name !== 'readout/w') continue;
        const [gf, go] = [tensor(params, fused.grads!, e.name), tensor(params, ops.grads!, e.name)];
        expect(go.some((x) => x !== 0), `${e.name} gradient is not all zero`).toBe(true);
        expect(maxRelativeError(gf, go), e.name).toBeLessThan(1e-4);
      }
      config.layers.forEach((l, i) => expect(hasParam(params, `layer${i}/w_rec`)).toBe(l.recurrent));
      expect(Array.from(fused.predictions)).toEqual(Array.from(ops.predictions));
    });
  }

  it('the cpu backend (JS kernels) gives the same bits as wasm (SIMD kernels)', async () => {
    for (const partial of [{ layers: [layer(16)] }, { neuron: 'adlif', layers: [layer(16), layer(8, false)], learnTau: true }] as Partial<TrainConfig>[]) {
      const config = makeConfig({ nbSteps: 25, weightScale: 3, seed: 4, ...partial });
      const params = networkOf(config);
      const batch = binBatch(ds, [0, 1, 2, 3, 4, 5, 6, 7], config);
      const wasm = runBatch(params, config, batch, { gradients: true, loop: 'fused' });
      await selectBackend('cpu');
      const cpu = runBatch(params, config, batch, { gradients: true, loop: 'fused' });
      await selectBackend('wasm');
      expect(cpu.loss).toBe(wasm.loss);
      expect(wasm.spikesPerLayer.every((n) => n > 10)).toBe(true);
      expect(Array.from(cpu.grads!)).toEqual(Array.from(wasm.grads!));
    }
  });

  it('without learnTau the decays get no gradient, unless every gradient is asked for', () => {
    const config = makeConfig({ nbSteps: 25, weightScale: 3, seed: 4, neuron: 'adlif', layers: [layer(8)] });
    const params = networkOf(config);
    const batch = binBatch(ds, [0, 1, 2, 3], config);
    // The fused loop's promise (the tfjs-op loop's autograd computes every gradient anyway).
    for (const loop of ['fused'] as const) {
      const some = runBatch(params, config, batch, { gradients: true, loop });
      const all = runBatch(params, config, batch, { gradients: true, allGradients: true, loop });
      for (const n of ['layer0/alpha', 'layer0/beta']) {
        expect(tensor(params, some.grads!, n).every((x) => x === 0), `${loop} ${n}`).toBe(true);
        expect(tensor(params, all.grads!, n).some((x) => x !== 0), `${loop} ${n}`).toBe(true);
      }
      for (const n of ['layer0/w_in', 'layer0/a', 'layer0/b', 'readout/w']) {
        expect(Array.from(tensor(params, some.grads!, n)), `${loop} ${n}`).toEqual(Array.from(tensor(params, all.grads!, n)));
      }
    }
  });
});
