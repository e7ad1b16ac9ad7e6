import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { decayBounds, makeConfig } from '../../../../src/shared/config';
import { constrain, createOptimizerState, learnedEntries, optimizerStep } from '../../../../src/services/engine/training/optimizer';
import { emptyParams, layerTensors, networkShape, readoutTensors, tensor, type NetworkParams, type NetworkShape } from '../../../../src/services/engine/model/modelState';
import { initNetwork } from '../../../../src/services/engine/model/init';
import { fixturePath } from '../goldenCase';

// Made by test/fixtures/make_optimizer_expected.py with torch.optim.
const expected = JSON.parse(readFileSync(fixturePath('optimizer_expected.json'), 'utf8')) as {
  p0: number[];
  grads: number[][];
  lr: number;
  adam: number[][];
  adamax: number[][];
};

/** A network whose layer0/w_in is the test vector (one neuron, no recurrence, one class). */
function paramsOf(p: number[]): NetworkParams {
  const shape: NetworkShape = { channels: p.length, pool: 1, layers: [{ kind: 'lif', inputs: p.length, size: 1, recurrent: false }], classes: 1 };
  const params = emptyParams(shape);
  tensor(params, params.flat, 'layer0/w_in').set(p);
  return params;
}

describe('optimizer', () => {
  for (const name of ['adam', 'adamax'] as const) {
    it(`${name} matches torch.optim step by step`, () => {
      const params = paramsOf(expected.p0);
      const w = tensor(params, params.flat, 'layer0/w_in');
      const state = createOptimizerState(name, params);
      expected.grads.forEach((g, k) => {
        const grads = new Float32Array(params.flat.length);
        tensor(params, grads, 'layer0/w_in').set(g);
        optimizerStep(state, params, grads, expected.lr, learnedEntries(params, false));
        const want = expected[name][k];
        for (let i = 0; i < want.length; i++) {
          // One float32 ulp of the parameter at most.
          expect(Math.abs(w[i] - want[i])).toBeLessThanOrEqual(Math.abs(want[i]) * 2 ** -23 + 1e-12);
        }
      });
      expect(state.step).toBe(4);
      // The update moved every parameter with a non-zero gradient and none with a zero one.
      expect(w[0]).toBe(Math.fround(expected.p0[0]));
      expect(w[1]).not.toBe(Math.fround(expected.p0[1]));
    });
  }

  it('learns weights, a and b, and the hidden decays only with learnTau; never the readout decays', () => {
    const shape: NetworkShape = { channels: 3, pool: 1, layers: [{ kind: 'adlif', inputs: 3, size: 2, recurrent: true }], classes: 2 };
    const names = (learnTau: boolean) => learnedEntries(emptyParams(shape), learnTau).map((e) => e.name);
    expect(names(false)).toEqual(['layer0/w_in', 'layer0/w_rec', 'layer0/a', 'layer0/b', 'readout/w']);
    expect(names(true)).toEqual(['layer0/w_in', 'layer0/w_rec', 'layer0/alpha', 'layer0/beta', 'layer0/a', 'layer0/b', 'readout/w']);
  });

  it('leaves frozen parameters and their moments alone', () => {
    const params = paramsOf([1, 2]);
    const t = layerTensors(params, 0);
    t.alpha[0] = 0.5;
    t.beta[0] = 0.25;
    readoutTensors(params).alpha[0] = 0.75;
    const state = createOptimizerState('adam', params);
    const grads = new Float32Array(params.flat.length).fill(3);
    tensor(params, grads, 'layer0/w_in').set([1, 1]);
    tensor(params, grads, 'readout/w').set([1]);
    optimizerStep(state, params, grads, 0.1, learnedEntries(params, false));
    expect([t.alpha[0], t.beta[0], readoutTensors(params).alpha[0]]).toEqual([0.5, 0.25, 0.75]);
    for (const n of ['layer0/alpha', 'layer0/beta', 'readout/alpha', 'readout/beta']) {
      expect(tensor(params, state.m, n)[0], n).toBe(0);
      expect(tensor(params, state.v, n)[0], n).toBe(0);
    }
    // First Adam step moves by ≈ lr·sign(g).
    expect(t.wIn[0]).toBeCloseTo(0.9, 6);
    expect(readoutTensors(params).w[0]).toBeCloseTo(-0.1, 6);
    // With learnTau the hidden decays move too (the readout's still do not).
    optimizerStep(state, params, grads, 0.1, learnedEntries(params, true));
    expect(t.alpha[0]).toBeLessThan(0.5);
    expect(t.beta[0]).toBeLessThan(0.25);
    expect(readoutTensors(params).alpha[0]).toBe(0.75);
  });

  it('refuses a gradient of another length', () => {
    const params = paramsOf([1, 2]);
    const state = createOptimizerState('adam', params);
    expect(() => optimizerStep(state, params, new Float32Array(3), 0.1, learnedEntries(params, false))).toThrow(
      `gradient has 3 values, the parameters ${params.flat.length}`,
    );
  });

  it('constrain clamps learned decays into decayBounds and a, b into their spans', () => {
    const config = makeConfig({ neuron: 'adlif', layers: [{ size: 4, recurrent: false, dropout: 0 }], tauMemS: { lo: 0.01, hi: 0.01 }, tauAdaptS: { lo: 0.05, hi: 0.2 }, adaptA: { lo: 0, hi: 1 }, adaptB: { lo: 0.5, hi: 2 }, learnTau: true });
    const shape: NetworkShape = { channels: 2, pool: 1, layers: [{ kind: 'adlif', inputs: 2, size: 4, recurrent: false }], classes: 2 };
    const params = emptyParams(shape);
    const t = layerTensors(params, 0);
    t.alpha.set([0, 0.5, 0.95, 1]);
    t.beta.set([0, 0.99, 0.995, 1]);
    t.a!.set([-1, 0.5, 1, 3]);
    t.b!.set([0, 0.5, 1.5, 5]);
    const before = Float32Array.from(params.flat);
    constrain(params, config);
    const [alo, ahi] = decayBounds(config.tauMemS, config.dtS).map(Math.fround);
    const [blo, bhi] = decayBounds(config.tauAdaptS, config.dtS).map(Math.fround);
    expect(Array.from(t.alpha)).toEqual([alo, Math.fround(0.5), Math.fround(0.95), ahi]);
    expect(Array.from(t.beta)).toEqual([blo, Math.fround(0.99), Math.fround(0.995), bhi]);
    expect(Array.from(t.a!)).toEqual([0, 0.5, 1, 1]);
    expect(Array.from(t.b!)).toEqual([0.5, 0.5, 1.5, 2]);
    // Without learnTau the decays are left as they are (a and b are still clamped).
    params.flat.set(before);
    constrain(params, { ...config, learnTau: false });
    expect(Array.from(t.alpha)).toEqual([0, 0.5, 0.95, 1].map(Math.fround));
    expect(Array.from(t.a!)).toEqual([0, 0.5, 1, 1]);
  });
});

describe('the delays in the optimizer', () => {
  const config = makeConfig({ recDelayMax: 6, ffDelayMax: 4, layers: [{ size: 4, recurrent: true, dropout: 0 }] });
  const shape = (): NetworkShape => ({ channels: 3, pool: 1, classes: 2, layers: [{ kind: 'lif', inputs: 3, size: 4, recurrent: true, recDelay: true, ffDelay: true }] });

  it('are learned, stepped at their own rate (Adam\'s first step: lr·sign(g)), and kept in [0, D]', () => {
    const run = (scale: number) => {
      const params = emptyParams(shape());
      const t = layerTensors(params, 0);
      t.recDelay!.fill(3);
      t.ffDelay!.fill(2);
      t.wIn.fill(0.5);
      const grads = new Float32Array(params.flat.length).fill(1);
      const state = createOptimizerState('adam', params);
      optimizerStep(state, params, grads, 0.01, learnedEntries(params, false), { delayLrScale: scale });
      return layerTensors(params, 0);
    };
    expect(learnedEntries(emptyParams(shape()), false).map((e) => e.name)).toEqual(expect.arrayContaining(['layer0/rec_delay', 'layer0/ff_delay']));
    const same = run(1);
    const fast = run(10);
    expect(same.recDelay![0]).toBeCloseTo(3 - 0.01, 5);
    expect(fast.recDelay![0]).toBeCloseTo(3 - 0.1, 5);
    expect(fast.ffDelay![0]).toBeCloseTo(2 - 0.1, 5);
    // The weights move by lr whatever the delays' scale.
    expect(fast.wIn[0]).toBe(same.wIn[0]);
    const params = emptyParams(shape());
    const t = layerTensors(params, 0);
    t.recDelay!.set([-1, 2, 7, 6]);
    t.ffDelay!.set([5, -0.5, 1, 4]);
    constrain(params, config);
    expect(Array.from(t.recDelay!)).toEqual([0, 2, 6, 6]);
    expect(Array.from(t.ffDelay!)).toEqual([4, 0, 1, 4]);
  });
});

describe('per-layer delays in the shape, the draw and the clamp', () => {
  // Layer 1: its own recurrent max 3 and span, no feed-forward delays; layer 2: the config's recurrent max, its own ff max.
  const config = makeConfig({
    recDelayMax: 8, recDelayInit: { lo: 6, hi: 8 }, ffDelayMax: 5, ffDelayInit: { lo: 0, hi: 5 },
    layers: [
      { size: 4, recurrent: true, dropout: 0, recDelayMax: 3, recDelayInit: { lo: 2, hi: 3 }, ffDelayMax: 0 },
      { size: 3, recurrent: true, dropout: 0, ffDelayMax: 2, ffDelayInit: { lo: 1, hi: 1 } },
      { size: 2, recurrent: false, dropout: 0 },
    ],
  });

  it('gives each layer the delays it has, drawn from its own spans, and clamps each to its own max', () => {
    const shape = networkShape(config, 5, 2);
    expect(shape.layers.map((s) => [s.recDelay ?? false, s.ffDelay ?? false])).toEqual([[true, false], [true, true], [false, true]]);
    const params = initNetwork(shape, config);
    const [t0, t1, t2] = [0, 1, 2].map((l) => layerTensors(params, l));
    for (const d of t0.recDelay!) expect(d >= 2 && d <= 3).toBe(true);
    for (const d of t1.recDelay!) expect(d >= 6 && d <= 8).toBe(true);
    expect(Array.from(t1.ffDelay!)).toEqual([1, 1, 1]);
    for (const d of t2.ffDelay!) expect(d >= 0 && d <= 5).toBe(true);
    t0.recDelay!.fill(7);
    t1.recDelay!.fill(9);
    t1.ffDelay!.fill(4);
    t2.ffDelay!.fill(6);
    constrain(params, config);
    expect([t0.recDelay![0], t1.recDelay![0], t1.ffDelay![0], t2.ffDelay![0]]).toEqual([3, 8, 2, 5]);
  });
});
