import { describe, expect, it } from 'vitest';
import { augmentErrors, DEFAULT_AUGMENT } from '../../../../src/shared/augment';
import { CONFIG_RANGES, cloneConfig, configErrors, DEFAULT_CONFIG, SPAN_RANGES } from '../../../../src/shared/config';
import { SCHEDULE_RANGES } from '../../../../src/shared/schedule';
import {
  describeDisplayRange,
  displayRange,
  fieldEnabled,
  fieldFor,
  fieldShown,
  fieldValue,
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
    const augment = Object.keys(DEFAULT_AUGMENT).map((k) => `augment.${k}`);
    expect(keys).toEqual([...Object.keys(DEFAULT_CONFIG).filter((k) => k !== 'layers' && k !== 'augment'), ...augment].sort());
    for (const key of [...Object.keys(CONFIG_RANGES), ...Object.keys(SCHEDULE_RANGES), 'validationFraction']) expect(fieldFor(key)?.kind).toBe('number');
    for (const key of Object.keys(SPAN_RANGES)) expect(fieldFor(key)?.kind).toBe('span');
    expect(fieldFor('augment.stretch')?.kind).toBe('span');
    expect(new Set(FORM_FIELDS.filter((f) => f.key.startsWith('augment.')).map((f) => f.group))).toEqual(new Set(['Augmentation']));
  });

  it('shows times in ms and stores seconds', () => {
    const ms = FORM_FIELDS.filter((f) => (f.kind === 'number' || f.kind === 'span') && f.ms).map((f) => f.key).sort();
    expect(ms).toEqual(['augment.timeShiftS', 'dtS', 'maxTimeS', 'readoutTauMemS', 'readoutTauSynS', 'tauAdaptS', 'tauMemS', 'tauSynS']);
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
    const shown = (neuron: 'lif' | 'adlif') => FORM_FIELDS.filter((f) => f.kind === 'span' && f.group === 'Neuron' && fieldShown(f, { neuron })).map((f) => f.key);
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

  it('shows the plateau options for plateau only and the floor for the decaying schedules', () => {
    const shown = (lrSchedule: 'constant' | 'cosine' | 'plateau') =>
      FORM_FIELDS.filter((f) => f.group === 'Protocol' && fieldShown(f, { neuron: 'lif', lrSchedule })).map((f) => f.key);
    const always = ['validationFraction', 'validationBy', 'patience', 'weightDecay', 'clipGrad', 'lrSchedule', 'warmupEpochs'];
    expect(shown('constant')).toEqual(always);
    expect(shown('cosine')).toEqual([...always, 'minLr']);
    expect(shown('plateau')).toEqual([...always, 'minLr', 'plateauFactor', 'plateauPatience', 'plateauThreshold']);
    // Every augmentation option, whatever the neuron or schedule.
    expect(FORM_FIELDS.filter((f) => f.group === 'Augmentation' && fieldShown(f, { neuron: 'adlif', lrSchedule: 'constant' }))).toHaveLength(5);
  });

  it('shows the delays’ spans and σ only where their maximum is on, in steps, with a note on the backends that refuse them', () => {
    const shown = (recDelayMax: number, ffDelayMax: number) =>
      FORM_FIELDS.filter((f) => f.group === 'Delays' && fieldShown(f, { neuron: 'lif', recDelayMax, ffDelayMax })).map((f) => f.key);
    expect(shown(0, 0)).toEqual(['recDelayMax', 'ffDelayMax']);
    expect(shown(6, 0)).toEqual(['recDelayMax', 'recDelayInit', 'ffDelayMax', 'delaySigma', 'delaySigmaDecay', 'delayLearningRate']);
    expect(shown(0, 3)).toEqual(['recDelayMax', 'ffDelayMax', 'ffDelayInit', 'delaySigma', 'delaySigmaDecay', 'delayLearningRate']);
    // A layer's own max turns its kind's fields on too.
    const layers = [{ size: 8, recurrent: true, dropout: 0 }, { size: 8, recurrent: true, dropout: 0, ffDelayMax: 3 }];
    expect(FORM_FIELDS.filter((f) => f.group === 'Delays' && fieldShown(f, { neuron: 'lif', recDelayMax: 0, ffDelayMax: 0, layers })).map((f) => f.key)).toEqual([
      'recDelayMax', 'ffDelayMax', 'ffDelayInit', 'delaySigma', 'delaySigmaDecay', 'delayLearningRate',
    ]);
    expect(spanField('recDelayInit').unit).toBe('steps');
    expect(spanToText(spanField('recDelayInit'), { lo: 0, hi: 5 })).toBe('0:5');
    expect(spanFromText(spanField('ffDelayInit'), '2')).toEqual({ lo: 2, hi: 2 });
    expect(toDisplay(numberField('delaySigma'), 2)).toBe(2);
    expect(withField(cloneConfig(DEFAULT_CONFIG), 'recDelayInit', { lo: 1, hi: 4 }).recDelayInit).toEqual({ lo: 1, hi: 4 });
  });

  it('reads and writes the augmentation options one level down, leaving the rest of the config alone', () => {
    const c = cloneConfig(DEFAULT_CONFIG);
    const next = withField(c, 'augment.deleteP', 0.2);
    expect(next.augment).toEqual({ ...DEFAULT_AUGMENT, deleteP: 0.2 });
    expect(c.augment.deleteP).toBe(0);
    expect(fieldValue(next, 'augment.deleteP')).toBe(0.2);
    expect(fieldValue(next, 'epochs')).toBe(c.epochs);
    // The time shift is typed in ms, stored in s; the stretch is a lo:hi span without units.
    expect(fromDisplay(numberField('augment.timeShiftS'), 40)).toBe(0.04);
    expect(spanFromText(spanField('augment.stretch'), '0.9:1.1')).toEqual({ lo: 0.9, hi: 1.1 });
    expect(describeDisplayRange(numberField('augment.timeShiftS'))).toBe('≥ 0 ms');
    expect(describeDisplayRange(numberField('augment.deleteP'))).toBe('≥ 0 and < 1');
    expect(describeDisplayRange(numberField('augment.channelShift'))).toBe('≥ 0 and ≤ 65535, whole number');
    expect(describeDisplayRange(numberField('validationFraction'))).toBe('≥ 0 and ≤ 0.5');
  });

  it('states the protocol and augmentation ranges the validator enforces (ends accepted, just past them refused)', () => {
    const refused = (key: string, v: number) => {
      const config = key.startsWith('augment.') ? withField(cloneConfig(DEFAULT_CONFIG), key as NumberField['key'], v) : { ...cloneConfig(DEFAULT_CONFIG), [key]: v };
      return configErrors(config).some((e) => e.field === key);
    };
    for (const f of FORM_FIELDS) {
      if (f.kind !== 'number' || (f.group !== 'Protocol' && f.group !== 'Augmentation')) continue;
      const r = displayRange({ ...f, ms: false });
      const step = r.integer ? 1 : 1e-9;
      expect(refused(f.key, r.min), `${f.key} at its minimum`).toBe(!!r.minExclusive);
      expect(refused(f.key, r.min - step), `${f.key} below its minimum`).toBe(true);
      if (r.max !== undefined) {
        expect(refused(f.key, r.max), `${f.key} at its maximum`).toBe(!!r.maxExclusive);
        expect(refused(f.key, r.max + step), `${f.key} above its maximum`).toBe(true);
      }
    }
    const stretch = displayRange(spanField('augment.stretch'));
    expect(augmentErrors({ ...DEFAULT_AUGMENT, stretch: { lo: stretch.min, hi: 1 } }).map((e) => e.field)).toEqual(['stretch.lo']);
    expect(augmentErrors({ ...DEFAULT_AUGMENT, stretch: { lo: 1e-9, hi: 1e9 } })).toEqual([]);
  });
});
