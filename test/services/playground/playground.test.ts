import { describe, expect, it } from 'vitest';
import { decayOf, DEFAULT_CONFIG, NEURONS } from '../../../src/shared/config';
import type { CustomNeuronSpec } from '../../../src/shared/customNeuron';
import type { NeuronDescription, PlaygroundInput, PlaygroundRequest } from '../../../src/shared/playground';
import { forwardStep } from '../../../src/services/engine/codegen/f64Eval';
import { NEURON_DEFINITIONS, neuronDefinition } from '../../../src/services/engine/definitions';
import { customDefinition } from '../../../src/services/engine/definitions/customKind';
import { inputCurrent } from '../../../src/services/playground/inputCurrent';
import { FIRING_GRID, neuronDescriptions } from '../../../src/services/playground/neuronDescriptions';
import { runPlayground, sweepAmplitudes } from '../../../src/services/playground/playground';

const STEP: PlaygroundInput = { shape: 'step', amplitude: 0, onsetStep: 20, noiseStd: 0, rateHz: 0, seed: 3 };

/** The middle of every default span (τ in s for decays), as the form starts. */
function midParams(d: NeuronDescription): Record<string, number> {
  return Object.fromEntries(d.params.map((p) => [p.name, (p.defaultSpan.lo + p.defaultSpan.hi) / 2]));
}

function request(d: NeuronDescription, input: Partial<PlaygroundInput>, more: Partial<PlaygroundRequest> = {}): PlaygroundRequest {
  return { neuron: d.kind, params: midParams(d), scalars: {}, dtS: 1e-3, steps: 300, input: { ...STEP, ...input }, fi: { minAmplitude: 0, maxAmplitude: 1, points: 5 }, ...more };
}

const descriptions = neuronDescriptions();

describe('neuron descriptions', () => {
  it('describe every kind of NEURON_DEFINITIONS from its definition', () => {
    expect(descriptions.map((d) => d.kind)).toEqual(Object.keys(NEURON_DEFINITIONS));
    expect(descriptions.map((d) => d.kind).sort()).toEqual(NEURONS.filter((k) => k !== 'custom').sort());
    for (const d of descriptions) {
      const def = neuronDefinition(d.kind);
      expect(d.states.map((s) => s.name)).toEqual(def.states.map((s) => s.name));
      expect(d.params.map((p) => p.name)).toEqual(def.params.map((p) => p.name));
      expect(d.scalars.map((s) => [s.name, s.config, s.default])).toEqual(def.scalars.map((s) => [s.name, s.config, DEFAULT_CONFIG[s.config!]]));
      for (const p of d.params) {
        expect(p.defaultSpan).toEqual(DEFAULT_CONFIG[p.span!]);
        expect(p.unit).toBe(p.decay ? 's' : null);
      }
      expect(d.records).toContain(def.probe.mem);
      expect(d.equations).toBe(def.equations);
    }
  });

  it('find for each kind the smallest grid current that fires, and no smaller one fires', () => {
    for (const d of descriptions) {
      expect(d.firingCurrent, d.kind).not.toBeNull();
      const k = FIRING_GRID.indexOf(d.firingCurrent!);
      expect(k, d.kind).toBeGreaterThan(0);
      const run = (amplitude: number) => runPlayground(request(d, { amplitude, onsetStep: 0 }, { steps: 1000 })).spikeSteps.length;
      expect(run(d.firingCurrent!), d.kind).toBeGreaterThan(0);
      expect(run(FIRING_GRID[k - 1]), d.kind).toBe(0);
    }
  });
});

describe('playground runs', () => {
  it('give the float64 evaluation of the definition, step by step, for every kind and input shape (to 1e-5)', () => {
    for (const d of descriptions) {
      const def = neuronDefinition(d.kind);
      for (const shape of ['step', 'noise', 'poisson'] as const) {
        const a = 2 * d.firingCurrent!;
        const req = request(d, { shape, amplitude: a, noiseStd: a, rateHz: 300 });
        const r = runPlayground(req);
        const param = Object.fromEntries(d.params.map((p) => [p.name, p.decay ? decayOf(req.params[p.name], req.dtS) : req.params[p.name]]));
        const scalar = Object.fromEntries(d.scalars.map((s) => [s.name, s.default]));
        let state = Object.fromEntries(d.states.map((s) => [s.name, 0]));
        const spikes: number[] = [];
        for (let t = 0; t < req.steps; t++) {
          const f = forwardStep(def, { state, param, scalar, J: r.input[t] });
          if (f.spike) spikes.push(t);
          state = f.next;
          for (const s of r.states) expect(Math.abs(s.values[t] - state[s.name]), `${d.kind} ${shape} ${s.name} at ${t}`).toBeLessThan(1e-5 * (1 + Math.abs(state[s.name])));
          for (const x of r.records) expect(Math.abs(x.values[t] - f.records[x.name]), `${d.kind} ${shape} ${x.name} at ${t}`).toBeLessThan(1e-5 * (1 + Math.abs(f.records[x.name])));
        }
        expect(r.spikeSteps, `${d.kind} ${shape}`).toEqual(spikes);
        expect(spikes.length, `${d.kind} ${shape} fires`).toBeGreaterThan(0);
        expect(r.rateHz).toBeCloseTo(spikes.length / (req.steps * req.dtS), 9);
      }
    }
  });

  it('give lif an f–I curve that is zero below the rheobase θ(1 − α)(1 − β) and rises monotonically above it', () => {
    const d = descriptions.find((x) => x.kind === 'lif')!;
    const tau = midParams(d);
    const dtS = 1e-3;
    const rheobase = DEFAULT_CONFIG.threshold * (1 - decayOf(tau.alpha, dtS)) * (1 - decayOf(tau.beta, dtS));
    const r = runPlayground(request(d, {}, { steps: 2000, fi: { minAmplitude: 0, maxAmplitude: 3 * rheobase, points: 31 } }));
    const { amplitude, rateHz } = r.fi;
    expect(amplitude).toHaveLength(31);
    for (let k = 0; k < amplitude.length; k++) {
      if (amplitude[k] < 0.97 * rheobase) expect(rateHz[k], `${amplitude[k]}`).toBe(0);
      if (amplitude[k] > 1.1 * rheobase) expect(rateHz[k], `${amplitude[k]}`).toBeGreaterThan(0);
      if (k > 0) expect(rateHz[k]).toBeGreaterThanOrEqual(rateHz[k - 1]);
    }
    expect(rateHz[30]).toBeGreaterThan(rateHz[12]);
  });

  it('sweep the f–I currents evenly from min to max', () => {
    expect(sweepAmplitudes({ minAmplitude: -1, maxAmplitude: 1, points: 5 })).toEqual([-1, -0.5, 0, 0.5, 1]);
  });

  it('read a run constant from the request, the rest from the default config', () => {
    const d = descriptions.find((x) => x.kind === 'lif')!;
    const a = 3 * d.firingCurrent!;
    const low = runPlayground(request(d, { amplitude: a, onsetStep: 0 }));
    const high = runPlayground(request(d, { amplitude: a, onsetStep: 0 }, { scalars: { threshold: 2 } }));
    expect(high.spikeSteps.length).toBeLessThan(low.spikeSteps.length);
  });
});

describe('input currents', () => {
  const input = (x: Partial<PlaygroundInput>) => ({ ...STEP, ...x });
  it('step: 0 before the onset, the amplitude from it on; ramp: 0 to the amplitude', () => {
    expect(Array.from(inputCurrent(input({ amplitude: 2, onsetStep: 2 }), 4, 1e-3))).toEqual([0, 0, 2, 2]);
    expect(Array.from(inputCurrent(input({ shape: 'ramp', amplitude: 3 }), 4, 1e-3))).toEqual([0, 1, 2, 3]);
  });

  it('noise: the amplitude plus seeded Gaussian noise of the given deviation', () => {
    const J = inputCurrent(input({ shape: 'noise', amplitude: 1, noiseStd: 0.5 }), 20_000, 1e-3);
    const mean = J.reduce((s, x) => s + x, 0) / J.length;
    const sd = Math.sqrt(J.reduce((s, x) => s + (x - mean) ** 2, 0) / J.length);
    expect(mean).toBeCloseTo(1, 1);
    expect(sd).toBeCloseTo(0.5, 1);
    expect(inputCurrent(input({ shape: 'noise', amplitude: 1, noiseStd: 0.5 }), 50, 1e-3)).toEqual(J.slice(0, 50));
    expect(inputCurrent(input({ shape: 'noise', amplitude: 1, noiseStd: 0.5, seed: 4 }), 50, 1e-3)).not.toEqual(J.slice(0, 50));
  });

  it('poisson: the weight times a Poisson count of mean rate·dt per step', () => {
    const J = inputCurrent(input({ shape: 'poisson', amplitude: 0.5, rateHz: 200 }), 20_000, 1e-3);
    const counts = Array.from(J, (x) => x / 0.5);
    expect(counts.every((c) => Number.isInteger(c) && c >= 0)).toBe(true);
    const mean = counts.reduce((s, x) => s + x, 0) / counts.length;
    expect(mean).toBeCloseTo(0.2, 1);
    expect(counts.filter((c) => c >= 2).length).toBeGreaterThan(0);
  });
});

/** adLIF written in the language: learned parameters with their own ranges, a constant. */
const ADLIF_PROGRAM = `state u, w
param alpha in 0.9..0.99
param beta in 0.95..0.99
param a in 0..1
param b in 0..2 fixed
const q = 30
U = alpha*u + (1 - alpha)*(J - w)
S = spike(U - theta)
u = U*(1 - detach(S))
w = beta*w + (1 - beta)*q*(a*u + b*S)
record U`;
const CUSTOM: CustomNeuronSpec = { name: 'my adlif', source: ADLIF_PROGRAM, surrogate: 'fast-sigmoid' };

describe('a user-defined neuron in the playground', () => {
  const custom = neuronDescriptions(CUSTOM).at(-1)!;

  it('is described last, from its program: parameters with their own ranges, constants as values, its program kept', () => {
    expect(neuronDescriptions(CUSTOM).map((d) => d.kind)).toEqual([...Object.keys(NEURON_DEFINITIONS), 'custom']);
    expect(custom.title).toBe('my adlif');
    expect(custom.custom).toEqual(CUSTOM);
    expect(custom.equations).toBe(ADLIF_PROGRAM);
    expect(custom.states.map((s) => s.name)).toEqual(['u', 'w']);
    expect(custom.params.map((p) => [p.name, p.span, p.decay, p.defaultSpan, p.range])).toEqual([
      ['alpha', null, false, { lo: 0.9, hi: 0.99 }, { min: 0.9, max: 0.99, integer: false }],
      ['beta', null, false, { lo: 0.95, hi: 0.99 }, { min: 0.95, max: 0.99, integer: false }],
      ['a', null, false, { lo: 0, hi: 1 }, { min: 0, max: 1, integer: false }],
      ['b', null, false, { lo: 0, hi: 2 }, { min: 0, max: 2, integer: false }],
    ]);
    expect(custom.scalars.map((s) => [s.name, s.config, s.default])).toEqual([
      ['theta', 'threshold', DEFAULT_CONFIG.threshold],
      ['scale', 'surrogateScale', DEFAULT_CONFIG.surrogateScale],
      ['q', null, 30],
    ]);
    expect(custom.records).toEqual(['mem']);
    expect(custom.firingCurrent).not.toBeNull();
  });

  it('runs through its generated kernel as the float64 evaluation of its definition, with its constant', () => {
    const def = customDefinition(CUSTOM);
    const req: PlaygroundRequest = { ...request(custom, { shape: 'noise', amplitude: 2 * custom.firingCurrent!, noiseStd: custom.firingCurrent!, onsetStep: 0 }), custom: CUSTOM };
    const r = runPlayground(req);
    const scalar = { theta: DEFAULT_CONFIG.threshold, scale: DEFAULT_CONFIG.surrogateScale, q: 30 };
    let state: Record<string, number> = { u: 0, w: 0 };
    const spikes: number[] = [];
    for (let t = 0; t < req.steps; t++) {
      const f = forwardStep(def, { state, param: req.params, scalar, J: r.input[t] });
      if (f.spike) spikes.push(t);
      state = f.next;
      for (const s of r.states) expect(Math.abs(s.values[t] - state[s.name]), `${s.name} at ${t}`).toBeLessThan(1e-5 * (1 + Math.abs(state[s.name])));
    }
    expect(r.spikeSteps).toEqual(spikes);
    expect(spikes.length).toBeGreaterThan(3);
    // The adaptation grows with the spikes the constant q scales.
    expect(Math.max(...r.states[1].values)).toBeGreaterThan(0);
  });

  it('refuses a program with a mistake, a parameter outside the program\'s range, and custom without its program, in one line', () => {
    const req = (more: Partial<PlaygroundRequest>): PlaygroundRequest => ({ ...request(custom, { amplitude: 1 }), custom: CUSTOM, ...more });
    expect(() => runPlayground(req({ custom: { ...CUSTOM, source: ADLIF_PROGRAM.replace('(J - w)', '(Jx - w)') } }))).toThrow(
      'playground: custom: line 7: unknown name Jx; did you mean J?',
    );
    expect(() => runPlayground(req({ params: { ...midParams(custom), alpha: 0.5 } }))).toThrow('playground: params.alpha must be a number ≥ 0.9 and ≤ 0.99 (got 0.5)');
    const bare = req({});
    delete bare.custom;
    expect(() => runPlayground(bare)).toThrow('playground: neuron "custom" needs its program: custom (name, source, surrogate)');
    expect(() => neuronDescriptions({ ...CUSTOM, source: 'state U' })).toThrow('the custom neuron: line 1: state U is never updated: add a line "U = …"; no spike: add a line "S = spike(…)", e.g. S = spike(U - theta)');
  });
});
