/**
 * Dropout on the hidden layers' outputs (dropout.ts): the mask's statistics and what it depends on, and that
 * the engine applies the same mask wherever a sample is computed: fused and tfjs-op loops, one thread or two.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { makeConfig, type TrainConfig } from '../../../../src/shared/config';
import { binBatch } from '../../../../src/services/data/binning';
import { selectBackend } from '../../../../src/services/engine/tfjs/backendSelect';
import { dropoutMask, type DropoutKey } from '../../../../src/services/engine/model/dropout';
import { initNetwork } from '../../../../src/services/engine/model/init';
import { networkShape, tensor, type NetworkParams } from '../../../../src/services/engine/model/modelState';
import { runBatch } from '../../../../src/services/engine/run/network';
import { maxRelativeError } from '../../../../src/services/engine/tfjs/relativeError';
import { makeSyntheticShd } from '../../../../src/services/data/syntheticShd';
import { BatchPool, liveWorkerThreads } from '../../../../src/services/engine/run/workerPool';
import { binnedOf } from '../binnedOf';

const KEY: DropoutKey = { seed: 7, epoch: 3 };
/** Rows [T, H] of the batch element at position `pos` of a [T, B, H] mask. */
function rowsOf(mask: Float32Array, pos: number, B: number, T: number, H: number): number[] {
  const out: number[] = [];
  for (let t = 0; t < T; t++) out.push(...mask.subarray((t * B + pos) * H, (t * B + pos + 1) * H));
  return out;
}

describe('dropout mask', () => {
  it('drops a fraction p within a binomial bound; kept entries are exactly 1/(1 − p)', () => {
    for (const p of [0.1, 0.3, 0.5]) {
      const [T, H] = [40, 50];
      const samples = Int32Array.from({ length: 50 }, (_, i) => i);
      const mask = dropoutMask(KEY, 0, p, samples, T, H);
      const n = mask.length;
      expect(n).toBe(100_000);
      const scale = Math.fround(1 / (1 - p));
      let dropped = 0;
      let other = 0;
      for (const m of mask) {
        if (m === 0) dropped++;
        else if (m !== scale) other++;
      }
      expect(other).toBe(0);
      // 5 standard deviations of Binomial(n, p).
      expect(Math.abs(dropped - n * p), `p = ${p}`).toBeLessThan(5 * Math.sqrt(n * p * (1 - p)));
    }
  });

  it('p = 0 keeps everything at 1', () => {
    expect(dropoutMask(KEY, 1, 0, Int32Array.from([0, 1]), 5, 6).every((m) => m === 1)).toBe(true);
  });

  it('depends on seed, epoch, layer and sample index, not on the position in the batch', () => {
    const [T, H, p] = [20, 16, 0.4];
    const a = dropoutMask(KEY, 1, p, Int32Array.from([5, 9, 2]), T, H);
    const b = dropoutMask(KEY, 1, p, Int32Array.from([2, 11]), T, H);
    // Sample 2 at position 2 in one batch and position 0 in another: the same rows.
    expect(rowsOf(b, 0, 2, T, H)).toEqual(rowsOf(a, 2, 3, T, H));
    const sample2 = rowsOf(a, 2, 3, T, H);
    // Every part of the key matters.
    expect(rowsOf(a, 0, 3, T, H)).not.toEqual(sample2);
    const other = (key: DropoutKey, layer: number) => rowsOf(dropoutMask(key, layer, p, Int32Array.from([2]), T, H), 0, 1, T, H);
    expect(other(KEY, 1)).toEqual(sample2);
    expect(other({ ...KEY, seed: 8 }, 1)).not.toEqual(sample2);
    expect(other({ ...KEY, epoch: 4 }, 1)).not.toEqual(sample2);
    expect(other(KEY, 0)).not.toEqual(sample2);
    // And it varies over steps and neurons within a sample (no repeated row).
    const firstRow = sample2.slice(0, H);
    expect(Array.from({ length: T }, (_, t) => sample2.slice(t * H, (t + 1) * H)).filter((r) => JSON.stringify(r) === JSON.stringify(firstRow)).length).toBe(1);
  });
});

describe('dropout in the engine', () => {
  const ds = makeSyntheticShd({ samples: 12, seed: 8, split: 'train', channels: 30, classes: 3, peakRateHz: 400 });
  const config: TrainConfig = makeConfig({
    neuron: 'adlif',
    layers: [
      { size: 16, recurrent: true, dropout: 0.3 },
      { size: 8, recurrent: true, dropout: 0.2 },
    ],
    tauMemS: { lo: 0.005, hi: 0.03 },
    learnTau: true,
    nbSteps: 25,
    weightScale: 3,
    seed: 4,
  });
  const B = 8;
  let params: NetworkParams;
  const batch = () => binBatch(ds, Array.from({ length: B }, (_, i) => i), config);

  beforeAll(async () => {
    await selectBackend('wasm');
    params = initNetwork(networkShape(config, 30, 3), config);
    // The second adLIF layer's drive (1 − α)·J from 0/1 spikes is too weak to fire at this init scale.
    tensor(params, params.flat, 'layer1/w_in').forEach((x, i, w) => (w[i] = 8 * x));
  });

  it('training (with a key) differs from evaluation; without dropout in the config the key changes nothing', () => {
    const evalRun = runBatch(params, config, batch(), { gradients: true, loop: 'fused' });
    const trainRun = runBatch(params, config, batch(), { gradients: true, loop: 'fused', dropout: KEY });
    expect(evalRun.spikesPerLayer.every((n) => n > 20)).toBe(true);
    expect(Math.abs(trainRun.loss - evalRun.loss) / evalRun.loss).toBeGreaterThan(1e-3);
    // Layer 0's own spikes do not depend on its dropout (the mask acts on what goes up, not on the recurrence).
    expect(trainRun.spikesPerLayer[0]).toBe(evalRun.spikesPerLayer[0]);
    const other = runBatch(params, config, batch(), { gradients: true, loop: 'fused', dropout: { ...KEY, epoch: KEY.epoch + 1 } });
    expect(other.loss).not.toBe(trainRun.loss);
    const noDrop = { ...config, layers: config.layers.map((l) => ({ ...l, dropout: 0 })) };
    const plain = runBatch(params, noDrop, batch(), { gradients: true, loop: 'fused', dropout: KEY });
    expect(plain.loss).toBe(evalRun.loss);
    expect(Array.from(plain.grads!)).toEqual(Array.from(evalRun.grads!));
  });

  it('fused and tfjs-op loops apply the same mask: the same loss and gradients (1e-4)', () => {
    const fused = runBatch(params, config, batch(), { gradients: true, allGradients: true, records: true, loop: 'fused', dropout: KEY });
    const ops = runBatch(params, config, batch(), { gradients: true, allGradients: true, records: true, loop: 'tensor', dropout: KEY });
    expect(fused.spikesPerLayer).toEqual(ops.spikesPerLayer);
    expect(Array.from(fused.records!.layers[1].spikes)).toEqual(Array.from(ops.records!.layers[1].spikes));
    expect(Math.abs(fused.loss - ops.loss) / ops.loss).toBeLessThan(1e-4);
    for (const e of params.layout) {
      if (e.name === 'readout/alpha' || e.name === 'readout/beta') continue;
      const [gf, go] = [tensor(params, fused.grads!, e.name), tensor(params, ops.grads!, e.name)];
      expect(go.some((x) => x !== 0), e.name).toBe(true);
      expect(maxRelativeError(gf, go), e.name).toBeLessThan(1e-4);
    }
  });

  it('1 and 2 worker threads apply the same mask: the same loss and gradients (1e-5)', async () => {
    const b = batch();
    const one = runBatch(params, config, b, { gradients: true, loop: 'fused', dropout: KEY });
    const evalRun = runBatch(params, config, b, { gradients: true, loop: 'fused' });
    const pool = await BatchPool.start(2, params.shape, true);
    try {
      const two = await pool.run(params, config, binnedOf(b, config), b.indices, { gradients: true, dropout: KEY });
      expect(two.spikesPerLayer).toEqual(one.spikesPerLayer);
      expect(Math.abs(two.loss - one.loss) / one.loss).toBeLessThan(1e-5);
      expect(Math.abs(two.loss - evalRun.loss) / evalRun.loss).toBeGreaterThan(1e-3);
      for (const e of params.layout) {
        if (e.name === 'readout/alpha' || e.name === 'readout/beta') continue;
        expect(maxRelativeError(tensor(params, two.grads!, e.name), tensor(params, one.grads!, e.name)), e.name).toBeLessThan(1e-5);
      }
    } finally {
      await pool.close();
    }
    expect(liveWorkerThreads()).toBe(0);
  });
});
