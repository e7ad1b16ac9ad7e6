import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createOptimizerState, optimizerStep } from '../../../src/services/engine/optimizer';
import type { NetworkWeights } from '../../../src/services/engine/modelState';
import { fixturePath } from './goldenCase';

// Made by test/fixtures/make_optimizer_expected.py with torch.optim.
const expected = JSON.parse(readFileSync(fixturePath('optimizer_expected.json'), 'utf8')) as {
  p0: number[];
  grads: number[][];
  lr: number;
  adam: number[][];
  adamax: number[][];
};

/** The test vector as W1 of a network (V1, W2 frozen empty-ish parameters of one value each). */
function weightsOf(p: number[]): NetworkWeights {
  return { inputs: p.length, hidden: 1, classes: 1, w1: Float32Array.from(p), v1: new Float32Array(1), w2: new Float32Array(1) };
}

describe('optimizer', () => {
  for (const name of ['adam', 'adamax'] as const) {
    it(`${name} matches torch.optim step by step`, () => {
      const w = weightsOf(expected.p0);
      const state = createOptimizerState(name, w);
      expected.grads.forEach((g, k) => {
        optimizerStep(state, w, { w1: Float32Array.from(g), v1: new Float32Array(1), w2: new Float32Array(1) }, expected.lr);
        const want = expected[name][k];
        for (let i = 0; i < want.length; i++) {
          // One float32 ulp of the parameter at most.
          expect(Math.abs(w.w1[i] - want[i])).toBeLessThanOrEqual(Math.abs(want[i]) * 2 ** -23 + 1e-12);
        }
      });
      expect(state.step).toBe(4);
      // The update moved every parameter with a non-zero gradient and none with a zero one.
      expect(w.w1[0]).toBe(Math.fround(expected.p0[0]));
      expect(w.w1[1]).not.toBe(Math.fround(expected.p0[1]));
    });
  }

  it('leaves frozen parameters and their moments alone', () => {
    const w = weightsOf([1, 2]);
    w.v1 = Float32Array.from([0.5]);
    const state = createOptimizerState('adam', w);
    optimizerStep(state, w, { w1: Float32Array.from([1, 1]), v1: Float32Array.from([3]), w2: Float32Array.from([1]) }, 0.1, new Set(['v1']));
    expect(w.v1[0]).toBe(0.5);
    expect(state.m.v1[0]).toBe(0);
    // First Adam step moves by ≈ lr·sign(g).
    expect(w.w1[0]).toBeCloseTo(0.9, 6);
    expect(w.w2[0]).toBeCloseTo(-0.1, 6);
  });
});
