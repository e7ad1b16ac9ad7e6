/**
 * The conformance suite: the engine against PyTorch on every golden file the reference writes — format 1
 * (`--golden`, the seed model, three settings, plus make_golden_variants.py: mean readout, no recurrence) and
 * format 2 (`--golden-v2`, every case, seeds 0 and 1: two LIF layers with pooling, adLIF with softmax-sum,
 * two feed-forward adLIF layers with mean readout). Records, loss and the gradient of every parameter
 * (weights, decays, a, b, the readout's) must agree to 1e-4 relative on every backend here, with both loops
 * (fused kernels, tfjs ops with autograd) and with the batch split over worker threads, and on the webgpu
 * backend's WGSL kernels where an adapter exists (SwiftShader in CI; skipped, with the reason, elsewhere).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../../src/services/engine/tfjs/backendSelect';
import { runBatch, type BatchResult, type LoopKind } from '../../../../src/services/engine/run/network';
import { runFusedBatch } from '../../../../src/services/engine/cpu/fusedNetwork';
import { tensor } from '../../../../src/services/engine/model/modelState';
import { maxRelativeError } from '../../../../src/services/engine/tfjs/relativeError';
import { binnedOf } from '../binnedOf';
import { BatchPool } from '../../../../src/services/engine/run/workerPool';
import { GOLDEN_DELAY_FILES, GOLDEN_FILES, GOLDEN_V2_FILES, batchMajor, readGolden, type GoldenCase } from '../goldenCase';
import { GpuNetwork } from '../../../../src/services/engine/webgpu/gpuNetwork';
import { webgpuAvailable } from '../webgpuAvailable';

const TOL = 1e-4;
const FILES = [...GOLDEN_FILES, ...GOLDEN_V2_FILES];
const cases = new Map<string, GoldenCase>();

beforeAll(async () => {
  for (const f of [...FILES, ...GOLDEN_DELAY_FILES]) cases.set(f, await readGolden(f));
});

/**
 * Largest error within TOL of the array's largest value (the criterion), and every element within TOL of
 * itself or a tenth of TOL of that scale: summation order differs from PyTorch's, and near the threshold the
 * surrogate amplifies float32 rounding by ~2·scale, so entries that are sums of cancelling terms can move
 * by more than TOL of their own small size.
 */
function expectClose(name: string, got: ArrayLike<number>, want: ArrayLike<number>): void {
  expect(got.length, name).toBe(want.length);
  let scale = 0;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]));
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i] - want[i]);
    if (err > TOL * Math.abs(want[i]) + 0.1 * TOL * scale) {
      throw new Error(`${name}[${i}] = ${got[i]}, reference ${want[i]} (scale ${scale})`);
    }
  }
  expect(maxRelativeError(got, want), name).toBeLessThan(TOL);
}

function checkAgainst(g: GoldenCase, r: BatchResult): void {
  const { B, T, K } = g.dims;
  const rec = r.records;
  g.params.shape.layers.forEach((s, l) => {
    const want = g.records.layers[l];
    // Spikes are exact: a spike that differs would change everything downstream.
    if (rec) {
      expect(Array.from(batchMajor(rec.layers[l].spikes, T, B, s.size)), `layer ${l} spikes`).toEqual(Array.from(want.spk));
      expectClose(`layer ${l} mem`, batchMajor(rec.layers[l].mem, T, B, s.size), want.mem);
    }
    expect(r.spikesPerLayer[l], `layer ${l} spike count`).toBe(want.spk.reduce((a, b) => a + b, 0));
    expect(r.spikesPerLayer[l], `layer ${l} spikes`).toBeGreaterThan(5);
  });
  if (rec) expectClose('out', batchMajor(rec.out, T + 1, B, K), g.records.out);
  if (g.score) expectClose('score', r.scores, g.score);
  expect(Math.abs(r.loss - g.loss) / g.loss, 'loss').toBeLessThan(TOL);
  for (const [name, want] of g.grads) expectClose(`grad ${name}`, tensor(g.params, r.grads!, name), want);
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`golden values with learnable delays on ${backend}`, () => {
    beforeAll(async () => {
      await selectBackend(backend);
    });
    for (const file of GOLDEN_DELAY_FILES) {
      for (const loop of ['fused', 'tensor'] as LoopKind[]) {
        it(`${file}, ${loop} loop`, () => {
          const g = cases.get(file)!;
          expect(g.params.shape.layers.some((s) => s.recDelay)).toBe(true);
          checkAgainst(g, runBatch(g.params, g.config, g.batch, { gradients: true, allGradients: true, records: true, loop, delaySigma: g.delaySigma }));
        });
      }      // The fused loop's recurrent delays both ways on every case: sparse (triples, rowAxpy) and dense (D_u by
      // tapGather, D_u·W_rec, ∂W_rec = Dᵀ·G), whichever the kernel's width would pick.
      it(`${file}, fused loop on 2 worker threads`, async () => {
        const g = cases.get(file)!;
        const pool = await BatchPool.start(2, g.params.shape, backend === 'wasm');
        try {
          const r = await pool.run(g.params, g.config, binnedOf(g.batch, g.config), g.batch.indices, { gradients: true, allGradients: true, delaySigma: g.delaySigma });
          checkAgainst(g, r);
        } finally {
          await pool.close();
        }
      });
      for (const denseDelayTaps of [1, Infinity]) {
        it(`${file}, fused loop, recurrent delays ${denseDelayTaps === 1 ? 'dense' : 'sparse'}`, () => {
          const g = cases.get(file)!;
          const opts = { gradients: true, allGradients: true, records: true, delaySigma: g.delaySigma };
          checkAgainst(g, runFusedBatch({ params: g.params, config: g.config, batch: g.batch, opts, simd: backend === 'wasm', denseDelayTaps }));
        });
      }
    }
  });

  describe(`golden values on ${backend}`, () => {
    beforeAll(async () => {
      await selectBackend(backend);
    });

    for (const file of FILES) {
      for (const loop of ['fused', 'tensor'] as LoopKind[]) {
        it(`${file}, ${loop} loop`, () => {
          const g = cases.get(file)!;
          const before = tf.memory().numTensors;
          const r = runBatch(g.params, g.config, g.batch, { gradients: true, allGradients: true, records: true, loop });
          expect(tf.memory().numTensors).toBe(before);
          checkAgainst(g, r);
        });
      }
      it(`${file}, fused loop on 2 worker threads`, async () => {
        const g = cases.get(file)!;
        const pool = await BatchPool.start(2, g.params.shape, backend === 'wasm');
        try {
          const r = await pool.run(g.params, g.config, binnedOf(g.batch, g.config), g.batch.indices, { gradients: true, allGradients: true });
          checkAgainst(g, r);
        } finally {
          await pool.close();
        }
      });
    }

    it('forward-only run gives the same scores and loss as the training run', () => {
      const g = cases.get('golden_v2/adlif_softmax_seed1.h5')!;
      const train = runBatch(g.params, g.config, g.batch, { gradients: true });
      const fwd = runBatch(g.params, g.config, g.batch, { gradients: false });
      expect(fwd.grads).toBeUndefined();
      expect(fwd.loss).toBe(train.loss);
      expect(Array.from(fwd.scores)).toEqual(Array.from(train.scores));
    });
  });
}

const gpu = await webgpuAvailable();

describe.skipIf(gpu.ctx === null)(`golden values on webgpu${gpu.reason ? ` (skipped: ${gpu.reason})` : ''}`, () => {
  let net: GpuNetwork;
  beforeAll(async () => {
    // The CPU reference the forward-only check compares with.
    await selectBackend('wasm');
    net = new GpuNetwork(gpu.ctx!);
    return () => net.destroy();
  });

  for (const file of FILES) {
    it(`${file}, WGSL kernels`, async () => {
      const g = cases.get(file)!;
      const r = await net.run(g.params, g.config, g.batch, { gradients: true, allGradients: true, records: true });
      checkAgainst(g, r);
    });
  }

  for (const file of GOLDEN_DELAY_FILES) {
    it(`${file}, WGSL kernels with learnable delays`, async () => {
      const g = cases.get(file)!;
      expect(g.params.shape.layers.some((s) => s.recDelay)).toBe(true);
      checkAgainst(g, await net.run(g.params, g.config, g.batch, { gradients: true, allGradients: true, records: true, delaySigma: g.delaySigma }));
    });
  }

  it('forward-only run gives the scores and loss of the training run, and of the fused loop', async () => {
    const g = cases.get('golden_v2/adlif2_ff_mean_seed0.h5')!;
    const train = await net.run(g.params, g.config, g.batch, { gradients: true });
    const fwd = await net.run(g.params, g.config, g.batch, { gradients: false });
    expect(fwd.grads).toBeUndefined();
    expect(fwd.loss).toBe(train.loss);
    const cpu = runBatch(g.params, g.config, g.batch, { gradients: false, loop: 'fused' });
    expect(Math.abs(fwd.loss - cpu.loss) / cpu.loss).toBeLessThan(1e-5);
    expect(Array.from(fwd.predictions)).toEqual(Array.from(cpu.predictions));
  });
});

describe('golden cases are sensitive', () => {
  it('a different surrogate scale changes the input weights\' gradient beyond the tolerance', async () => {
    await selectBackend('cpu');
    for (const file of ['golden_seed0.h5', 'golden_v2/adlif_softmax_seed0.h5']) {
      const g = cases.get(file)!;
      const r = runBatch(g.params, { ...g.config, surrogateScale: g.config.surrogateScale * 1.01 }, g.batch, { gradients: true, allGradients: true });
      expect(maxRelativeError(tensor(g.params, r.grads!, 'layer0/w_in'), g.grads.get('layer0/w_in')!)).toBeGreaterThan(TOL);
    }
  });

  it('a different adaptation scale q changes the gradient of b beyond the tolerance', async () => {
    await selectBackend('cpu');
    const g = cases.get('golden_v2/adlif_softmax_seed0.h5')!;
    const r = runBatch(g.params, { ...g.config, adaptQ: g.config.adaptQ * 1.01 }, g.batch, { gradients: true, allGradients: true });
    expect(maxRelativeError(tensor(g.params, r.grads!, 'layer0/b'), g.grads.get('layer0/b')!)).toBeGreaterThan(TOL);
  });

  it('a different csilif reset changes the gradients of its step and rotation beyond the tolerance', async () => {
    await selectBackend('cpu');
    const g = cases.get('golden_v2/csilif_softmax_seed0.h5')!;
    const r = runBatch(g.params, { ...g.config, csilifReset: g.config.csilifReset * 1.01 }, g.batch, { gradients: true, allGradients: true });
    for (const name of ['layer0/log_dt', 'layer0/alpha_img']) expect(maxRelativeError(tensor(g.params, r.grads!, name), g.grads.get(name)!), name).toBeGreaterThan(TOL);
  });
});
