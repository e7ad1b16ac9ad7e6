import { describe, expect, it } from 'vitest';
import { checkCall } from '../../src/shared/ipc/checkCall';
import { playgroundRequestErrors } from '../../src/shared/ipc/playgroundPayloads';
import type { PlaygroundRequest } from '../../src/shared/playground';
import { neuronDescriptions } from '../../src/services/playground/neuronDescriptions';
import { runPlayground } from '../../src/services/playground/playground';

const good = (): PlaygroundRequest => ({
  neuron: 'lif',
  params: { alpha: 5e-3, beta: 10e-3 },
  scalars: { threshold: 1 },
  dtS: 1e-3,
  steps: 200,
  input: { shape: 'step', amplitude: 0.05, onsetStep: 10, noiseStd: 0, rateHz: 0, seed: 0 },
  fi: { minAmplitude: 0, maxAmplitude: 0.1, points: 8 },
});
const kinds = neuronDescriptions();
const messages = (v: unknown, withKinds = true) => playgroundRequestErrors(v, withKinds ? kinds : undefined).map((p) => p.message);

describe('playground request validation', () => {
  it('accepts a good request, at the gate and with the kinds', () => {
    expect(messages(good())).toEqual([]);
    expect(checkCall('playground.run', [good()]).ok).toBe(true);
    expect(checkCall('playground.kinds', []).ok).toBe(true);
  });

  it('refuses each field out of range in one line naming it', () => {
    const cases: [(r: PlaygroundRequest) => void, string][] = [
      [(r) => ((r as { neuron: string }).neuron = 'hh'), 'neuron must be one of lif, adlif, brf, csilif (got "hh")'],
      [(r) => (r.steps = 0), 'steps must be an integer ≥ 1 and ≤ 10000 (got 0)'],
      [(r) => (r.steps = 10.5), 'steps must be an integer ≥ 1 and ≤ 10000 (got 10.5)'],
      [(r) => (r.dtS = 0), 'dtS must be a number > 0 and ≤ 1 (got 0)'],
      [(r) => (r.params.alpha = 0), 'params.alpha must be a number > 0 and ≤ 10 (got 0)'],
      [(r) => (r.params.gamma = 1), 'params.gamma: "gamma" is not a parameter of this neuron kind'],
      [(r) => delete (r.params as Partial<Record<string, number>>).beta, 'params.beta is missing (lif: membrane decay exp(−dt/τ_mem))'],
      [(r) => (r.scalars.brfGamma = 0.5), 'scalars.brfGamma: "brfGamma" is not a run constant of this neuron kind'],
      [(r) => (r.scalars.threshold = -1), 'scalars.threshold must be a number > 0 and ≤ 1000 (got -1)'],
      [(r) => ((r.input as { shape: string }).shape = 'sine'), 'input.shape must be one of step, ramp, noise, poisson (got "sine")'],
      [(r) => (r.input.onsetStep = 200), 'input.onsetStep must be an integer ≥ 0 and ≤ 199 (got 200)'],
      [(r) => (r.input.amplitude = Number.NaN), 'input.amplitude must be a number ≥ -1000000 and ≤ 1000000 (got null)'],
      [(r) => (r.input.noiseStd = -1), 'input.noiseStd must be a number ≥ 0 and ≤ 1000000 (got -1)'],
      [(r) => (r.input.seed = -1), 'input.seed must be an integer ≥ 0 and ≤ 4294967295 (got -1)'],
      [(r) => (r.input.rateHz = 40_000), 'input.rateHz must be a number ≥ 0 and ≤ 10000 (got 40000)'],
      [(r) => ((r.input.rateHz = 5000), (r.dtS = 0.01)), 'input.rateHz × dtS must be at most 30 input spikes per step (got 5000 Hz × 0.01 s)'],
      [(r) => (r.fi.points = 1), 'fi.points must be an integer ≥ 2 and ≤ 64 (got 1)'],
      [(r) => (r.fi.maxAmplitude = 0), 'fi.maxAmplitude must be above fi.minAmplitude (got 0 to 0)'],
      [(r) => ((r as unknown as Record<string, unknown>).extra = 1), 'unknown field "extra"'],
    ];
    for (const [change, message] of cases) {
      const r = good();
      change(r);
      expect(messages(r)).toEqual([message]);
    }
  });

  it('checks names and magnitudes at the gate, where no kind is known', () => {
    const r = good();
    r.params = { alpha: 5e-3, 'x y': 1, beta: 2e6 };
    expect(messages(r, false)).toEqual(['params.x y: "x y" is not a parameter of this neuron kind', 'params.beta must be a number ≥ -1000000 and ≤ 1000000 (got 2000000)']);
    r.params = Object.fromEntries(Array.from({ length: 40 }, (_, k) => [`p${k}`, 1]));
    expect(messages(r, false)).toEqual(['params has 40 entries; at most 32']);
    r.params = { alpha: 5e-3, beta: 10e-3 };
    r.scalars = { constructor: 1 };
    expect(messages(r, false)).toEqual(['scalars.constructor: "constructor" is not a run constant of this neuron kind']);
    expect(messages(null)).toEqual(['the playground request must be an object (got null)']);
    const refused = checkCall('playground.run', [{ ...good(), steps: 1e9 }]);
    expect(refused.ok ? '' : refused.error).toBe('playground.run: steps must be an integer ≥ 1 and ≤ 10000 (got 1000000000)');
    expect(checkCall('playground.kinds', [1]).ok).toBe(false);
  });

  it('the service refuses what the gate lets through: a kind\'s parameter out of its range', () => {
    const r = good();
    r.params.alpha = -1;
    expect(messages(r, false)).toEqual([]);
    expect(() => runPlayground(r)).toThrow('playground: params.alpha must be a number > 0 and ≤ 10 (got -1)');
  });

  it('carries a user-defined neuron\'s program with neuron custom, checked at the gate in the language\'s words', () => {
    const custom = { name: 'leaky', source: 'state U\nS = spike(U - theta)\nU = 0.9*U*(1 - detach(S)) + J', surrogate: 'fast-sigmoid' as const };
    const r: PlaygroundRequest = { ...good(), neuron: 'custom', custom, params: {}, scalars: {} };
    expect(messages(r, false)).toEqual([]);
    expect(checkCall('playground.run', [r]).ok).toBe(true);
    expect(checkCall('playground.kinds', [custom]).ok).toBe(true);
    expect(checkCall('playground.kinds', [null]).ok).toBe(true);
    const typo = { ...custom, source: custom.source.replace('+ J', '+ Jx') };
    expect(messages({ ...r, custom: typo }, false)).toEqual(['custom: line 3: unknown name Jx; did you mean J?']);
    const kindsRefused = checkCall('playground.kinds', [typo]);
    expect(kindsRefused.ok ? '' : kindsRefused.error).toBe('playground.kinds: custom: line 3: unknown name Jx; did you mean J?');
    expect(messages({ ...r, custom: undefined }, false)).toEqual(['neuron "custom" needs its program: custom (name, source, surrogate)']);
    expect(messages({ ...good(), custom }, false)).toEqual(['custom is the program of neuron "custom" (got neuron "lif")']);
    // Without its description (the kinds of a request with no program) custom is not a kind.
    expect(messages(r)).toEqual(['neuron must be one of lif, adlif, brf, csilif (got "custom")']);
  });
});
