import { describe, expect, it } from 'vitest';
import { CONFIG_RANGES, DEFAULT_CONFIG } from '../../../../src/shared/config';
import {
  describeDisplayRange,
  displayRange,
  fieldFor,
  FORM_FIELDS,
  formErrors,
  fromDisplay,
  toDisplay,
  type NumberField,
} from '../../../../src/renderer/src/lib/formFields';

const numberField = (key: string) => fieldFor(key) as NumberField;

describe('hyperparameter form fields', () => {
  it('covers every TrainConfig option exactly once', () => {
    const keys = FORM_FIELDS.map((f) => f.key).sort();
    expect(keys).toEqual(Object.keys(DEFAULT_CONFIG).sort());
    for (const key of Object.keys(CONFIG_RANGES)) expect(fieldFor(key)?.kind).toBe('number');
  });
  it('shows the four times in ms and stores seconds', () => {
    const ms = FORM_FIELDS.filter((f) => f.kind === 'number' && f.ms).map((f) => f.key).sort();
    expect(ms).toEqual(['dtS', 'maxTimeS', 'tauMemS', 'tauSynS']);
    expect(toDisplay(numberField('tauMemS'), 0.01)).toBe(10);
    expect(fromDisplay(numberField('tauMemS'), 20)).toBe(0.02);
    expect(fromDisplay(numberField('hidden'), 64)).toBe(64);
    expect(fromDisplay(numberField('hidden'), null)).toBeNaN();
    expect(displayRange(numberField('maxTimeS'))).toMatchObject({ min: 0, max: 1e7, minExclusive: true });
    expect(describeDisplayRange(numberField('tauSynS'))).toBe('> 0 ms and ≤ 10000 ms');
    expect(describeDisplayRange(numberField('epochs'))).toBe('≥ 1 and ≤ 100000, whole number');
  });
  it('gives no messages for the defaults and one per bad field, in form units', () => {
    expect(formErrors({ ...DEFAULT_CONFIG })).toEqual({});
    const errors = formErrors({ ...DEFAULT_CONFIG, tauMemS: -0.005, epochs: 2.5, hidden: Number.NaN, optimizer: 'sgd' });
    expect(Object.keys(errors).sort()).toEqual(['epochs', 'hidden', 'optimizer', 'tauMemS']);
    expect(errors.tauMemS).toBe('τ_mem must be > 0 ms and ≤ 10000 ms (got -5 ms)');
    expect(errors.epochs).toBe('Epochs must be ≥ 1 and ≤ 100000, whole number (got 2.5)');
    expect(errors.hidden).toMatch(/got no number/);
    expect(errors.optimizer).toMatch(/optimizer must be one of adam, adamax/);
  });
});
