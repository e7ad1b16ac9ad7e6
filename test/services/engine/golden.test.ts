/**
 * The engine against PyTorch: golden files written by the reference's --golden mode (three settings) and by
 * make_golden_variants.py (mean readout, no recurrence, separate regulariser coefficients). Records, loss
 * and the three gradients must agree to 1e-4 relative on every backend available here and on both input
 * paths (sparse kernel and dense matmul) and both loops (tfjs ops per step, fused typed-array loops).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../src/services/engine/backendSelect';
import { runBatch, type InputPath, type LoopKind } from '../../../src/services/engine/network';
import { maxRelativeError } from '../../../src/services/engine/relativeError';
import { GOLDEN_FILES, batchMajor, readGolden, type GoldenCase } from './goldenCase';

const TOL = 1e-4;
const cases = new Map<string, GoldenCase>();

beforeAll(async () => {
  for (const f of GOLDEN_FILES) cases.set(f, await readGolden(f));
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

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`golden values on ${backend}`, () => {
    beforeAll(async () => {
      await selectBackend(backend);
    });

    for (const file of GOLDEN_FILES) {
      for (const [inputPath, loop] of [['sparse', 'fused'], ['dense', 'fused'], ['sparse', 'tensor'], ['dense', 'tensor']] as [InputPath, LoopKind][]) {
        it(`${file}, ${inputPath} input, ${loop} loop`, () => {
          const g = cases.get(file)!;
          const { B, T, H, K } = g.dims;
          const before = tf.memory().numTensors;
          const r = runBatch(g.weights, g.config, g.batch, { gradients: true, records: true, inputPath, loop });
          expect(tf.memory().numTensors).toBe(before);
          const rec = r.records!;
          // Spikes are exact: a spike that differs would change everything downstream.
          expect(Array.from(batchMajor(rec.spikes, T, B, H))).toEqual(Array.from(g.spk));
          expect(r.hiddenSpikes).toBe(g.spk.reduce((a, b) => a + b, 0));
          expect(r.hiddenSpikes).toBeGreaterThan(50);
          expectClose('mem', batchMajor(rec.mem, T, B, H), g.mem);
          expectClose('out', batchMajor(rec.out, T + 1, B, K), g.out);
          expect(Math.abs(r.loss - g.loss) / g.loss).toBeLessThan(TOL);
          expectClose('grad w1', r.grads!.w1, g.grad.w1);
          expectClose('grad v1', r.grads!.v1, g.grad.v1);
          expectClose('grad w2', r.grads!.w2, g.grad.w2);
        });
      }
    }

    it('forward-only run gives the same scores and loss as the training run', () => {
      const g = cases.get('golden_seed1.h5')!;
      const train = runBatch(g.weights, g.config, g.batch, { gradients: true });
      const fwd = runBatch(g.weights, g.config, g.batch, { gradients: false });
      expect(fwd.grads).toBeUndefined();
      expect(fwd.loss).toBe(train.loss);
      expect(Array.from(fwd.scores)).toEqual(Array.from(train.scores));
    });
  });
}

describe('golden cases are sensitive', () => {
  it('a different surrogate scale changes the W1 gradient beyond the tolerance', async () => {
    await selectBackend('cpu');
    const g = cases.get('golden_seed0.h5')!;
    const r = runBatch(g.weights, { ...g.config, surrogateScale: g.config.surrogateScale * 1.01 }, g.batch, { gradients: true });
    expect(maxRelativeError(r.grads!.w1, g.grad.w1)).toBeGreaterThan(TOL);
  });
});
