import { describe, expect, it } from 'vitest';
import { columnTitle, displayNumber, displayValue, fieldTitle, parseValues, sweepField, SWEEP_FIELDS, valuesHint } from '../../../../src/renderer/src/lib/sweepFields';

describe('sweep fields in the form\'s units', () => {
  it('takes τ in ms as the form does and gives train seconds, single values and LO:HI spans alike', () => {
    expect(parseValues('tau-mem', '10, 20')).toEqual({ values: ['0.01', '0.02'] });
    expect(parseValues('tau-syn', '5:25, 2.5')).toEqual({ values: ['0.005:0.025', '0.0025'] });
    expect(parseValues('tau-adapt', '150')).toEqual({ values: ['0.15'] });
    // Not ms: as typed.
    expect(parseValues('hidden', '64, 128')).toEqual({ values: [64, 128] });
    expect(parseValues('lr', '0.01, 1e-3')).toEqual({ values: [0.01, 0.001] });
    expect(parseValues('learn-tau', 'true,false')).toEqual({ values: [true, false] });
    expect(parseValues('neuron', 'lif, adlif')).toEqual({ values: ['lif', 'adlif'] });
  });

  it('refuses what the form refuses, with the form\'s range in its units', () => {
    expect(parseValues('tau-mem', '10, -5')).toEqual({ error: 'τ_mem: "-5" must be > 0 ms and ≤ 10000 ms' });
    // 20 s was what "20" meant before: the form's upper end is 10 000 ms.
    expect(parseValues('tau-mem', '20000')).toEqual({ error: 'τ_mem: "20000" must be > 0 ms and ≤ 10000 ms' });
    expect(parseValues('tau-mem', '25:5')).toEqual({ error: 'τ_mem: "25:5" has its upper end below its lower end' });
    expect(parseValues('tau-mem', '5:10:20')).toEqual({ error: 'τ_mem: "5:10:20" is not V or LO:HI' });
    expect(parseValues('hidden', '64, 12.5')).toEqual({ error: 'Neurons per layer: "12.5" is not a whole number' });
    expect(parseValues('hidden', '0')).toEqual({ error: 'Neurons per layer: "0" must be ≥ 1 and ≤ 4096, whole number' });
    expect(parseValues('dropout', '1')).toEqual({ error: 'Dropout: "1" must be ≥ 0 and < 1' });
    expect(parseValues('seed', '1, x')).toEqual({ error: 'Seed: "x" is not a number' });
    expect(parseValues('seed', '1.5')).toEqual({ error: 'Seed: "1.5" is not a whole number' });
    expect(parseValues('lr', '0')).toEqual({ error: 'Learning rate: "0" must be > 0 and ≤ 10' });
    expect(parseValues('neuron', 'izhikevich')).toEqual({ error: 'Neuron: "izhikevich" is not one of lif, adlif, brf, csilif, custom' });
    expect(parseValues('lr', '0.1, 0.1')).toEqual({ error: 'Learning rate: a value is repeated' });
    expect(parseValues('tau-mem', '10, 10:10')).toEqual({ error: 'τ_mem: a value is repeated' });
    expect(parseValues('lr', ' ')).toEqual({ error: 'Learning rate: give one or more values, separated by commas' });
    expect(parseValues('out', '1')).toEqual({ error: 'out: not a field the builder varies' });
  });

  it('shows train\'s values in the form\'s units', () => {
    expect(displayValue('tau-mem', '0.02')).toBe('20');
    expect(displayValue('tau-mem', 0.005)).toBe('5');
    expect(displayValue('tau-syn', '0.005:0.025')).toBe('5:25');
    expect(displayValue('hidden', 8)).toBe('8');
    expect(displayValue('neuron', 'adlif')).toBe('adlif');
    expect(displayValue('hidden', undefined)).toBe('—');
    expect(displayNumber('tau-mem', '0.02')).toBe(20);
    expect(displayNumber('tau-mem', '0.005:0.025')).toBeNull();
    expect(displayNumber('learn-tau', true)).toBeNull();
    expect(displayNumber('lr', 0.01)).toBe(0.01);
  });

  it('names fields and columns with their units', () => {
    expect(fieldTitle(sweepField('tau-mem')!)).toBe('τ_mem (ms)');
    expect(fieldTitle(sweepField('lr')!)).toBe('Learning rate');
    expect(columnTitle('tau-mem')).toBe('tau-mem (ms)');
    expect(columnTitle('hidden')).toBe('hidden');
    expect(valuesHint(sweepField('tau-mem')!)).toBe('values in ms, V or LO:HI, separated by commas');
    expect(valuesHint(sweepField('readout')!)).toBe('max, mean, softmax-sum');
    // Every field has a label, and the ranges of the number fields.
    for (const f of SWEEP_FIELDS) {
      expect(f.label).not.toBe('');
      if (f.kind === 'number' || f.kind === 'span') expect(f.range).toBeDefined();
    }
  });

  it('varies the delays’ maxima (steps) and σ for every layer; a per-layer list is text, not plotted', () => {
    expect(parseValues('rec-delay-max', '0, 10, 25')).toEqual({ values: [0, 10, 25] });
    expect(parseValues('ff-delay-max', '-1')).toEqual({ error: 'Feed-forward delay max: "-1" must be ≥ 0 and ≤ 1000' });
    expect(parseValues('delay-sigma', '0, 10')).toEqual({ values: [0, 10] });
    expect(displayValue('rec-delay-max', '25,0')).toBe('25,0');
    expect(displayNumber('rec-delay-max', '25,0')).toBeNull();
    expect(displayNumber('rec-delay-max', 25)).toBe(25);
  });
});
