import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../../src/shared/config';
import { playgroundRequestErrors } from '../../../../src/shared/ipc/playgroundPayloads';
import { EXAMPLE_CUSTOM_SOURCE, type CustomNeuronSpec } from '../../../../src/shared/customNeuron';
import { formErrors, formProgram, initialForm, kindLabel, paramLabel, playgroundRequest, roundCurrent } from '../../../../src/renderer/src/lib/playgroundForm';
import { neuronDescriptions } from '../../../../src/services/playground/neuronDescriptions';

const kinds = neuronDescriptions();
const byKind = (k: string) => kinds.find((d) => d.kind === k)!;

describe('the playground form', () => {
  it('starts every kind from the training config: spans\' middles (τ in ms), run constants, dt; a valid request', () => {
    for (const d of kinds) {
      const form = initialForm(d, DEFAULT_CONFIG);
      expect(Object.keys(form.params)).toEqual(d.params.map((p) => p.name));
      expect(Object.keys(form.scalars)).toEqual(d.scalars.map((s) => s.config));
      expect(kindLabel(d)).toBe(`${d.kind} — ${d.title}`);
      expect(formErrors(form, d), d.kind).toEqual({});
      const request = playgroundRequest(form, d);
      expect(playgroundRequestErrors(request, kinds), d.kind).toEqual([]);
      expect(request.input.amplitude).toBeGreaterThanOrEqual(d.firingCurrent!);
      expect(request.fi.maxAmplitude).toBe(2 * request.input.amplitude);
    }
  });

  it('shows a decay as τ in ms and sends it in s; reads the form config\'s spans and constants', () => {
    const lif = byKind('lif');
    const config: TrainConfig = { ...DEFAULT_CONFIG, tauMemS: { lo: 0.01, hi: 0.03 }, threshold: 2, dtS: 5e-4 };
    const form = initialForm(lif, config);
    expect(form.params).toEqual({ alpha: 5, beta: 20 });
    expect(form.scalars).toEqual({ threshold: 2, surrogateScale: 100 });
    expect(form.dtMs).toBe(0.5);
    const request = playgroundRequest(form, lif);
    expect(request.params).toEqual({ alpha: 0.005, beta: 0.02 });
    expect(request.dtS).toBe(5e-4);
    expect(paramLabel(lif.params[0])).toBe('τ alpha (ms)');
    const brf = byKind('brf');
    expect(initialForm(brf, DEFAULT_CONFIG).params).toEqual({ omega: 7.5, b_offset: 2.5 });
    expect(paramLabel(brf.params[0])).toBe('omega');
  });

  it('marks each bad field as the services would refuse it, τ and dt in ms', () => {
    const adlif = byKind('adlif');
    const form = initialForm(adlif, DEFAULT_CONFIG);
    form.params.alpha = 0;
    form.params.a = 1000;
    form.dtMs = Number.NaN;
    form.fi.points = 1;
    form.input.onsetStep = form.steps;
    expect(formErrors(form, adlif)).toEqual({
      'params.alpha': 'τ alpha (ms) must be a number > 0 and ≤ 10000',
      'params.a': 'params.a must be a number ≥ -100 and ≤ 100 (got 1000)',
      dtS: 'dt (ms) must be a number > 0 and ≤ 1000',
      'input.onsetStep': 'input.onsetStep must be an integer ≥ 0 and ≤ 499 (got 500)',
      'fi.points': 'fi.points must be an integer ≥ 2 and ≤ 64 (got 1)',
    });
  });

  it('rounds currents up to 1, 2 or 5 times a power of ten', () => {
    expect([0.0178, 0.0356, 0.02, 1.78, 7.12, 10, 40].map(roundCurrent)).toEqual([0.02, 0.05, 0.02, 2, 10, 10, 50]);
    expect(roundCurrent(0)).toBe(1);
  });

  it('offers the training form\'s own neuron when it is a sound program, labelled and sent with its program', () => {
    const spec: CustomNeuronSpec = { name: 'gated', source: 'state U\nparam g in 0.9..0.99\nconst leak = 0.9\nS = spike(U - theta)\nU = (leak*U + g*J)*(1 - detach(S))', surrogate: 'fast-sigmoid' };
    expect(formProgram({ neuron: 'custom', customNeuron: spec })).toEqual(spec);
    expect(formProgram({ neuron: 'lif', customNeuron: spec })).toBeNull();
    expect(formProgram({ neuron: 'custom', customNeuron: { ...spec, source: spec.source.replace('g*J', 'gg*J') } })).toBeNull();
    expect(formProgram({ neuron: 'custom', customNeuron: { ...spec, source: EXAMPLE_CUSTOM_SOURCE } })).not.toBeNull();

    const all = neuronDescriptions(spec);
    const d = all.at(-1)!;
    expect(kindLabel(d)).toBe('custom: gated');
    const form = initialForm(d, { ...DEFAULT_CONFIG, neuron: 'custom', customNeuron: spec, threshold: 1.5 });
    // The middle of the program's range (to 12 digits); its constant is not a form field, the config's threshold is.
    expect(form.params).toEqual({ g: 0.945 });
    expect(form.scalars).toEqual({ threshold: 1.5, surrogateScale: DEFAULT_CONFIG.surrogateScale });
    const request = playgroundRequest(form, d);
    expect(request.custom).toEqual(spec);
    expect(request.neuron).toBe('custom');
    expect(playgroundRequestErrors(request, all)).toEqual([]);
    expect(formErrors(form, d)).toEqual({});
    form.params.g = 3;
    expect(formErrors(form, d)).toEqual({ 'params.g': 'params.g must be a number ≥ 0.9 and ≤ 0.99 (got 3)' });
  });
});
