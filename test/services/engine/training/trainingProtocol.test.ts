import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createOptimizerState, isDecayed, learnedEntries, optimizerStep } from '../../../../src/services/engine/training/optimizer';
import { clipCoefficient, clipGradNorm, entryNorm, totalGradNorm } from '../../../../src/services/engine/training/gradClip';
import { afterEpoch, initialScheduleState, lrForEpoch, scheduleStateErrors, type ScheduleState } from '../../../../src/services/engine/training/lrSchedule';
import { DEFAULT_SCHEDULE, makeSchedule, scheduleErrors, type ScheduleOptions } from '../../../../src/shared/schedule';
import { emptyParams, tensor, type NetworkParams, type NetworkShape } from '../../../../src/services/engine/model/modelState';
import { fixturePath } from '../goldenCase';

type Named = Record<string, number[]>;
interface Net {
  channels: number;
  size: number;
  classes: number;
}
interface ScheduleCase {
  baseLr: number;
  opts: Partial<ScheduleOptions>;
  totalEpochs: number;
  metrics?: number[];
  lrs: number[];
}

// Made by test/fixtures/make_training_protocol_expected.py with torch.optim, torch.nn.utils and lr_scheduler.
const expected = JSON.parse(readFileSync(fixturePath('training_protocol_expected.json'), 'utf8')) as {
  decay: { network: Net; lr: number; weightDecay: number; p0: Named; grads: Named[]; adamw: Named[]; adamax_decoupled: Named[] };
  clip: { network: Net; cases: { maxNorm: number; grads: Named; norms: number[]; totalNorm: number; coef: number; clipped: Named }[] };
  schedules: { cosine: ScheduleCase[]; plateau: ScheduleCase[] };
};

/** A 1-layer recurrent adLIF network (the tensors the fixture names). */
function network(n: Net): NetworkParams {
  const shape: NetworkShape = { channels: n.channels, pool: 1, layers: [{ kind: 'adlif', inputs: n.channels, size: n.size, recurrent: true }], classes: n.classes };
  return emptyParams(shape);
}

function fill(p: NetworkParams, flat: Float32Array, values: Named): void {
  for (const [name, v] of Object.entries(values)) tensor(p, flat, name).set(v);
}

/** Distance in float32 ulps (the number of float32 values between a and b, a and b float32). */
function ulps(a: number, b: number): number {
  const key = (x: number) => {
    const i = new Int32Array(new Float32Array([x]).buffer)[0];
    return i < 0 ? -(i & 0x7fffffff) : i;
  };
  return Math.abs(key(a) - key(b));
}

function maxUlps(got: Float32Array, want: number[]): number {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, ulps(got[i], want[i]));
  return worst;
}

describe('decoupled weight decay (AdamW)', () => {
  const d = expected.decay;

  it('decays the weight matrices only, not the decays α, β nor a, b', () => {
    const names = learnedEntries(network(d.network), true).map((e) => e.name);
    expect(names.filter(isDecayed)).toEqual(['layer0/w_in', 'layer0/w_rec', 'readout/w']);
    expect(names.filter((n) => !isDecayed(n))).toEqual(['layer0/alpha', 'layer0/beta', 'layer0/a', 'layer0/b']);
    expect(['readout/alpha', 'readout/beta', 'layer3/w_in', 'layer3/w_rec'].map(isDecayed)).toEqual([false, false, true, true]);
  });

  for (const [name, key] of [
    ['adam', 'adamw'],
    ['adamax', 'adamax_decoupled'],
  ] as const) {
    it(`${name} with weightDecay matches torch (${key}) step by step, bit for bit`, () => {
      const params = network(d.network);
      fill(params, params.flat, d.p0);
      const state = createOptimizerState(name, params);
      const entries = learnedEntries(params, true);
      let worst = 0;
      d.grads.forEach((g, k) => {
        const grads = new Float32Array(params.flat.length);
        fill(params, grads, g);
        optimizerStep(state, params, grads, d.lr, entries, { weightDecay: d.weightDecay });
        for (const [n, want] of Object.entries(d[key][k])) worst = Math.max(worst, maxUlps(tensor(params, params.flat, n), want));
      });
      // All 110 values of all 5 steps agree to the bit on this fixture (the Adam test beside allows 1 ulp, in
      // case torch's CPU kernels fuse a multiply-add that we round twice; none does here).
      expect(worst).toBe(0);
      // The weight with no gradient moved by the decay alone: p0 · (1 − lr·λ)^5 in float32, exactly.
      let p = Math.fround(d.p0['layer0/w_in'][0]);
      for (let k = 0; k < 5; k++) p = Math.fround(p * Math.fround(1 - d.lr * d.weightDecay));
      expect(tensor(params, params.flat, 'layer0/w_in')[0]).toBe(p);
      expect(p).not.toBe(Math.fround(d.p0['layer0/w_in'][0]));
    });

    it(`${name}: weightDecay 0 is bit for bit the step without options, and the excluded tensors are the same as without decay`, () => {
      const run = (opts?: { weightDecay: number }) => {
        const params = network(d.network);
        fill(params, params.flat, d.p0);
        const state = createOptimizerState(name, params);
        for (const g of d.grads) {
          const grads = new Float32Array(params.flat.length);
          fill(params, grads, g);
          if (opts) optimizerStep(state, params, grads, d.lr, learnedEntries(params, true), opts);
          else optimizerStep(state, params, grads, d.lr, learnedEntries(params, true));
        }
        return { params, state };
      };
      const plain = run();
      const zero = run({ weightDecay: 0 });
      const decayed = run({ weightDecay: d.weightDecay });
      expect(Array.from(zero.params.flat)).toEqual(Array.from(plain.params.flat));
      expect(Array.from(zero.state.m)).toEqual(Array.from(plain.state.m));
      expect(Array.from(zero.state.v)).toEqual(Array.from(plain.state.v));
      for (const e of decayed.params.layout) {
        const a = Array.from(tensor(decayed.params, decayed.params.flat, e.name));
        const b = Array.from(tensor(plain.params, plain.params.flat, e.name));
        if (isDecayed(e.name)) expect(a, e.name).not.toEqual(b);
        else expect(a, e.name).toEqual(b);
      }
      // Decoupled: the moments see the raw gradients only, so they are the same with and without decay.
      expect(Array.from(decayed.state.m)).toEqual(Array.from(plain.state.m));
      expect(Array.from(decayed.state.v)).toEqual(Array.from(plain.state.v));
    });
  }

  it('refuses a negative or non-finite weight decay', () => {
    const params = network(d.network);
    const state = createOptimizerState('adam', params);
    const g = new Float32Array(params.flat.length);
    expect(() => optimizerStep(state, params, g, 0.1, learnedEntries(params, false), { weightDecay: -1 })).toThrow('weight decay must be a finite number ≥ 0 (got -1)');
    expect(() => optimizerStep(state, params, g, 0.1, learnedEntries(params, false), { weightDecay: NaN })).toThrow('weight decay must be a finite number ≥ 0 (got NaN)');
    expect(state.step).toBe(0);
  });
});

describe('clipGradNorm (torch.nn.utils.clip_grad_norm_)', () => {
  const c = expected.clip;

  it('computes the per-tensor norms within 1 ulp of torch (float64 sums vs its float32 SIMD lanes), the totals exactly', () => {
    const params = network(c.network);
    const entries = learnedEntries(params, true);
    const perTensor: number[] = [];
    for (const k of c.cases) {
      const grads = new Float32Array(params.flat.length);
      fill(params, grads, k.grads);
      entries.forEach((e, j) => perTensor.push(ulps(entryNorm(grads, e), k.norms[j])));
      // Measured on this fixture: the three totals agree to the bit (not guaranteed in general: 1 ulp can be off).
      expect(totalGradNorm(grads, entries)).toBe(k.totalNorm);
    }
    // 21 per-tensor norms (7 tensors of 30 to 1200 values, 3 cases): 14 exact, 7 one ulp off (w_rec twice,
    // readout/w three times, w_in, b); pinned so a change of summation shows.
    expect(perTensor.filter((u) => u === 0).length).toBe(14);
    expect(Math.max(...perTensor)).toBe(1);
  });

  it("computes torch's clip coefficient and the clipped gradients bit for bit from torch's norm", () => {
    const params = network(c.network);
    const entries = learnedEntries(params, true);
    for (const k of c.cases) {
      const coef = clipCoefficient(k.totalNorm, k.maxNorm);
      expect(coef).toBe(k.coef);
      const grads = new Float32Array(params.flat.length);
      fill(params, grads, k.grads);
      if (coef < 1) for (const e of entries) for (let i = e.offset; i < e.offset + e.length; i++) grads[i] = grads[i] * coef;
      for (const [n, want] of Object.entries(k.clipped)) expect(Array.from(tensor(params, grads, n)), n).toEqual(want.map(Math.fround));
    }
  });

  it('clips in place, returns the norm before clipping, leaves what it does not clip alone', () => {
    const params = network(c.network);
    const entries = learnedEntries(params, true);
    expect(c.cases.map((k) => k.coef < 1)).toEqual([true, false, true]);
    for (const k of c.cases) {
      const grads = new Float32Array(params.flat.length);
      fill(params, grads, k.grads);
      const frozen = tensor(params, grads, 'readout/alpha');
      frozen.fill(7);
      expect(clipGradNorm(grads, entries, k.maxNorm)).toBe(k.totalNorm);
      // With the norm exact, all 2370 clipped gradients of each case are torch's to the bit.
      for (const [n, want] of Object.entries(k.clipped)) expect(maxUlps(tensor(params, grads, n), want), n).toBe(0);
      expect(Array.from(frozen)).toEqual(new Array(frozen.length).fill(7));
      if (k.coef < 1) expect(totalGradNorm(grads, entries)).toBeCloseTo(k.maxNorm, 5);
    }
  });

  it('refuses a max norm that is not a positive number', () => {
    const params = network(c.network);
    const grads = new Float32Array(params.flat.length);
    expect(() => clipGradNorm(grads, learnedEntries(params, true), 0)).toThrow('max gradient norm must be a finite number > 0 (got 0)');
    expect(clipGradNorm(grads, learnedEntries(params, true), 1)).toBe(0);
  });
});

/** The lr of each epoch 1…E, calling afterEpoch with metrics[e−1] after epoch e. */
function lrSequence(opts: ScheduleOptions, baseLr: number, totalEpochs: number, metrics: number[], from?: { state: ScheduleState; epoch: number }): number[] {
  let state = from?.state ?? initialScheduleState(opts, baseLr);
  const lrs: number[] = [];
  for (let e = (from?.epoch ?? 0) + 1; e <= totalEpochs; e++) {
    lrs.push(lrForEpoch(state, opts, e, totalEpochs));
    state = afterEpoch(state, opts, metrics[e - 1]);
  }
  return lrs;
}

describe('learning-rate schedules', () => {
  it('constant: the base rate every epoch, after a linear warm-up lr·e/(W+1)', () => {
    const none = makeSchedule();
    expect(lrSequence(none, 1e-3, 4, [0, 0, 0, 0])).toEqual([1e-3, 1e-3, 1e-3, 1e-3]);
    const warm = makeSchedule({ warmupEpochs: 3 });
    expect(lrSequence(warm, 1e-3, 6, new Array(6).fill(0.5))).toEqual([2.5e-4, 5e-4, 7.5e-4, 1e-3, 1e-3, 1e-3]);
  });

  for (const [i, k] of expected.schedules.cosine.entries()) {
    it(`cosine ${i}: torch's CosineAnnealingLR closed form after warm-up, exactly (W=${k.opts.warmupEpochs}, E=${k.totalEpochs})`, () => {
      const opts = makeSchedule(k.opts);
      expect(lrSequence(opts, k.baseLr, k.totalEpochs, new Array(k.totalEpochs).fill(0))).toEqual(k.lrs);
      expect(k.lrs[opts.warmupEpochs]).toBe(k.baseLr);
    });
  }

  it('cosine values, pinned (W = 1, E = 5: T = 4, t = 0…3)', () => {
    const opts = makeSchedule({ lrSchedule: 'cosine', warmupEpochs: 1 });
    // 0.01·(1 + cos(π·t/4))/2; at t = 2, cos(π/2) = 6.1e-17 vanishes in 1 + cos.
    expect(lrSequence(opts, 0.01, 5, [0, 0, 0, 0, 0])).toEqual([0.005, 0.01, 0.008535533905932738, 0.005, 0.0014644660940672626]);
  });

  for (const [i, k] of expected.schedules.plateau.entries()) {
    it(`plateau ${i}: torch's ReduceLROnPlateau(mode='max') on the same metrics, exactly`, () => {
      const opts = makeSchedule(k.opts);
      const lrs = lrSequence(opts, k.baseLr, k.totalEpochs, k.metrics!);
      expect(lrs).toEqual(k.lrs);
      // The sequences do reduce (and case 0 reaches and holds its floor).
      expect(new Set(lrs).size).toBeGreaterThan(2);
    });
  }

  it('plateau: patience and the relative threshold, by hand', () => {
    const opts = makeSchedule({ lrSchedule: 'plateau', plateauPatience: 1, plateauFactor: 0.5, plateauThreshold: 0.1 });
    // 0.5 sets best; 0.54 is not > 0.5·1.1 (bad 1); 0.55 is not > 0.5·1.1 = 0.55000000000000004 (bad 2 > 1:
    // halve); 0.6 > 0.55… is an improvement (best 0.6); 0.6, 0.6: bad 1, bad 2: halve again; 0.6: bad 1.
    const metrics = [0.5, 0.54, 0.55, 0.6, 0.6, 0.6, 0.6];
    expect(lrSequence(opts, 0.1, 7, metrics)).toEqual([0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025]);
    let s = initialScheduleState(opts, 0.1);
    for (const m of metrics) s = afterEpoch(s, opts, m);
    expect(s).toEqual({ baseLr: 0.1, epochsDone: 7, currentLr: 0.025, bestMetric: 0.6, badEpochs: 1, reductions: 2 });
  });

  it('plateau ignores the warm-up epochs and refuses a non-finite metric after them', () => {
    const opts = makeSchedule({ lrSchedule: 'plateau', warmupEpochs: 2 });
    let s = initialScheduleState(opts, 0.1);
    s = afterEpoch(s, opts, NaN);
    s = afterEpoch(s, opts, 0.9);
    expect(s).toEqual({ baseLr: 0.1, epochsDone: 2, currentLr: 0.1, bestMetric: null, badEpochs: 0, reductions: 0 });
    expect(() => afterEpoch(s, opts, Infinity)).toThrow('the plateau schedule needs a finite metric after each epoch (got Infinity)');
  });

  it('afterEpoch is pure', () => {
    const opts = makeSchedule({ lrSchedule: 'plateau', plateauPatience: 0 });
    const s = initialScheduleState(opts, 0.1);
    const frozen = JSON.stringify(s);
    afterEpoch(afterEpoch(s, opts, 0.5), opts, 0.4);
    expect(JSON.stringify(s)).toBe(frozen);
  });

  it('resumes bit-identically from a JSON round trip of the state after k epochs', () => {
    const cases: [ScheduleOptions, number, number, number[]][] = [
      ...expected.schedules.plateau.map((k): [ScheduleOptions, number, number, number[]] => [makeSchedule(k.opts), k.baseLr, k.totalEpochs, k.metrics!]),
      ...expected.schedules.cosine.map((k): [ScheduleOptions, number, number, number[]] => [makeSchedule(k.opts), k.baseLr, k.totalEpochs, new Array(k.totalEpochs).fill(0.5)]),
    ];
    for (const [opts, baseLr, E, metrics] of cases) {
      const whole = lrSequence(opts, baseLr, E, metrics);
      for (const k of [1, 2, Math.floor(E / 2), E - 1]) {
        let state = initialScheduleState(opts, baseLr);
        for (let e = 1; e <= k; e++) state = afterEpoch(state, opts, metrics[e - 1]);
        const stored = JSON.parse(JSON.stringify(state)) as unknown;
        expect(scheduleStateErrors(stored)).toEqual([]);
        const resumed = lrSequence(opts, baseLr, E, metrics, { state: stored as ScheduleState, epoch: k });
        expect([...whole.slice(0, k), ...resumed]).toEqual(whole);
      }
    }
  });

  it('refuses an epoch outside 1…E, a bad base rate, a cosine floor above the rate', () => {
    const opts = makeSchedule({ lrSchedule: 'cosine', minLr: 0.5 });
    expect(() => initialScheduleState(opts, 0.1)).toThrow('minLr 0.5 is above the learning rate 0.1; cosine would rise');
    expect(() => initialScheduleState(DEFAULT_SCHEDULE, 0)).toThrow('learning rate must be a finite number > 0 (got 0)');
    const s = initialScheduleState(DEFAULT_SCHEDULE, 0.1);
    expect(() => lrForEpoch(s, DEFAULT_SCHEDULE, 0, 3)).toThrow('epoch must be an integer from 1 to 3 (got 0)');
    expect(() => lrForEpoch(s, DEFAULT_SCHEDULE, 4, 3)).toThrow('epoch must be an integer from 1 to 3 (got 4)');
    expect(() => lrForEpoch(s, DEFAULT_SCHEDULE, 1, 0)).toThrow('total epochs must be a positive integer (got 0)');
  });

  it('scheduleErrors names each bad field; the defaults are valid and are torch ReduceLROnPlateau defaults', () => {
    expect(scheduleErrors(DEFAULT_SCHEDULE)).toEqual([]);
    expect(DEFAULT_SCHEDULE).toEqual({ lrSchedule: 'constant', warmupEpochs: 0, minLr: 0, plateauFactor: 0.1, plateauPatience: 10, plateauThreshold: 1e-4 });
    expect(scheduleErrors(null)).toEqual([{ field: '', message: 'schedule options must be an object' }]);
    expect(scheduleErrors({ ...DEFAULT_SCHEDULE, lrSchedule: 'step', warmupEpochs: 1.5, plateauFactor: 1, minLr: -1, extra: 1 })).toEqual([
      { field: 'extra', message: 'unknown schedule option "extra"' },
      { field: 'lrSchedule', message: 'lrSchedule must be one of constant, cosine, plateau (got "step")' },
      { field: 'warmupEpochs', message: 'warmupEpochs must be an integer ≥ 0 and ≤ 100000 (got 1.5)' },
      { field: 'minLr', message: 'minLr must be a number ≥ 0 and ≤ 10 (got -1)' },
      { field: 'plateauFactor', message: 'plateauFactor must be a number > 0 and < 1 (got 1)' },
    ]);
    const { plateauPatience: _, ...missing } = DEFAULT_SCHEDULE;
    expect(scheduleErrors(missing)).toEqual([{ field: 'plateauPatience', message: 'plateauPatience must be an integer ≥ 0 and ≤ 100000 (got undefined)' }]);
    expect(() => makeSchedule({ plateauThreshold: 2 })).toThrow('invalid schedule options: plateauThreshold must be a number ≥ 0 and ≤ 1 (got 2)');
  });

  it('scheduleStateErrors names each bad field of a stored state', () => {
    expect(scheduleStateErrors({ baseLr: 0.1, epochsDone: -1, currentLr: null, bestMetric: 'x', badEpochs: 0.5, reductions: 0, more: 1 })).toEqual([
      { field: 'more', message: 'unknown schedule state field "more"' },
      { field: 'currentLr', message: 'currentLr must be a finite number > 0 (got null)' },
      { field: 'epochsDone', message: 'epochsDone must be a non-negative integer (got -1)' },
      { field: 'badEpochs', message: 'badEpochs must be a non-negative integer (got 0.5)' },
      { field: 'bestMetric', message: 'bestMetric must be a finite number or null (got "x")' },
    ]);
  });
});
