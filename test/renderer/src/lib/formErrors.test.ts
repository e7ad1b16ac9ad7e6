import { describe, expect, it } from 'vitest';
import { cloneConfig, DEFAULT_CONFIG, type TrainConfig } from '../../../../src/shared/config';
import { formErrors, unshownErrors } from '../../../../src/renderer/src/lib/formErrors';

const withChanges = (changes: Record<string, unknown>) => ({ ...cloneConfig(DEFAULT_CONFIG), ...changes }) as Record<string, unknown>;

describe('form error messages', () => {
  it('gives no messages for the defaults and one per bad input, in form units', () => {
    expect(formErrors(withChanges({}))).toEqual({});
    const errors = formErrors(withChanges({ readoutTauMemS: -0.005, epochs: 2.5, pool: Number.NaN, optimizer: 'sgd' }));
    expect(Object.keys(errors).sort()).toEqual(['epochs', 'optimizer', 'pool', 'readoutTauMemS']);
    expect(errors.readoutTauMemS).toBe('Readout τ_mem must be > 0 ms and ≤ 10000 ms (got -5 ms)');
    expect(errors.epochs).toBe('Epochs must be ≥ 1 and ≤ 100000, whole number (got 2.5)');
    expect(errors.pool).toBe('Channel pooling must be ≥ 1 and ≤ 4096, whole number (got no number)');
    expect(errors.optimizer).toMatch(/optimizer must be one of adam, adamax/);
  });

  it('puts both ends and the order of a span on the span input', () => {
    expect(formErrors(withChanges({ tauMemS: { lo: -0.005, hi: 0.02 } }))).toEqual({
      tauMemS: 'τ_mem: the lower end must be > 0 ms and ≤ 10000 ms (got -5 ms)',
    });
    expect(formErrors(withChanges({ tauMemS: { lo: 0.025, hi: 0.005 } }))).toEqual({
      tauMemS: 'τ_mem: the upper end 5 ms is below the lower end 25 ms',
    });
    expect(formErrors(withChanges({ tauMemS: { lo: 0.02, hi: 20 } })).tauMemS).toBe('τ_mem: the upper end must be > 0 ms and ≤ 10000 ms (got 20000 ms)');
    // One value typed (both ends equal, or no number at all): one message, like a plain number's.
    expect(formErrors(withChanges({ tauMemS: { lo: -0.005, hi: -0.005 } })).tauMemS).toBe('τ_mem must be > 0 ms and ≤ 10000 ms (got -5 ms)');
    expect(formErrors(withChanges({ tauAdaptS: { lo: Number.NaN, hi: Number.NaN } })).tauAdaptS).toBe('τ_adapt must be > 0 ms and ≤ 100000 ms (got no number)');
    expect(formErrors(withChanges({ adaptA: { lo: -200, hi: 300 } })).adaptA).toBe(
      'Adaptation a: the lower end must be ≥ -100 and ≤ 100 (got -200); Adaptation a: the upper end must be ≥ -100 and ≤ 100 (got 300)',
    );
  });

  it('puts layer problems on the layer input, numbered from 1', () => {
    const layers = [
      { size: 64, recurrent: true, dropout: 0 },
      { size: 0, recurrent: true, dropout: 1 },
    ];
    const errors = formErrors(withChanges({ layers }));
    expect(errors).toEqual({
      'layers.1.size': 'Layer 2 size must be ≥ 1 and ≤ 4096, whole number (got 0)',
      'layers.1.dropout': 'Layer 2 dropout must be ≥ 0 and < 1 (got 1)',
    });
    expect(formErrors(withChanges({ layers: [] })).layers).toMatch(/1 to 4 hidden layers \(got 0\)/);
  });

  it('explains the readout skip rules with the form label', () => {
    expect(formErrors(withChanges({ readout: 'max', readoutSkip: 3 })).readoutSkip).toBe('Readout skip applies to the softmax-sum readout only; set it to 0 for max');
    expect(formErrors(withChanges({ readout: 'softmax-sum', readoutSkip: 100 })).readoutSkip).toBe('Readout skip must be below the number of time steps (100), got 100');
  });

  it('lists the errors of inputs the form hides for this neuron kind', () => {
    const config = withChanges({ neuron: 'lif', tauAdaptS: { lo: 0, hi: 0.3 }, epochs: 0 });
    const errors = formErrors(config);
    expect(Object.keys(errors).sort()).toEqual(['epochs', 'tauAdaptS']);
    expect(unshownErrors(errors, config as unknown as TrainConfig)).toEqual(['τ_adapt: the lower end must be > 0 ms and ≤ 100000 ms (got 0 ms)']);
    expect(unshownErrors(errors, { neuron: 'adlif' })).toEqual([]);
  });

  it('puts protocol and augmentation problems on their inputs, in form units', () => {
    const base = cloneConfig(DEFAULT_CONFIG);
    const errors = formErrors(withChanges({ validationFraction: 0.7, lrSchedule: 'step', augment: { ...base.augment, timeShiftS: -0.01, deleteP: 1, stretch: { lo: 1.2, hi: 0.8 } } }));
    expect(errors).toEqual({
      validationFraction: 'Validation fraction must be ≥ 0 and ≤ 0.5 (got 0.7)',
      lrSchedule: expect.stringMatching(/lrSchedule must be one of constant, cosine, plateau/),
      'augment.timeShiftS': 'Time shift must be ≥ 0 ms (got -10 ms)',
      'augment.deleteP': 'Spike deletion must be ≥ 0 and < 1 (got 1)',
      'augment.stretch': 'Time stretch: the upper end 0.8 is below the lower end 1.2',
    });
    expect(formErrors(withChanges({ augment: { ...base.augment, stretch: { lo: 0, hi: 0 } } }))).toEqual({ 'augment.stretch': 'Time stretch must be > 0 (got 0)' });
    // An augmentation option the form does not know goes to the summary.
    expect(formErrors(withChanges({ augment: { ...base.augment, pitch: 1 } }))).toEqual({ config: 'augment: unknown augmentation option "pitch"' });
  });

  it('lists a hidden plateau option\'s error in the summary', () => {
    const config = withChanges({ lrSchedule: 'cosine', plateauFactor: 2 });
    const errors = formErrors(config);
    expect(Object.keys(errors)).toEqual(['plateauFactor']);
    expect(unshownErrors(errors, config as unknown as TrainConfig)).toEqual(['Plateau factor must be > 0 and < 1 (got 2)']);
    expect(unshownErrors(errors, { neuron: 'lif', lrSchedule: 'plateau' })).toEqual([]);
  });

  it('keys a user-defined neuron\'s program problems to its editor, listed in the summary only while the editor is hidden', () => {
    const customNeuron = { name: 'typo', source: 'state U\nS = spike(U - theta)\nU = U + Jx', surrogate: 'fast-sigmoid' };
    const config = withChanges({ neuron: 'custom', customNeuron });
    const errors = formErrors(config);
    expect(errors).toEqual({ customNeuron: 'customNeuron: line 3: unknown name Jx; did you mean J?' });
    expect(unshownErrors(errors, { neuron: 'custom' })).toEqual([]);
    // Kept for another kind, the broken program still blocks training: the summary says why.
    expect(unshownErrors(errors, { neuron: 'lif' })).toEqual(['customNeuron: line 3: unknown name Jx; did you mean J?']);
  });
});

