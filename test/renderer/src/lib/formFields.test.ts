import { describe, expect, it } from 'vitest';
import { CONFIG_RANGES, cloneConfig, DEFAULT_CONFIG, SPAN_RANGES } from '../../../../src/shared/config';
import {
  describeDisplayRange,
  displayRange,
  fieldEnabled,
  fieldFor,
  fieldShown,
  FORM_FIELDS,
  fromDisplay,
  spanFromText,
  spanTextMatches,
  spanToText,
  toDisplay,
  withField,
  type NumberField,
  type SpanField,
} from '../../../../src/renderer/src/lib/formFields';

const numberField = (key: string) => fieldFor(key) as NumberField;
const spanField = (key: string) => fieldFor(key) as SpanField;

describe('hyperparameter form fields', () => {
  it('covers every TrainConfig option but the layers (their own editor) exactly once', () => {
    const keys = FORM_FIELDS.map((f) => f.key).sort();
    expect(keys).toEqual(Object.keys(DEFAULT_CONFIG).filter((k) => k !== 'layers').sort());
    for (const key of Object.keys(CONFIG_RANGES)) expect(fieldFor(key)?.kind).toBe('number');
    for (const key of Object.keys(SPAN_RANGES)) expect(fieldFor(key)?.kind).toBe('span');
  });

  it('shows times in ms and stores seconds', () => {
    const ms = FORM_FIELDS.filter((f) => (f.kind === 'number' || f.kind === 'span') && f.ms).map((f) => f.key).sort();
    expect(ms).toEqual(['dtS', 'maxTimeS', 'readoutTauMemS', 'readoutTauSynS', 'tauAdaptS', 'tauMemS', 'tauSynS']);
    expect(toDisplay(numberField('readoutTauMemS'), 0.01)).toBe(10);
    expect(fromDisplay(numberField('readoutTauMemS'), 20)).toBe(0.02);
    expect(fromDisplay(numberField('pool'), 5)).toBe(5);
    expect(fromDisplay(numberField('pool'), null)).toBeNaN();
    expect(displayRange(numberField('maxTimeS'))).toMatchObject({ min: 0, max: 1e7, minExclusive: true });
    expect(describeDisplayRange(spanField('tauSynS'))).toBe('> 0 ms and ≤ 10000 ms');
    expect(describeDisplayRange(spanField('adaptA'))).toBe('≥ -100 and ≤ 100');
    expect(describeDisplayRange(numberField('epochs'))).toBe('≥ 1 and ≤ 100000, whole number');
  });

  it('reads a span as one value or lo:hi in ms, and writes it back the same way', () => {
    const tau = spanField('tauMemS');
    expect(spanFromText(tau, '10')).toEqual({ lo: 0.01, hi: 0.01 });
    expect(spanFromText(tau, ' 5 : 25 ')).toEqual({ lo: 0.005, hi: 0.025 });
    expect(spanFromText(spanField('adaptB'), '0:2')).toEqual({ lo: 0, hi: 2 });
    for (const bad of ['', '5:', ':5', '1:2:3', 'ten']) expect(spanFromText(tau, bad).lo).toBeNaN();
    expect(spanToText(tau, { lo: 0.06, hi: 0.3 })).toBe('60:300');
    expect(spanToText(tau, { lo: 0.005, hi: 0.005 })).toBe('5');
    expect(spanToText(tau, { lo: Number.NaN, hi: Number.NaN })).toBe('');
    // A half-typed span stands for the NaN it stored; a different span does not match the text.
    expect(spanTextMatches(tau, '5:', { lo: Number.NaN, hi: Number.NaN })).toBe(true);
    expect(spanTextMatches(tau, '5:25', { lo: 0.005, hi: 0.025 })).toBe(true);
    expect(spanTextMatches(tau, '5:25', { lo: 0.005, hi: 0.005 })).toBe(false);
  });

  it('shows only the spans the neuron uses, q for adlif, and the skip enabled for softmax-sum', () => {
    const shown = (neuron: 'lif' | 'adlif') => FORM_FIELDS.filter((f) => f.kind === 'span' && fieldShown(f, { neuron })).map((f) => f.key);
    expect(shown('lif')).toEqual(['tauSynS', 'tauMemS']);
    expect(shown('adlif')).toEqual(['tauMemS', 'tauAdaptS', 'adaptA', 'adaptB']);
    expect(fieldShown(numberField('adaptQ'), { neuron: 'lif' })).toBe(false);
    expect(fieldShown(numberField('adaptQ'), { neuron: 'adlif' })).toBe(true);
    expect(fieldEnabled(numberField('readoutSkip'), { readout: 'max' })).toBe(false);
    expect(fieldEnabled(numberField('readoutSkip'), { readout: 'softmax-sum' })).toBe(true);
    expect(fieldEnabled(numberField('pool'), { readout: 'max' })).toBe(true);
  });

  it('resets the readout skip when leaving softmax-sum, and keeps it otherwise', () => {
    const c = { ...cloneConfig(DEFAULT_CONFIG), readout: 'softmax-sum' as const, readoutSkip: 20 };
    expect(withField(c, 'readout', 'mean')).toMatchObject({ readout: 'mean', readoutSkip: 0 });
    expect(withField(c, 'epochs', 3)).toMatchObject({ readout: 'softmax-sum', readoutSkip: 20, epochs: 3 });
    expect(c.readoutSkip).toBe(20);
  });
});
